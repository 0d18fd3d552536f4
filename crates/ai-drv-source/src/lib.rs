//! Source: resolve a source URL (including nixpkgs' `mirror://` scheme), download it, unpack it the
//! way Nix does, and pin it with a hash computed here — flat for `fetchurl`, NAR of the unpacked
//! tree for `fetchzip` and forge fetchers.

mod download;
mod prefetch;
mod unpack;

pub use download::{download, DownloadError, Downloaded, NoProgress, Progress};
pub use prefetch::{prefetch, url_name, PrefetchError, PrefetchOptions, Prefetched};
pub use unpack::{strip_single_top, unpack, ArchiveKind, UnpackError};

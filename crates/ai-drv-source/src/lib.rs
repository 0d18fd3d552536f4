//! Source: resolve a request (an archive URL including nixpkgs' `mirror://` scheme, a forge
//! repository, a registry reference, or package names from plain words) to a pinned source —
//! download it, unpack it the way Nix does, and pin it with a hash computed here: flat for
//! `fetchurl`, NAR of the unpacked tree for `fetchzip`, `fetchCrate` and forge fetchers.

mod download;
mod prefetch;
mod resolve;
mod unpack;

pub use download::{download, DownloadError, Downloaded, NoProgress, Progress};
pub use prefetch::{prefetch, url_name, PrefetchError, PrefetchOptions, Prefetched};
pub use resolve::{
    name_version_from_file, resolve, Fetch, Meta, ResolveError, Source, DEFAULT_SUITE, SUITE_VAR,
};
pub use unpack::{strip_single_top, unpack, ArchiveKind, UnpackError};

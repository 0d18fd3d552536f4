//! Hashes exactly as Nix computes them, with no Nix needed.
//!
//! ai-drv never trusts a hash it did not compute: every `sha256`/`hash` attribute it writes comes from
//! this crate. It covers the three things Nix hashes — a flat file (`fetchurl`, `nix hash file`), a
//! file-system tree serialised as a NAR (`fetchzip`, forge fetchers, recursive fixed-output
//! derivations, `nix hash path`) — and the store paths that follow from those hashes, in every text
//! form Nix reads or prints (SRI, nix32, base16, base64).

mod digest;
mod encoding;
mod nar;
mod store_path;

pub use digest::{hash_bytes, hash_file, Algorithm, Hash, Hasher};
pub use encoding::{Format, ParseHashError};
pub use nar::{hash_path, write_nar, NarError};
pub use store_path::{fixed_output_path, validate_name, StorePathError, STORE_DIR};

//! hostpkgs: a strict, nixpkgs-compatible package set built from Debian's binary packages, for
//! machines that have Nix but no nixpkgs. The Nix code lives in `nix/hostpkgs/` at the top of the
//! repository; this crate knows where it is, how to sandbox builds against the Debian build root,
//! and how to regenerate its pinned package table and resolver index from Debian's index files.

pub mod buildroot;
pub mod debian;
pub mod generate;
pub mod package_set;
pub mod resolver;
pub mod spec;

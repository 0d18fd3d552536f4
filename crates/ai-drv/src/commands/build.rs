//! `ai-drv build`: verify an existing derivation file.

use std::path::PathBuf;

use clap::Args;

use crate::error::Result;
use crate::printer::Printer;

/// Build a callPackage-style derivation file against the package set, repair what the deterministic
/// fixers can, and check the result.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The derivation file (`{ lib, stdenv, … }: stdenv.mkDerivation …`).
    pub file: PathBuf,
    /// Build against this nixpkgs instead of the bundled host package set.
    #[arg(long)]
    pub nixpkgs: Option<PathBuf>,
    /// Only build; do not attempt repairs.
    #[arg(long)]
    pub no_repair: bool,
}

pub fn run(_args: BuildArgs, _printer: &Printer) -> Result<()> {
    Err(super::not_yet_implemented("build"))
}

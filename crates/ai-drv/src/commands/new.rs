//! `ai-drv new`: package a source into a verified derivation.

use std::path::PathBuf;

use clap::Args;

use crate::error::Result;
use crate::printer::Printer;

/// Package something: resolve the source, draft a derivation, build it, repair it until it builds,
/// and check that the result works.
///
/// SOURCE is a source archive URL (`https://…/foo-1.0.tar.gz`, `mirror://debian/…`), a forge URL,
/// a registry reference (`crate:NAME[@VERSION]`, `pypi:NAME[@VERSION]`, `npm:NAME[@VERSION]`,
/// `debian:NAME[@VERSION]`) or a request in plain words ("Generate a derivation for building `sl`").
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to package.
    pub source: String,
    /// Where to write the derivation (default: `<pname>.nix` in the current directory).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Build against this nixpkgs instead of the bundled host package set.
    #[arg(long)]
    pub nixpkgs: Option<PathBuf>,
    /// Which engine drafts and repairs: the deterministic rules, an LLM, or rules first (default).
    #[arg(long, default_value = "auto", value_parser = ["builtin", "llm", "auto"])]
    pub engine: String,
    /// Give up after this many build attempts.
    #[arg(long, default_value_t = 10)]
    pub max_attempts: u32,
}

pub fn run(_args: NewArgs, _printer: &Printer) -> Result<()> {
    Err(super::not_yet_implemented("new"))
}

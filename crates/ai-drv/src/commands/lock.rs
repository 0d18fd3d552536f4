//! `ai-drv lock`: pin the prompts of `mkAIDerivation` calls.

use std::path::PathBuf;

use clap::Args;

use crate::error::Result;
use crate::printer::Printer;

/// Find `mkAIDerivation` prompts in Nix files and write a lock file mapping each prompt to the hash
/// of its verified derivation, so evaluation stays pure.
#[derive(Debug, Args)]
pub struct LockArgs {
    /// Nix files to scan (default: `*.nix` under the current directory).
    pub files: Vec<PathBuf>,
    /// The ai-drv server to ask.
    #[arg(long, default_value = "http://127.0.0.1:5000")]
    pub server: String,
    /// Run the engine here instead of asking a server.
    #[arg(long)]
    pub local: bool,
}

pub fn run(_args: LockArgs, _printer: &Printer) -> Result<()> {
    Err(super::not_yet_implemented("lock"))
}

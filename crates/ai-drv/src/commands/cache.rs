//! `ai-drv cache`: the store of requests, jobs and verified derivations.

use clap::{Args, Subcommand};

use crate::error::Result;
use crate::printer::Printer;

/// Inspect and manage ai-drv's store of verified derivations.
#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub action: CacheAction,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// List stored derivations.
    List,
    /// Show one stored derivation and its build record.
    Show { hash: String },
    /// Remove a stored derivation.
    Rm { hash: String },
    /// Export stored derivations as files.
    Export { dir: std::path::PathBuf },
}

pub fn run(_args: CacheArgs, _printer: &Printer) -> Result<()> {
    Err(super::not_yet_implemented("cache"))
}

//! `ai-drv bench`: run a benchmark corpus.

use std::path::PathBuf;

use clap::Args;

use crate::error::Result;
use crate::printer::Printer;

/// Run the engine on every package of a benchmark corpus (e.g. `bench/dev.toml`) and check each
/// result against the corpus's ground truth.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The corpus file.
    pub corpus: PathBuf,
    /// Only the packages whose names match.
    #[arg(long)]
    pub only: Vec<String>,
    /// Write the results (JSON) here.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(_args: BenchArgs, _printer: &Printer) -> Result<()> {
    Err(super::not_yet_implemented("bench"))
}

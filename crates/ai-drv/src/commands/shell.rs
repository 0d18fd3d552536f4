//! `ai-drv shell`: a shell with a verified package.

use clap::Args;

use crate::error::Result;
use crate::printer::Printer;

/// Package a request (as `ai-drv new` does) and open a shell with the result on PATH.
#[derive(Debug, Args)]
pub struct ShellArgs {
    /// What to package (same forms as `ai-drv new`).
    pub source: String,
}

pub fn run(_args: ShellArgs, _printer: &Printer) -> Result<()> {
    Err(super::not_yet_implemented("shell"))
}

//! One module per subcommand: its arguments (whose doc comments are the `--help` text) and its
//! `run` function.

pub mod bench;
pub mod build;
pub mod cache;
pub mod doctor;
pub mod freeze;
pub mod hash;
pub mod hostpkgs;
pub mod lock;
pub mod new;
pub mod prefetch;
pub mod serve;
pub mod shell;

use crate::cli::{Cli, Command};
use crate::error::{CliError, Result};
use crate::printer::Printer;

pub fn run(cli: Cli, printer: &Printer) -> Result<()> {
    match cli.command {
        Command::New(args) => new::run(args, printer),
        Command::Build(args) => build::run(args, printer),
        Command::Serve(args) => serve::run(args, printer),
        Command::Lock(args) => lock::run(args, printer),
        Command::Freeze(args) => freeze::run(args, printer),
        Command::Bench(args) => bench::run(args, printer),
        Command::Cache(args) => cache::run(args, printer),
        Command::Shell(args) => shell::run(args, printer),
        Command::Doctor(args) => doctor::run(args, printer),
        Command::Hash(args) => hash::run(args, printer),
        Command::Prefetch(args) => prefetch::run(args, printer),
        Command::Hostpkgs(args) => hostpkgs::run(args, printer),
    }
}

/// The error of a command whose implementation has not landed yet: it says so and exits 2,
/// rather than pretending to work.
pub fn not_yet_implemented(command: &str) -> CliError {
    CliError::usage(format!("`ai-drv {command}` is not yet implemented"))
        .hint("`ai-drv hash`, `ai-drv prefetch` and `ai-drv doctor` work today")
}

/// A tokio runtime for the commands that do network I/O.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::usage(format!("cannot start the async runtime: {e}")))
}

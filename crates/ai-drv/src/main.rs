//! `ai-drv`: turn a request into a Nix derivation that has already been built, run and checked.
//!
//! This binary is the thin front of the library crates: it parses the command line, sets up output
//! and logging, runs one command, and turns its outcome into an exit code (0 ok, 1 failed, 2 usage
//! or environment error).

mod cli;
mod commands;
mod engine_setup;
mod error;
mod files;
mod jobs;
mod lockfile;
mod packaging;
mod printer;
mod redact;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::printer::Printer;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let printer = Printer::new(cli.global.json, cli.global.verbosity());
    init_tracing(cli.global.verbosity());
    match commands::run(cli, &printer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            printer.error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

fn init_tracing(verbosity: i8) {
    let default = match verbosity {
        i8::MIN..=-1 => "error",
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("AI_DRV_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let secrets = redact::Secrets::from_env();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(move || redact::Writer::new(std::io::stderr(), secrets.clone()))
        .with_ansi(std::env::var_os("NO_COLOR").is_none())
        .without_time()
        .with_target(false)
        .try_init();
}

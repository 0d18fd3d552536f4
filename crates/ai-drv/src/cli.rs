//! The command line: global flags and the subcommands. Each subcommand's arguments and `--help`
//! text live with its implementation in `commands/`.

use clap::{Args, Parser, Subcommand};

use crate::commands;

/// Turn a request — plain words, a source URL or a registry name — into a Nix derivation that has
/// already been built, run and checked.
#[derive(Debug, Parser)]
#[command(name = "ai-drv", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print machine-readable JSON on stdout (messages for people still go to stderr).
    #[arg(long, global = true)]
    pub json: bool,
    /// More output on stderr (-v, -vv, -vvv).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Less output on stderr: only errors.
    #[arg(short, long, action = clap::ArgAction::Count, global = true, conflicts_with = "verbose")]
    pub quiet: u8,
}

impl GlobalArgs {
    pub fn verbosity(&self) -> i8 {
        (self.verbose.min(3) as i8) - (self.quiet.min(1) as i8)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    New(commands::new::NewArgs),
    Build(commands::build::BuildArgs),
    Serve(commands::serve::ServeArgs),
    Lock(commands::lock::LockArgs),
    Freeze(commands::freeze::FreezeArgs),
    Bench(commands::bench::BenchArgs),
    Cache(commands::cache::CacheArgs),
    Shell(commands::shell::ShellArgs),
    Doctor(commands::doctor::DoctorArgs),
    Hash(commands::hash::HashArgs),
    Prefetch(commands::prefetch::PrefetchArgs),
    Hostpkgs(commands::hostpkgs::HostpkgsArgs),
}

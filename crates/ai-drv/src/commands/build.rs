//! `ai-drv build`: build an existing derivation file against the package set.

use std::path::PathBuf;

use ai_drv_config::Config;
use ai_drv_hostpkgs::package_set::PackageSet;
use ai_drv_nix::{Nix, NixError, Target};
use clap::Args;
use serde_json::json;

use crate::error::{CliError, Result};
use crate::printer::Printer;

/// Build a callPackage-style derivation file against the package set (your nixpkgs when given,
/// else hostpkgs in a sandbox) and print its out path. Repairs and checks come with the packaging
/// engine; today this builds exactly what the file says.
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

pub fn run(args: BuildArgs, printer: &Printer) -> Result<()> {
    if !args.file.is_file() {
        return Err(CliError::usage(format!(
            "{} does not exist or is not a file",
            args.file.display()
        ))
        .hint("give the path of a callPackage-style .nix file"));
    }
    let config = Config::load().map_err(|e| CliError::usage(e.to_string()))?;
    let flag = args.nixpkgs.as_ref().map(|p| p.display().to_string());
    let set = PackageSet::select(&config, flag.as_deref());
    if let Some(problem) = set.problem() {
        return Err(CliError::failed(problem));
    }
    let nix = Nix::detect().map_err(|e| CliError::failed(e.to_string()))?;
    printer.status(&format!(
        "building {} with {}",
        args.file.display(),
        set.describe()
    ));
    let expr = set.call_package_expr(&args.file, "{ }");
    let built = nix
        .build(&Target::expr(expr), &set.build_options(), None)
        .map_err(|e| match &e {
            NixError::Failed { log, .. } => CliError::failed(e.to_string()).hint(format!(
                "the last lines of the log:\n{}",
                log.last(15).join("\n")
            )),
            _ => CliError::failed(e.to_string()),
        })?;
    let out = built.out_paths.first().cloned().unwrap_or_default();
    printer.data(
        &out,
        &json!({ "out_path": out, "seconds": built.duration.as_secs_f64() }),
    );
    Ok(())
}

//! `ai-drv hash`: hashes exactly as Nix computes them, without Nix.

use std::path::{Path, PathBuf};

use ai_drv_hash::{Algorithm, Format, Hash};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::error::{CliError, Result};
use crate::printer::Printer;

/// Compute or convert hashes the way Nix does (same results as `nix hash file|path`).
#[derive(Debug, Args)]
pub struct HashArgs {
    #[command(subcommand)]
    pub action: HashAction,
}

#[derive(Debug, Subcommand)]
pub enum HashAction {
    /// Flat hash of a file's contents (what `fetchurl` checks).
    File(HashPathArgs),
    /// NAR hash of a file, directory or symlink (what `fetchzip` and recursive outputs check).
    Path(HashPathArgs),
    /// Convert a hash between SRI, nix32, base16 and base64.
    Convert(ConvertArgs),
}

#[derive(Debug, Args)]
pub struct HashPathArgs {
    /// The file or directory.
    pub path: PathBuf,
    /// Output format.
    #[arg(long, default_value = "sri", value_parser = parse_format)]
    pub format: Format,
    /// Hash algorithm.
    #[arg(long = "type", default_value = "sha256", value_parser = parse_algorithm)]
    pub algorithm: Algorithm,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The hash, in any form Nix accepts (`sha256-…`, `sha256:…`, or bare with --type).
    pub hash: String,
    /// Output format.
    #[arg(long, default_value = "sri", value_parser = parse_format)]
    pub to: Format,
    /// Algorithm of a bare hash.
    #[arg(long = "type", value_parser = parse_algorithm)]
    pub algorithm: Option<Algorithm>,
}

fn parse_format(s: &str) -> std::result::Result<Format, String> {
    s.parse()
}

fn parse_algorithm(s: &str) -> std::result::Result<Algorithm, String> {
    s.parse()
}

pub fn run(args: HashArgs, printer: &Printer) -> Result<()> {
    let (hash, format, path) = match args.action {
        HashAction::File(a) => {
            require_exists(&a.path)?;
            if a.path.is_dir() {
                return Err(CliError::usage(format!(
                    "{}: is a directory; use `ai-drv hash path` for a NAR hash",
                    a.path.display()
                )));
            }
            let h = ai_drv_hash::hash_file(a.algorithm, &a.path)
                .map_err(|e| CliError::usage(e.to_string()))?;
            (h, a.format, Some(a.path))
        }
        HashAction::Path(a) => {
            require_exists(&a.path)?;
            let h = ai_drv_hash::hash_path(a.algorithm, &a.path)
                .map_err(|e| CliError::usage(e.to_string()))?;
            (h, a.format, Some(a.path))
        }
        HashAction::Convert(a) => {
            let h = Hash::parse(&a.hash, a.algorithm).map_err(CliError::usage)?;
            (h, a.to, None)
        }
    };
    let text = hash.format(format);
    printer.data(
        &text,
        &json!({
            "hash": text,
            "sri": hash.to_sri(),
            "algorithm": hash.algorithm(),
            "format": format,
            "path": path,
        }),
    );
    Ok(())
}

fn require_exists(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(()),
        Err(e) => Err(CliError::usage(format!("{}: {e}", path.display()))),
    }
}

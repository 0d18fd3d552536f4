//! `ai-drv build`: build an existing derivation file, repair it until it works, write it back.

use std::path::{Path, PathBuf};
use std::time::Instant;

use ai_drv_engine::assist::{Assistant, Facts};
use ai_drv_engine::{CheckPlan, Kind, Start, Status};
use ai_drv_syntax::Document;
use clap::Args;
use serde_json::json;

use crate::engine_setup::{self, ModelArgs, Progress, Summary};
use crate::error::{CliError, Result};
use crate::printer::Printer;

/// Build a callPackage-style derivation file against the package set (your nixpkgs when given,
/// else hostpkgs in a sandbox), repair what fails with the deterministic fixers, check that the
/// result works, and write the repaired file back.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The derivation file (`{ lib, stdenv, … }: stdenv.mkDerivation …`).
    pub file: PathBuf,
    /// Build against this nixpkgs instead of the bundled host package set.
    #[arg(long)]
    pub nixpkgs: Option<PathBuf>,
    /// Only build and report the diagnosis; do not attempt repairs.
    #[arg(long)]
    pub no_repair: bool,
    /// Repair, but only show the changes as a diff; leave the file as it is.
    #[arg(long)]
    pub dry_run: bool,
    /// Give up after this many build attempts.
    #[arg(long, default_value_t = 8)]
    pub max_attempts: u32,
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(args: BuildArgs, printer: &Printer) -> Result<()> {
    let start = Instant::now();
    if !args.file.is_file() {
        return Err(CliError::usage(format!(
            "{} does not exist or is not a file",
            args.file.display()
        ))
        .hint("give the path of a callPackage-style .nix file"));
    }
    let original = fs_err::read_to_string(&args.file)
        .map_err(|e| CliError::usage(format!("cannot read it: {e}")))?;
    let attempts = if args.no_repair { 1 } else { args.max_attempts };
    let (config, engine) = engine_setup::engine(args.nixpkgs.as_deref(), attempts)?;
    // With --no-repair nothing is repaired, so no model is needed either.
    let setup = if args.no_repair {
        None
    } else {
        engine_setup::model(&config, &args.model)?
    };
    printer.status(&format!(
        "building {} with {}",
        args.file.display(),
        engine.package_set().describe()
    ));
    let plan = plan_from(&original);
    let dir = args
        .file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let progress = Progress::new(printer, "ai-drv build");
    let report = match setup {
        None => engine.run(&original, &dir, None, &plan, &progress),
        Some(setup) => {
            let facts = Facts::from_file(&args.file, None, &engine.package_set().describe());
            let mut assistant = Assistant::new(setup.model, facts, setup.budget);
            engine.run_assisted(
                Start::Text(&original),
                &dir,
                None,
                &plan,
                &progress,
                &mut assistant,
            )
        }
    };
    progress.finish();
    let repaired = report.best_text().unwrap_or(&original).to_string();
    let changed = repaired != original;
    if changed && !args.no_repair {
        if args.dry_run {
            let diff = similar::TextDiff::from_lines(&original, &repaired);
            let text = diff
                .unified_diff()
                .header(
                    &args.file.display().to_string(),
                    &format!("{} (repaired)", args.file.display()),
                )
                .to_string();
            if !printer.json() {
                print!("{text}");
            }
        } else {
            engine_setup::write_atomically(&args.file, &repaired)?;
            printer.status(&format!(
                "wrote the repaired derivation to {}",
                args.file.display()
            ));
        }
    }
    if let Some(out) = report.out_paths().first() {
        if !args.dry_run {
            engine_setup::result_link(&dir.join("result"), out)?;
        }
    }
    let doc = Document::parse(&repaired).ok();
    let pname = doc.as_ref().and_then(|d| d.get_string("pname"));
    let version = doc.as_ref().and_then(|d| d.get_string("version"));
    let summary = Summary {
        report: &report,
        file: Some(&args.file),
        pname: pname.as_deref(),
        version: version.as_deref(),
        source_url: doc.as_ref().and_then(|d| d.get_string("src.url")),
        source_hash: None,
        fetch: std::time::Duration::ZERO,
        analyse: std::time::Duration::ZERO,
        total: start.elapsed(),
        extra: json!({ "changed": changed, "written": changed && !args.dry_run && !args.no_repair }),
    };
    let line = report
        .out_paths()
        .first()
        .cloned()
        .unwrap_or_else(|| format!("{} (failed)", args.file.display()));
    engine_setup::print_summary(printer, &summary, &line);
    match report.status {
        Status::Success => Ok(()),
        Status::Failed => Err(CliError::failed(format!(
            "{} does not work yet: {}",
            args.file.display(),
            report
                .diagnosis
                .as_deref()
                .unwrap_or("see the attempts above")
        ))),
    }
}

/// What to check, from the file itself: its main program, else its pname.
fn plan_from(text: &str) -> CheckPlan {
    let doc = Document::parse(text).ok();
    CheckPlan {
        kind: Kind::Unknown,
        main_program: doc.as_ref().and_then(|d| d.get_string("meta.mainProgram")),
        pname: doc.as_ref().and_then(|d| d.get_string("pname")),
    }
}

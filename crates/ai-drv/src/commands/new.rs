//! `ai-drv new`: package a source into a verified derivation.

use std::path::PathBuf;
use std::time::Instant;

use ai_drv_engine::pipeline::{self, PipelineError};
use ai_drv_engine::Status;
use clap::Args;
use serde_json::json;

use crate::engine_setup::{self, Progress, Summary};
use crate::error::{CliError, Result};
use crate::printer::Printer;

/// Package something: resolve the source, draft a derivation, build it, repair it until it builds,
/// and check that the result works.
///
/// SOURCE is a source archive URL (`https://…/foo-1.0.tar.gz`, `mirror://debian/…`), a forge URL,
/// a registry reference (`crate:NAME[@VERSION]`, `pypi:NAME[@VERSION]`, `npm:NAME[@VERSION]`,
/// `debian:NAME[@VERSION]`) or a request in plain words ("Generate a derivation for building `sl`").
#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to package.
    pub source: String,
    /// Where to write the derivation (default: `<pname>/package.nix`); `result` goes next to it.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Build against this nixpkgs instead of the bundled host package set.
    #[arg(long)]
    pub nixpkgs: Option<PathBuf>,
    /// Which engine drafts and repairs: the deterministic rules, an LLM, or rules first (default).
    #[arg(long, default_value = "auto", value_parser = ["builtin", "llm", "auto"])]
    pub engine: String,
    /// Give up after this many build attempts.
    #[arg(long, default_value_t = 8)]
    pub max_attempts: u32,
}

pub fn run(args: NewArgs, printer: &Printer) -> Result<()> {
    if args.engine == "llm" {
        return Err(CliError::usage("no LLM provider is configured")
            .hint("use --engine builtin (the default engine needs no model)"));
    }
    let start = Instant::now();
    let (config, engine) = engine_setup::engine(args.nixpkgs.as_deref(), args.max_attempts)?;
    let progress = Progress::new(printer, "ai-drv new");
    progress.stage("resolving the source");
    let rt = super::runtime()?;
    let drafted = rt
        .block_on(pipeline::draft(&config, &args.source, engine.index()))
        .map_err(|e| {
            progress.finish();
            match &e {
                PipelineError::Request(_) => CliError::usage(e.to_string()),
                _ => CliError::failed(e.to_string()),
            }
        })?;
    let source = &drafted.source;
    printer.status(&format!("source: {}", source.chosen));
    if !source.alternatives.is_empty() {
        printer.status(&format!("  also found: {}", source.alternatives.join(", ")));
    }
    printer.status(&format!(
        "analysis: {:?}; inputs: [{}] native: [{}]",
        drafted.analysis.build_system,
        drafted.analysis.build_inputs.join(" "),
        drafted.analysis.native_build_inputs.join(" ")
    ));
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| engine_setup::default_output(&source.pname));
    let work = tempfile::Builder::new()
        .prefix("ai-drv-new-")
        .tempdir()
        .map_err(|e| CliError::failed(format!("cannot make a work directory: {e}")))?;
    let report = pipeline::build_draft(&engine, &drafted, work.path(), &progress);
    progress.finish();
    let text = report.best_text().unwrap_or(&drafted.text).to_string();
    engine_setup::write_atomically(&output, &text)?;
    if let Some(out) = report.out_paths().first() {
        let link = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .join("result");
        engine_setup::result_link(&link, out)?;
    }
    let summary = Summary {
        report: &report,
        file: Some(&output),
        pname: Some(&source.pname),
        version: Some(&source.version),
        source_url: Some(source.fetch.url()),
        source_hash: Some(&source.hash),
        fetch: drafted.timings.fetch,
        analyse: drafted.timings.analyse,
        total: start.elapsed(),
        extra: json!({
            "request": args.source,
            "chosen": source.chosen,
            "alternatives": source.alternatives,
            "analysis": drafted.analysis,
        }),
    };
    let line = match report.status {
        Status::Success => format!("{} ({} attempts)", output.display(), report.attempts.len()),
        Status::Failed => format!("{} (failed)", output.display()),
    };
    engine_setup::print_summary(printer, &summary, &line);
    match report.status {
        Status::Success => Ok(()),
        Status::Failed => Err(CliError::failed(format!(
            "{} does not work yet: {}",
            source.pname,
            report
                .diagnosis
                .as_deref()
                .unwrap_or("see the attempts above")
        ))
        .hint(format!(
            "the best attempt is in {}; fix it and run `ai-drv build {}`",
            output.display(),
            output.display()
        ))),
    }
}

//! `ai-drv new`: package a source into a verified derivation.

use std::path::PathBuf;
use std::time::Instant;

use ai_drv_engine::Status;
use clap::Args;
use serde_json::json;

use crate::engine_setup::{self, ModelArgs, Progress, Summary};
use crate::error::{CliError, Result};
use crate::packaging;
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
    #[command(flatten)]
    pub model: ModelArgs,
    /// Give up after this many build attempts.
    #[arg(long, default_value_t = 8)]
    pub max_attempts: u32,
}

pub fn run(args: NewArgs, printer: &Printer) -> Result<()> {
    let start = Instant::now();
    let (config, engine) = engine_setup::engine(args.nixpkgs.as_deref(), args.max_attempts)?;
    let setup = engine_setup::model(&config, &args.model)?;
    let progress = Progress::new(printer, "ai-drv new");
    progress.stage("resolving the source");
    let rt = super::runtime()?;
    let work = tempfile::Builder::new()
        .prefix("ai-drv-new-")
        .tempdir()
        .map_err(|e| CliError::failed(format!("cannot make a work directory: {e}")))?;
    let warn = |line: &str| printer.warn(line);
    let (prepared, report) = packaging::package(
        rt.handle(),
        &config,
        &engine,
        &args.source,
        setup.as_ref(),
        work.path(),
        &progress,
        &warn,
    )
    .inspect_err(|_| progress.finish())?;
    if let Some(source) = &prepared.source {
        printer.status(&format!("source: {}", source.chosen));
        if !source.alternatives.is_empty() {
            printer.status(&format!("  also found: {}", source.alternatives.join(", ")));
        }
    }
    if let Some(analysis) = &prepared.analysis {
        printer.status(&format!(
            "analysis: {:?}; inputs: [{}] native: [{}]",
            analysis.build_system,
            analysis.build_inputs.join(" "),
            analysis.native_build_inputs.join(" ")
        ));
    }
    progress.finish();
    let Some(text) = report.best_text().map(str::to_string) else {
        return Err(CliError::failed(report.stopped.clone())
            .hint("nothing was written; try another model, or --engine builtin"));
    };
    let doc = ai_drv_syntax::Document::parse(&text).ok();
    let pname = prepared
        .source
        .as_ref()
        .map(|s| s.pname.clone())
        .or_else(|| doc.as_ref().and_then(|d| d.get_string("pname")))
        .unwrap_or_else(|| "package".into());
    let version = prepared
        .source
        .as_ref()
        .map(|s| s.version.clone())
        .or_else(|| doc.as_ref().and_then(|d| d.get_string("version")));
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| engine_setup::default_output(&pname));
    engine_setup::write_atomically(&output, &text)?;
    if let Some(out) = report.out_paths().first() {
        let link = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."))
            .join("result");
        engine_setup::result_link(&link, out)?;
    }
    let source = prepared.source.as_ref();
    let summary = Summary {
        report: &report,
        file: Some(&output),
        pname: Some(&pname),
        version: version.as_deref(),
        source_url: source.map(|s| s.fetch.url()),
        source_hash: source.map(|s| s.hash.as_str()),
        fetch: prepared.timings.fetch,
        analyse: prepared.timings.analyse,
        total: start.elapsed(),
        extra: json!({
            "request": args.source,
            "engine": args.model.engine,
            "chosen": source.map(|s| &s.chosen),
            "alternatives": source.map(|s| &s.alternatives),
            "analysis": prepared.analysis,
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
            "{pname} does not work yet: {}",
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

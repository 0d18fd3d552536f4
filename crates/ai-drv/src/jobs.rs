//! The server's jobs (and `ai-drv lock --local`'s): one request through the packaging engine,
//! turned into the records the store keeps. This is where `ai-drv-serve`'s `Generator` meets the
//! engine; the server itself knows nothing about Nix.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use ai_drv_config::Config;
use ai_drv_engine::{Attempt, Engine, Event, Observer, Report, Status};
use ai_drv_store::{AttemptRecord, Finished, NewDerivation, Store};
use serde_json::{json, Value};

use crate::engine_setup::{ModelSetup, Summary};
use crate::error::{CliError, Result};
use crate::packaging;

/// Runs each job with the packaging engine (and the model, when one is set up).
pub struct EngineGenerator {
    config: Config,
    engine: Engine,
    setup: Option<ModelSetup>,
    handle: tokio::runtime::Handle,
    engine_name: &'static str,
}

impl EngineGenerator {
    /// `handle` runs the engine's network stages; it must belong to a multi-threaded runtime
    /// that outlives the generator.
    pub fn new(
        config: Config,
        engine: Engine,
        setup: Option<ModelSetup>,
        handle: tokio::runtime::Handle,
    ) -> EngineGenerator {
        let engine_name = if setup.is_some() { "llm" } else { "builtin" };
        EngineGenerator {
            config,
            engine,
            setup,
            handle,
            engine_name,
        }
    }

    /// Runs one request to its end. Attempts are built in a temporary directory that is removed
    /// afterwards: the store keeps the text, and the built path stays in the Nix store.
    pub fn run(&self, request: &str, progress: &dyn Fn(&AttemptRecord)) -> Finished {
        let start = Instant::now();
        let work = match tempfile::Builder::new().prefix("ai-drv-job-").tempdir() {
            Ok(work) => work,
            Err(e) => return failed(format!("cannot make a work directory: {e}")),
        };
        let observer = JobObserver { progress };
        let warn = |line: &str| tracing::warn!("{line}");
        let packaged = packaging::package(
            &self.handle,
            &self.config,
            &self.engine,
            request,
            self.setup.as_ref(),
            work.path(),
            &observer,
            &warn,
        );
        let (prepared, report) = match packaged {
            Ok(done) => done,
            Err(e) => return failed(one_line(&e)),
        };
        let attempts: Vec<AttemptRecord> = report.attempts.iter().map(record).collect();
        let doc = report
            .best_text()
            .and_then(|t| ai_drv_syntax::Document::parse(t).ok());
        let pname = prepared
            .source
            .as_ref()
            .map(|s| s.pname.clone())
            .or_else(|| doc.as_ref().and_then(|d| d.get_string("pname")));
        let version = prepared
            .source
            .as_ref()
            .map(|s| s.version.clone())
            .or_else(|| doc.as_ref().and_then(|d| d.get_string("version")));
        let source = prepared.source.as_ref();
        let summary = Summary {
            report: &report,
            file: None,
            pname: pname.as_deref(),
            version: version.as_deref(),
            source_url: source.map(|s| s.fetch.url()),
            source_hash: source.map(|s| s.hash.as_str()),
            fetch: prepared.timings.fetch,
            analyse: prepared.timings.analyse,
            total: start.elapsed(),
            extra: json!({
                "request": request,
                "engine": self.engine_name,
                "chosen": source.map(|s| &s.chosen),
                "analysis": prepared.analysis,
            }),
        };
        let report_json = summary.json();
        match (report.status, report.best_text()) {
            (Status::Success, Some(text)) => Finished::Succeeded {
                derivation: NewDerivation {
                    text: text.to_string(),
                    pname,
                    version,
                    out_path: report.out_paths().first().cloned(),
                    check: check_json(&report),
                },
                attempts,
                report: report_json,
            },
            _ => Finished::Failed {
                error: format!(
                    "{} does not work yet: {}",
                    pname.as_deref().unwrap_or("the package"),
                    report.diagnosis.as_deref().unwrap_or(&report.stopped)
                ),
                attempts,
                report: report_json,
            },
        }
    }
}

impl ai_drv_serve::Generator for EngineGenerator {
    fn generate(&self, request: &str, progress: &dyn Fn(&AttemptRecord)) -> Finished {
        self.run(request, progress)
    }
}

/// Opens the store: `--store`, else `[server] store` in the configuration, else
/// `$XDG_DATA_HOME/ai-drv/store.sqlite`.
pub fn open_store(flag: Option<&std::path::Path>) -> Result<Arc<Store>> {
    let path = match flag {
        Some(path) => path.to_path_buf(),
        None => default_store_path()?,
    };
    let store = Store::open(&path).map_err(|e| {
        CliError::usage(e.to_string()).hint("pass --store PATH to use another store file")
    })?;
    Ok(Arc::new(store))
}

/// `$XDG_DATA_HOME/ai-drv/store.sqlite` (`~/.local/share/…` when XDG_DATA_HOME is unset).
pub fn default_store_path() -> Result<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::data_dir)
        .ok_or_else(|| {
            CliError::usage(
                "cannot find a data directory for the store; set XDG_DATA_HOME or pass --store",
            )
        })?;
    Ok(ai_drv_store::default_path(&data))
}

/// Passes each finished attempt on as the store's record of it.
struct JobObserver<'a> {
    progress: &'a dyn Fn(&AttemptRecord),
}

impl Observer for JobObserver<'_> {
    fn event(&self, event: Event<'_>) {
        if let Event::Attempted(attempt) = event {
            (self.progress)(&record(attempt));
        }
    }
}

fn record(attempt: &Attempt) -> AttemptRecord {
    let outcome = serde_json::to_value(attempt.outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{:?}", attempt.outcome));
    AttemptRecord {
        number: attempt.number,
        outcome,
        diagnosis: attempt
            .diagnoses
            .first()
            .map(|d| d.to_string())
            .or_else(|| attempt.violations.first().map(|v| v.to_string())),
        fixes: attempt.fix.iter().cloned().collect(),
        duration_ms: (attempt.build_time + attempt.check_time).as_millis() as u64,
    }
}

fn check_json(report: &Report) -> Value {
    report.check().map_or(Value::Null, |c| {
        json!({ "passed": c.passed, "command": c.command, "output": c.output, "failures": c.failures })
    })
}

fn failed(error: String) -> Finished {
    Finished::Failed {
        error,
        attempts: Vec::new(),
        report: Value::Null,
    }
}

/// A CLI error as one line (its hint after a semicolon).
fn one_line(e: &CliError) -> String {
    e.to_string().lines().collect::<Vec<_>>().join("; ")
}

//! What `new`, `build` and `bench` share: setting up the engine (Nix, package set, resolver
//! index), a progress display, writing the result, and the JSON result object.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ai_drv_config::Config;
use ai_drv_engine::{Engine, EngineOptions, Event, Observer, Report, Status};
use ai_drv_hostpkgs::package_set::PackageSet;
use ai_drv_hostpkgs::resolver::Index;
use ai_drv_nix::Nix;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};

use crate::error::{CliError, Result};
use crate::printer::Printer;

/// Loads the configuration and sets up the engine, or says what is missing.
pub fn engine(nixpkgs: Option<&Path>, max_attempts: u32) -> Result<(Config, Engine)> {
    let config = Config::load()?;
    let flag = nixpkgs.map(|p| p.display().to_string());
    let set = PackageSet::select(&config, flag.as_deref());
    if let Some(problem) = set.problem() {
        return Err(CliError::usage(problem).hint("`ai-drv doctor` checks the setup"));
    }
    let nix = Nix::detect().map_err(|e| CliError::usage(e.to_string()))?;
    let index = Index::bundled().map_err(|e| {
        CliError::usage(format!("cannot read the resolver index: {e}"))
            .hint("set AI_DRV_NIX_DIR to the nix/ directory of ai-drv")
    })?;
    if max_attempts == 0 {
        return Err(CliError::usage("--max-attempts must be at least 1"));
    }
    let options = EngineOptions {
        max_attempts,
        ..EngineOptions::default()
    };
    Ok((config, Engine::new(nix, set, index, options)))
}

/// A spinner on stderr showing the stage and the attempt (only on a terminal).
pub struct Progress {
    bar: Option<ProgressBar>,
    name: String,
}

impl Progress {
    pub fn new(printer: &Printer, name: &str) -> Progress {
        let bar = printer.progress_allowed().then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix:.bold} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(name.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            name: name.to_string(),
        }
    }

    pub fn stage(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_string()),
            None => tracing::info!("{}: {message}", self.name),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn event(&self, event: Event<'_>) {
        match event {
            Event::Attempt { number, max } => {
                self.stage(&format!("attempt {number}/{max}: building"))
            }
            Event::LogLine(line) => {
                if let Some(bar) = &self.bar {
                    let line: String = line.chars().take(100).collect();
                    bar.set_message(line);
                }
            }
            Event::Checking => self.stage("checking the result"),
            Event::Fix { summary } => {
                if let Some(bar) = &self.bar {
                    bar.println(format!("  fix: {summary}"));
                } else {
                    tracing::info!("fix: {summary}");
                }
            }
            Event::Model { step } => self.stage(&format!("asking the model for a {step}")),
            Event::Done { .. } | Event::Attempted(_) => {}
        }
    }
}

/// Writes `text` to `path` atomically (a temporary file in the same directory, then a rename),
/// creating the directory first.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs_err::create_dir_all(dir).map_err(|e| CliError::failed(e.to_string()))?;
    crate::files::write_atomically(path, text.as_bytes())
        .map_err(|e| CliError::failed(format!("cannot write {}: {e}", path.display())))
}

/// Points `link` at `out` as a Nix garbage-collector root, as `nix-build` does with `./result`.
pub fn result_link(link: &Path, out: &str) -> Result<()> {
    let _ = fs_err::remove_file(link);
    let status = std::process::Command::new("nix-store")
        .arg("--add-root")
        .arg(link)
        .arg("--indirect")
        .arg("--realise")
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        _ => std::os::unix::fs::symlink(out, link)
            .map_err(|e| CliError::failed(format!("cannot link {}: {e}", link.display()))),
    }
}

/// The JSON object `new` and `build` print with --json.
pub struct Summary<'a> {
    pub report: &'a Report,
    pub file: Option<&'a Path>,
    pub pname: Option<&'a str>,
    pub version: Option<&'a str>,
    pub source_url: Option<String>,
    pub source_hash: Option<&'a str>,
    pub fetch: Duration,
    pub analyse: Duration,
    pub total: Duration,
    pub extra: Value,
}

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0).round() / 1000.0
}

impl Summary<'_> {
    pub fn json(&self) -> Value {
        let r = self.report;
        let check = r.check().map(|c| {
            json!({ "passed": c.passed, "command": c.command, "output": c.output, "failures": c.failures })
        });
        let build = r.timings.build + r.timings.check_builds;
        let check_time = r.timings.check.saturating_sub(r.timings.check_builds);
        let overhead = self
            .total
            .saturating_sub(self.fetch)
            .saturating_sub(build)
            .saturating_sub(check_time);
        let history: Vec<Value> = r
            .attempts
            .iter()
            .map(|a| {
                json!({
                    "number": a.number,
                    "outcome": a.outcome,
                    "problems": a.problems,
                    "diagnoses": a.diagnoses,
                    "fix": a.fix,
                    "check": a.check.as_ref().map(|c| json!({ "passed": c.passed, "command": c.command, "failures": c.failures })),
                    "build_time": secs(a.build_time),
                    "check_time": secs(a.check_time),
                    "text": a.text,
                    "log_excerpt": a.log_excerpt,
                    "violations": a.violations,
                })
            })
            .collect();
        let mut value = json!({
            "status": match r.status { Status::Success => "success", Status::Failed => "failed" },
            "file": self.file.map(|f| f.display().to_string()),
            "out_paths": r.out_paths(),
            "attempts": r.attempts.len(),
            "check": check,
            "package": { "pname": self.pname, "version": self.version },
            "source": { "url": self.source_url, "hash": self.source_hash },
            "diagnosis": r.diagnosis,
            "advice": r.advice,
            "stopped": r.stopped,
            "timings": {
                "fetch": secs(self.fetch),
                "analyse": secs(self.analyse),
                "build": secs(build),
                "check": secs(check_time),
                "overhead": secs(overhead),
                "total": secs(self.total),
            },
            "history": history,
        });
        if let (Some(obj), Some(model)) = (value.as_object_mut(), &r.model) {
            obj.insert("model".into(), json!(model));
        }
        if let (Some(obj), Value::Object(extra)) = (value.as_object_mut(), &self.extra) {
            for (k, v) in extra {
                obj.insert(k.clone(), v.clone());
            }
        }
        value
    }
}

/// The human summary lines printed at the end (stderr), and the one data line (stdout).
pub fn print_summary(printer: &Printer, summary: &Summary, data_line: &str) {
    let r = summary.report;
    for a in &r.attempts {
        let what = a
            .problems
            .first()
            .map(|p| format!("{p:?}"))
            .or_else(|| ai_drv_diagnose::primary(&a.diagnoses).map(|d| d.to_string()))
            .unwrap_or_default();
        printer.status(&format!(
            "  attempt {}: {:?} {}{}",
            a.number,
            a.outcome,
            what,
            a.fix
                .as_ref()
                .map(|f| format!(" → {f}"))
                .unwrap_or_default()
        ));
    }
    if let Some(m) = &r.model {
        printer.status(&format!(
            "model: {}, {} calls, {} tokens in, {} out, {}",
            m.model,
            m.calls.len(),
            m.input_tokens,
            m.output_tokens,
            m.cost_usd
                .map(|c| format!("about ${c:.4}"))
                .unwrap_or_else(|| "cost unknown".into())
        ));
    }
    match r.status {
        Status::Success => {
            if let Some(c) = r.check() {
                printer.status(&format!(
                    "checked: {} → {}",
                    c.command.as_deref().unwrap_or("-"),
                    c.output.lines().next().unwrap_or("").trim()
                ));
            }
        }
        Status::Failed => {
            if let Some(best) = r.best() {
                for line in &best.log_excerpt[best.log_excerpt.len().saturating_sub(10)..] {
                    printer.status(&format!("  | {line}"));
                }
            }
            printer.warn(&format!(
                "{} — {}",
                r.stopped,
                r.diagnosis.as_deref().unwrap_or("unknown failure")
            ));
            for a in &r.advice {
                printer.status(&format!("  try: {a}"));
            }
        }
    }
    printer.data(data_line, &summary.json());
}

/// How drafts and repairs are made (`--engine`) and with which model; shared by `new`, `build`
/// and `bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct ModelArgs {
    /// Who drafts and repairs: the deterministic rules, an LLM, or rules first and the model
    /// when they run out (auto; without a configured provider it is builtin).
    #[arg(long, default_value = "auto", value_parser = ["builtin", "llm", "auto"])]
    pub engine: String,
    /// LLM provider: openai, openai-responses, anthropic, gemini, ollama, lmstudio,
    /// openai-compatible (default: [llm] provider in the config, or AI_DRV_PROVIDER).
    #[arg(long, help_heading = "Model")]
    pub provider: Option<String>,
    /// Model name (default: [llm] model, AI_DRV_MODEL, or the provider's default).
    #[arg(long, help_heading = "Model")]
    pub model: Option<String>,
    /// The provider's base URL (e.g. http://127.0.0.1:8080/v1 for a llama.cpp server).
    #[arg(long, help_heading = "Model")]
    pub base_url: Option<String>,
    /// Stop asking the model after this many calls.
    #[arg(long, default_value_t = 16, help_heading = "Model")]
    pub max_llm_calls: u32,
    /// Stop asking the model after this many tokens (input and output).
    #[arg(long, default_value_t = 250_000, help_heading = "Model")]
    pub max_llm_tokens: u64,
    /// Stop asking the model once the estimated cost reaches this many US dollars.
    #[arg(long, default_value_t = 1.0, help_heading = "Model")]
    pub max_llm_cost: f64,
}

/// The model to use with its budget, or None for the deterministic engine.
pub struct ModelSetup {
    pub model: std::sync::Arc<dyn ai_drv_llm::Model>,
    pub budget: ai_drv_engine::assist::Budget,
    /// `--engine llm`: the model drafts even when the rules could.
    pub drafts: bool,
}

/// Connects the configured model for `--engine llm|auto`, or says what is missing.
pub fn model(config: &Config, args: &ModelArgs) -> Result<Option<ModelSetup>> {
    if args.engine == "builtin" {
        return Ok(None);
    }
    let provider_args = ai_drv_llm::ProviderArgs {
        provider: args.provider.clone(),
        model: args.model.clone(),
        base_url: args.base_url.clone(),
    };
    let settings =
        ai_drv_llm::settings(config, &provider_args).map_err(|e| CliError::usage(e.to_string()))?;
    let Some(settings) = settings else {
        if args.engine == "llm" {
            return Err(CliError::usage("no LLM provider is configured").hint(
                "pass --provider (openai, anthropic, gemini, ollama, lmstudio, openai-compatible) and --model, or set [llm] provider in the config; --engine builtin needs no model",
            ));
        }
        return Ok(None);
    };
    if args.max_llm_calls == 0 {
        return Err(CliError::usage("--max-llm-calls must be at least 1"));
    }
    if args.max_llm_cost.is_nan() || args.max_llm_cost <= 0.0 {
        return Err(CliError::usage(
            "--max-llm-cost must be a positive number of US dollars",
        ));
    }
    let model = ai_drv_llm::connect(&settings).map_err(|e| CliError::usage(e.to_string()))?;
    tracing::info!("model: {}", settings.describe());
    Ok(Some(ModelSetup {
        model,
        budget: ai_drv_engine::assist::Budget {
            max_calls: args.max_llm_calls,
            max_tokens: args.max_llm_tokens,
            max_cost_usd: args.max_llm_cost,
            ..ai_drv_engine::assist::Budget::default()
        },
        drafts: args.engine == "llm",
    }))
}

/// `./<pname>/package.nix` unless given.
pub fn default_output(pname: &str) -> PathBuf {
    PathBuf::from(pname).join("package.nix")
}

//! `ai-drv bench`: run the engine on every package of a corpus and check each result against the
//! corpus' own ground truth (independent of the engine's check).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ai_drv_check::{Corpus, CorpusPackage};
use ai_drv_engine::{Engine, Status};
use clap::Args;
use serde_json::{json, Value};

use crate::engine_setup::{self, ModelArgs, ModelSetup, Summary};
use crate::error::{CliError, Result};
use crate::packaging;
use crate::printer::Printer;

/// Run `ai-drv new` on every package of a benchmark corpus (e.g. `bench/dev.toml`) and check
/// each result with the corpus' own check. The corpus' `source-sha256` is used only to verify
/// downloads; the engine never sees it.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The corpus file.
    pub corpus: PathBuf,
    /// Only these packages (by name; repeatable).
    #[arg(long, num_args = 1..)]
    pub only: Vec<String>,
    /// Packages built at the same time.
    #[arg(short, long, default_value_t = 1)]
    pub jobs: usize,
    /// Write the full results (JSON) to this file, e.g. bench/results/DATE-dev.json.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Keep each package's derivation here (default: a temporary directory).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
    /// Build against this nixpkgs instead of the bundled host package set.
    #[arg(long)]
    pub nixpkgs: Option<PathBuf>,
    /// Give up on a package after this many build attempts.
    #[arg(long, default_value_t = 8)]
    pub max_attempts: u32,
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(args: BenchArgs, printer: &Printer) -> Result<()> {
    let corpus = Corpus::load(&args.corpus).map_err(|e| CliError::usage(e.to_string()))?;
    let mut packages: Vec<&CorpusPackage> = corpus.packages.iter().collect();
    if !args.only.is_empty() {
        for name in &args.only {
            if corpus.get(name).is_none() {
                return Err(CliError::usage(format!(
                    "no package named {name} in {}",
                    args.corpus.display()
                )));
            }
        }
        packages.retain(|p| args.only.contains(&p.name));
    }
    let (config, engine) = engine_setup::engine(args.nixpkgs.as_deref(), args.max_attempts)?;
    let setup = engine_setup::model(&config, &args.model)?;
    let engine_name = match &setup {
        None => "builtin".to_string(),
        Some(s) => format!("{} with {}", args.model.engine, s.model.describe()),
    };
    let scratch;
    let out_dir = match &args.out_dir {
        Some(d) => d.clone(),
        None => {
            scratch = tempfile::Builder::new()
                .prefix("ai-drv-bench-")
                .tempdir()
                .map_err(|e| CliError::failed(e.to_string()))?;
            scratch.path().to_path_buf()
        }
    };
    let started = Instant::now();
    let queue = Mutex::new(packages.iter().enumerate().collect::<Vec<_>>());
    let results: Mutex<Vec<(usize, Value)>> = Mutex::new(Vec::new());
    let total = packages.len();
    std::thread::scope(|scope| {
        for _ in 0..args.jobs.max(1) {
            scope.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| {
                    if q.is_empty() {
                        None
                    } else {
                        Some(q.remove(0))
                    }
                });
                let Some((i, package)) = next else { break };
                printer.status(&format!("[{}/{total}] {}", i + 1, package.name));
                let value = bench_one(
                    &config,
                    &engine,
                    setup.as_ref(),
                    package,
                    &out_dir.join(&package.name),
                );
                printer.status(&format!(
                    "[{}/{total}] {}: {}",
                    i + 1,
                    package.name,
                    verdict(&value)
                ));
                if let Ok(mut r) = results.lock() {
                    r.push((i, value));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let results: Vec<Value> = results.into_iter().map(|(_, v)| v).collect();
    let table = table(&results);
    let totals = totals(&results, started.elapsed());
    let document = json!({
        "corpus": args.corpus.display().to_string(),
        "engine": engine_name,
        "package_set": engine.package_set().describe(),
        "jobs": args.jobs,
        "max_attempts": args.max_attempts,
        "totals": totals,
        "packages": results,
    });
    if let Some(path) = &args.output {
        engine_setup::write_atomically(path, &format!("{document:#}\n"))?;
        printer.status(&format!("wrote {}", path.display()));
    }
    printer.data(&table, &document);
    Ok(())
}

fn verdict(v: &Value) -> String {
    if v["passed"].as_bool() == Some(true) {
        format!("ok ({} attempts)", v["attempts"])
    } else if v["built"].as_bool() == Some(true) {
        format!(
            "built, corpus check failed: {}",
            v["corpus_check"]["failures"]
        )
    } else {
        format!("failed: {}", v["reason"].as_str().unwrap_or("?"))
    }
}

fn bench_one(
    config: &ai_drv_config::Config,
    engine: &Engine,
    setup: Option<&ModelSetup>,
    package: &CorpusPackage,
    dir: &Path,
) -> Value {
    let start = Instant::now();
    // Multi-threaded: `Handle::block_on` cannot drive I/O on a current-thread runtime.
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return failure(package, &format!("no async runtime: {e}"), start.elapsed()),
    };
    let _ = fs_err::create_dir_all(dir);
    let quiet = |_: &str| {};
    let (prepared, report) = match packaging::package(
        rt.handle(),
        config,
        engine,
        &package.source,
        setup,
        dir,
        &(),
        &quiet,
    ) {
        Ok(done) => done,
        Err(e) => return failure(package, &e.to_string(), start.elapsed()),
    };
    let file = dir.join("package.nix");
    if let Some(text) = report.best_text() {
        let _ = fs_err::write(&file, text);
    }
    let Some(source) = prepared.source.as_ref() else {
        return failure(package, "the source could not be resolved", start.elapsed());
    };
    let total = start.elapsed();
    let summary = Summary {
        report: &report,
        file: Some(&file),
        pname: Some(&source.pname),
        version: Some(&source.version),
        source_url: Some(source.fetch.url()),
        source_hash: Some(&source.hash),
        fetch: prepared.timings.fetch,
        analyse: prepared.timings.analyse,
        total,
        extra: Value::Null,
    };
    let engine_json = summary.json();
    let built = !report.out_paths().is_empty();
    let corpus_failures: Vec<String> = match report.out_paths().first() {
        Some(out) => ai_drv_check::verify(Path::new(out), &package.check)
            .into_iter()
            .map(|f| f.0)
            .collect(),
        None => vec!["nothing was built".into()],
    };
    let passed = built && corpus_failures.is_empty();
    let verified = package.source_sha256.as_ref().map(|hex| {
        ai_drv_hash::Hash::parse(&source.hash, None)
            .map(|h| h.to_base16() == hex.to_lowercase())
            .unwrap_or(false)
    });
    json!({
        "name": package.name,
        "kind": package.kind,
        "source": package.source,
        "built": built,
        "passed": passed,
        "engine_status": engine_json["status"],
        "attempts": report.attempts.len(),
        "wall": engine_json["timings"]["total"],
        "overhead": engine_json["timings"]["overhead"],
        "timings": engine_json["timings"],
        "source_verified": verified,
        "reason": if passed { Value::Null } else {
            json!(report.diagnosis.clone().or_else(|| corpus_failures.first().cloned()))
        },
        "corpus_check": { "passed": corpus_failures.is_empty(), "failures": corpus_failures },
        "engine_check": engine_json["check"],
        "history": engine_json["history"],
        "build_system": prepared.analysis.as_ref().map(|a| format!("{:?}", a.build_system)),
        "model": engine_json["model"],
        "derivation": report.best_text(),
        "status": if report.status == Status::Success { "success" } else { "failed" },
    })
}

fn failure(package: &CorpusPackage, reason: &str, wall: Duration) -> Value {
    json!({
        "name": package.name,
        "kind": package.kind,
        "source": package.source,
        "built": false,
        "passed": false,
        "attempts": 0,
        "wall": wall.as_secs_f64(),
        "overhead": Value::Null,
        "reason": reason,
    })
}

fn table(results: &[Value]) -> String {
    let mut out = format!(
        "{:<12} {:>5} {:>6} {:>8} {:>9} {:>9}\n",
        "package", "built", "check", "attempts", "wall s", "overhead"
    );
    for r in results {
        out.push_str(&format!(
            "{:<12} {:>5} {:>6} {:>8} {:>9.1} {:>9.3}\n",
            r["name"].as_str().unwrap_or("?"),
            if r["built"].as_bool() == Some(true) {
                "yes"
            } else {
                "no"
            },
            if r["passed"].as_bool() == Some(true) {
                "pass"
            } else {
                "FAIL"
            },
            r["attempts"],
            r["wall"].as_f64().unwrap_or(0.0),
            r["overhead"].as_f64().unwrap_or(f64::NAN),
        ));
    }
    let t = totals(results, Duration::ZERO);
    out.push_str(&format!(
        "total: {} packages, {} built, {} passed ({:.1} %), median overhead {:.3} s",
        t["packages"],
        t["built"],
        t["passed"],
        t["passed_percent"].as_f64().unwrap_or(0.0),
        t["median_overhead"].as_f64().unwrap_or(f64::NAN)
    ));
    out
}

fn totals(results: &[Value], wall: Duration) -> Value {
    let n = results.len();
    let built = results
        .iter()
        .filter(|r| r["built"].as_bool() == Some(true))
        .count();
    let passed = results
        .iter()
        .filter(|r| r["passed"].as_bool() == Some(true))
        .count();
    let mut overheads: Vec<f64> = results
        .iter()
        .filter_map(|r| r["overhead"].as_f64())
        .collect();
    overheads.sort_by(|a, b| a.total_cmp(b));
    let median = if overheads.is_empty() {
        Value::Null
    } else if overheads.len() % 2 == 1 {
        json!(overheads[overheads.len() / 2])
    } else {
        json!((overheads[overheads.len() / 2 - 1] + overheads[overheads.len() / 2]) / 2.0)
    };
    json!({
        "packages": n,
        "built": built,
        "passed": passed,
        "passed_percent": if n == 0 { 0.0 } else { (passed as f64 * 1000.0 / n as f64).round() / 10.0 },
        "median_overhead": median,
        "wall": wall.as_secs_f64(),
    })
}

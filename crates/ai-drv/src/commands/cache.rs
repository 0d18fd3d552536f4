//! `ai-drv cache`: the store of requests, jobs and verified derivations.

use std::path::{Path, PathBuf};

use ai_drv_store::{Derivation, DerivationSummary, Store};
use clap::{Args, Subcommand};
use serde_json::json;

use crate::engine_setup::write_atomically;
use crate::error::{CliError, Result};
use crate::jobs;
use crate::printer::Printer;

/// Inspect and manage ai-drv's store of verified derivations (what `ai-drv serve` answers from).
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// The store file (default: $XDG_DATA_HOME/ai-drv/store.sqlite).
    #[arg(long, global = true)]
    pub store: Option<PathBuf>,
    #[command(subcommand)]
    pub action: CacheAction,
}

#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// List stored derivations, newest first.
    List,
    /// Show one stored derivation (by hash, a unique prefix of it, or a package name): its
    /// record on stderr, its text on stdout.
    Show { derivation: String },
    /// Remove a stored derivation; the requests that led to it are generated again next time.
    Rm { derivation: String },
    /// Write every stored derivation into DIR as `<pname>-<hash>.nix`.
    Export { dir: PathBuf },
}

pub fn run(args: CacheArgs, printer: &Printer) -> Result<()> {
    let path = match &args.store {
        Some(path) => path.clone(),
        None => jobs::default_store_path()?,
    };
    if !path.exists() {
        // Listing an empty store should not create one as a side effect.
        return match args.action {
            CacheAction::List => {
                printer.data(&format!("no store at {}", path.display()), &json!([]));
                Ok(())
            }
            _ => Err(CliError::usage(format!("no store at {}", path.display()))
                .hint("`ai-drv serve` or `ai-drv lock --local` create it")),
        };
    }
    let store = jobs::open_store(Some(&path))?;
    match args.action {
        CacheAction::List => list(&store, printer),
        CacheAction::Show { derivation } => {
            let d = find(&store, &derivation)?;
            printer.status(&format!(
                "{} {}  {}  built {}",
                d.pname.as_deref().unwrap_or("?"),
                d.version.as_deref().unwrap_or(""),
                d.hash,
                d.out_path.as_deref().unwrap_or("(no out path recorded)")
            ));
            if let Some(request) = &d.request {
                printer.status(&format!("request: {request}"));
            }
            if printer.json() {
                printer.data("", &serde_json::to_value(&d).unwrap_or_default());
            } else {
                print!("{}", d.text);
            }
            Ok(())
        }
        CacheAction::Rm { derivation } => {
            let d = find(&store, &derivation)?;
            store.remove(&d.hash).map_err(store_error)?;
            printer.data(
                &format!("removed {}", d.hash),
                &json!({ "removed": d.hash }),
            );
            Ok(())
        }
        CacheAction::Export { dir } => export(&store, &dir, printer),
    }
}

fn list(store: &Store, printer: &Printer) -> Result<()> {
    let all = store.derivations().map_err(store_error)?;
    let mut human = String::new();
    for d in &all {
        human.push_str(&format!(
            "{}  {:<24} {}\n",
            d.hash,
            label(d),
            d.request.as_deref().unwrap_or("")
        ));
    }
    if all.is_empty() {
        human.push_str("the store has no derivations yet\n");
    }
    printer.data(
        human.trim_end(),
        &serde_json::to_value(&all).unwrap_or_default(),
    );
    Ok(())
}

fn export(store: &Store, dir: &Path, printer: &Printer) -> Result<()> {
    let all = store.derivations().map_err(store_error)?;
    let mut written = Vec::new();
    for summary in &all {
        let Some(d) = store.derivation(&summary.hash).map_err(store_error)? else {
            continue;
        };
        let file = dir.join(file_name(&d));
        write_atomically(&file, &d.text)?;
        written.push(file.display().to_string());
    }
    printer.data(
        &format!(
            "exported {} derivations to {}",
            written.len(),
            dir.display()
        ),
        &json!({ "files": written }),
    );
    Ok(())
}

/// `<pname>-<version>-<first 8 characters of the nix32 hash>.nix`.
pub fn file_name(d: &Derivation) -> String {
    let short = ai_drv_hash::Hash::parse(&format!("sha256-{}", d.hash), None)
        .map(|h| h.to_nix32().chars().take(8).collect::<String>())
        .unwrap_or_else(|_| "unknown".into());
    let mut name = d.pname.clone().unwrap_or_else(|| "derivation".into());
    if let Some(v) = &d.version {
        name = format!("{name}-{v}");
    }
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.+".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{name}-{short}.nix")
}

fn label(d: &DerivationSummary) -> String {
    match (&d.pname, &d.version) {
        (Some(p), Some(v)) => format!("{p} {v}"),
        (Some(p), None) => p.clone(),
        _ => "?".into(),
    }
}

/// The one derivation `key` names: an exact hash (base64 or SRI), a unique hash prefix, or a
/// unique package name.
fn find(store: &Store, key: &str) -> Result<Derivation> {
    let key = key.strip_prefix("sha256-").unwrap_or(key);
    if let Some(d) = store.derivation(key).map_err(store_error)? {
        return Ok(d);
    }
    let all = store.derivations().map_err(store_error)?;
    let mut matches: Vec<&DerivationSummary> =
        all.iter().filter(|d| d.hash.starts_with(key)).collect();
    if matches.is_empty() {
        matches = all
            .iter()
            .filter(|d| d.pname.as_deref() == Some(key))
            .collect();
    }
    match matches.as_slice() {
        [one] => store
            .derivation(&one.hash)
            .map_err(store_error)?
            .ok_or_else(|| CliError::failed(format!("{key}: removed meanwhile"))),
        [] => Err(
            CliError::usage(format!("no stored derivation matches {key}"))
                .hint("`ai-drv cache list` shows what is stored"),
        ),
        many => Err(CliError::usage(format!(
            "{key} matches {} derivations; give more of the hash",
            many.len()
        ))),
    }
}

fn store_error(e: ai_drv_store::StoreError) -> CliError {
    CliError::failed(e.to_string())
}

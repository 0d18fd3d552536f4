//! `ai-drv freeze`: write the locked derivations themselves next to the lock file, so building
//! needs no server at all.
//!
//! For every lock entry the text comes from the local store (by hash) when it has it, else from
//! the server's `/drv?hash=`; either way its SHA-256 must be the entry's hash. It is written to
//! `<lock dir>/ai-drv/<pname>-<8 chars of the nix32 hash>.nix` and the entry's `file` points
//! there. Entries whose frozen file still matches are kept; a frozen file that was edited is an
//! error rather than being overwritten silently.

use std::path::{Path, PathBuf};

use ai_drv_hash::Algorithm;
use clap::Args;

use super::lock::{lock_dir, Server, DEFAULT_SERVER};
use crate::error::{CliError, Result};
use crate::lockfile::{self, LockEntry, LockFile};
use crate::printer::Printer;

/// Write the locked derivations into `ai-drv/` next to the lock file and record them in it, so
/// `mkAIDerivation` builds without a server.
#[derive(Debug, Args)]
pub struct FreezeArgs {
    /// The lock file to freeze.
    #[arg(long, default_value = lockfile::FILE_NAME)]
    pub lock: PathBuf,
    /// The ai-drv server to fetch texts the local store does not have from.
    #[arg(long, env = "AI_DRV_SERVER", default_value = DEFAULT_SERVER)]
    pub server: String,
    /// Bearer token for the server.
    #[arg(long, env = "AI_DRV_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// The local store to take texts from first (default: $XDG_DATA_HOME/ai-drv/store.sqlite,
    /// the one `ai-drv serve` and `ai-drv lock --local` use).
    #[arg(long)]
    pub store: Option<PathBuf>,
}

pub fn run(args: FreezeArgs, printer: &Printer) -> Result<()> {
    let Some(old) = LockFile::read(&args.lock).map_err(CliError::usage)? else {
        return Err(CliError::usage(format!(
            "no lock file at {}; run `ai-drv lock` first",
            args.lock.display()
        )));
    };
    let dir = lock_dir(&args.lock);
    let mut lock = old.clone();
    let store = LocalStore::open(args.store.as_deref(), printer);
    let mut remote: Option<Remote> = None;

    for (prompt, entry) in lock.prompts.iter_mut() {
        let digest = expected_digest(entry, &args.lock)?;
        if let Some(file) = &entry.file {
            let path = dir.join(file);
            match fs_err::read(&path) {
                Ok(bytes) => {
                    let got = ai_drv_hash::hash_bytes(Algorithm::Sha256, &bytes);
                    if got != digest {
                        return Err(CliError::failed(format!(
                            "{} no longer matches its lock entry for \"{prompt}\" ({}, the file is {})",
                            path.display(),
                            entry.hash,
                            got.to_sri()
                        ))
                        .hint(format!(
                            "restore it, or delete it and run `ai-drv freeze` again; {} was not changed",
                            args.lock.display()
                        )));
                    }
                    printer.status(&format!("kept {}", path.display()));
                    continue;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(CliError::usage(format!(
                        "cannot read {}: {}",
                        path.display(),
                        super::lock::io_reason(&e)
                    )))
                }
            }
        }

        let base64 = digest.to_base64();
        let text = match store.text(&base64) {
            Some(text) => text,
            None => {
                // The server (and a runtime) only when the store lacks a text.
                let remote = match remote.take() {
                    Some(r) => remote.insert(r),
                    None => remote.insert(Remote::new(&args)?),
                };
                remote
                    .runtime
                    .block_on(remote.server.derivation(&base64, prompt))
                    .map_err(|e| match e.hint {
                        Some(_) => e,
                        None => {
                            let lock = args.lock.display();
                            e.hint(format!("{lock} was not changed"))
                        }
                    })?
            }
        };

        let relative = frozen_name(entry, &digest);
        let path = dir.join(&relative);
        write_frozen(&path, &text)?;
        printer.status(&format!("froze \"{prompt}\" → {}", path.display()));
        entry.file = Some(relative);
    }

    if lock != old {
        lock.write(&args.lock).map_err(CliError::usage)?;
    }
    if printer.json() {
        let value = serde_json::to_value(&lock).map_err(CliError::failed)?;
        printer.data("", &value);
    }
    Ok(())
}

/// The server to fetch from, and the runtime to do it on.
struct Remote {
    server: Server,
    runtime: tokio::runtime::Runtime,
}

impl Remote {
    fn new(args: &FreezeArgs) -> Result<Remote> {
        Ok(Remote {
            server: Server::new(&args.server, args.token.clone())?.unreachable_advice(
                "the local store does not have every locked derivation; start one with `ai-drv serve`",
            ),
            runtime: super::runtime()?,
        })
    }
}

/// The entry's hash as a digest; a malformed one is an error naming the lock.
fn expected_digest(entry: &LockEntry, lock: &Path) -> Result<ai_drv_hash::Hash> {
    ai_drv_hash::Hash::parse(&entry.hash, None)
        .ok()
        .filter(|h| h.algorithm() == Algorithm::Sha256 && entry.hash.starts_with("sha256-"))
        .ok_or_else(|| {
            CliError::usage(format!(
                "{} has a hash that is not sha256-<base64>: {}; run `ai-drv lock --update`",
                lock.display(),
                entry.hash
            ))
        })
}

/// `ai-drv/<pname or "derivation">-<first 8 chars of the nix32 hash>.nix`, relative to the
/// lock's directory. The pname comes from a server, so only store-path-safe characters are kept.
fn frozen_name(entry: &LockEntry, digest: &ai_drv_hash::Hash) -> String {
    let pname: String = entry
        .pname
        .as_deref()
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+-._".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let pname = pname.trim_start_matches('.');
    let pname = if pname.is_empty() {
        "derivation"
    } else {
        pname
    };
    let nix32 = digest.to_nix32();
    let short: String = nix32.chars().take(8).collect();
    format!("{}/{pname}-{short}.nix", lockfile::FREEZE_DIR)
}

fn write_frozen(path: &Path, text: &str) -> Result<()> {
    let fail = |e: std::io::Error| {
        CliError::usage(format!(
            "cannot write {}: {}",
            path.display(),
            super::lock::io_reason(&e)
        ))
    };
    if let Some(parent) = path.parent() {
        fs_err::create_dir_all(parent).map_err(fail)?;
    }
    lockfile::write_atomically(path, text.as_bytes()).map_err(fail)
}

/// The local ai-drv store, when there is one: a missing store is simply empty (freeze does not
/// create one), and one that cannot be opened is a warning, as the server can still answer.
struct LocalStore(Option<ai_drv_store::Store>);

impl LocalStore {
    fn open(flag: Option<&Path>, printer: &Printer) -> LocalStore {
        let path = match flag {
            Some(path) => path.to_path_buf(),
            None => match crate::jobs::default_store_path() {
                Ok(path) => path,
                Err(e) => {
                    printer.warn(&format!("the local store is not used: {e}"));
                    return LocalStore(None);
                }
            },
        };
        if !path.exists() {
            if flag.is_some() {
                printer.warn(&format!("there is no store at {}", path.display()));
            }
            return LocalStore(None);
        }
        match ai_drv_store::Store::open(&path) {
            Ok(store) => LocalStore(Some(store)),
            Err(e) => {
                printer.warn(&format!("the local store is not used: {e}"));
                LocalStore(None)
            }
        }
    }

    /// The text stored under `hash` (base64), if it is there and really has that hash.
    fn text(&self, hash: &str) -> Option<String> {
        let derivation = self.0.as_ref()?.derivation(hash).ok()??;
        let got = ai_drv_hash::hash_bytes(Algorithm::Sha256, derivation.text.as_bytes());
        (got.to_base64() == hash).then_some(derivation.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frozen_names() {
        let digest = ai_drv_hash::hash_bytes(Algorithm::Sha256, b"");
        let short = &digest.to_nix32()[..8];
        let mut entry = LockEntry {
            file: None,
            hash: digest.to_sri(),
            pname: Some("sl".into()),
            version: None,
        };
        assert_eq!(
            frozen_name(&entry, &digest),
            format!("ai-drv/sl-{short}.nix")
        );
        entry.pname = Some("../evil name".into());
        assert_eq!(
            frozen_name(&entry, &digest),
            format!("ai-drv/_evil_name-{short}.nix")
        );
        entry.pname = None;
        assert_eq!(
            frozen_name(&entry, &digest),
            format!("ai-drv/derivation-{short}.nix")
        );
    }
}

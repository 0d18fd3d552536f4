//! `ai-drv prefetch`: download a source and print the hash Nix will expect for it.

use std::time::Duration;

use ai_drv_config::Config;
use ai_drv_source::{prefetch, PrefetchOptions, Progress};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::error::{CliError, Result};
use crate::printer::Printer;

/// Download a URL and print its hash, as `nix-prefetch-url` does (same hash, same store path).
///
/// URL may be `http(s)://`, `file://` or nixpkgs' `mirror://` (mirror://debian/… resolves through
/// ai-drv's configured Debian mirror). Prints the SRI hash; `--json` adds the nix32 form and the
/// store path. When Nix is installed the result is also added to the store, so the next `fetchurl`
/// with this hash does not download it again.
#[derive(Debug, Args)]
pub struct PrefetchArgs {
    /// The URL to fetch.
    pub url: String,
    /// Unpack the archive and hash the tree (the hash `fetchzip` and forge fetchers expect), with
    /// a single top-level directory stripped.
    #[arg(long)]
    pub unpack: bool,
    /// Store path name (default: the URL's file name).
    #[arg(long)]
    pub name: Option<String>,
    /// Do not add the result to the Nix store.
    #[arg(long)]
    pub no_store: bool,
}

/// indicatif bar on a terminal; nothing otherwise.
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn start(&self, url: &url::Url, total: Option<u64>) {
        if let Some(bar) = &self.0 {
            if let Some(t) = total {
                bar.set_length(t);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
            }
            bar.set_message(ai_drv_source::url_name(url.as_str()));
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    }
    fn advance(&self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(bytes);
        }
    }
    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

pub fn run(args: PrefetchArgs, printer: &Printer) -> Result<()> {
    let config = Config::load()?;
    let bar = Bar(printer.progress_allowed().then(|| {
        ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {msg} {bytes}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        )
    }));
    let options = PrefetchOptions {
        unpack: args.unpack,
        name: args.name.clone(),
    };
    let fetched = super::runtime()?
        .block_on(prefetch(&config, &args.url, &options, &bar))
        .map_err(CliError::usage)?;

    let mut added = None;
    if !args.no_store {
        match ai_drv_nix::Nix::detect() {
            Ok(nix) => {
                let path = nix.add_fixed(fetched.content_path(), args.unpack, "sha256")?;
                if path != fetched.store_path {
                    return Err(CliError::failed(format!(
                        "Nix stored the download at {path}, but ai-drv computed {}: please report this",
                        fetched.store_path
                    )));
                }
                added = Some(path);
            }
            Err(e) => printer.warn(&format!("not added to the Nix store: {e}")),
        }
    }
    printer.status(&format!(
        "{} ({} bytes from {}) is {}",
        fetched.name, fetched.size, fetched.resolved, fetched.store_path
    ));
    printer.data(
        &fetched.hash.to_sri(),
        &json!({
            "url": fetched.url,
            "resolved_url": fetched.resolved.as_str(),
            "name": fetched.name,
            "unpack": fetched.unpack,
            "archive": fetched.archive.map(|k| k.name()),
            "hash": fetched.hash.to_sri(),
            "nix32": fetched.hash.to_nix32(),
            "store_path": fetched.store_path,
            "in_store": added.is_some(),
            "size": fetched.size,
        }),
    );
    Ok(())
}

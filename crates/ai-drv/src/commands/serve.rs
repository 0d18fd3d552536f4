//! `ai-drv serve`: the ai-drv-server protocol and ai-drv's JSON API over HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ai_drv_serve::{Options, Server};
use clap::Args;

use crate::engine_setup::{self, ModelArgs};
use crate::error::{CliError, Result};
use crate::jobs::{self, EngineGenerator};
use crate::printer::Printer;

/// Serve verified derivations over HTTP, speaking the original ai-drv-server protocol
/// (`/hash?req=…`, `/drv?hash=…`) that `mkAIDerivation` uses, plus a JSON API.
///
/// Every answer is a derivation ai-drv has built and checked. Requests, jobs and derivations are
/// kept in a SQLite store, so answers stay the same across restarts.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, default_value = "127.0.0.1:5000")]
    pub listen: String,
    /// Require this bearer token (needed to listen on a non-loopback address).
    #[arg(long, env = "AI_DRV_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Allow a non-loopback address without a token.
    #[arg(long)]
    pub insecure: bool,
    /// The store file (default: $XDG_DATA_HOME/ai-drv/store.sqlite).
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// Jobs run at once.
    #[arg(long, default_value_t = 1)]
    pub workers: usize,
    /// Jobs that may wait for a worker; beyond that new requests get 503.
    #[arg(long, default_value_t = 16)]
    pub queue: usize,
    /// Seconds between keep-alive bytes on `/drv?req=` while a job runs.
    #[arg(long, default_value_t = 10.0)]
    pub keepalive: f64,
    /// Longest accepted request, in bytes (longer ones get 413).
    #[arg(long, default_value_t = 4096)]
    pub max_prompt_bytes: usize,
    /// Build against this nixpkgs instead of the bundled host package set.
    #[arg(long)]
    pub nixpkgs: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Give up on a job after this many build attempts.
    #[arg(long, default_value_t = 8)]
    pub max_attempts: u32,
}

pub fn run(args: ServeArgs, printer: &Printer) -> Result<()> {
    let listen: SocketAddr = args.listen.parse().map_err(|_| {
        CliError::usage(format!(
            "--listen {}: not an address; use HOST:PORT, e.g. 127.0.0.1:5000",
            args.listen
        ))
    })?;
    if args.workers == 0 {
        return Err(CliError::usage("--workers must be at least 1"));
    }
    if !(args.keepalive.is_finite() && args.keepalive > 0.0) {
        return Err(CliError::usage(
            "--keepalive must be a positive number of seconds",
        ));
    }
    let options = Options {
        listen,
        token: args.token.clone().filter(|t| !t.is_empty()),
        insecure: args.insecure,
        max_prompt_bytes: args.max_prompt_bytes,
        workers: args.workers,
        queue: args.queue,
        keepalive: Duration::from_secs_f64(args.keepalive),
        ..Options::default()
    };
    let (config, engine) = engine_setup::engine(args.nixpkgs.as_deref(), args.max_attempts)?;
    let setup = engine_setup::model(&config, &args.model)?;
    let store = jobs::open_store(args.store.as_deref())?;
    let rt = super::runtime()?;
    let generator = Arc::new(EngineGenerator::new(
        config,
        engine,
        setup,
        rt.handle().clone(),
    ));
    let served = rt.block_on(async {
        let server = Server::bind(options, store.clone(), generator)
            .await
            .map_err(|e| CliError::usage(e.to_string()))?;
        printer.status(&format!(
            "listening on http://{} (store {})",
            server.local_addr(),
            store.path().display()
        ));
        server
            .run(shutdown_signal())
            .await
            .map_err(|e| CliError::failed(e.to_string()))
    });
    // A job still running was recorded as interrupted; do not wait for its thread.
    rt.shutdown_timeout(Duration::from_secs(1));
    served
}

/// Resolves on Ctrl-C or SIGTERM, whichever comes first.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}

//! `ai-drv serve`: the original ai-drv-server protocol (`/hash?req=`, `/drv?hash=`) and
//! ai-drv's own endpoints over the store, with one job per request no matter how many clients
//! ask at once.
//!
//! [`Server::bind`] checks the options (a non-loopback address needs a token unless
//! `insecure`), marks jobs a previous process left unfinished as interrupted, and binds;
//! [`Server::run`] serves until its shutdown future resolves. Jobs are run by a [`Generator`]
//! (the CLI plugs the packaging engine in). The endpoints are documented on their handlers in
//! `http.rs`.

mod http;
mod jobs;
mod metrics;
mod query;

use std::future::IntoFuture;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ai_drv_store::{AttemptRecord, Finished, Store, StoreError};
use axum::serve::ListenerExt;

/// Runs jobs. The server calls `generate` from `tokio::task::spawn_blocking`.
pub trait Generator: Send + Sync + 'static {
    /// Runs one job to its end on the calling thread. `progress` gets each attempt as it
    /// finishes (the server keeps them with the job so `GET /api/v1/jobs/{id}` shows progress
    /// while it runs).
    fn generate(&self, request: &str, progress: &dyn Fn(&AttemptRecord)) -> Finished;
}

/// How the server listens, whom it serves and how much it takes on.
#[derive(Debug, Clone)]
pub struct Options {
    /// Default 127.0.0.1:5000, the original server's address.
    pub listen: SocketAddr,
    /// Bearer token every endpoint but `/healthz` requires (HTTP Basic with the token as the
    /// password works too, for Nix's `netrc-file`). Required for a non-loopback address
    /// unless `insecure`.
    pub token: Option<String>,
    pub insecure: bool,
    /// Longest prompt in bytes after percent-decoding (413 beyond). Default 4096.
    pub max_prompt_bytes: usize,
    /// Longest request target (path and query) in bytes (414 beyond). Default 16384.
    pub max_query_bytes: usize,
    /// Jobs run at once. Default 1.
    pub workers: usize,
    /// Jobs that may wait for a worker (503 with `Retry-After` beyond). Default 16.
    pub queue: usize,
    /// Interval of keep-alive bytes on `/drv?req=` while a job runs. Default 10 s.
    pub keepalive: Duration,
    /// How long a failed request is answered with its failure before it is tried again.
    /// Default 10 minutes.
    pub retry_failed_after: Duration,
    /// How long requests in flight may take to finish once shutdown begins. Default 10 s.
    pub grace: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 5000)),
            token: None,
            insecure: false,
            max_prompt_bytes: 4096,
            max_query_bytes: 16384,
            workers: 1,
            queue: 16,
            keepalive: Duration::from_secs(10),
            retry_failed_after: Duration::from_secs(600),
            grace: Duration::from_secs(10),
        }
    }
}

/// Why the server could not start or went down; one line each.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to listen on {addr} without --token; pass --token or --insecure")]
    Exposed { addr: SocketAddr },
    #[error("{0}")]
    Options(String),
    #[error(
        "cannot listen on {addr}: {source}; choose another --listen address or stop what uses it"
    )]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the store could not be read: {0}")]
    StoreCall(String),
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything the handlers share.
pub(crate) struct AppState {
    pub options: Options,
    pub jobs: Arc<jobs::Jobs>,
    pub metrics: Arc<metrics::Metrics>,
    /// The token's bytes, when one is set.
    pub token: Option<Vec<u8>>,
}

/// A bound server, ready to [`run`](Server::run).
pub struct Server {
    listener: tokio::net::TcpListener,
    addr: SocketAddr,
    state: Arc<AppState>,
}

impl Server {
    /// Checks the bind rule, recovers interrupted jobs in the store, binds.
    pub async fn bind(
        options: Options,
        store: Arc<Store>,
        generator: Arc<dyn Generator>,
    ) -> Result<Server, ServeError> {
        check(&options)?;
        let recovering = store.clone();
        let (recovered, counts) = tokio::task::spawn_blocking(move || {
            let recovered = recovering.recover()?;
            let counts = recovering.job_counts()?;
            Ok::<_, StoreError>((recovered, counts))
        })
        .await
        .map_err(|e| ServeError::StoreCall(e.to_string()))??;
        if !recovered.is_empty() {
            tracing::info!(
                jobs = ?recovered,
                "marked jobs a previous server left unfinished as interrupted"
            );
        }
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|source| ServeError::Bind {
                addr: options.listen,
                source,
            })?;
        let addr = listener.local_addr()?;
        let metrics = Arc::new(metrics::Metrics::new(&counts));
        let jobs = Arc::new(jobs::Jobs::new(
            store,
            generator,
            metrics.clone(),
            options.workers,
            options.queue,
            options.retry_failed_after,
        ));
        let token = options.token.as_ref().map(|t| t.as_bytes().to_vec());
        Ok(Server {
            listener,
            addr,
            state: Arc::new(AppState {
                options,
                jobs,
                metrics,
                token,
            }),
        })
    }

    /// The address actually bound (port 0 becomes the chosen port).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until `shutdown` resolves, then stops gracefully: no new connections, requests
    /// in flight get up to `grace` to finish, then jobs still queued or running are recorded
    /// as failed ("interrupted: …") and their waiting clients answered (503, or a `throw` line
    /// on a `/drv?req=` stream).
    ///
    /// A job's generator keeps its blocking thread until it returns; its result is then
    /// dropped (the job is already recorded as interrupted).
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let Server {
            listener,
            addr,
            state,
        } = self;
        tracing::info!(%addr, "serving");
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        let mut signal_rx = stop_rx.clone();
        let signal = async move {
            let _ = signal_rx.wait_for(|stop| *stop).await;
        };
        let listener = listener.tap_io(|tcp| {
            // Answers are small and immediate; do not let Nagle hold them back.
            let _ = tcp.set_nodelay(true);
        });
        let serve = axum::serve(listener, http::router(state.clone()))
            .with_graceful_shutdown(signal)
            .into_future();
        tokio::pin!(serve);
        let drained = tokio::select! {
            result = &mut serve => { result?; true }
            _ = stop_rx.wait_for(|stop| *stop) => false,
        };
        if !drained {
            tracing::info!(grace = ?state.options.grace, "stopping: waiting for requests in flight");
            if tokio::time::timeout(state.options.grace, &mut serve)
                .await
                .is_err()
            {
                // Time is up: interrupting the jobs answers their waiting clients; give those
                // answers a moment to be written before the connections are dropped.
                state.jobs.interrupt_all().await;
                let _ = tokio::time::timeout(Duration::from_secs(1), &mut serve).await;
            }
        }
        state.jobs.interrupt_all().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The bind rule and the options' sanity.
fn check(options: &Options) -> Result<(), ServeError> {
    if options.token.as_deref() == Some("") {
        return Err(ServeError::Options(
            "the token is empty; pass a non-empty --token or none".to_owned(),
        ));
    }
    if !options.listen.ip().is_loopback() && options.token.is_none() && !options.insecure {
        return Err(ServeError::Exposed {
            addr: options.listen,
        });
    }
    if options.workers == 0 {
        return Err(ServeError::Options(
            "--workers must be at least 1".to_owned(),
        ));
    }
    if options.keepalive.is_zero() {
        return Err(ServeError::Options(
            "--keepalive must be a positive number of seconds".to_owned(),
        ));
    }
    if options.max_prompt_bytes == 0 {
        return Err(ServeError::Options(
            "--max-prompt-bytes must be at least 1".to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_rule() {
        let exposed = Options {
            listen: "0.0.0.0:5000".parse().unwrap(),
            ..Options::default()
        };
        assert_eq!(
            check(&exposed).unwrap_err().to_string(),
            "refusing to listen on 0.0.0.0:5000 without --token; pass --token or --insecure"
        );
        assert!(check(&Options {
            token: Some("t".into()),
            ..exposed.clone()
        })
        .is_ok());
        assert!(check(&Options {
            insecure: true,
            ..exposed.clone()
        })
        .is_ok());
        assert!(check(&Options {
            listen: "[::1]:0".parse().unwrap(),
            ..Options::default()
        })
        .is_ok());
        assert!(check(&Options {
            token: Some(String::new()),
            ..Options::default()
        })
        .is_err());
        assert!(check(&Options {
            workers: 0,
            ..Options::default()
        })
        .is_err());
    }
}

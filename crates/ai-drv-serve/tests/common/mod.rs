//! Shared by the server's integration tests: a test [`Generator`] (counts its calls, can sleep,
//! wait for a gate, fail, or produce a given text), a real server on 127.0.0.1:0 over a real
//! store file, and an HTTP client.

#![allow(dead_code)] // each test file uses a different part

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ai_drv_serve::{Generator, Options, ServeError, Server};
use ai_drv_store::{AttemptRecord, Finished, NewDerivation, Store};

/// A generator whose behaviour the test sets.
pub struct TestGenerator {
    calls: AtomicUsize,
    requests: Mutex<Vec<String>>,
    /// How long each job takes (split over its attempts).
    pub delay: Duration,
    /// Fail with this error.
    pub fail: Option<String>,
    /// Produce this text (else one made from the request).
    pub text: Option<String>,
    /// Attempts reported through `progress` before the end.
    pub attempts: u32,
    /// When set, jobs wait until it is opened.
    gate: Option<Arc<AtomicBool>>,
}

impl TestGenerator {
    pub fn new() -> TestGenerator {
        TestGenerator {
            calls: AtomicUsize::new(0),
            requests: Mutex::new(Vec::new()),
            delay: Duration::ZERO,
            fail: None,
            text: None,
            attempts: 1,
            gate: None,
        }
    }

    pub fn slow(delay: Duration) -> TestGenerator {
        TestGenerator {
            delay,
            ..TestGenerator::new()
        }
    }

    pub fn failing(error: &str) -> TestGenerator {
        TestGenerator {
            fail: Some(error.to_owned()),
            ..TestGenerator::new()
        }
    }

    /// Jobs block until the returned flag is set.
    pub fn gated() -> (TestGenerator, Arc<AtomicBool>) {
        let gate = Arc::new(AtomicBool::new(false));
        (
            TestGenerator {
                gate: Some(gate.clone()),
                ..TestGenerator::new()
            },
            gate,
        )
    }

    pub fn with_delay(self, delay: Duration) -> TestGenerator {
        TestGenerator { delay, ..self }
    }

    pub fn with_attempts(self, attempts: u32) -> TestGenerator {
        TestGenerator { attempts, ..self }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// The text the generator makes for a request: a callPackage function naming it.
pub fn text_for(request: &str) -> String {
    let name = request.replace(['"', '\\', '$'], "_");
    format!(
        "{{ stdenv }}:\nstdenv.mkDerivation {{\n  pname = \"test\";\n  version = \"1.0\";\n  # {}\n  meta.description = \"{name}\";\n}}\n",
        name.len()
    )
}

impl Generator for TestGenerator {
    fn generate(&self, request: &str, progress: &dyn Fn(&AttemptRecord)) -> Finished {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.requests.lock().unwrap().push(request.to_owned());
        if let Some(gate) = &self.gate {
            while !gate.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        let mut attempts = Vec::new();
        for number in 1..=self.attempts {
            std::thread::sleep(self.delay / self.attempts);
            let last = number == self.attempts;
            let attempt = AttemptRecord {
                number,
                outcome: if last && self.fail.is_none() {
                    "built"
                } else {
                    "build-failed"
                }
                .to_owned(),
                diagnosis: (!last || self.fail.is_some())
                    .then(|| format!("missing input in attempt {number}")),
                fixes: if last {
                    vec![]
                } else {
                    vec![format!("fix {number}")]
                },
                duration_ms: 10,
            };
            progress(&attempt);
            attempts.push(attempt);
        }
        match &self.fail {
            Some(error) => Finished::Failed {
                error: error.clone(),
                attempts,
                report: serde_json::json!({ "attempts": self.attempts }),
            },
            None => Finished::Succeeded {
                derivation: NewDerivation {
                    text: self.text.clone().unwrap_or_else(|| text_for(request)),
                    pname: Some("test".to_owned()),
                    version: Some("1.0".to_owned()),
                    out_path: Some(
                        "/nix/store/00000000000000000000000000000000-test-1.0".to_owned(),
                    ),
                    check: serde_json::json!({ "passed": true }),
                },
                attempts,
                report: serde_json::json!({ "attempts": self.attempts }),
            },
        }
    }
}

/// A server running on its own task.
pub struct Running {
    pub addr: SocketAddr,
    pub store: Arc<Store>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<Result<(), ServeError>>,
}

impl Running {
    pub fn url(&self, path_and_query: &str) -> String {
        format!("http://{}{}", self.addr, path_and_query)
    }

    /// Resolves the shutdown future and waits for `run` to return.
    pub async fn stop(mut self) -> Result<(), ServeError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.handle.await.expect("server task")
    }
}

/// Options for tests: a free loopback port, defaults otherwise.
pub fn options() -> Options {
    Options {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..Options::default()
    }
}

pub async fn start(options: Options, store_path: &Path, generator: Arc<TestGenerator>) -> Running {
    let store = Arc::new(Store::open(store_path).expect("open store"));
    start_with(options, store, generator).await
}

pub async fn start_with(
    options: Options,
    store: Arc<Store>,
    generator: Arc<TestGenerator>,
) -> Running {
    let server = Server::bind(options, store.clone(), generator)
        .await
        .expect("bind");
    let addr = server.local_addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    Running {
        addr,
        store,
        stop: Some(tx),
        handle,
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(512)
        .build()
        .expect("client")
}

/// nixpkgs' `lib.escapeURL`: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded.
pub fn escape_url(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `/hash` answer for a text, computed independently of the server.
pub fn sha256_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
}

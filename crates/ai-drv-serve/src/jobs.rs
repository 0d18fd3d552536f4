//! Single-flight jobs: every request for the same (normalised) prompt shares one [`Flight`],
//! which first asks the store and, if the store has no usable answer, runs one job. Answers
//! are kept in memory as pre-built `Bytes`, so a known prompt or hash is answered without
//! touching SQLite or allocating a body.
//!
//! Admission: at most `workers` jobs run and `queue` more wait; a new job beyond that is
//! refused (`Outcome::Busy`, 503), while requests that join an existing flight never are.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ai_drv_store::{AttemptRecord, Finished, JobId, JobState, Store, StoreError, INTERRUPTED};
use axum::body::Bytes;
use tokio::sync::{watch, Semaphore};

use crate::metrics::Metrics;
use crate::query;
use crate::Generator;

/// A verified derivation ready to serve.
#[derive(Debug)]
pub(crate) struct Served {
    /// The 44-byte `/hash` answer.
    pub hash: Bytes,
    /// The derivation text, the `/drv?hash=` answer.
    pub text: Bytes,
}

impl Served {
    fn new(text: String) -> (Served, [u8; 32]) {
        let hash = ai_drv_store::text_hash(&text);
        // text_hash is base64 of a SHA-256, so this always decodes; the fallback only keeps
        // a wrong hash out of the digest map if that ever changed.
        let digest = query::digest(&hash).unwrap_or([0; 32]);
        (
            Served {
                hash: Bytes::from(hash),
                text: Bytes::from(text),
            },
            digest,
        )
    }
}

/// How a flight ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    Succeeded {
        job: JobId,
        served: Arc<Served>,
    },
    Failed {
        job: JobId,
        /// The job's one-line error.
        error: Arc<str>,
        /// Until then the failure is the answer; afterwards the prompt is generated again.
        until: Instant,
    },
    /// No room for another job (503).
    Busy,
    /// The server is stopping (503).
    Stopped,
    /// The store failed (500); one line.
    Error(String),
}

impl Outcome {
    fn expired(&self, now: Instant) -> bool {
        matches!(self, Outcome::Failed { until, .. } if *until <= now)
    }
}

/// Where a flight is.
#[derive(Debug, Clone)]
pub(crate) enum Phase {
    /// Asking the store.
    Resolving,
    Queued(JobId),
    Running(JobId),
    Done(Arc<Outcome>),
}

/// One prompt being answered: the store lookup and, when needed, its job.
#[derive(Debug)]
pub(crate) struct Flight {
    key: Arc<str>,
    request: String,
    /// Skip the store: the in-memory failure just expired, so the store's is stale too.
    fresh: bool,
    phase: watch::Sender<Phase>,
    progress: Mutex<Vec<AttemptRecord>>,
    /// Set by whoever records the job's end (the job itself, or the shutdown).
    finalised: AtomicBool,
    job: OnceLock<JobId>,
}

impl Flight {
    /// Waits for the flight's outcome.
    pub(crate) async fn done(&self) -> Arc<Outcome> {
        let mut rx = self.phase.subscribe();
        let result = rx
            .wait_for(|p| matches!(p, Phase::Done(_)))
            .await
            .map(|p| p.clone());
        match result {
            Ok(Phase::Done(outcome)) => outcome,
            _ => Arc::new(Outcome::Stopped),
        }
    }

    /// Waits until the store was asked: the outcome, or the job's queued/running phase.
    pub(crate) async fn resolved(&self) -> Phase {
        let mut rx = self.phase.subscribe();
        let result = rx
            .wait_for(|p| !matches!(p, Phase::Resolving))
            .await
            .map(|p| p.clone());
        result.unwrap_or_else(|_| Phase::Done(Arc::new(Outcome::Stopped)))
    }

    pub(crate) fn subscribe(&self) -> watch::Receiver<Phase> {
        self.phase.subscribe()
    }

    /// The attempts reported so far.
    pub(crate) fn progress(&self) -> Vec<AttemptRecord> {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn record(&self, attempt: &AttemptRecord) {
        self.progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(attempt.clone());
    }

    /// True for the first caller only: that one records the job's end.
    fn finalise(&self) -> bool {
        !self.finalised.swap(true, Ordering::AcqRel)
    }
}

enum Slot {
    Pending(Arc<Flight>),
    Ready(Arc<Outcome>),
}

/// What a prompt lookup found.
pub(crate) enum Lookup {
    Ready(Arc<Outcome>),
    Pending(Arc<Flight>),
}

/// The jobs of one server.
pub(crate) struct Jobs {
    store: Arc<Store>,
    generator: Arc<dyn Generator>,
    metrics: Arc<Metrics>,
    retry_failed_after: Duration,
    prompts: RwLock<HashMap<Arc<str>, Slot>>,
    served: RwLock<HashMap<[u8; 32], Arc<Served>>>,
    active: Mutex<HashMap<JobId, Arc<Flight>>>,
    /// Jobs admitted (running or waiting): `workers + queue` permits.
    admission: Arc<Semaphore>,
    /// Jobs running: `workers` permits. Closed when the server stops.
    workers: Arc<Semaphore>,
    stopping: AtomicBool,
}

impl Jobs {
    pub(crate) fn new(
        store: Arc<Store>,
        generator: Arc<dyn Generator>,
        metrics: Arc<Metrics>,
        workers: usize,
        queue: usize,
        retry_failed_after: Duration,
    ) -> Jobs {
        Jobs {
            store,
            generator,
            metrics,
            retry_failed_after,
            prompts: RwLock::new(HashMap::new()),
            served: RwLock::new(HashMap::new()),
            active: Mutex::new(HashMap::new()),
            admission: Arc::new(Semaphore::new(workers.saturating_add(queue))),
            workers: Arc::new(Semaphore::new(workers)),
            stopping: AtomicBool::new(false),
        }
    }

    /// The answer for a normalised prompt, or the flight producing it (started here if there
    /// is none; `request` is the prompt as the client sent it).
    pub(crate) fn lookup(self: &Arc<Self>, key: &str, request: &str) -> Lookup {
        {
            let prompts = self.prompts.read().unwrap_or_else(PoisonError::into_inner);
            match prompts.get(key) {
                Some(Slot::Ready(outcome)) if !outcome.expired(Instant::now()) => {
                    return Lookup::Ready(outcome.clone())
                }
                Some(Slot::Pending(flight)) => return Lookup::Pending(flight.clone()),
                _ => {}
            }
        }
        let mut prompts = self.prompts.write().unwrap_or_else(PoisonError::into_inner);
        // Someone may have started a flight between the two locks.
        let fresh = match prompts.get(key) {
            Some(Slot::Ready(outcome)) if !outcome.expired(Instant::now()) => {
                return Lookup::Ready(outcome.clone())
            }
            Some(Slot::Pending(flight)) => return Lookup::Pending(flight.clone()),
            Some(Slot::Ready(_)) => true,
            None => false,
        };
        let key: Arc<str> = Arc::from(key);
        let flight = Arc::new(Flight {
            key: key.clone(),
            request: request.to_owned(),
            fresh,
            phase: watch::Sender::new(Phase::Resolving),
            progress: Mutex::new(Vec::new()),
            finalised: AtomicBool::new(false),
            job: OnceLock::new(),
        });
        prompts.insert(key, Slot::Pending(flight.clone()));
        drop(prompts);
        // The flight runs on its own task: clients may hang up, the job goes on.
        tokio::spawn(self.clone().drive(flight.clone()));
        Lookup::Pending(flight)
    }

    /// A derivation known in memory.
    pub(crate) fn served(&self, digest: &[u8; 32]) -> Option<Arc<Served>> {
        self.served
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(digest)
            .cloned()
    }

    /// A derivation from the store (remembered in memory when found).
    pub(crate) async fn load(&self, digest: [u8; 32]) -> Result<Option<Arc<Served>>, String> {
        let hash = query::base64(&digest);
        let Some(derivation) = self.blocking(move |store| store.derivation(&hash)).await? else {
            return Ok(None);
        };
        Ok(Some(self.remember(derivation.text)))
    }

    /// The attempts so far of a job running in this server.
    pub(crate) fn progress(&self, id: JobId) -> Option<Vec<AttemptRecord>> {
        let flight = self
            .active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&id)
            .cloned();
        flight.map(|f| f.progress())
    }

    /// Runs a store call off the async threads. Errors as one line.
    pub(crate) async fn blocking<T, F>(&self, call: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        match tokio::task::spawn_blocking(move || call(&store)).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(e) => Err(format!("store call did not finish: {e}")),
        }
    }

    fn remember(&self, text: String) -> Arc<Served> {
        let (served, digest) = Served::new(text);
        let served = Arc::new(served);
        self.served
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(digest, served.clone());
        served
    }

    async fn drive(self: Arc<Self>, flight: Arc<Flight>) {
        let outcome = match self.known(&flight).await {
            Ok(Some(outcome)) => outcome,
            Ok(None) => self.run(&flight).await,
            Err(error) => {
                tracing::error!(%error, "cannot read the store");
                Outcome::Error(error)
            }
        };
        self.settle(&flight, Arc::new(outcome));
    }

    /// What the store already knows about the flight's prompt, if it is still an answer.
    async fn known(&self, flight: &Flight) -> Result<Option<Outcome>, String> {
        if flight.fresh {
            return Ok(None);
        }
        let key = flight.key.clone();
        let retry = self.retry_failed_after;
        let found = self
            .blocking(move |store| {
                let Some(record) = store.request(&key)? else {
                    return Ok(None);
                };
                match (record.state, &record.hash) {
                    (JobState::Succeeded, Some(hash)) => {
                        Ok(store.derivation(hash)?.map(|d| (record.job, Ok(d.text))))
                    }
                    (JobState::Failed, _) => {
                        let error = record.error.unwrap_or_default();
                        let age = record
                            .finished_at
                            .map(|at| unix_now().saturating_sub(at))
                            .and_then(|secs| u64::try_from(secs).ok())
                            .map(Duration::from_secs);
                        match age {
                            // An interrupted job says nothing about the request: retry at once.
                            Some(age) if age < retry && !error.starts_with("interrupted") => {
                                Ok(Some((record.job, Err((error, retry - age)))))
                            }
                            _ => Ok(None),
                        }
                    }
                    // A job another process left behind, or a succeeded job whose derivation
                    // was removed: generate again.
                    _ => Ok(None),
                }
            })
            .await?;
        Ok(found.map(|(job, answer)| match answer {
            Ok(text) => Outcome::Succeeded {
                job,
                served: self.remember(text),
            },
            Err((error, left)) => Outcome::Failed {
                job,
                error: Arc::from(error),
                until: Instant::now() + left,
            },
        }))
    }

    /// Runs a new job for the flight.
    async fn run(&self, flight: &Arc<Flight>) -> Outcome {
        if self.stopping.load(Ordering::Acquire) {
            return Outcome::Stopped;
        }
        let Ok(admitted) = self.admission.clone().try_acquire_owned() else {
            return Outcome::Busy;
        };
        let request = flight.request.clone();
        let id = match self.blocking(move |store| store.create_job(&request)).await {
            Ok(id) => id,
            Err(error) => {
                tracing::error!(%error, "cannot record a new job");
                return Outcome::Error(error);
            }
        };
        let _ = flight.job.set(id);
        self.metrics.job_queued();
        self.active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, flight.clone());
        flight.phase.send_replace(Phase::Queued(id));

        let worker = self.workers.clone().acquire_owned().await;
        let Ok(worker) = worker else {
            // Closed: the server is stopping.
            self.interrupt(flight).await;
            return Outcome::Stopped;
        };
        if self.stopping.load(Ordering::Acquire) {
            self.interrupt(flight).await;
            return Outcome::Stopped;
        }
        if let Err(error) = self.blocking(move |store| store.start_job(id)).await {
            tracing::warn!(job = id, %error, "cannot mark the job running");
        }
        self.metrics.job_started();
        flight.phase.send_replace(Phase::Running(id));
        tracing::info!(job = id, request = %flight.request, "job started");
        let started = Instant::now();

        let generator = self.generator.clone();
        let reporter = flight.clone();
        let request = flight.request.clone();
        let finished = tokio::task::spawn_blocking(move || {
            generator.generate(&request, &|attempt| reporter.record(attempt))
        })
        .await
        .unwrap_or_else(|_| Finished::Failed {
            error: "the job runner panicked; see the server log".to_owned(),
            attempts: flight.progress(),
            report: serde_json::Value::Null,
        });
        drop(worker);
        drop(admitted);
        if !flight.finalise() {
            // The server stopped meanwhile and already recorded the job as interrupted.
            return Outcome::Stopped;
        }
        let seconds = started.elapsed().as_secs_f64();
        match &finished {
            Finished::Succeeded { attempts, .. } | Finished::Failed { attempts, .. } => {
                self.metrics.attempts(attempts)
            }
        }
        let record = finished.clone();
        let stored = self
            .blocking(move |store| store.finish_job(id, &record))
            .await;
        self.active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        match (finished, stored) {
            (_, Err(error)) => {
                tracing::error!(job = id, %error, "cannot record the job's end");
                self.metrics
                    .job_ended(true, JobState::Failed, Some(seconds));
                Outcome::Error(format!("cannot record job {id}: {error}"))
            }
            (Finished::Succeeded { derivation, .. }, Ok(_)) => {
                let served = self.remember(derivation.text);
                tracing::info!(
                    job = id,
                    hash = %String::from_utf8_lossy(&served.hash),
                    seconds,
                    "job succeeded"
                );
                self.metrics
                    .job_ended(true, JobState::Succeeded, Some(seconds));
                Outcome::Succeeded { job: id, served }
            }
            (Finished::Failed { error, .. }, Ok(_)) => {
                let error = one_line(&error);
                tracing::info!(job = id, %error, seconds, "job failed");
                self.metrics
                    .job_ended(true, JobState::Failed, Some(seconds));
                Outcome::Failed {
                    job: id,
                    error: Arc::from(error),
                    until: Instant::now() + self.retry_failed_after,
                }
            }
        }
    }

    /// Records a job cut off by the shutdown as failed (once) and answers its waiters.
    async fn interrupt(&self, flight: &Arc<Flight>) {
        if !flight.finalise() {
            return;
        }
        let Some(&id) = flight.job.get() else {
            return;
        };
        let was_running = matches!(*flight.phase.borrow(), Phase::Running(_));
        let finished = Finished::Failed {
            error: INTERRUPTED.to_owned(),
            attempts: flight.progress(),
            report: serde_json::Value::Null,
        };
        if let Err(error) = self
            .blocking(move |store| store.finish_job(id, &finished))
            .await
        {
            tracing::error!(job = id, %error, "cannot record the job as interrupted");
        }
        self.active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&id);
        self.metrics.job_ended(was_running, JobState::Failed, None);
        tracing::info!(job = id, "job interrupted");
        self.settle(flight, Arc::new(Outcome::Stopped));
    }

    /// Stops taking jobs and records every job still queued or running as interrupted.
    pub(crate) async fn interrupt_all(&self) {
        self.stopping.store(true, Ordering::Release);
        self.workers.close();
        let flights: Vec<Arc<Flight>> = self
            .active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        for flight in flights {
            self.interrupt(&flight).await;
        }
    }

    /// Publishes a flight's outcome: kept for later requests when it is an answer, forgotten
    /// (so the next request tries again) when it is not.
    fn settle(&self, flight: &Arc<Flight>, outcome: Arc<Outcome>) {
        {
            let mut prompts = self.prompts.write().unwrap_or_else(PoisonError::into_inner);
            let ours = matches!(
                prompts.get(&*flight.key),
                Some(Slot::Pending(current)) if Arc::ptr_eq(current, flight)
            );
            if ours {
                match &*outcome {
                    Outcome::Succeeded { .. } | Outcome::Failed { .. } => {
                        prompts.insert(flight.key.clone(), Slot::Ready(outcome.clone()));
                    }
                    Outcome::Busy | Outcome::Stopped | Outcome::Error(_) => {
                        prompts.remove(&*flight.key);
                    }
                }
            }
        }
        flight.phase.send_if_modified(|phase| {
            if matches!(phase, Phase::Done(_)) {
                false
            } else {
                *phase = Phase::Done(outcome);
                true
            }
        });
    }
}

/// `text` on one line (a job's error may span several).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

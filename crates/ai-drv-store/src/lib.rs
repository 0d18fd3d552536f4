//! ai-drv's persistent store: which request led to which job, each job's attempts and outcome,
//! and the verified derivations (hash → text) the server hands out. One SQLite file in WAL mode,
//! so a reader never waits for the writer and a `kill -9` never loses a committed job.

mod types;

use std::path::{Path, PathBuf};

pub use types::{
    AttemptRecord, Derivation, DerivationSummary, Finished, Job, JobId, JobState, NewDerivation,
    RequestRecord,
};

/// Why the store could not do what was asked; one line each.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the store {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("the store {path} was written by a newer ai-drv (schema {found}, this one knows up to {known}); upgrade ai-drv or use another --store")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("store: no job {0}")]
    NoJob(JobId),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The normalised form of a request, the key of the requests table: surrounding whitespace
/// removed and every run of inner whitespace made one space. Case is kept.
pub fn normalise(request: &str) -> String {
    request.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `/hash` answer for a text: standard base64 (padded, 44 chars) of its SHA-256.
pub fn text_hash(text: &str) -> String {
    ai_drv_hash::hash_bytes(ai_drv_hash::Algorithm::Sha256, text.as_bytes()).to_base64()
}

/// The store file under a data directory: `<data_home>/ai-drv/store.sqlite`.
pub fn default_path(data_home: &Path) -> PathBuf {
    data_home.join("ai-drv").join("store.sqlite")
}

/// An open store. Cheap to share behind an `Arc`; every method takes `&self`.
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// Opens (creating it and its directory if needed) and migrates the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let _ = path;
        todo!("ai-drv-store: open")
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Marks every job left `queued` or `running` by a process that stopped (crash, kill -9) as
    /// failed with "interrupted: …"; returns their ids. Call once at server start.
    pub fn recover(&self) -> Result<Vec<JobId>> {
        todo!("ai-drv-store: recover")
    }

    /// What is known about `request` (normalised before lookup): its latest job.
    pub fn request(&self, request: &str) -> Result<Option<RequestRecord>> {
        let _ = request;
        todo!("ai-drv-store: request")
    }

    /// Records a new queued job for `request` and points the request (normalised) at it.
    pub fn create_job(&self, request: &str) -> Result<JobId> {
        let _ = request;
        todo!("ai-drv-store: create_job")
    }

    /// Marks a job running.
    pub fn start_job(&self, id: JobId) -> Result<()> {
        let _ = id;
        todo!("ai-drv-store: start_job")
    }

    /// Records how a job ended, in one transaction: attempts, state, and for a success the
    /// derivation (hash computed here with [`text_hash`]). Returns the derivation's hash.
    pub fn finish_job(&self, id: JobId, finished: &Finished) -> Result<Option<String>> {
        let _ = (id, finished);
        todo!("ai-drv-store: finish_job")
    }

    pub fn job(&self, id: JobId) -> Result<Option<Job>> {
        let _ = id;
        todo!("ai-drv-store: job")
    }

    pub fn derivation(&self, hash: &str) -> Result<Option<Derivation>> {
        let _ = hash;
        todo!("ai-drv-store: derivation")
    }

    /// Every stored derivation, newest first.
    pub fn derivations(&self) -> Result<Vec<DerivationSummary>> {
        todo!("ai-drv-store: derivations")
    }

    /// Removes a derivation and forgets the requests that led to it (so they are generated
    /// again). Returns whether it existed.
    pub fn remove(&self, hash: &str) -> Result<bool> {
        let _ = hash;
        todo!("ai-drv-store: remove")
    }

    /// How many jobs are in each state.
    pub fn job_counts(&self) -> Result<Vec<(JobState, u64)>> {
        todo!("ai-drv-store: job_counts")
    }
}

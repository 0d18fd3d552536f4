//! The plain records the store keeps and hands out: jobs, their attempts, and verified
//! derivations. The server, the CLI (`ai-drv cache`) and the job runner exchange these.

use serde::Serialize;

/// A job's number in the store (SQLite rowid; never reused).
pub type JobId = i64;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobState> {
        match s {
            "queued" => Some(JobState::Queued),
            "running" => Some(JobState::Running),
            "succeeded" => Some(JobState::Succeeded),
            "failed" => Some(JobState::Failed),
            _ => None,
        }
    }

    /// Whether the job has ended (its record no longer changes).
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed)
    }

    pub const ALL: [JobState; 4] = [
        JobState::Queued,
        JobState::Running,
        JobState::Succeeded,
        JobState::Failed,
    ];
}

/// One build attempt of a job, as the engine reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptRecord {
    /// 1-based.
    pub number: u32,
    /// The attempt's outcome (`built`, `build-failed`, `eval-failed`, `rejected`, …).
    pub outcome: String,
    /// The diagnosis of the failure, when there was one.
    pub diagnosis: Option<String>,
    /// The fixes applied after this attempt (one line each).
    pub fixes: Vec<String>,
    /// How long the build took, in milliseconds.
    pub duration_ms: u64,
}

/// A verified derivation to be stored (its hash is computed by the store).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewDerivation {
    /// The derivation text exactly as served (a callPackage function).
    pub text: String,
    pub pname: Option<String>,
    pub version: Option<String>,
    /// The store path the engine built.
    pub out_path: Option<String>,
    /// The check's result (JSON, as the engine reported it).
    pub check: serde_json::Value,
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Finished {
    Succeeded {
        derivation: NewDerivation,
        attempts: Vec<AttemptRecord>,
        /// The engine's report (attempts, timings, model usage) as JSON; no secrets.
        report: serde_json::Value,
    },
    Failed {
        /// One line saying why.
        error: String,
        attempts: Vec<AttemptRecord>,
        report: serde_json::Value,
    },
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub id: JobId,
    /// The request as given (not normalised).
    pub request: String,
    pub state: JobState,
    /// Unix seconds.
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// Why it failed.
    pub error: Option<String>,
    /// The hash (44-char standard base64 of SHA-256) of the derivation it produced.
    pub hash: Option<String>,
    pub attempts: Vec<AttemptRecord>,
    pub report: Option<serde_json::Value>,
}

/// What the store knows about a request (by its normalised text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// The latest job for this request.
    pub job: JobId,
    pub state: JobState,
    pub hash: Option<String>,
    pub error: Option<String>,
    pub finished_at: Option<i64>,
}

/// A stored verified derivation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derivation {
    /// 44-char standard base64 of the SHA-256 of `text` (the `/hash` answer).
    pub hash: String,
    pub text: String,
    pub pname: Option<String>,
    pub version: Option<String>,
    pub out_path: Option<String>,
    pub check: serde_json::Value,
    /// The job that produced it.
    pub job: Option<JobId>,
    /// The request of that job.
    pub request: Option<String>,
    pub created_at: i64,
}

/// One line of `ai-drv cache list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DerivationSummary {
    pub hash: String,
    pub pname: Option<String>,
    pub version: Option<String>,
    pub request: Option<String>,
    pub created_at: i64,
    /// Size of the text in bytes.
    pub size: usize,
}

/// One line of a job listing (`jobs(limit)`): a job without its attempts and report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSummary {
    pub id: JobId,
    /// The request as given (not normalised).
    pub request: String,
    pub state: JobState,
    /// Unix seconds.
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub error: Option<String>,
    pub hash: Option<String>,
    /// How many attempts were recorded (recorded when the job finishes).
    pub attempts: u32,
}

//! ai-drv's persistent store: which request led to which job, each job's attempts and outcome,
//! and the verified derivations (hash → text) the server hands out. One SQLite file in WAL mode,
//! so a reader never waits for the writer and a `kill -9` never loses a committed job.
//!
//! Several processes may open the same file (the server, and `ai-drv cache` or
//! `ai-drv lock --local` next to it): every write is one `BEGIN IMMEDIATE` transaction, and a
//! busy timeout makes a second writer wait instead of failing.

mod schema;
mod types;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::types::Type;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, Row, Transaction};

pub use schema::SCHEMA_VERSION;
pub use types::{
    AttemptRecord, Derivation, DerivationSummary, Finished, Job, JobId, JobState, JobSummary,
    NewDerivation, RequestRecord,
};

/// The error `recover` gives the jobs it finds cut off.
pub const INTERRUPTED: &str =
    "interrupted: the server stopped before this job finished; ask again to retry";

/// How long a write waits for another connection's write to end before giving up. Writes are
/// short (one job's records), so waiting this long means something is stuck.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

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
    #[error("store: job {0} has already finished")]
    AlreadyFinished(JobId),
    #[error("{prefix:?} matches {} stored derivations ({}); give more of the hash", .matches.len(), .matches.join(", "))]
    Ambiguous {
        prefix: String,
        /// One short line per match: the hash's first 12 characters, pname and version.
        matches: Vec<String>,
    },
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
///
/// One connection behind a mutex: the server keeps answered hashes in memory, so the store is
/// not on the hot path, and one connection keeps every method's transaction simple.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

// The server shares one store across tokio tasks.
const _: fn() = || {
    fn shared<T: Send + Sync>() {}
    shared::<Store>();
};

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating it and its directory if needed) and migrates the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let fail = |message: String| StoreError::Open {
            path: path.to_path_buf(),
            message,
        };
        let sqlite = |e: rusqlite::Error| fail(describe(&e));
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs_err::create_dir_all(parent).map_err(|e| fail(e.to_string()))?;
        }
        let mut conn = Connection::open(path).map_err(sqlite)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;

        // Read before changing anything, so a file that is not ours is left exactly as it was
        // (no journal mode switched, no -wal file made). One read transaction: the version and
        // the tables come from the same snapshot even while another process migrates the file.
        let (found, tables) = {
            let tx = conn.transaction().map_err(sqlite)?;
            let found: i64 = tx
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(sqlite)?;
            let tables: i64 = tx
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(sqlite)?;
            tx.commit().map_err(sqlite)?;
            (found, tables)
        };
        if found > SCHEMA_VERSION {
            return Err(too_new(path, found));
        }
        if found < 0 {
            return Err(fail(format!(
                "its schema version is {found}, which no ai-drv writes; move it away or use another --store"
            )));
        }
        if found == 0 && tables > 0 {
            return Err(fail(
                "it is an SQLite database with other tables, not an ai-drv store; use another --store"
                    .to_string(),
            ));
        }

        enable_wal(&conn, path)?;
        // In WAL mode, synchronous=NORMAL still makes a commit durable against a process kill
        // (kill -9, crash): the committed frames are in the WAL file in the OS page cache. Only a
        // power loss or OS crash may roll back the last few commits, never corrupt the file.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(sqlite)?;
        if found < SCHEMA_VERSION {
            migrate(&mut conn, path)?;
        }
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection. A panic while holding it cannot leave a transaction open (rusqlite's
    /// `Transaction` rolls back on drop), so a poisoned lock is still safe to use.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks every job left `queued` or `running` by a process that stopped (crash, kill -9) as
    /// failed with "interrupted: …"; returns their ids. Call once at server start.
    pub fn recover(&self) -> Result<Vec<JobId>> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        let ids = {
            let mut stmt =
                tx.prepare("SELECT id FROM jobs WHERE state IN ('queued', 'running') ORDER BY id")?;
            let ids = stmt
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<JobId>>>()?;
            ids
        };
        tx.execute(
            "UPDATE jobs SET state = 'failed', error = ?1, finished_at = ?2
             WHERE state IN ('queued', 'running')",
            params![INTERRUPTED, now()],
        )?;
        tx.commit()?;
        Ok(ids)
    }

    /// What is known about `request` (normalised before lookup): its latest job.
    pub fn request(&self, request: &str) -> Result<Option<RequestRecord>> {
        let conn = self.conn();
        let record = conn
            .query_row(
                "SELECT j.id, j.state, j.hash, j.error, j.finished_at
                 FROM requests r JOIN jobs j ON j.id = r.job
                 WHERE r.normalised = ?1",
                [normalise(request)],
                |r| {
                    Ok(RequestRecord {
                        job: r.get(0)?,
                        state: state_at(r, 1)?,
                        hash: r.get(2)?,
                        error: r.get(3)?,
                        finished_at: r.get(4)?,
                    })
                },
            )
            .optional()?;
        Ok(record)
    }

    /// Every request whose latest job succeeded and whose derivation is stored, as
    /// (normalised request, hash): what a server loads into memory at start.
    pub fn answers(&self) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT r.normalised, d.hash
             FROM requests r
             JOIN jobs j ON j.id = r.job
             JOIN derivations d ON d.hash = j.hash
             WHERE j.state = 'succeeded'
             ORDER BY r.normalised",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Records a new queued job for `request` and points the request (normalised) at it.
    pub fn create_job(&self, request: &str) -> Result<JobId> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        let now = now();
        let normalised = normalise(request);
        tx.execute(
            "INSERT INTO jobs (request, normalised, state, created_at)
             VALUES (?1, ?2, 'queued', ?3)",
            params![request, normalised, now],
        )?;
        let id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO requests (normalised, job, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (normalised) DO UPDATE SET job = excluded.job,
                                                    updated_at = excluded.updated_at",
            params![normalised, id, now],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Marks a job running. Starting a running job again changes nothing; a finished one is
    /// [`StoreError::AlreadyFinished`].
    pub fn start_job(&self, id: JobId) -> Result<()> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        let (state, _) = job_state(&tx, id)?;
        match state {
            JobState::Queued => {
                tx.execute(
                    "UPDATE jobs SET state = 'running', started_at = ?2 WHERE id = ?1",
                    params![id, now()],
                )?;
            }
            JobState::Running => {}
            JobState::Succeeded | JobState::Failed => return Err(StoreError::AlreadyFinished(id)),
        }
        tx.commit()?;
        Ok(())
    }

    /// Records how a job ended, in one transaction: attempts, state, and for a success the
    /// derivation (hash computed here with [`text_hash`]). Returns the derivation's hash.
    ///
    /// A job that already ended is [`StoreError::AlreadyFinished`] — except one that
    /// [`Store::recover`] marked interrupted while its process was in fact still working (e.g.
    /// `ai-drv lock --local` next to a restarted server): its real outcome replaces the guess.
    pub fn finish_job(&self, id: JobId, finished: &Finished) -> Result<Option<String>> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        let (state, error) = job_state(&tx, id)?;
        let interrupted = state == JobState::Failed && error.as_deref() == Some(INTERRUPTED);
        if state.is_final() && !interrupted {
            return Err(StoreError::AlreadyFinished(id));
        }
        let now = now();
        let attempts = match finished {
            Finished::Succeeded { attempts, .. } | Finished::Failed { attempts, .. } => attempts,
        };
        tx.execute("DELETE FROM attempts WHERE job = ?1", [id])?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO attempts (job, number, outcome, diagnosis, fixes_json, duration_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for a in attempts {
                insert.execute(params![
                    id,
                    a.number,
                    a.outcome,
                    a.diagnosis,
                    serde_json::json!(a.fixes).to_string(),
                    a.duration_ms,
                ])?;
            }
        }
        let hash = match finished {
            Finished::Succeeded {
                derivation: d,
                report,
                ..
            } => {
                let hash = text_hash(&d.text);
                // The same text from another request is the same derivation: keep the first
                // row (its job and date). Only the primary key conflict is ignored, unlike
                // INSERT OR IGNORE, which would also swallow a NOT NULL violation.
                tx.execute(
                    "INSERT INTO derivations
                         (hash, text, pname, version, out_path, check_json, job, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (hash) DO NOTHING",
                    params![
                        hash,
                        d.text,
                        d.pname,
                        d.version,
                        d.out_path,
                        d.check.to_string(),
                        id,
                        now
                    ],
                )?;
                tx.execute(
                    "UPDATE jobs SET state = 'succeeded', finished_at = ?2, error = NULL,
                                     hash = ?3, report_json = ?4
                     WHERE id = ?1",
                    params![id, now, hash, json_or_null(report)],
                )?;
                Some(hash)
            }
            Finished::Failed { error, report, .. } => {
                tx.execute(
                    "UPDATE jobs SET state = 'failed', finished_at = ?2, error = ?3,
                                     hash = NULL, report_json = ?4
                     WHERE id = ?1",
                    params![id, now, error, json_or_null(report)],
                )?;
                None
            }
        };
        tx.commit()?;
        Ok(hash)
    }

    pub fn job(&self, id: JobId) -> Result<Option<Job>> {
        let mut conn = self.conn();
        // One read transaction: the job row and its attempts come from the same snapshot even
        // if another process finishes the job in between.
        let tx = conn.transaction()?;
        let job = tx
            .query_row(
                "SELECT id, request, state, created_at, started_at, finished_at, error, hash,
                        report_json
                 FROM jobs WHERE id = ?1",
                [id],
                |r| {
                    Ok(Job {
                        id: r.get(0)?,
                        request: r.get(1)?,
                        state: state_at(r, 2)?,
                        created_at: r.get(3)?,
                        started_at: r.get(4)?,
                        finished_at: r.get(5)?,
                        error: r.get(6)?,
                        hash: r.get(7)?,
                        attempts: Vec::new(),
                        report: json_opt_at(r, 8)?,
                    })
                },
            )
            .optional()?;
        let Some(mut job) = job else {
            return Ok(None);
        };
        {
            let mut stmt = tx.prepare(
                "SELECT number, outcome, diagnosis, fixes_json, duration_ms
                 FROM attempts WHERE job = ?1 ORDER BY number",
            )?;
            job.attempts = stmt
                .query_map([id], |r| {
                    Ok(AttemptRecord {
                        number: r.get(0)?,
                        outcome: r.get(1)?,
                        diagnosis: r.get(2)?,
                        fixes: fixes_at(r, 3)?,
                        duration_ms: r.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
        }
        tx.commit()?;
        Ok(Some(job))
    }

    /// The latest `limit` jobs, newest first, without their attempts and reports.
    pub fn jobs(&self, limit: usize) -> Result<Vec<JobSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT j.id, j.request, j.state, j.created_at, j.started_at, j.finished_at,
                    j.error, j.hash, (SELECT count(*) FROM attempts a WHERE a.job = j.id)
             FROM jobs j ORDER BY j.id DESC LIMIT ?1",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let jobs = stmt
            .query_map([limit], |r| {
                Ok(JobSummary {
                    id: r.get(0)?,
                    request: r.get(1)?,
                    state: state_at(r, 2)?,
                    created_at: r.get(3)?,
                    started_at: r.get(4)?,
                    finished_at: r.get(5)?,
                    error: r.get(6)?,
                    hash: r.get(7)?,
                    attempts: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(jobs)
    }

    pub fn derivation(&self, hash: &str) -> Result<Option<Derivation>> {
        let conn = self.conn();
        let derivation = conn
            .query_row(
                "SELECT d.hash, d.text, d.pname, d.version, d.out_path, d.check_json, d.job,
                        j.request, d.created_at
                 FROM derivations d LEFT JOIN jobs j ON j.id = d.job
                 WHERE d.hash = ?1",
                [hash],
                derivation_row,
            )
            .optional()?;
        Ok(derivation)
    }

    /// The one derivation `prefix` names, for `ai-drv cache show <prefix>`: a whole hash, or a
    /// prefix of a hash (also written `sha256-…`) or of a pname that only one derivation has.
    /// A pname given in full wins over longer pnames it is a prefix of (`sl` is not `sloccount`).
    /// `None` when nothing matches; [`StoreError::Ambiguous`] when several do.
    pub fn derivation_by_prefix(&self, prefix: &str) -> Result<Option<Derivation>> {
        let hash_prefix = prefix.strip_prefix("sha256-").unwrap_or(prefix);
        let candidates: Vec<(String, Option<String>, Option<String>)> = {
            let conn = self.conn();
            let mut stmt = conn.prepare(
                // substr rather than LIKE: exact and case-sensitive (base64 is), and no
                // wildcards to escape ('_' is common in pnames).
                "SELECT hash, pname, version FROM derivations
                 WHERE substr(hash, 1, length(?1)) = ?1 OR substr(pname, 1, length(?2)) = ?2
                 ORDER BY created_at DESC, rowid DESC",
            )?;
            let rows = stmt
                .query_map(params![hash_prefix, prefix], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows
        };
        let chosen = if let Some(exact) = candidates.iter().find(|c| c.0 == hash_prefix) {
            Some(exact)
        } else if candidates.len() <= 1 {
            candidates.first()
        } else {
            let named: Vec<_> = candidates
                .iter()
                .filter(|c| c.1.as_deref() == Some(prefix))
                .collect();
            match named.as_slice() {
                [one] => Some(*one),
                _ => {
                    let among = if named.is_empty() {
                        candidates.iter().collect()
                    } else {
                        named
                    };
                    return Err(StoreError::Ambiguous {
                        prefix: prefix.to_string(),
                        matches: among.iter().map(|c| describe_match(c)).collect(),
                    });
                }
            }
        };
        match chosen {
            Some((hash, _, _)) => self.derivation(hash),
            None => Ok(None),
        }
    }

    /// Every stored derivation, newest first.
    pub fn derivations(&self) -> Result<Vec<DerivationSummary>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT d.hash, d.pname, d.version, j.request, d.created_at,
                    length(CAST(d.text AS BLOB))
             FROM derivations d LEFT JOIN jobs j ON j.id = d.job
             ORDER BY d.created_at DESC, d.rowid DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DerivationSummary {
                    hash: r.get(0)?,
                    pname: r.get(1)?,
                    version: r.get(2)?,
                    request: r.get(3)?,
                    created_at: r.get(4)?,
                    size: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Removes a derivation and forgets the requests that led to it (so they are generated
    /// again). Returns whether it existed. Jobs stay as history.
    pub fn remove(&self, hash: &str) -> Result<bool> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        tx.execute(
            "DELETE FROM requests WHERE job IN (SELECT id FROM jobs WHERE hash = ?1)",
            [hash],
        )?;
        let removed = tx.execute("DELETE FROM derivations WHERE hash = ?1", [hash])?;
        tx.commit()?;
        Ok(removed > 0)
    }

    /// How many jobs are in each state: every state, in [`JobState::ALL`] order, zeros included
    /// (what a metrics gauge wants).
    pub fn job_counts(&self) -> Result<Vec<(JobState, u64)>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT state, count(*) FROM jobs GROUP BY state")?;
        let found = stmt
            .query_map([], |r| Ok((state_at(r, 0)?, r.get::<_, u64>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(JobState::ALL
            .iter()
            .map(|&state| {
                let n = found
                    .iter()
                    .find(|(s, _)| *s == state)
                    .map_or(0, |(_, n)| *n);
                (state, n)
            })
            .collect())
    }
}

/// Applies the migration steps the file lacks, each in its own transaction. The version is read
/// again inside each transaction: another process opening the same new file may have migrated
/// it in the meantime.
fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let fail = |e: rusqlite::Error| StoreError::Open {
        path: path.to_path_buf(),
        message: format!("migrating its schema failed: {}", describe(&e)),
    };
    loop {
        let tx = write(conn).map_err(fail)?;
        let version: i64 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(fail)?;
        if version > SCHEMA_VERSION {
            return Err(too_new(path, version));
        }
        let Some(step) = usize::try_from(version)
            .ok()
            .and_then(|v| schema::MIGRATIONS.get(v))
        else {
            return Ok(());
        };
        tx.execute_batch(step).map_err(fail)?;
        tx.pragma_update(None, "user_version", version + 1)
            .map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
}

/// Puts the file in WAL mode: readers and the writer do not block each other. It is a property
/// of the file, so this is a no-op after the first open. Switching needs the file to itself, and
/// SQLite answers SQLITE_BUSY at once (without its busy handler) or keeps the old mode when
/// another connection is using it — as when several processes open a new store together — so
/// this retries until the busy timeout.
fn enable_wal(conn: &Connection, path: &Path) -> Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        let outcome = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        let retry = match &outcome {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
            Ok(_) => true,
            Err(e) => e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy),
        };
        if !retry || std::time::Instant::now() >= deadline {
            let message = match outcome {
                Ok(mode) => format!(
                    "cannot switch it to WAL mode (it stays in {mode} mode); put it on a local file system"
                ),
                Err(e) => describe(&e),
            };
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                message,
            });
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A write transaction. IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies;
/// a deferred transaction that reads first and then writes can instead fail at once with
/// SQLITE_BUSY when another connection committed in between.
fn write(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

fn too_new(path: &Path, found: i64) -> StoreError {
    StoreError::TooNew {
        path: path.to_path_buf(),
        found,
        known: SCHEMA_VERSION,
    }
}

/// One line for an SQLite error met while opening, with what to do for the common cases.
fn describe(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            "it is not an SQLite database; move it away or use another --store".to_string()
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("{e} (another process holds it locked; try again when it is done)")
        }
        _ => e.to_string(),
    }
}

/// A job's state and error, or [`StoreError::NoJob`].
fn job_state(tx: &Transaction<'_>, id: JobId) -> Result<(JobState, Option<String>)> {
    tx.query_row("SELECT state, error FROM jobs WHERE id = ?1", [id], |r| {
        Ok((state_at(r, 0)?, r.get(1)?))
    })
    .optional()?
    .ok_or(StoreError::NoJob(id))
}

fn derivation_row(r: &Row<'_>) -> rusqlite::Result<Derivation> {
    Ok(Derivation {
        hash: r.get(0)?,
        text: r.get(1)?,
        pname: r.get(2)?,
        version: r.get(3)?,
        out_path: r.get(4)?,
        check: json_at(r, 5)?,
        job: r.get(6)?,
        request: r.get(7)?,
        created_at: r.get(8)?,
    })
}

fn describe_match((hash, pname, version): &(String, Option<String>, Option<String>)) -> String {
    let short: String = hash.chars().take(12).collect();
    [Some(short), pname.clone(), version.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

fn conversion(idx: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, message.into())
}

fn state_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<JobState> {
    let s: String = r.get(idx)?;
    JobState::parse(&s).ok_or_else(|| conversion(idx, format!("unknown job state {s:?}")))
}

fn json_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<serde_json::Value> {
    let s: String = r.get(idx)?;
    serde_json::from_str(&s).map_err(|e| conversion(idx, format!("stored JSON is invalid: {e}")))
}

/// A report as stored: JSON text, or SQL NULL for no report (`Value::Null`), which reads back
/// as `None`.
fn json_or_null(value: &serde_json::Value) -> Option<String> {
    (!value.is_null()).then(|| value.to_string())
}

fn json_opt_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<serde_json::Value>> {
    match r.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(_) => json_at(r, idx).map(Some),
    }
}

fn fixes_at(r: &Row<'_>, idx: usize) -> rusqlite::Result<Vec<String>> {
    let s: String = r.get(idx)?;
    serde_json::from_str(&s).map_err(|e| conversion(idx, format!("stored fixes are invalid: {e}")))
}

/// Unix seconds now (0 for a clock before 1970, which only a broken clock gives).
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

//! The store's schema as an ordered list of migration steps. Step `i` (0-based) takes the file
//! from `PRAGMA user_version = i` to `i + 1`; each runs in its own transaction, so a file is
//! always at one whole version. Append new steps at the end; never edit a released one.

/// Migration steps, oldest first.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
    -- Every job ever run; never deleted, so ids (AUTOINCREMENT) are never reused and a job id
    -- handed to a client stays meaningful.
    CREATE TABLE jobs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        request     TEXT    NOT NULL,          -- as the client gave it
        normalised  TEXT    NOT NULL,          -- normalise(request)
        state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
        created_at  INTEGER NOT NULL,          -- unix seconds
        started_at  INTEGER,
        finished_at INTEGER,
        error       TEXT,
        -- The derivation it produced. No foreign key: `remove` deletes derivations and the job
        -- stays as history.
        hash        TEXT,
        report_json TEXT
    );
    -- recover() looks for unfinished jobs; jobs(limit) pages by id; remove() finds jobs by hash.
    CREATE INDEX jobs_by_state ON jobs (state);
    CREATE INDEX jobs_by_hash ON jobs (hash);

    -- Normalised request -> its latest job.
    CREATE TABLE requests (
        normalised TEXT    PRIMARY KEY,
        job        INTEGER NOT NULL REFERENCES jobs (id),
        updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX requests_by_job ON requests (job);

    CREATE TABLE attempts (
        job         INTEGER NOT NULL REFERENCES jobs (id),
        number      INTEGER NOT NULL,
        outcome     TEXT    NOT NULL,
        diagnosis   TEXT,
        fixes_json  TEXT    NOT NULL,          -- JSON array of strings
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (job, number)
    ) WITHOUT ROWID;

    -- Verified derivations by the /hash answer for their text.
    CREATE TABLE derivations (
        hash       TEXT    PRIMARY KEY,
        text       TEXT    NOT NULL,
        pname      TEXT,
        version    TEXT,
        out_path   TEXT,
        check_json TEXT    NOT NULL,
        job        INTEGER REFERENCES jobs (id),  -- the first job that produced it
        created_at INTEGER NOT NULL
    );
    -- `cache show <pname>` and `cache list` (newest first).
    CREATE INDEX derivations_by_pname ON derivations (pname);
    CREATE INDEX derivations_by_created ON derivations (created_at);
    "#,
];

/// The schema version this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

//! The store on real SQLite files in a temporary directory: opening and migrating, refusing
//! files it must not touch, the job life cycle, request lookup, shared derivations, recovery,
//! removal, counts, listings and prefix lookup.

mod common;

use ai_drv_store::{
    default_path, normalise, text_hash, Finished, JobState, RequestRecord, Store, StoreError,
    INTERRUPTED, SCHEMA_VERSION,
};
use common::{attempt, derivation, failure, now, sl_text, success};
use serde_json::json;
use std::path::Path;

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn tables(path: &Path) -> Vec<String> {
    let conn = raw(path);
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn hashes_and_normalisation() {
    assert_eq!(
        text_hash(""),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
    assert_eq!(
        text_hash("abc"),
        "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
    );
    assert_eq!(
        normalise(" Generate  a\tderivation \n"),
        "Generate a derivation"
    );
    assert_eq!(normalise("Keep CASE"), "Keep CASE");
    assert_eq!(
        default_path(Path::new("/data")),
        Path::new("/data/ai-drv/store.sqlite")
    );
}

#[test]
fn migrates_an_empty_file_and_creates_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/store.sqlite");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.path(), path);
    assert!(path.is_file());
    drop(store);

    let conn = raw(&path);
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 1);
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    assert_eq!(
        tables(&path),
        [
            "attempts",
            "derivations",
            "jobs",
            "requests",
            "sqlite_sequence"
        ]
    );
}

#[test]
fn a_zero_byte_file_is_a_new_store() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    fs_err::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.job_counts().unwrap()[0], (JobState::Queued, 0));
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let (ok, bad, queued, hash) = {
        let store = Store::open(&path).unwrap();
        let ok = store
            .create_job("Generate a derivation for building `sl`")
            .unwrap();
        store.start_job(ok).unwrap();
        let hash = store
            .finish_job(ok, &success(derivation("sl", "5.02", &sl_text())))
            .unwrap();
        let bad = store.create_job("crate:nonexistent@1.0.0").unwrap();
        store.start_job(bad).unwrap();
        store.finish_job(bad, &failure("no such crate")).unwrap();
        let queued = store.create_job("pypi:tabulate").unwrap();
        (ok, bad, queued, hash.unwrap())
    };
    let before = {
        let store = Store::open(&path).unwrap();
        (
            store.job(ok).unwrap().unwrap(),
            store.job(bad).unwrap().unwrap(),
            store.derivation(&hash).unwrap().unwrap(),
        )
    };

    let store = Store::open(&path).unwrap();
    let job = store.job(ok).unwrap().unwrap();
    assert_eq!(job.state, JobState::Succeeded);
    assert_eq!(job.hash.as_deref(), Some(hash.as_str()));
    assert_eq!(
        job.attempts,
        [attempt(1, "build-failed"), attempt(2, "built")]
    );
    assert_eq!(
        job.report,
        Some(json!({"attempts": 2, "seconds": 12.5, "model": null}))
    );
    assert_eq!(store.job(bad).unwrap().unwrap().state, JobState::Failed);
    assert_eq!(store.job(queued).unwrap().unwrap().state, JobState::Queued);
    let d = store.derivation(&hash).unwrap().unwrap();
    assert_eq!(d.text, sl_text());
    assert_eq!(job, before.0);
    assert_eq!(store.job(bad).unwrap().unwrap(), before.1);
    assert_eq!(d, before.2);
    assert_eq!(
        store
            .request("Generate a derivation for building `sl`")
            .unwrap()
            .map(|r| r.hash),
        Some(Some(hash))
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    drop(Store::open(&path).unwrap());
    raw(&path)
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();

    let err = Store::open(&path).unwrap_err();
    match &err {
        StoreError::TooNew {
            path: p,
            found,
            known,
        } => {
            assert_eq!(p, &path);
            assert_eq!(*found, SCHEMA_VERSION + 1);
            assert_eq!(*known, SCHEMA_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "the store {} was written by a newer ai-drv (schema 2, this one knows up to 1); upgrade ai-drv or use another --store",
            path.display()
        )
    );
    // Refusing changed nothing.
    let version: i64 = raw(&path)
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION + 1);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let content = "these are my notes, not a database\n".repeat(100);
    fs_err::write(&path, &content).unwrap();

    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    let line = err.to_string();
    assert_eq!(
        line,
        format!(
            "cannot open the store {}: it is not an SQLite database; move it away or use another --store",
            path.display()
        )
    );
    assert!(!line.contains('\n'));
    assert_eq!(fs_err::read_to_string(&path).unwrap(), content);
    let mut left: Vec<_> = fs_err::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, ["notes.txt"]);
}

#[test]
fn another_programs_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    raw(&path)
        .execute_batch("CREATE TABLE contacts (name TEXT)")
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot open the store {}: it is an SQLite database with other tables, not an ai-drv store; use another --store",
            path.display()
        )
    );
    assert_eq!(tables(&path), ["contacts"]);
}

#[test]
fn a_directory_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    let line = err.to_string();
    assert!(
        line.starts_with(&format!("cannot open the store {}: ", dir.path().display())),
        "{line}"
    );
    assert!(!line.contains('\n'));
}

#[test]
fn a_job_that_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let t0 = now();
    let id = store
        .create_job("Generate a derivation for building `sl`")
        .unwrap();

    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.state, JobState::Queued);
    assert_eq!(job.request, "Generate a derivation for building `sl`");
    assert!(job.created_at >= t0 && job.created_at <= now());
    assert_eq!(
        (
            job.started_at,
            job.finished_at,
            job.error,
            job.hash,
            job.report
        ),
        (None, None, None, None, None)
    );
    assert!(job.attempts.is_empty());

    store.start_job(id).unwrap();
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.state, JobState::Running);
    let started = job.started_at.unwrap();
    assert!(started >= t0 && started <= now());
    // Starting again is harmless and keeps the first start time.
    store.start_job(id).unwrap();
    assert_eq!(store.job(id).unwrap().unwrap().started_at, Some(started));

    let d = derivation("sl", "5.02", &sl_text());
    let hash = store.finish_job(id, &success(d.clone())).unwrap();
    assert_eq!(hash.as_deref(), Some(text_hash(&sl_text()).as_str()));
    let hash = hash.unwrap();
    assert_eq!(hash.len(), 44);

    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.state, JobState::Succeeded);
    assert!(job.state.is_final());
    assert_eq!(job.hash.as_deref(), Some(hash.as_str()));
    assert_eq!(job.error, None);
    let finished = job.finished_at.unwrap();
    assert!(finished >= started && finished <= now());
    assert_eq!(
        job.attempts,
        [attempt(1, "build-failed"), attempt(2, "built")]
    );
    assert_eq!(job.attempts[0].fixes.len(), 2);
    assert_eq!(
        job.report,
        Some(json!({"attempts": 2, "seconds": 12.5, "model": null}))
    );

    let stored = store.derivation(&hash).unwrap().unwrap();
    assert_eq!(stored.hash, hash);
    assert_eq!(stored.text, d.text);
    assert_eq!(stored.pname.as_deref(), Some("sl"));
    assert_eq!(stored.version.as_deref(), Some("5.02"));
    assert_eq!(stored.out_path, d.out_path);
    assert_eq!(stored.check, d.check);
    assert_eq!(stored.job, Some(id));
    assert_eq!(
        stored.request.as_deref(),
        Some("Generate a derivation for building `sl`")
    );
    assert_eq!(stored.created_at, finished);

    assert_eq!(
        store
            .request("Generate a derivation for building `sl`")
            .unwrap(),
        Some(RequestRecord {
            job: id,
            state: JobState::Succeeded,
            hash: Some(hash.clone()),
            error: None,
            finished_at: Some(finished),
        })
    );
    assert_eq!(
        store.answers().unwrap(),
        [(
            "Generate a derivation for building `sl`".to_string(),
            hash.clone()
        )]
    );

    // A finished job stays finished.
    assert!(matches!(
        store.finish_job(id, &failure("late")),
        Err(StoreError::AlreadyFinished(j)) if j == id
    ));
    assert!(matches!(
        store.start_job(id),
        Err(StoreError::AlreadyFinished(j)) if j == id
    ));
    assert_eq!(store.job(id).unwrap().unwrap().state, JobState::Succeeded);
}

#[test]
fn a_job_that_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let id = store.create_job("crate:nonexistent@1.0.0").unwrap();
    store.start_job(id).unwrap();
    let hash = store
        .finish_job(
            id,
            &failure("crate nonexistent 1.0.0 not found in the index"),
        )
        .unwrap();
    assert_eq!(hash, None);

    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.state, JobState::Failed);
    assert_eq!(
        job.error.as_deref(),
        Some("crate nonexistent 1.0.0 not found in the index")
    );
    assert_eq!(job.hash, None);
    assert_eq!(job.attempts, [attempt(1, "eval-failed")]);
    assert_eq!(job.report, Some(json!({"attempts": 1})));
    assert!(store.derivations().unwrap().is_empty());
    let record = store.request("crate:nonexistent@1.0.0").unwrap().unwrap();
    assert_eq!(record.state, JobState::Failed);
    assert_eq!(
        record.error.as_deref(),
        Some("crate nonexistent 1.0.0 not found in the index")
    );
    assert!(store.answers().unwrap().is_empty());
}

#[test]
fn unknown_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    assert_eq!(store.job(42).unwrap(), None);
    assert!(matches!(store.start_job(42), Err(StoreError::NoJob(42))));
    let err = store.finish_job(42, &failure("x")).unwrap_err();
    assert_eq!(err.to_string(), "store: no job 42");
    assert_eq!(store.derivation("nope").unwrap(), None);
    assert_eq!(store.request("never asked").unwrap(), None);
    // Nothing half-written by the failed calls.
    assert!(store.jobs(10).unwrap().is_empty());
}

#[test]
fn requests_are_looked_up_by_their_normalised_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let first = store.create_job(" Generate  a\tderivation ").unwrap();
    let record = store.request("Generate a derivation").unwrap().unwrap();
    assert_eq!(record.job, first);
    assert_eq!(record.state, JobState::Queued);
    assert_eq!(
        store
            .request("\nGenerate a   derivation")
            .unwrap()
            .map(|r| r.job),
        Some(first)
    );
    // Case matters.
    assert_eq!(store.request("generate a derivation").unwrap(), None);
    // The job keeps the request as given.
    assert_eq!(
        store.job(first).unwrap().unwrap().request,
        " Generate  a\tderivation "
    );

    // A new job for the same request becomes its latest.
    store.start_job(first).unwrap();
    store.finish_job(first, &failure("flaky")).unwrap();
    let second = store.create_job("Generate a derivation").unwrap();
    assert!(second > first);
    let record = store.request(" Generate  a\tderivation ").unwrap().unwrap();
    assert_eq!(record.job, second);
    assert_eq!(record.state, JobState::Queued);
    assert_eq!(record.error, None);
}

#[test]
fn the_same_text_from_two_requests_is_one_derivation() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let a = store
        .create_job("Generate a derivation for building `sl`")
        .unwrap();
    let b = store.create_job("debian:sl@5.02").unwrap();
    store.start_job(a).unwrap();
    store.start_job(b).unwrap();
    let ha = store
        .finish_job(a, &success(derivation("sl", "5.02", &sl_text())))
        .unwrap()
        .unwrap();
    // The second job's check and out path differ; the stored row is the first one's.
    let mut other = derivation("sl", "5.02", &sl_text());
    other.check = json!({"passed": true, "ran": ["sl -h"]});
    let hb = store.finish_job(b, &success(other)).unwrap().unwrap();
    assert_eq!(ha, hb);

    let all = store.derivations().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].hash, ha);
    let stored = store.derivation(&ha).unwrap().unwrap();
    assert_eq!(stored.job, Some(a));
    assert_eq!(
        stored.check,
        json!({"passed": true, "ran": ["sl --version"]})
    );
    for job in [a, b] {
        let job = store.job(job).unwrap().unwrap();
        assert_eq!(job.state, JobState::Succeeded);
        assert_eq!(job.hash.as_deref(), Some(ha.as_str()));
    }
    assert_eq!(
        store.answers().unwrap(),
        [
            (
                "Generate a derivation for building `sl`".to_string(),
                ha.clone()
            ),
            ("debian:sl@5.02".to_string(), ha.clone()),
        ]
    );
}

#[test]
fn recover_fails_unfinished_jobs_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let store = Store::open(&path).unwrap();
    let done = store.create_job("sl").unwrap();
    store.start_job(done).unwrap();
    store
        .finish_job(done, &success(derivation("sl", "5.02", &sl_text())))
        .unwrap();
    let failed = store.create_job("broken").unwrap();
    store.start_job(failed).unwrap();
    store
        .finish_job(failed, &failure("no build system"))
        .unwrap();
    let queued = store.create_job("queued").unwrap();
    let running = store.create_job("running").unwrap();
    store.start_job(running).unwrap();
    let before_done = store.job(done).unwrap();
    let before_failed = store.job(failed).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    let t0 = now();
    assert_eq!(store.recover().unwrap(), [queued, running]);
    for id in [queued, running] {
        let job = store.job(id).unwrap().unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.error.as_deref(), Some(INTERRUPTED));
        assert_eq!(
            job.error.as_deref(),
            Some("interrupted: the server stopped before this job finished; ask again to retry")
        );
        let finished = job.finished_at.unwrap();
        assert!(finished >= t0 && finished <= now());
        assert!(job.attempts.is_empty());
    }
    assert_eq!(store.job(done).unwrap(), before_done);
    assert_eq!(store.job(failed).unwrap(), before_failed);
    assert_eq!(
        store.request("running").unwrap().unwrap().error.as_deref(),
        Some(INTERRUPTED)
    );
    // Nothing left to recover.
    assert!(store.recover().unwrap().is_empty());
    assert_eq!(
        store.job_counts().unwrap(),
        [
            (JobState::Queued, 0),
            (JobState::Running, 0),
            (JobState::Succeeded, 1),
            (JobState::Failed, 3),
        ]
    );
}

#[test]
fn a_job_recovered_too_early_can_still_record_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let id = store.create_job("sl").unwrap();
    store.start_job(id).unwrap();
    assert_eq!(store.recover().unwrap(), [id]);
    let hash = store
        .finish_job(id, &success(derivation("sl", "5.02", &sl_text())))
        .unwrap();
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.state, JobState::Succeeded);
    assert_eq!(job.error, None);
    assert_eq!(job.hash, hash);
    assert_eq!(job.attempts.len(), 2);
    // But only once.
    assert!(matches!(
        store.finish_job(id, &failure("again")),
        Err(StoreError::AlreadyFinished(_))
    ));
}

#[test]
fn remove_forgets_the_derivation_and_its_requests() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let a = store.create_job("sl please").unwrap();
    let b = store.create_job("debian:sl").unwrap();
    let c = store.create_job("cowsay").unwrap();
    let d = store.create_job("still running").unwrap();
    for id in [a, b, c, d] {
        store.start_job(id).unwrap();
    }
    let sl = store
        .finish_job(a, &success(derivation("sl", "5.02", &sl_text())))
        .unwrap()
        .unwrap();
    store
        .finish_job(b, &success(derivation("sl", "5.02", &sl_text())))
        .unwrap();
    let cowsay = store
        .finish_job(
            c,
            &success(derivation(
                "cowsay",
                "3.8.4",
                "{ stdenv }: stdenv.mkDerivation { }\n",
            )),
        )
        .unwrap()
        .unwrap();

    assert!(store.remove(&sl).unwrap());
    assert_eq!(store.derivation(&sl).unwrap(), None);
    assert_eq!(store.request("sl please").unwrap(), None);
    assert_eq!(store.request("debian:sl").unwrap(), None);
    // Other requests and derivations stay.
    assert_eq!(store.request("cowsay").unwrap().unwrap().job, c);
    assert_eq!(store.request("still running").unwrap().unwrap().job, d);
    assert_eq!(
        store
            .derivations()
            .unwrap()
            .iter()
            .map(|s| s.hash.as_str())
            .collect::<Vec<_>>(),
        [cowsay.as_str()]
    );
    assert_eq!(
        store.answers().unwrap(),
        [("cowsay".to_string(), cowsay.clone())]
    );
    // The jobs stay as history.
    let job = store.job(a).unwrap().unwrap();
    assert_eq!(job.state, JobState::Succeeded);
    assert_eq!(job.attempts.len(), 2);
    assert_eq!(store.jobs(10).unwrap().len(), 4);
    // Removing again: it is gone.
    assert!(!store.remove(&sl).unwrap());

    // Asking again generates again, and the same text is stored again.
    let again = store.create_job("sl please").unwrap();
    store.start_job(again).unwrap();
    let hash = store
        .finish_job(again, &success(derivation("sl", "5.02", &sl_text())))
        .unwrap();
    assert_eq!(hash.as_deref(), Some(sl.as_str()));
    assert_eq!(store.derivation(&sl).unwrap().unwrap().job, Some(again));
    assert_eq!(store.request("sl please").unwrap().unwrap().job, again);
}

#[test]
fn job_counts_and_listing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    assert_eq!(
        store.job_counts().unwrap(),
        [
            (JobState::Queued, 0),
            (JobState::Running, 0),
            (JobState::Succeeded, 0),
            (JobState::Failed, 0),
        ]
    );
    let ids: Vec<_> = (0..7)
        .map(|i| store.create_job(&format!("request {i}")).unwrap())
        .collect();
    for &id in &ids[..5] {
        store.start_job(id).unwrap();
    }
    store
        .finish_job(ids[0], &success(derivation("a", "1", "a")))
        .unwrap();
    store
        .finish_job(ids[1], &success(derivation("b", "1", "b")))
        .unwrap();
    store
        .finish_job(ids[2], &success(derivation("c", "1", "c")))
        .unwrap();
    store.finish_job(ids[3], &failure("no")).unwrap();
    assert_eq!(
        store.job_counts().unwrap(),
        [
            (JobState::Queued, 2),
            (JobState::Running, 1),
            (JobState::Succeeded, 3),
            (JobState::Failed, 1),
        ]
    );

    let listed = store.jobs(3).unwrap();
    assert_eq!(
        listed.iter().map(|j| j.id).collect::<Vec<_>>(),
        [ids[6], ids[5], ids[4]]
    );
    assert_eq!(listed[2].state, JobState::Running);
    assert_eq!(listed[2].request, "request 4");
    let all = store.jobs(100).unwrap();
    assert_eq!(all.len(), 7);
    let first = &all[6];
    assert_eq!(first.id, ids[0]);
    assert_eq!(first.state, JobState::Succeeded);
    assert_eq!(first.attempts, 2);
    assert_eq!(first.hash.as_deref(), Some(text_hash("a").as_str()));
    assert_eq!(all[3].error.as_deref(), Some("no"));
    assert_eq!(all[3].attempts, 1);
    assert!(store.jobs(0).unwrap().is_empty());
}

#[test]
fn derivations_are_listed_newest_first_with_their_size() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let mut expected = Vec::new();
    for (i, text) in ["first", "zweite – ü", "third"].iter().enumerate() {
        let id = store.create_job(&format!("req {i}")).unwrap();
        let hash = store
            .finish_job(id, &success(derivation(&format!("p{i}"), "1.0", text)))
            .unwrap()
            .unwrap();
        expected.push((hash, text.len(), format!("req {i}")));
    }
    expected.reverse();
    let listed = store.derivations().unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|s| (s.hash.clone(), s.size, s.request.clone().unwrap()))
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(listed[1].size, 13); // bytes, not characters
    assert_eq!(listed[0].pname.as_deref(), Some("p2"));
    assert_eq!(listed[0].version.as_deref(), Some("1.0"));
}

#[test]
fn derivations_by_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let put = |request: &str, pname: &str, version: &str, text: &str| {
        let id = store.create_job(request).unwrap();
        store
            .finish_job(id, &success(derivation(pname, version, text)))
            .unwrap()
            .unwrap()
    };
    let sl = put("sl", "sl", "5.02", &sl_text());
    let sloc = put("sloccount", "sloccount", "2.26", "sloccount text");
    let hello1 = put("hello", "hello", "2.12", "hello 2.12 text");
    let hello2 = put("hello new", "hello", "2.12.1", "hello 2.12.1 text");
    let under = put("py", "python_foo", "1", "python_foo text");

    let found = |p: &str| store.derivation_by_prefix(p).unwrap().map(|d| d.hash);
    assert_eq!(found(&sl), Some(sl.clone()));
    assert_eq!(found(&format!("sha256-{sl}")), Some(sl.clone()));
    assert_eq!(found(&sloc[..10]), Some(sloc.clone()));
    // A full pname wins over longer pnames it starts.
    assert_eq!(found("sl"), Some(sl.clone()));
    assert_eq!(found("sloc"), Some(sloc.clone()));
    assert_eq!(found("python_"), Some(under.clone()));
    // '_' and '%' are no wildcards; case matters.
    assert_eq!(found("python%"), None);
    assert_eq!(found("pythonXfoo"), None);
    assert_eq!(found("SL"), None);
    assert_eq!(found("nothing"), None);

    let err = store.derivation_by_prefix("hello").unwrap_err();
    match &err {
        StoreError::Ambiguous { prefix, matches } => {
            assert_eq!(prefix, "hello");
            assert_eq!(
                matches,
                &[
                    format!("{} hello 2.12.1", &hello2[..12]),
                    format!("{} hello 2.12", &hello1[..12]),
                ]
            );
        }
        other => panic!("expected Ambiguous, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "\"hello\" matches 2 stored derivations ({} hello 2.12.1, {} hello 2.12); give more of the hash",
            &hello2[..12],
            &hello1[..12]
        )
    );
    assert_eq!(found(&hello1[..20]), Some(hello1));
}

#[test]
fn attempts_keep_their_order_and_fields() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let id = store.create_job("x").unwrap();
    let mut attempts: Vec<_> = (1..=12).map(|n| attempt(n, "build-failed")).collect();
    attempts[4].diagnosis = None;
    attempts[4].fixes = vec!["a \"quoted\" fix\nwith a newline".to_string()];
    attempts[11] = attempt(12, "built");
    store
        .finish_job(
            id,
            &Finished::Succeeded {
                derivation: derivation("x", "1", "x text"),
                attempts: attempts.clone(),
                report: json!([1, "two", {"three": null}]),
            },
        )
        .unwrap();
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.attempts, attempts);
    assert_eq!(job.report, Some(json!([1, "two", {"three": null}])));
}

#[test]
fn a_failed_finish_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let id = store.create_job("x").unwrap();
    store.start_job(id).unwrap();
    // Two attempts with the same number violate the (job, number) key half-way through.
    let err = store
        .finish_job(
            id,
            &Finished::Succeeded {
                derivation: derivation("x", "1", "x text"),
                attempts: vec![attempt(1, "build-failed"), attempt(1, "built")],
                report: json!({}),
            },
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Sqlite(_)), "{err:?}");
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.state, JobState::Running);
    assert!(job.attempts.is_empty());
    assert!(store.derivations().unwrap().is_empty());
    // The store is still usable.
    store.finish_job(id, &failure("gave up")).unwrap();
    assert_eq!(store.job(id).unwrap().unwrap().state, JobState::Failed);
}

#[test]
fn a_null_report_is_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite")).unwrap();
    let id = store.create_job("x").unwrap();
    store
        .finish_job(
            id,
            &Finished::Failed {
                error: INTERRUPTED.to_string(),
                attempts: Vec::new(),
                report: serde_json::Value::Null,
            },
        )
        .unwrap();
    let job = store.job(id).unwrap().unwrap();
    assert_eq!(job.report, None);
    assert_eq!(job.error.as_deref(), Some(INTERRUPTED));
    assert!(job.attempts.is_empty());
}

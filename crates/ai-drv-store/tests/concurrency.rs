//! The store shared by several threads (one `Arc<Store>`, as the server does) and by several
//! connections to the same file at once (as the server and `ai-drv cache` next to it do).

mod common;

use ai_drv_store::{text_hash, JobState, Store};
use common::{derivation, failure, success};
use std::sync::{Arc, Barrier};
use std::thread;

const THREADS: usize = 8;
const JOBS: usize = 25;

/// What one worker does: for each of its jobs, create, look up, start and finish it (every
/// third one fails; the others share one text among all threads every fifth job).
fn work(store: &Store, worker: usize) -> Vec<(i64, Option<String>)> {
    (0..JOBS)
        .map(|n| {
            let request = format!("worker {worker} job {n}");
            let id = store.create_job(&request).unwrap();
            assert_eq!(store.request(&request).unwrap().unwrap().job, id);
            store.start_job(id).unwrap();
            let hash = if n % 3 == 0 {
                store.finish_job(id, &failure("no")).unwrap()
            } else {
                let text = if n % 5 == 0 {
                    format!("shared text {n}")
                } else {
                    format!("text of worker {worker} job {n}")
                };
                store
                    .finish_job(id, &success(derivation("p", "1", &text)))
                    .unwrap()
            };
            // Readers in between writers.
            assert_eq!(store.job(id).unwrap().unwrap().hash, hash);
            (id, hash)
        })
        .collect()
}

fn check(store: &Store, results: &[Vec<(i64, Option<String>)>]) {
    let mut ids: Vec<i64> = results.iter().flatten().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), THREADS * JOBS, "every job has its own id");

    let failed = (0..JOBS).filter(|n| n % 3 == 0).count() * THREADS;
    assert_eq!(
        store.job_counts().unwrap(),
        [
            (JobState::Queued, 0),
            (JobState::Running, 0),
            (JobState::Succeeded, (THREADS * JOBS - failed) as u64),
            (JobState::Failed, failed as u64),
        ]
    );
    // Texts shared between workers are stored once.
    let shared = (0..JOBS).filter(|n| n % 3 != 0 && n % 5 == 0).count();
    let own = (0..JOBS).filter(|n| n % 3 != 0 && n % 5 != 0).count() * THREADS;
    assert_eq!(store.derivations().unwrap().len(), shared + own);
    for (worker, jobs) in results.iter().enumerate() {
        for (n, (id, hash)) in jobs.iter().enumerate() {
            let job = store.job(*id).unwrap().unwrap();
            assert_eq!(job.request, format!("worker {worker} job {n}"));
            assert_eq!(&job.hash, hash);
            if let Some(hash) = hash {
                let d = store.derivation(hash).unwrap().unwrap();
                assert_eq!(&text_hash(&d.text), hash);
                assert_eq!(job.attempts.len(), 2);
            } else {
                assert_eq!(job.state, JobState::Failed);
                assert_eq!(job.attempts.len(), 1);
            }
        }
    }
}

#[test]
fn one_store_shared_by_threads() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("s.sqlite")).unwrap());
    let barrier = Arc::new(Barrier::new(THREADS));
    let results: Vec<_> = (0..THREADS)
        .map(|worker| {
            let store = Arc::clone(&store);
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                work(&store, worker)
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    check(&store, &results);
}

#[test]
fn separate_connections_to_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/s.sqlite");
    let barrier = Arc::new(Barrier::new(THREADS));
    // Every thread opens the fresh file itself at the same moment: the first open's migration
    // and journal mode switch race with the others.
    let results: Vec<_> = (0..THREADS)
        .map(|worker| {
            let path = path.clone();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                let store = Store::open(&path).unwrap();
                work(&store, worker)
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let store = Store::open(&path).unwrap();
    check(&store, &results);
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, ai_drv_store::SCHEMA_VERSION);
}

#[test]
fn a_reader_is_not_blocked_by_an_open_write_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let store = Store::open(&path).unwrap();
    let id = store.create_job("sl").unwrap();
    store
        .finish_job(id, &success(derivation("sl", "5.02", "sl text")))
        .unwrap();

    // Another process is in the middle of a write.
    let mut other = rusqlite::Connection::open(&path).unwrap();
    let tx = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    tx.execute("DELETE FROM derivations", []).unwrap();

    // WAL: reads go on, and see the last committed state.
    assert_eq!(store.derivations().unwrap().len(), 1);
    assert_eq!(store.job(id).unwrap().unwrap().state, JobState::Succeeded);
    drop(tx); // rolled back
    assert_eq!(store.derivations().unwrap().len(), 1);
}

#[test]
fn a_writer_waits_for_another_connections_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite");
    let store = Arc::new(Store::open(&path).unwrap());

    let mut other = rusqlite::Connection::open(&path).unwrap();
    let tx = other
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    let writer = {
        let store = Arc::clone(&store);
        thread::spawn(move || store.create_job("waits"))
    };
    thread::sleep(std::time::Duration::from_millis(300));
    assert!(!writer.is_finished(), "the write should wait for the lock");
    tx.commit().unwrap();
    let id = writer.join().unwrap().unwrap();
    assert_eq!(store.request("waits").unwrap().unwrap().job, id);
}

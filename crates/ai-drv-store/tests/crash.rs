//! `kill -9` in the middle of writes loses nothing committed. The test binary runs itself as a
//! child process (selected by an environment variable) that finishes one job, leaves another
//! running, and then writes large jobs in a loop; the parent kills it with SIGKILL while it is
//! writing, reopens the file, and checks that every finished job and its derivation are intact,
//! that no half-written job is visible, and that `recover()` fails exactly the cut-off jobs.

mod common;

use ai_drv_store::{text_hash, Finished, JobId, JobState, Store, INTERRUPTED};
use common::{attempt, derivation, sl_text, success};
use serde_json::json;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const CHILD: &str = "AI_DRV_STORE_CRASH_CHILD";
const BIG_ATTEMPTS: u32 = 10_000;

/// A large outcome, so that a finish takes long enough to be killed in the middle of it: a
/// multi-megabyte text (more than SQLite's page cache, so pages spill into the WAL before the
/// commit) and thousands of attempt rows.
fn big(n: u32) -> Finished {
    let mut text = format!("# big derivation {n}\n");
    for line in 0..200_000 {
        text.push_str(&format!(
            "  line{line} = \"{n}-{line}-padding-padding-padding\";\n"
        ));
    }
    Finished::Succeeded {
        derivation: derivation("big", &n.to_string(), &text),
        attempts: (1..=BIG_ATTEMPTS)
            .map(|i| {
                attempt(
                    i,
                    if i == BIG_ATTEMPTS {
                        "built"
                    } else {
                        "build-failed"
                    },
                )
            })
            .collect(),
        report: json!({"big": n}),
    }
}

fn big_text(n: u32) -> String {
    match big(n) {
        Finished::Succeeded { derivation, .. } => derivation.text,
        Finished::Failed { .. } => unreachable!(),
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "CRASH {line}").unwrap();
    out.flush().unwrap();
}

/// The child's side; does nothing when run as an ordinary test.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os(CHILD) else {
        return;
    };
    let store = Store::open(Path::new(&path)).unwrap();
    let done = store.create_job("finished before the kill").unwrap();
    store.start_job(done).unwrap();
    let hash = store
        .finish_job(done, &success(derivation("sl", "5.02", &sl_text())))
        .unwrap()
        .unwrap();
    say(&format!("finished {done} {hash}"));
    let cut = store.create_job("cut off").unwrap();
    store.start_job(cut).unwrap();
    say(&format!("running {cut}"));
    for n in 0.. {
        let outcome = big(n);
        let id = store.create_job(&format!("big {n}")).unwrap();
        store.start_job(id).unwrap();
        // From here the child is inside finish_job's transaction until "done".
        say(&format!("started {id} {n}"));
        let t = Instant::now();
        store.finish_job(id, &outcome).unwrap();
        say(&format!("done {id} {}", t.elapsed().as_millis()));
    }
}

#[test]
fn kill_9_in_the_middle_of_writes_loses_no_finished_job() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();

    let mut finished: Option<(JobId, String)> = None;
    let mut cut: Option<JobId> = None;
    let mut started: Vec<(JobId, u32)> = Vec::new();
    let mut done: BTreeSet<JobId> = BTreeSet::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        // libtest writes "test crash_child ... " before the child's first line, on the same line.
        let Some((_, rest)) = line.split_once("CRASH ") else {
            continue;
        };
        let words: Vec<&str> = rest.split(' ').collect();
        match words.as_slice() {
            ["finished", id, hash] => finished = Some((id.parse().unwrap(), hash.to_string())),
            ["running", id] => cut = Some(id.parse().unwrap()),
            ["started", id, n] => started.push((id.parse().unwrap(), n.parse().unwrap())),
            ["done", id, ms] => {
                eprintln!("child: big job {id} written in {ms} ms");
                done.insert(id.parse().unwrap());
            }
            other => panic!("unexpected line from the child: {other:?}"),
        }
        // Kill as soon as the third big write has begun: it is then mid-transaction.
        if started.len() == 3 {
            child.kill().unwrap(); // SIGKILL
            break;
        }
    }
    let status = child.wait().unwrap();
    assert_eq!(
        status.signal(),
        Some(9),
        "the child should die of SIGKILL, not {status:?}"
    );
    let (finished, hash) = finished.expect("the child finished a job");
    let cut = cut.expect("the child left a job running");
    assert_eq!(started.len(), 3);
    assert_eq!(done.len(), 2, "two big writes completed before the kill");
    assert!(
        dir.path().join("store.sqlite-wal").exists(),
        "the killed process left its WAL behind"
    );

    let store = Store::open(&path).unwrap();
    // The job finished before the kill, and its derivation, are intact.
    let job = store.job(finished).unwrap().unwrap();
    assert_eq!(job.state, JobState::Succeeded);
    assert_eq!(job.hash.as_deref(), Some(hash.as_str()));
    assert_eq!(
        job.attempts,
        [attempt(1, "build-failed"), attempt(2, "built")]
    );
    let d = store.derivation(&hash).unwrap().unwrap();
    assert_eq!(d.text, sl_text());
    assert_eq!(text_hash(&d.text), hash);
    assert_eq!(d.job, Some(finished));
    assert_eq!(
        store
            .request("finished before the kill")
            .unwrap()
            .unwrap()
            .hash,
        Some(hash.clone())
    );

    // Each big job is either wholly written or not at all.
    let mut unfinished = vec![cut];
    for &(id, n) in &started {
        let job = store.job(id).unwrap().unwrap();
        let expected = text_hash(&big_text(n));
        match job.state {
            JobState::Succeeded => {
                assert_eq!(job.attempts.len(), BIG_ATTEMPTS as usize);
                assert_eq!(job.hash.as_deref(), Some(expected.as_str()));
                let d = store.derivation(&expected).unwrap().unwrap();
                assert_eq!(d.text, big_text(n));
                assert_eq!(d.job, Some(id));
            }
            JobState::Running => {
                assert!(!done.contains(&id), "job {id} was reported written");
                assert!(job.attempts.is_empty());
                assert_eq!(job.hash, None);
                assert_eq!(store.derivation(&expected).unwrap(), None);
                unfinished.push(id);
            }
            other => panic!("big job {id} is {other:?}"),
        }
    }
    // The third write takes a few hundred milliseconds and the kill follows its "started" line
    // at once, so it was cut off mid-transaction (its spilled pages are in the WAL, uncommitted).
    let last = started[2].0;
    assert_eq!(
        unfinished,
        [cut, last],
        "the kill should land in the middle of the third write"
    );
    assert_eq!(store.derivations().unwrap().len(), 1 + done.len());

    // recover() fails exactly the cut-off jobs, the one left running among them.
    assert!(unfinished.contains(&cut));
    assert_eq!(store.recover().unwrap(), unfinished);
    for &id in &unfinished {
        let job = store.job(id).unwrap().unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.error.as_deref(), Some(INTERRUPTED));
    }
    assert_eq!(store.job(finished).unwrap().unwrap(), job);

    let integrity: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

//! `/drv?req=` while a job runs: the answer starts at once and carries Nix comment lines every
//! `keepalive`, then the text (or a `throw` line) — checked with a raw HTTP client for timing
//! and with real Nix (`builtins.fetchurl` with a short `stalled-download-timeout`).

mod common;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ai_drv_serve::Options;
use common::{client, escape_url, options, start, text_for, TestGenerator};

const GENERATING: &str =
    "# ai-drv: generating a derivation for this request; it is built and checked before it is served\n";
const STILL: &str = "# ai-drv: still generating\n";

/// Reads a streamed body chunk by chunk: (time since the request, bytes).
async fn chunks(url: String) -> (u16, Vec<(Duration, Vec<u8>)>) {
    let started = Instant::now();
    let mut response = client().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let mut chunks = vec![(started.elapsed(), Vec::new())];
    while let Some(chunk) = response.chunk().await.unwrap() {
        chunks.push((started.elapsed(), chunk.to_vec()));
    }
    (status, chunks)
}

fn body(chunks: &[(Duration, Vec<u8>)]) -> String {
    String::from_utf8(chunks.iter().flat_map(|(_, c)| c.clone()).collect()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_job_keeps_the_client_alive() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(TestGenerator::slow(Duration::from_millis(1500)));
    let server = start(
        Options {
            keepalive: Duration::from_millis(200),
            ..options()
        },
        &dir.path().join("s.sqlite"),
        generator.clone(),
    )
    .await;
    let (status, chunks) = chunks(server.url("/drv?req=slow%20one")).await;
    assert_eq!(status, 200);
    let headers_at = chunks[0].0;
    let first_bytes_at = chunks[1].0;
    assert!(
        headers_at < Duration::from_millis(200),
        "headers after {headers_at:?}"
    );
    assert!(
        first_bytes_at < Duration::from_millis(200),
        "first bytes after {first_bytes_at:?}"
    );
    assert_eq!(chunks[1].1, GENERATING.as_bytes());
    // No gap much longer than the keep-alive interval.
    for pair in chunks[1..].windows(2) {
        let gap = pair[1].0 - pair[0].0;
        assert!(gap < Duration::from_millis(600), "a gap of {gap:?}");
    }
    let body = body(&chunks);
    let text = text_for("slow one");
    assert!(body.starts_with(GENERATING));
    assert!(body.ends_with(&text), "{body}");
    let still = &body[GENERATING.len()..body.len() - text.len()];
    let keepalives = still.len() / STILL.len();
    assert_eq!(still, STILL.repeat(keepalives));
    assert!(
        (5..=8).contains(&keepalives),
        "{keepalives} keep-alive lines in 1.5 s"
    );
    assert_eq!(generator.calls(), 1);

    // Once known, the bare text at once.
    let started = Instant::now();
    let again = client()
        .get(server.url("/drv?req=slow+one"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_millis(300));
    assert_eq!(again, text);
    assert_eq!(generator.calls(), 1);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_failing_job_ends_with_throw() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(
        TestGenerator::failing("hexyl needs \"rustc\" >= 1.88 (has ${rustc.version})")
            .with_delay(Duration::from_millis(700)),
    );
    let server = start(
        Options {
            keepalive: Duration::from_millis(200),
            ..options()
        },
        &dir.path().join("s.sqlite"),
        generator.clone(),
    )
    .await;
    let (status, chunks) = chunks(server.url("/drv?req=hexyl")).await;
    assert_eq!(status, 200, "the status was sent before the job failed");
    let body = body(&chunks);
    assert!(body.starts_with(GENERATING));
    assert!(
        body.ends_with(&format!("{STILL}throw \"ai-drv: hexyl needs \\\"rustc\\\" >= 1.88 (has \\${{rustc.version}})\"\n")),
        "{body}"
    );
    // Once known to fail, the failure at once.
    let response = client()
        .get(server.url("/drv?req=hexyl"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    server.stop().await.unwrap();
}

/// `nix-instantiate --eval` of `expr` with a short stalled-download timeout and one attempt.
fn nix_eval(expr: &str, stall_seconds: u32) -> std::process::Output {
    Command::new("nix-instantiate")
        .args(["--eval", "--read-write-mode", "--json"])
        .args([
            "--option",
            "stalled-download-timeout",
            &stall_seconds.to_string(),
        ])
        .args(["--option", "download-attempts", "1"])
        .args(["--option", "tarball-ttl", "0"])
        .args(["--option", "substituters", ""])
        .args(["-E", expr])
        .output()
        .expect("nix-instantiate (Nix) must be on PATH")
}

/// A prompt no earlier run fetched (builtins.fetchurl caches by URL).
fn unique(word: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{word} {nanos}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nix_fetch_survives_a_job_longer_than_its_stall_timeout() {
    let dir = tempfile::tempdir().unwrap();
    // The job takes 6 s; Nix gives up on a transfer stalled for 3 s.
    let generator = Arc::new(TestGenerator::slow(Duration::from_secs(6)));
    let server = start(
        Options {
            keepalive: Duration::from_millis(1500),
            ..options()
        },
        &dir.path().join("s.sqlite"),
        generator.clone(),
    )
    .await;
    let prompt = unique("nix keep-alive");
    let url = server.url(&format!("/drv?req={}", escape_url(&prompt)));
    let expr = format!(
        "builtins.readFile (builtins.fetchurl {{ url = \"{url}\"; name = \"ai-drv.nix\"; }})"
    );
    let started = Instant::now();
    let output = tokio::task::spawn_blocking(move || nix_eval(&expr, 3))
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(started.elapsed() >= Duration::from_secs(6));
    let read: String = serde_json::from_slice(&output.stdout).unwrap();
    assert!(read.starts_with(GENERATING));
    assert!(read.ends_with(&text_for(&prompt)), "{read}");

    // The file is valid Nix: comments, then the callPackage function.
    let url = server.url(&format!("/drv?req={}", escape_url(&prompt)));
    let expr = format!("builtins.isFunction (import (builtins.fetchurl {{ url = \"{url}\"; name = \"ai-drv.nix\"; }}))");
    let output = tokio::task::spawn_blocking(move || nix_eval(&expr, 3))
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "true");
    assert_eq!(generator.calls(), 1);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nix_stalls_out_without_keepalive_and_sees_the_throw() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(
        TestGenerator::failing("no build system recognised").with_delay(Duration::from_secs(10)),
    );
    // Keep-alive slower than Nix's stall timeout: the control showing the test can fail. (The
    // first line alone counts as progress for curl's ~5 s speed window, so Nix gives up ~8 s in.)
    let server = start(
        Options {
            keepalive: Duration::from_secs(30),
            ..options()
        },
        &dir.path().join("s.sqlite"),
        generator.clone(),
    )
    .await;
    let url = server.url(&format!("/drv?req={}", escape_url(&unique("stall"))));
    let expr = format!(
        "builtins.readFile (builtins.fetchurl {{ url = \"{url}\"; name = \"ai-drv.nix\"; }})"
    );
    let output = tokio::task::spawn_blocking(move || nix_eval(&expr, 3))
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("Timeout was reached"), "{stderr}");
    server.stop().await.unwrap();

    // With keep-alive, the failing job's body makes the import fail with the reason.
    let generator = Arc::new(
        TestGenerator::failing("no build system recognised").with_delay(Duration::from_secs(5)),
    );
    let server = start(
        Options {
            keepalive: Duration::from_secs(1),
            ..options()
        },
        &dir.path().join("s2.sqlite"),
        generator.clone(),
    )
    .await;
    let url = server.url(&format!("/drv?req={}", escape_url(&unique("throw"))));
    let expr = format!("import (builtins.fetchurl {{ url = \"{url}\"; name = \"ai-drv.nix\"; }})");
    let output = tokio::task::spawn_blocking(move || nix_eval(&expr, 3))
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("ai-drv: no build system recognised"),
        "{stderr}"
    );
    server.stop().await.unwrap();
}

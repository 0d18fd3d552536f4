//! The JSON API (jobs with their progress, derivations), `/metrics`, `/healthz`, and the
//! graceful shutdown (jobs cut off are recorded as interrupted, their clients answered).

mod common;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ai_drv_serve::Options;
use ai_drv_store::{JobState, INTERRUPTED};
use common::{client, escape_url, options, sha256_base64, start, text_for, TestGenerator};
use serde_json::Value;

async fn get_json(url: String) -> (u16, Value) {
    let response = client().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    assert_eq!(response.headers()["content-type"], "application/json");
    (status, response.json().await.unwrap())
}

async fn post_job(url: String, request: &str) -> (u16, Value) {
    let response = client()
        .post(url)
        .json(&serde_json::json!({ "request": request }))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_and_derivations() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(TestGenerator::slow(Duration::from_millis(1200)).with_attempts(3));
    let server = start(options(), &dir.path().join("s.sqlite"), generator.clone()).await;

    let (status, created) = post_job(
        server.url("/api/v1/jobs"),
        "Generate a derivation for building `sl`",
    )
    .await;
    assert_eq!(status, 202);
    assert_eq!(created["id"], 1);
    assert!(
        created["state"] == "queued" || created["state"] == "running",
        "{created}"
    );
    assert_eq!(created.as_object().unwrap().len(), 2);

    // While it runs, the attempts so far.
    let mut seen_progress = false;
    let job = loop {
        let (status, job) = get_json(server.url("/api/v1/jobs/1")).await;
        assert_eq!(status, 200);
        if job["state"] == "running" && job["attempts"].as_array().unwrap().len() == 1 {
            assert_eq!(
                job["attempts"][0]["diagnosis"],
                "missing input in attempt 1"
            );
            seen_progress = true;
        }
        if job["state"] == "succeeded" {
            break job;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(seen_progress, "progress was visible while the job ran");
    let text = text_for("Generate a derivation for building `sl`");
    let hash = sha256_base64(text.as_bytes());
    assert_eq!(job["id"], 1);
    assert_eq!(job["request"], "Generate a derivation for building `sl`");
    assert_eq!(job["hash"], hash.as_str());
    assert_eq!(job["error"], Value::Null);
    let attempts = job["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[1]["fixes"], serde_json::json!(["fix 2"]));
    assert_eq!(attempts[2]["outcome"], "built");
    assert_eq!(job["report"], serde_json::json!({ "attempts": 3 }));
    assert!(job["started_at"].as_i64().unwrap() <= job["finished_at"].as_i64().unwrap());

    // Known now: 200 with the finished job, no new job.
    let (status, again) = post_job(
        server.url("/api/v1/jobs"),
        "Generate a derivation for  building `sl`",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(again, job);
    assert_eq!(generator.calls(), 1);
    // The same answer on the original protocol.
    let answered = client()
        .get(server.url(&format!(
            "/hash?req={}",
            escape_url("Generate a derivation for building `sl`")
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(answered, hash);

    // The derivation, by its hash escaped, as SRI, or with `/` unescaped.
    for form in [
        escape_url(&hash),
        escape_url(&format!("sha256-{hash}")),
        hash.replace('+', "%2B").replace('=', "%3D"),
    ] {
        let (status, derivation) =
            get_json(server.url(&format!("/api/v1/derivations/{form}"))).await;
        assert_eq!(status, 200, "{form}");
        assert_eq!(derivation["hash"], hash.as_str());
        assert_eq!(derivation["text"], text.as_str());
        assert_eq!(derivation["pname"], "test");
        assert_eq!(derivation["version"], "1.0");
        assert_eq!(derivation["job"], 1);
        assert_eq!(
            derivation["request"],
            "Generate a derivation for building `sl`"
        );
        assert_eq!(derivation["check"], serde_json::json!({ "passed": true }));
    }
    assert_eq!(generator.calls(), 1);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_and_health() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("s.sqlite");
    let generator = Arc::new(TestGenerator::new());
    let server = start(options(), &store_path, generator.clone()).await;
    let http = client();
    for _ in 0..3 {
        let response = http.get(server.url("/hash?req=sl")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
    }
    let hash = sha256_base64(text_for("sl").as_bytes());
    let response = http
        .get(server.url(&format!("/drv?hash={}", escape_url(&hash))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let response = http.get(server.url("/hash?req=")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let response = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(response.text().await.unwrap(), "ok\n");

    let response = http.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let metrics = response.text().await.unwrap();
    for line in [
        "ai_drv_http_requests_total{endpoint=\"hash\",status=\"200\"} 3",
        "ai_drv_http_requests_total{endpoint=\"hash\",status=\"400\"} 1",
        "ai_drv_http_requests_total{endpoint=\"drv\",status=\"200\"} 1",
        "ai_drv_http_requests_total{endpoint=\"healthz\",status=\"200\"} 1",
        "ai_drv_jobs{state=\"succeeded\"} 1",
        "ai_drv_jobs{state=\"failed\"} 0",
        "ai_drv_jobs{state=\"running\"} 0",
        "ai_drv_jobs{state=\"queued\"} 0",
        "ai_drv_job_duration_seconds_count 1",
        "ai_drv_build_duration_seconds_count 1",
        "ai_drv_cache_misses_total{endpoint=\"hash\"} 1",
        "ai_drv_cache_hits_total{endpoint=\"hash\"} 2",
        "ai_drv_cache_hits_total{endpoint=\"drv\"} 1",
        "ai_drv_jobs_in_flight 0",
        "ai_drv_queue_length 0",
        "# EOF",
    ] {
        assert!(
            metrics.lines().any(|l| l == line),
            "no line {line:?} in\n{metrics}"
        );
    }
    server.stop().await.unwrap();

    // A new server counts the store's jobs at start.
    let server = start(options(), &store_path, generator.clone()).await;
    let metrics = http
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics
            .lines()
            .any(|l| l == "ai_drv_jobs{state=\"succeeded\"} 1"),
        "{metrics}"
    );
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_interrupts_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("s.sqlite");
    let (generator, gate) = TestGenerator::gated();
    let generator = Arc::new(generator);
    let server = start(
        Options {
            grace: Duration::from_millis(300),
            keepalive: Duration::from_millis(100),
            ..options()
        },
        &store_path,
        generator.clone(),
    )
    .await;
    let store = server.store.clone();
    let http = client();
    // One job running (a /hash client waits for it), one queued (a /drv?req= stream).
    let waiting = tokio::spawn(http.get(server.url("/hash?req=first")).send());
    while generator.calls() == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let streaming = tokio::spawn(http.get(server.url("/drv?req=second")).send());
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    server.stop().await.unwrap();
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(3),
        "{took:?}"
    );

    let response = waiting.await.unwrap().unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(
        response.text().await.unwrap(),
        "the server is stopping; retry when it is back\n"
    );
    let response = streaming.await.unwrap().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body = response.text().await.unwrap();
    assert!(
        body.ends_with("throw \"ai-drv: the server stopped before the job finished; build again when it is back\"\n"),
        "{body}"
    );
    for id in [1, 2] {
        let job = store.job(id).unwrap().unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.error.as_deref(), Some(INTERRUPTED));
    }

    // The generator's late result does not overwrite the record.
    gate.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        store.job(1).unwrap().unwrap().error.as_deref(),
        Some(INTERRUPTED)
    );

    // An interrupted request is tried again by the next server.
    let generator = Arc::new(TestGenerator::new());
    let server = start(options(), &store_path, generator.clone()).await;
    let response = http
        .get(server.url("/hash?req=first"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(generator.calls(), 1);
    let started = Instant::now();
    server.stop().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "an idle server stops at once"
    );
}

//! Every bad input gets its status and a one-line body: 400, 401, 404, 413, 414, 422, 503; and
//! the bind rule.

mod common;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use ai_drv_serve::{Options, Server};
use ai_drv_store::Store;
use common::{client, escape_url, options, start, start_with, TestGenerator};

async fn get(url: String) -> (u16, String) {
    let response = client().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// A plain-text error: one line, ending in a newline.
fn one_line(body: &str) -> &str {
    assert!(body.ends_with('\n'), "{body:?}");
    let line = &body[..body.len() - 1];
    assert!(!line.is_empty() && !line.contains('\n'), "{body:?}");
    line
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(TestGenerator::new());
    let server = start(options(), &dir.path().join("s.sqlite"), generator.clone()).await;
    let cases: Vec<(String, u16, &str)> = vec![
        ("/hash?req=".into(), 400, "the request is empty"),
        ("/hash?req=%20%09%0A+".into(), 400, "the request is empty"),
        ("/hash?req=%FF".into(), 400, "not valid UTF-8"),
        ("/hash?req=caf%C3".into(), 400, "not valid UTF-8"),
        ("/hash".into(), 400, "missing parameter req"),
        ("/hash?request=x".into(), 400, "missing parameter req"),
        ("/drv".into(), 400, "missing parameter"),
        ("/drv?req=".into(), 400, "the request is empty"),
        ("/drv?req=%FF".into(), 400, "not valid UTF-8"),
        ("/drv?hash=abc".into(), 400, "malformed hash"),
        ("/drv?hash=".into(), 400, "malformed hash"),
        (
            format!("/drv?hash={}", "A".repeat(44)),
            400,
            "malformed hash",
        ),
        (
            format!("/drv?hash={}", escape_url(&format!("{}=", "A".repeat(43)))),
            404,
            "no derivation with hash AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        ),
        (
            format!("/hash?req={}", "a".repeat(4097)),
            413,
            "4097 bytes, more than the 4096",
        ),
        // Escaped, the limit is still on the decoded bytes: 4096 'é' bytes… are 2048 chars.
        (
            format!("/hash?req={}", "%C3%A9".repeat(2049)),
            413,
            "4098 bytes",
        ),
        (
            format!("/hash?req={}", "a".repeat(20_000)),
            414,
            "more than the 16384",
        ),
        ("/nowhere".into(), 404, "no such endpoint"),
    ];
    for (path, status, needle) in &cases {
        let (got, body) = get(server.url(path)).await;
        assert_eq!(got, *status, "{path}: {body}");
        let line = one_line(&body);
        assert!(line.contains(needle), "{path}: {line}");
    }
    assert_eq!(generator.calls(), 0, "no bad input reached the generator");

    // The JSON API answers errors as JSON.
    let http = client();
    let response = http
        .get(server.url("/api/v1/jobs/999"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body["error"],
        "no job 999; job ids come from POST /api/v1/jobs"
    );
    let response = http
        .get(server.url("/api/v1/jobs/abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let response = http
        .get(server.url(&format!(
            "/api/v1/derivations/{}",
            escape_url(&format!("sha256-{}", common::sha256_base64(b"unknown")))
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
    let response = http
        .get(server.url("/api/v1/derivations/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["error"]
        .as_str()
        .unwrap()
        .starts_with("malformed hash"));
    for (body, status) in [
        (r#"{"request": ""}"#.to_owned(), 400),
        (r#"{"request": "  \n "}"#.to_owned(), 400),
        (r#"{"prompt": "sl"}"#.to_owned(), 400),
        ("not json".to_owned(), 400),
        (
            serde_json::json!({ "request": "x".repeat(5000) }).to_string(),
            413,
        ),
        (
            serde_json::json!({ "request": "x".repeat(100_000) }).to_string(),
            413,
        ),
    ] {
        let response = http
            .post(server.url("/api/v1/jobs"))
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{body:.60}");
        let json: serde_json::Value = response.json().await.unwrap();
        assert!(json["error"].as_str().is_some_and(|e| !e.contains('\n')));
    }
    let response = http.get(server.url("/api/v1/jobs")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(generator.calls(), 0);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(TestGenerator::new());
    let server = start(
        Options {
            token: Some("s3cret-T0ken".to_owned()),
            ..options()
        },
        &dir.path().join("s.sqlite"),
        generator.clone(),
    )
    .await;
    let http = client();
    let url = server.url("/hash?req=sl");
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Bearer s3cret-T0ke"),
        Some("Basic czNjcmV0LVQwa2Vu"),
        Some("s3cret-T0ken"),
    ] {
        let mut request = http.get(&url);
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{auth:?}");
        let challenges: Vec<_> = response
            .headers()
            .get_all("www-authenticate")
            .iter()
            .collect();
        assert_eq!(challenges.len(), 2);
        let body = response.text().await.unwrap();
        assert!(one_line(&body).starts_with("missing or wrong token"));
        assert!(!body.contains("s3cret"), "the token is never echoed");
    }
    // Every endpoint needs it, the JSON API answers JSON.
    let response = http.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let response = http.get(server.url("/api/v1/jobs/1")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let json: serde_json::Value = response.json().await.unwrap();
    assert!(json["error"]
        .as_str()
        .unwrap()
        .starts_with("missing or wrong token"));
    assert_eq!(generator.calls(), 0);

    // Bearer, and Basic with any user (as Nix's netrc-file sends it).
    let response = http
        .get(&url)
        .bearer_auth("s3cret-T0ken")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let hash = response.text().await.unwrap();
    let response = http
        .get(&url)
        .basic_auth("nix", Some("s3cret-T0ken"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), hash);
    // /healthz needs no token.
    let response = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), "ok\n");
    assert_eq!(generator.calls(), 1);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queue_full() {
    let dir = tempfile::tempdir().unwrap();
    let (generator, gate) = TestGenerator::gated();
    let generator = Arc::new(generator);
    let server = start(
        Options {
            workers: 1,
            queue: 1,
            ..options()
        },
        &dir.path().join("s.sqlite"),
        generator.clone(),
    )
    .await;
    let http = client();
    let post = |request: &str| {
        http.post(server.url("/api/v1/jobs"))
            .json(&serde_json::json!({ "request": request }))
            .send()
    };
    let first = post("one").await.unwrap();
    assert_eq!(first.status().as_u16(), 202);
    let first: serde_json::Value = first.json().await.unwrap();
    let second = post("two").await.unwrap();
    assert_eq!(second.status().as_u16(), 202);
    let second: serde_json::Value = second.json().await.unwrap();
    assert_eq!(second["state"], "queued");
    assert_ne!(first["id"], second["id"]);

    // A third job has no room.
    let response = http
        .get(server.url("/hash?req=three"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "30");
    let body = response.text().await.unwrap();
    assert_eq!(
        one_line(&body),
        "the server is busy (1 jobs running, 1 waiting); retry later"
    );
    let response = post("three").await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().contains_key("retry-after"));
    // Joining a job that exists is no new job.
    let joined = post(" one ").await.unwrap();
    assert_eq!(joined.status().as_u16(), 202);
    let joined: serde_json::Value = joined.json().await.unwrap();
    assert_eq!(joined["id"], first["id"]);

    gate.store(true, Ordering::SeqCst);
    // Once the jobs ran, the refused request gets its job.
    let mut status = 0;
    for _ in 0..200 {
        let response = http
            .get(server.url("/hash?req=three"))
            .send()
            .await
            .unwrap();
        status = response.status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, 200);
    assert_eq!(generator.calls(), 3);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_job() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("s.sqlite");
    let generator = Arc::new(TestGenerator::failing(
        "no build system recognised\nin the source tree",
    ));
    let server = start(options(), &store_path, generator.clone()).await;
    let answers =
        futures_util::future::join_all((0..10).map(|_| get(server.url("/hash?req=lsof")))).await;
    for (status, body) in &answers {
        assert_eq!(*status, 422);
        let line = one_line(body);
        assert!(
            line.starts_with("ai-drv could not make a verified derivation for this request (job 1): no build system recognised in the source tree; rephrase the request or ask again in "),
            "{line}"
        );
    }
    assert_eq!(generator.calls(), 1);
    // The failure is the answer for a while, here and for a new server on the same store.
    let (status, _) = get(server.url("/hash?req=lsof")).await;
    assert_eq!(status, 422);
    server.stop().await.unwrap();
    let generator2 = Arc::new(TestGenerator::new());
    let server = start(options(), &store_path, generator2.clone()).await;
    let (status, body) = get(server.url("/drv?req=lsof")).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(generator2.calls(), 0);
    server.stop().await.unwrap();

    // After retry_failed_after it is tried again (the store keeps whole seconds).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let generator3 = Arc::new(TestGenerator::new());
    let server = start(
        Options {
            retry_failed_after: Duration::from_millis(300),
            ..options()
        },
        &store_path,
        generator3.clone(),
    )
    .await;
    let (status, _) = get(server.url("/hash?req=lsof")).await;
    assert_eq!(status, 200, "the stored failure is older than 300 ms");
    assert_eq!(generator3.calls(), 1);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_expire_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(TestGenerator::failing("boom"));
    let server = start(
        Options {
            retry_failed_after: Duration::from_millis(300),
            ..options()
        },
        &dir.path().join("s.sqlite"),
        generator.clone(),
    )
    .await;
    assert_eq!(get(server.url("/hash?req=x")).await.0, 422);
    assert_eq!(get(server.url("/hash?req=x")).await.0, 422);
    assert_eq!(generator.calls(), 1);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(get(server.url("/hash?req=x")).await.0, 422);
    assert_eq!(generator.calls(), 2);
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bind_rule() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("s.sqlite")).unwrap());
    let generator = Arc::new(TestGenerator::new());
    let exposed = Options {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..Options::default()
    };
    let error = Server::bind(exposed.clone(), store.clone(), generator.clone())
        .await
        .err()
        .unwrap();
    assert_eq!(
        error.to_string(),
        "refusing to listen on 0.0.0.0:0 without --token; pass --token or --insecure"
    );
    let with_token = Server::bind(
        Options {
            token: Some("t".to_owned()),
            ..exposed.clone()
        },
        store.clone(),
        generator.clone(),
    )
    .await
    .unwrap();
    assert!(with_token.local_addr().ip().is_unspecified());
    drop(with_token);
    let insecure = start_with(
        Options {
            insecure: true,
            ..exposed
        },
        store.clone(),
        generator.clone(),
    )
    .await;
    let (status, _) = get(format!("http://127.0.0.1:{}/healthz", insecure.addr.port())).await;
    assert_eq!(status, 200);
    insecure.stop().await.unwrap();

    // A port in use: one line saying what to do.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let error = Server::bind(
        Options {
            listen: taken.local_addr().unwrap(),
            ..Options::default()
        },
        store,
        generator,
    )
    .await
    .err()
    .unwrap()
    .to_string();
    assert!(
        error.starts_with(&format!(
            "cannot listen on {}: ",
            taken.local_addr().unwrap()
        )),
        "{error}"
    );
    assert!(
        error.ends_with("; choose another --listen address or stop what uses it"),
        "{error}"
    );
}

//! The original ai-drv-server protocol: `/hash?req=` and `/drv?hash=` byte for byte, one job
//! for ~370 concurrent identical requests (as evil-nix sends them), answers kept in the store
//! across servers.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{client, escape_url, options, sha256_base64, start, text_for, TestGenerator};

const PROMPT: &str = "Generate a derivation for building `sl`";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_identical_requests_share_one_job() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("store.sqlite");
    let generator = Arc::new(TestGenerator::slow(Duration::from_millis(800)));
    let server = start(options(), &store_path, generator.clone()).await;
    let http = client();

    // The same prompt as nixpkgs escapes it, and with different whitespace (and `+` for a
    // space, as HTML forms write it): all one request.
    let variants = [
        escape_url(PROMPT),
        escape_url(&format!("  {PROMPT}\n")),
        escape_url(&PROMPT.replace(' ', "\t ")),
        PROMPT.replace(' ', "+").replace('`', "%60"),
    ];
    let requests = (0..370).map(|i| {
        let url = server.url(&format!("/hash?req={}", variants[i % variants.len()]));
        let http = http.clone();
        tokio::spawn(async move {
            let response = http.get(url).send().await.unwrap();
            let status = response.status().as_u16();
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned();
            (status, content_type, response.bytes().await.unwrap())
        })
    });
    let answers = futures_util::future::join_all(requests).await;
    assert_eq!(generator.calls(), 1, "one job for every identical request");
    assert_eq!(answers.len(), 370);
    let first = answers[0].as_ref().unwrap().2.clone();
    for answer in &answers {
        let (status, content_type, body) = answer.as_ref().unwrap();
        assert_eq!(*status, 200);
        assert_eq!(content_type, "text/plain");
        assert_eq!(body, &first, "every answer byte-identical");
    }
    assert_eq!(first.len(), 44);
    let hash = std::str::from_utf8(&first).unwrap().to_owned();
    assert!(!hash.ends_with('\n') && !hash.starts_with("sha256-"));

    // The text behind it hashes to the answer; the hash arrives escaped as nixpkgs escapes it.
    let response = http
        .get(server.url(&format!("/drv?hash={}", escape_url(&hash))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let text = response.bytes().await.unwrap();
    assert_eq!(sha256_base64(&text), hash);
    let request = generator.requests().remove(0);
    assert_eq!(&text[..], text_for(&request).as_bytes());
    assert_eq!(ai_drv_store::normalise(&request), PROMPT);

    // The SRI form works too.
    let sri = http
        .get(server.url(&format!(
            "/drv?hash={}",
            escape_url(&format!("sha256-{hash}"))
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(sri.status().as_u16(), 200);
    assert_eq!(sri.bytes().await.unwrap(), text);

    // A later request answers at once, from memory.
    let again = http
        .get(server.url(&format!("/hash?req={}", escape_url(PROMPT))))
        .send()
        .await
        .unwrap();
    assert_eq!(again.bytes().await.unwrap(), first);
    assert_eq!(generator.calls(), 1);
    server.stop().await.unwrap();

    // A second server on the same store file answers from the store without generating.
    let generator2 = Arc::new(TestGenerator::new());
    let server2 = start(options(), &store_path, generator2.clone()).await;
    let answers = futures_util::future::join_all((0..20).map(|_| {
        let url = server2.url(&format!("/hash?req={}", escape_url(PROMPT)));
        let http = http.clone();
        async move { http.get(url).send().await.unwrap().bytes().await.unwrap() }
    }))
    .await;
    for answer in answers {
        assert_eq!(answer, first);
    }
    let drv = http
        .get(server2.url(&format!("/drv?hash={}", escape_url(&hash))))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(drv, text);
    // `/drv?req=` of a known prompt is the bare text.
    let bare = http
        .get(server2.url(&format!("/drv?req={}", escape_url(PROMPT))))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bare, text);
    assert_eq!(generator2.calls(), 0);
    server2.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn different_prompts_get_different_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let generator = Arc::new(TestGenerator::new());
    let server = start(options(), &dir.path().join("s.sqlite"), generator.clone()).await;
    let http = client();
    let mut hashes = Vec::new();
    for prompt in ["hello", "Hello", "hello world", "ünïcödé ✓ + / ="] {
        let body = http
            .get(server.url(&format!("/hash?req={}", escape_url(prompt))))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(body, sha256_base64(text_for(prompt).as_bytes()));
        hashes.push(body);
    }
    hashes.dedup();
    assert_eq!(hashes.len(), 4);
    assert_eq!(generator.calls(), 4, "case is kept: Hello is not hello");
    // `+` in a query is a space (as in the original Flask server); `%2B` is a plus.
    let plus = http
        .get(server.url("/hash?req=hello+world"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(plus, hashes[2]);
    assert_eq!(generator.calls(), 4);
    server.stop().await.unwrap();
}

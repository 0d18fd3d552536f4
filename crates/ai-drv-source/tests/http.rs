//! Downloads over HTTP from a real server on loopback: success, 404, unreachable, mirrors.

use std::thread;

use ai_drv_config::{Config, Env};
use ai_drv_source::{prefetch, NoProgress, PrefetchOptions};

const BODY: &[u8] = b"archive bytes\n";

/// Serves `/ok/<anything>` with BODY and everything else with 404, until dropped.
struct Server {
    server: std::sync::Arc<tiny_http::Server>,
    base: String,
}

impl Server {
    fn start() -> Server {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let s = server.clone();
        thread::spawn(move || {
            for mut request in s.incoming_requests() {
                let mut sink = Vec::new();
                let _ = std::io::Read::read_to_end(request.as_reader(), &mut sink);
                let response = if request.url().starts_with("/ok/") {
                    tiny_http::Response::from_data(BODY.to_vec())
                } else {
                    tiny_http::Response::from_data(b"not here".to_vec()).with_status_code(404)
                };
                let _ = request.respond(response);
            }
        });
        Server { server, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn config_with(toml: &str) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, toml).unwrap();
    let c =
        Config::load_with(Env::from_pairs([("AI_DRV_CONFIG", path.to_str().unwrap())])).unwrap();
    (dir, c)
}

#[tokio::test]
async fn downloads_and_hashes() {
    let server = Server::start();
    let (_d, config) = config_with("");
    let p = prefetch(
        &config,
        &format!("{}/ok/thing-1.0.tar.gz", server.base),
        &PrefetchOptions::default(),
        &NoProgress,
    )
    .await
    .unwrap();
    assert_eq!(p.name, "thing-1.0.tar.gz");
    assert_eq!(p.size, BODY.len() as u64);
    assert_eq!(
        p.hash,
        ai_drv_hash::hash_bytes(ai_drv_hash::Algorithm::Sha256, BODY)
    );
    assert_eq!(std::fs::read(p.content_path()).unwrap(), BODY);
}

#[tokio::test]
async fn not_found_names_the_url_and_status() {
    let server = Server::start();
    let (_d, config) = config_with("");
    let url = format!("{}/missing/x.tar.gz", server.base);
    let err = prefetch(&config, &url, &PrefetchOptions::default(), &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains(&url) && err.contains("404"), "{err}");
}

#[tokio::test]
async fn unreachable_names_the_url_and_reason() {
    // Bind then drop to get a loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_d, config) = config_with("");
    let url = format!("http://127.0.0.1:{port}/x.tar.gz");
    let err = prefetch(&config, &url, &PrefetchOptions::default(), &NoProgress)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.starts_with(&format!("cannot reach {url}")), "{err}");
    assert!(err.to_lowercase().contains("refused"), "{err}");
}

#[tokio::test]
async fn mirrors_are_tried_in_order() {
    let server = Server::start();
    let (_d, config) = config_with(&format!(
        "[endpoints]\ndebian = \"{0}/ok\"\n[mirrors]\ngnu = [\"{0}/dead\", \"{0}/ok\"]\n",
        server.base
    ));
    let p = prefetch(
        &config,
        "mirror://gnu/hello/hello-2.12.tar.gz",
        &PrefetchOptions::default(),
        &NoProgress,
    )
    .await
    .unwrap();
    assert_eq!(
        p.resolved.as_str(),
        format!("{}/ok/hello/hello-2.12.tar.gz", server.base)
    );
    let p = prefetch(
        &config,
        "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz",
        &PrefetchOptions::default(),
        &NoProgress,
    )
    .await
    .unwrap();
    assert_eq!(p.name, "sl_5.02.orig.tar.gz");
}

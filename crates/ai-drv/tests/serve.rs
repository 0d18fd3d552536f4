//! `ai-drv serve` and the Nix library end to end, as a user runs them: the real server started on
//! a free loopback port with a real store file and the real engine, the original protocol under
//! 370 concurrent identical requests, `nix-build` of `mkAIDerivation` in impure mode (through a
//! keep-alive stream slower than Nix's stall timeout), lock mode with the server stopped, freeze
//! with no server at all, recursive mode, a `kill -9` in the middle of a job, and bad input.
//! Needs scripts/setup (Nix and the build root), as CI provides.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ai_drv_check::{verify, Corpus};
use assert_cmd::Command;
use base64::Engine as _;
use sha2::Digest;

const SL: &str = "Generate a derivation for building `sl`";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn ai_drv() -> Command {
    let mut c = Command::cargo_bin("ai-drv").unwrap();
    c.env("NO_COLOR", "1")
        .env("AI_DRV_CONFIG", "/nonexistent/ai-drv-test-config.toml");
    c
}

/// nixpkgs' `lib.escapeURL`: everything but `A–Z a–z 0–9 - _ . ~` percent-encoded.
fn escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn sha256_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
}

/// A running `ai-drv serve`; killed when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(store: &Path, extra: &[&str]) -> Server {
        Server::start_with(store, extra, &[], None)
    }

    /// With extra environment variables, and every stderr line also appended to `log`.
    fn start_with(
        store: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
        log: Option<PathBuf>,
    ) -> Server {
        let mut child = Process::new(assert_cmd::cargo::cargo_bin("ai-drv"))
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .env("AI_DRV_CONFIG", "/nonexistent/ai-drv-test-config.toml")
            .args(["serve", "--listen", "127.0.0.1:0", "--store"])
            .arg(store)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut log = log.map(|p| {
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .unwrap()
            });
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(log) = log.as_mut() {
                    use std::io::Write;
                    let _ = writeln!(log, "{line}");
                }
                if let Some(rest) = line.split("listening on ").nth(1) {
                    let _ = tx.send(rest.split_whitespace().next().unwrap_or("").to_string());
                }
                eprintln!("server: {line}");
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server did not say where it listens");
        Server { child, url }
    }

    /// SIGTERM, then wait for a graceful exit.
    fn stop(mut self) {
        let pid = rustix::process::Pid::from_raw(self.child.id() as i32).unwrap();
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "graceful shutdown exits 0: {status}");
    }

    /// SIGKILL: no chance to clean up.
    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn get(url: &str) -> (u16, String) {
    runtime().block_on(async {
        let r = reqwest::get(url).await.unwrap();
        let status = r.status().as_u16();
        (status, r.text().await.unwrap())
    })
}

fn get_json(url: &str) -> (u16, serde_json::Value) {
    let (status, body) = get(url);
    (status, serde_json::from_str(&body).unwrap_or_default())
}

/// The options and environment hostpkgs builds need (as the engine passes them).
fn nix_build(file: &Path, out_link: &Path, extra: &[&str]) -> std::process::Output {
    let config = ai_drv_config::Config::load().unwrap();
    let root = ai_drv_hostpkgs::buildroot::BuildRoot::locate(&config);
    let mut cmd = Process::new("nix-build");
    cmd.arg(file).arg("-o").arg(out_link);
    for (k, v) in root.nix_options() {
        cmd.args(["--option", &k, &v]);
    }
    cmd.args(["--option", "substituters", ""]);
    cmd.args(extra);
    for (k, v) in ai_drv_hostpkgs::buildroot::mirror_env(&config) {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn corpus_check(name: &str, out: &Path) {
    let corpus = Corpus::load(&repo().join("bench/dev.toml")).unwrap();
    let check = &corpus.get(name).unwrap().check;
    let out = out.canonicalize().unwrap();
    assert_eq!(verify(&out, check), vec![], "{name} at {}", out.display());
}

fn library_file(dir: &Path, name: &str, server: &str, lock: Option<&str>, call: &str) -> PathBuf {
    let repo = repo();
    let lock = lock.map(|l| format!("lock = ./{l};")).unwrap_or_default();
    let text = format!(
        "let\n  pkgs = import {repo}/nix/hostpkgs {{ }};\n  ai = import {repo}/nix/lib {{ inherit pkgs; server = \"{server}\"; {lock} }};\nin\nai.mkAIDerivation {call}\n",
        repo = repo.display()
    );
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

/// Serves generated source archives on loopback: `/NAME-1.0.tar.gz` is a C program whose build
/// sleeps `seconds` (a job slower than Nix's stall timeout, or one still running when killed),
/// different in every run (`nonce`) so nothing is cached.
fn slow_sources(nonce: u128) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().trim_start_matches('/').to_string();
            let parsed = path
                .strip_suffix("-1.0.tar.gz")
                .and_then(|n| n.rsplit_once('-'))
                .and_then(|(name, secs)| Some((name.to_string(), secs.parse::<u32>().ok()?)));
            let response = match parsed {
                Some((name, secs)) => {
                    let dir = format!("{name}-{secs}-1.0");
                    let c = format!(
                        "#include <stdio.h>\n#include <string.h>\nint main(int argc, char **argv) {{\n  if (argc > 1 && strcmp(argv[1], \"--version\") == 0) {{ puts(\"{name} 1.0\"); return 0; }}\n  puts(\"{name} {nonce}\");\n  return 0;\n}}\n"
                    );
                    let make = format!(
                        "PREFIX ?= /usr/local\nall: {name}\n{name}: {name}.c\n\tsleep {secs}\n\t$(CC) -o {name} {name}.c\ninstall: {name}\n\tinstall -Dm755 {name} $(DESTDIR)$(PREFIX)/bin/{name}\n"
                    );
                    let body = tar_gz(&[
                        (&format!("{dir}/{name}.c"), &c),
                        (&format!("{dir}/Makefile"), &make),
                    ]);
                    tiny_http::Response::from_data(body)
                }
                None => tiny_http::Response::from_data(Vec::new()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    format!("http://{addr}")
}

fn tar_gz(files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (path, body) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, path, body.as_bytes())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

fn nonce() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn nix_string(s: &str) -> String {
    serde_json::to_string(s).unwrap().replace("${", "\\${")
}

#[test]
fn protocol_library_modes_and_crash_recovery() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("data");
    let store = data.join("ai-drv/store.sqlite");
    let server = Server::start(&store, &["--keepalive", "0.25"]);

    // 370 concurrent identical /hash requests (what the original client sends per prompt).
    let hash_url = format!("{}/hash?req={}", server.url, escape(SL));
    let answers: Vec<(u16, Vec<u8>)> = runtime().block_on(async {
        let client = reqwest::Client::new();
        let tasks: Vec<_> = (0..370)
            .map(|_| {
                let client = client.clone();
                let url = hash_url.clone();
                tokio::spawn(async move {
                    let r = client.get(&url).send().await.unwrap();
                    let status = r.status().as_u16();
                    (status, r.bytes().await.unwrap().to_vec())
                })
            })
            .collect();
        let mut out = Vec::new();
        for task in tasks {
            out.push(task.await.unwrap());
        }
        out
    });
    let (status, first) = answers[0].clone();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&first));
    assert_eq!(first.len(), 44);
    assert!(answers.iter().all(|a| a == &(200, first.clone())));
    let hash = String::from_utf8(first).unwrap();
    let (status, job) = get_json(&format!("{}/api/v1/jobs/1", server.url));
    assert_eq!(status, 200);
    assert_eq!(job["state"], "succeeded", "{job:#}");
    assert_eq!(job["hash"], hash.as_str());
    let (status, _) = get(&format!("{}/api/v1/jobs/2", server.url));
    assert_eq!(status, 404, "370 identical requests made one job");
    let (status, text) = get(&format!("{}/drv?hash={}", server.url, escape(&hash)));
    assert_eq!(status, 200);
    assert_eq!(sha256_base64(text.as_bytes()), hash);
    assert!(text.contains("stdenv.mkDerivation"), "{text}");
    let (_, metrics) = get(&format!("{}/metrics", server.url));
    assert!(metrics.contains("ai_drv_"), "{metrics}");

    // Impure mode: builtins.fetchurl of /drv?req=.
    let impure = library_file(t.path(), "impure.nix", &server.url, None, &nix_string(SL));
    let out = nix_build(&impure, &t.path().join("result-impure"), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(t.path().join("result-impure/bin/sl").exists());
    corpus_check("sl", &t.path().join("result-impure"));

    // A job slower than Nix's stall timeout (its build sleeps 4 s; Nix gives up on a download
    // that stalls 1 s): the keep-alive lines carry the download through.
    let nonce = nonce();
    let sources = slow_sources(nonce);
    let slow_url = format!("{sources}/slowpoke-4-1.0.tar.gz");
    let slow = library_file(
        t.path(),
        "slow.nix",
        &server.url,
        None,
        &nix_string(&slow_url),
    );
    let out = nix_build(
        &slow,
        &t.path().join("result-slow"),
        &["--option", "stalled-download-timeout", "1"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, job) = get_json(&format!("{}/api/v1/jobs/2", server.url));
    assert_eq!(job["state"], "succeeded", "{job:#}");
    let took = job["finished_at"].as_i64().unwrap() - job["started_at"].as_i64().unwrap();
    assert!(took >= 3, "the job outlasts the stall timeout: {job:#}");
    let ran = Process::new(t.path().join("result-slow/bin/slowpoke"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        format!("slowpoke {nonce}\n")
    );

    // Lock mode: `ai-drv lock` pins the prompt; the build then works with the server stopped.
    let locked = library_file(
        t.path(),
        "locked.nix",
        &server.url,
        Some("ai-drv.lock"),
        &nix_string(SL),
    );
    ai_drv()
        .current_dir(t.path())
        .args(["lock", "locked.nix", "--server", &server.url])
        .assert()
        .success();
    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("ai-drv.lock")).unwrap())
            .unwrap();
    assert_eq!(lock["prompts"][SL]["hash"], format!("sha256-{hash}"));
    server.stop();
    let out = nix_build(&locked, &t.path().join("result-locked"), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    corpus_check("sl", &t.path().join("result-locked"));
    let passthru = Process::new("nix-instantiate")
        .args(["--eval", "--json", "-E"])
        .arg(format!(
            "(import {}).passthru.mkAIDerivation.hash",
            locked.display()
        ))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&passthru.stdout),
        format!("\"sha256-{hash}\""),
        "{}",
        String::from_utf8_lossy(&passthru.stderr)
    );

    // Freeze: the texts come from the local store, the build needs no server at all.
    ai_drv()
        .current_dir(t.path())
        .env("XDG_DATA_HOME", &data)
        .args(["freeze"])
        .assert()
        .success();
    let lock: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("ai-drv.lock")).unwrap())
            .unwrap();
    let file = t.path().join(lock["prompts"][SL]["file"].as_str().unwrap());
    assert_eq!(
        sha256_base64(&std::fs::read(&file).unwrap()),
        hash,
        "the frozen file is the served text"
    );
    let out = nix_build(&locked, &t.path().join("result-frozen"), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    corpus_check("sl", &t.path().join("result-frozen"));

    // kill -9: a completed job survives, a job cut off is marked failed on the next start.
    let server = Server::start(&store, &[]);
    let (status, again) = get(&format!("{}/hash?req={}", server.url, escape(SL)));
    assert_eq!((status, again.as_str()), (200, hash.as_str()));
    let (status, _) = get(&format!("{}/api/v1/jobs/3", server.url));
    assert_eq!(status, 404, "a known prompt is answered from the store");
    let created: String = runtime().block_on(async {
        reqwest::Client::new()
            .post(format!("{}/api/v1/jobs", server.url))
            .header("content-type", "application/json")
            .body(
                serde_json::json!({ "request": format!("{sources}/sleepy-600-1.0.tar.gz") })
                    .to_string(),
            )
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    let created: serde_json::Value = serde_json::from_str(&created).unwrap();
    let id = created["id"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, job) = get_json(&format!("{}/api/v1/jobs/{id}", server.url));
        if job["state"] == "running" {
            break;
        }
        assert!(Instant::now() < deadline, "the job never started: {job:#}");
        std::thread::sleep(Duration::from_millis(100));
    }
    server.kill9();
    let server = Server::start(&store, &[]);
    let (_, job) = get_json(&format!("{}/api/v1/jobs/{id}", server.url));
    assert_eq!(job["state"], "failed", "{job:#}");
    assert!(
        job["error"].as_str().unwrap().contains("interrupted"),
        "{job:#}"
    );
    let (_, job) = get_json(&format!("{}/api/v1/jobs/1", server.url));
    assert_eq!(job["state"], "succeeded");
    let (status, again) = get(&format!("{}/hash?req={}", server.url, escape(SL)));
    assert_eq!((status, again.as_str()), (200, hash.as_str()));
    server.stop();

    // The store as `ai-drv cache` sees it.
    let out = ai_drv()
        .args(["cache", "--store"])
        .arg(&store)
        .args(["list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hashes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["hash"].as_str().unwrap())
        .collect();
    assert!(hashes.contains(&hash.as_str()), "{list:#}");
    assert_eq!(hashes.len(), 2, "sl and slowpoke: {list:#}");
    let out = ai_drv()
        .args(["cache", "--store"])
        .arg(&store)
        .args(["show", "sl"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), text);
}

#[test]
fn recursive_mode_builds_a_corpus_package_inside_a_build() {
    let t = tempfile::tempdir().unwrap();
    let repo = repo();
    let config = ai_drv_config::Config::load().unwrap();
    let root = ai_drv_hostpkgs::buildroot::BuildRoot::locate(&config);
    let bin = assert_cmd::cargo::cargo_bin("ai-drv");
    let file = t.path().join("recursive.nix");
    std::fs::write(
        &file,
        format!(
            r#"let
  pkgs = import {repo}/nix/hostpkgs {{ }};
  ai-drv = pkgs.runCommand "ai-drv-under-test" {{
    bin = builtins.path {{ path = {bin}; name = "ai-drv-bin"; }};
    nixdir = builtins.path {{ path = {repo}/nix; name = "ai-drv-nix"; }};
  }} ''
    mkdir -p $out/bin
    printf '#!/bin/sh\nexport AI_DRV_NIX_DIR=%s\nexec %s "$@"\n' "$nixdir" "$bin" > $out/bin/ai-drv
    chmod +x $out/bin/ai-drv
  '';
  ai = import {repo}/nix/lib {{ inherit pkgs ai-drv; }};
in
ai.mkAIDerivation {{
  prompt = {prompt};
  mode = "recursive";
  engineArgs = [ "--engine" "builtin" ];
  engineEnv.AI_DRV_BUILD_ROOT = "{root}";
}}
"#,
            repo = repo.display(),
            bin = bin.display(),
            prompt = nix_string(SL),
            root = root.path.display(),
        ),
    )
    .unwrap();
    let out = nix_build(
        &file,
        &t.path().join("result"),
        &[
            "--option",
            "sandbox",
            "relaxed",
            "--option",
            "extra-experimental-features",
            "recursive-nix",
            "--option",
            "build-users-group",
            "",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    corpus_check("sl", &t.path().join("result"));
}

#[test]
fn bad_input_gets_its_4xx_and_the_bind_rule_holds() {
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store.sqlite");
    let server = Server::start(&store, &["--token", "s3cret"]);
    let u = &server.url;
    let client = reqwest::Client::new();
    let status = |path: String, token: Option<&str>| -> u16 {
        runtime().block_on(async {
            let mut r = client.get(format!("{u}{path}"));
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            r.send().await.unwrap().status().as_u16()
        })
    };
    let ok = Some("s3cret");
    assert_eq!(status(format!("/hash?req={}", escape(SL)), None), 401);
    assert_eq!(
        status(format!("/hash?req={}", escape(SL)), Some("wrong")),
        401
    );
    assert_eq!(status("/healthz".into(), None), 200);
    assert_eq!(status("/hash?req=".into(), ok), 400);
    assert_eq!(status("/hash?req=%20%09".into(), ok), 400);
    assert_eq!(status("/hash?req=%FF%FE".into(), ok), 400);
    assert_eq!(status("/hash".into(), ok), 400);
    assert_eq!(status(format!("/hash?req={}", "a".repeat(5000)), ok), 413);
    assert_eq!(status("/drv?hash=nothere".into(), ok), 400);
    let unknown = escape(&sha256_base64(b"no such derivation"));
    assert_eq!(status(format!("/drv?hash={unknown}"), ok), 404);
    assert_eq!(status(format!("/api/v1/derivations/{unknown}"), ok), 404);
    assert_eq!(status("/api/v1/jobs/999".into(), ok), 404);
    let too_long = status(format!("/drv?req={}", "b".repeat(40_000)), ok);
    assert!(too_long == 414 || too_long == 413, "{too_long}");
    server.stop();

    // A non-loopback address needs a token (or --insecure).
    let out = ai_drv()
        .args(["serve", "--listen", "0.0.0.0:0", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--token"), "{stderr}");
}

#[test]
fn no_key_in_responses_the_store_or_the_logs() {
    const KEY: &str = "sk-ai-drv-test-c2VjcmV0LWtleQ";
    let t = tempfile::tempdir().unwrap();
    let store = t.path().join("store.sqlite");
    let log = t.path().join("server.log");
    let server = Server::start_with(
        &store,
        &["-vvv", "--engine", "builtin"],
        &[
            ("OPENAI_API_KEY", KEY),
            ("ANTHROPIC_API_KEY", KEY),
            ("AI_DRV_LOG", "trace"),
        ],
        Some(log.clone()),
    );
    let mut bodies = String::new();
    for path in [
        format!("/hash?req={}", escape(SL)),
        format!("/drv?req={}", escape(SL)),
        "/api/v1/jobs/1".into(),
        "/metrics".into(),
        format!(
            "/hash?req={}",
            escape("Generate a derivation for building `nosuchthing-xyz`")
        ),
        "/hash?req=%FF".into(),
    ] {
        let (_, body) = get(&format!("{}{path}", server.url));
        bodies.push_str(&body);
    }
    server.stop();
    assert!(bodies.contains("stdenv.mkDerivation"), "{bodies}");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("listening on"), "{logged}");
    assert!(!bodies.contains(KEY), "a response carries the key");
    assert!(!logged.contains(KEY), "the log carries the key:\n{logged}");
    for entry in std::fs::read_dir(t.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().contains("store.sqlite") {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
                "{} carries the key",
                path.display()
            );
        }
    }
}

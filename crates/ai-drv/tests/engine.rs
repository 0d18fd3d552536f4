//! The packaging engine end to end, as a user runs it: `ai-drv new` on real corpus packages of
//! different build systems (real downloads through the configured mirrors, real sandboxed Nix
//! builds against hostpkgs), each result then checked with the corpus' own check; `ai-drv build`
//! repairing a broken file; and bad input ending in one clear line with nothing left behind.
//! Needs scripts/setup (Nix and the build root), as CI provides.

use std::path::{Path, PathBuf};

use ai_drv_check::{verify, Corpus};
use assert_cmd::Command;

fn ai_drv() -> Command {
    let mut c = Command::cargo_bin("ai-drv").unwrap();
    c.env("NO_COLOR", "1")
        .env("AI_DRV_CONFIG", "/nonexistent/ai-drv-test-config.toml");
    c
}

fn corpus() -> Corpus {
    Corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/dev.toml")).unwrap()
}

/// `ai-drv new SOURCE --json` in a fresh directory; the result must be a success whose output
/// passes the corpus check of `name`.
fn new_passes_corpus_check(name: &str, source: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = ai_drv()
        .current_dir(dir.path())
        .args(["new", source, "--json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{name}: {stderr}\n{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["status"], "success", "{report:#}");
    assert_eq!(report["check"]["passed"], true, "{report:#}");
    let file = dir.path().join(report["file"].as_str().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("strictDeps = true") || !text.contains("stdenv"),
        "{text}"
    );
    assert!(dir
        .path()
        .join(format!(
            "{}/result",
            report["package"]["pname"].as_str().unwrap()
        ))
        .exists());
    let out_path = PathBuf::from(report["out_paths"][0].as_str().unwrap());
    let package = corpus();
    let check = &package.get(name).unwrap().check;
    assert_eq!(verify(&out_path, check), vec![], "{name}: {text}");
    report
}

#[test]
fn plain_words_sl_makefile_without_install_target() {
    let report = new_passes_corpus_check("sl", "Generate a derivation for building `sl`");
    assert_eq!(report["package"]["pname"], "sl");
    assert_eq!(
        report["source"]["url"],
        "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz"
    );
}

#[test]
fn autotools_hello_from_a_mirror_url() {
    new_passes_corpus_check(
        "hello",
        "mirror://debian/pool/main/h/hello/hello_2.10.orig.tar.gz",
    );
}

#[test]
fn cmake_library_cjson() {
    let report = new_passes_corpus_check(
        "cjson",
        "mirror://debian/pool/main/c/cjson/cjson_1.7.15.orig.tar.gz",
    );
    // The engine's own check of a library is the link test.
    assert!(
        report["check"]["command"]
            .as_str()
            .unwrap()
            .contains("cJSON.h"),
        "{report:#}"
    );
}

#[test]
fn cargo_crate_sd() {
    let report = new_passes_corpus_check("sd", "crate:sd@1.0.0");
    // cargoHash starts fake and is learnt from the build: at least two attempts.
    assert!(report["attempts"].as_u64().unwrap() >= 2, "{report:#}");
}

#[test]
fn python_pyfiglet() {
    new_passes_corpus_check("pyfiglet", "pypi:pyfiglet@1.0.4");
}

/// The seed guide's situation: an empty hash and a forgotten dependency. `build` repairs both,
/// writes the file back, and `--dry-run` only shows the diff.
#[test]
fn build_repairs_an_empty_hash_and_a_missing_dependency() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("package.nix");
    let broken = r#"{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_${finalAttrs.version}.orig.tar.gz";
    hash = "";
  };

  makeFlags = [ "CC:=$(CC)" ];

  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/bin sl
    runHook postInstall
  '';

  meta.mainProgram = "sl";
})
"#;
    std::fs::write(&file, broken).unwrap();
    let out = ai_drv()
        .args(["build", file.to_str().unwrap(), "--dry-run"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("+    hash = \"sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=\";"),
        "{stdout}"
    );
    assert!(stdout.contains("buildInputs = [ ncurses ];"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        broken,
        "--dry-run must not write"
    );

    let out = ai_drv()
        .args(["build", file.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["status"], "success");
    assert_eq!(report["written"], true);
    let repaired = std::fs::read_to_string(&file).unwrap();
    assert!(
        repaired.contains("{ lib, stdenv, fetchurl, ncurses }:"),
        "{repaired}"
    );
    assert!(dir.path().join("result/bin/sl").exists());
    // --no-repair builds once and reports the diagnosis.
    std::fs::write(&file, broken).unwrap();
    let out = ai_drv()
        .args(["build", file.to_str().unwrap(), "--no-repair", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["attempts"], 1);
    assert_eq!(
        report["history"][0]["diagnoses"][0]["kind"], "hash-mismatch",
        "{report:#}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
}

/// A local HTTP server answering every request with `status` and `body`.
fn serve(status: u16, body: Vec<u8>) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let _ = request
                .respond(tiny_http::Response::from_data(body.clone()).with_status_code(status));
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

/// Runs `new` in an empty directory; expects `code`, one error line (plus a hint), and an empty
/// directory afterwards. Returns the error text.
fn new_fails(source: &str, code: i32, env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = ai_drv();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .current_dir(dir.path())
        .args(["new", source])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "{source}: {stderr}");
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("source:"))
        .collect();
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("error: ") || l.starts_with("hint: ")),
        "{stderr}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("error: ")).count(),
        1,
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{source} left files behind: {left:?}");
    stderr
}

#[test]
fn bad_input_ends_with_one_clear_line_and_nothing_written() {
    // Unreachable host.
    let text = new_fails("http://127.0.0.1:9/x-1.0.tar.gz", 1, &[]);
    assert!(text.contains("127.0.0.1:9"), "{text}");
    // 404.
    let base = serve(404, b"no".to_vec());
    let text = new_fails(&format!("{base}/x-1.0.tar.gz"), 1, &[]);
    assert!(text.contains("404"), "{text}");
    // Not an archive.
    let base = serve(200, b"<html>hello</html>".to_vec());
    let text = new_fails(&format!("{base}/x-1.0.tar.gz"), 1, &[]);
    assert!(
        text.contains("not a source archive") || text.contains("archive"),
        "{text}"
    );
    // An archive with no build system.
    let base = serve(200, tar_gz(&[("x-1.0/README", "just words\n")]));
    let text = new_fails(&format!("{base}/x-1.0.tar.gz"), 1, &[]);
    assert!(text.contains("no build system recognised"), "{text}");
    // A name the registry does not know.
    let base = serve(404, Vec::new());
    let text = new_fails(
        "crate:surely-no-such-crate-here",
        1,
        &[("AI_DRV_CRATES_INDEX", &format!("{base}/index/"))],
    );
    assert!(text.contains("surely-no-such-crate-here"), "{text}");
    // A prompt with no package in it.
    let text = new_fails("please generate something for me", 2, &[]);
    assert!(text.contains("no package"), "{text}");
}

/// The policy applies to every derivation, a user's file included: a sandbox escape and a
/// download in a build phase are rejected before anything is built, with a reason for each.
#[test]
fn build_rejects_what_the_policy_forbids() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("package.nix");
    let text = r#"{ lib, stdenv, fetchurl, curl }:

stdenv.mkDerivation {
  pname = "x";
  version = "1.0";
  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz";
    hash = "";
  };
  __noChroot = true;
  nativeBuildInputs = [ curl ];
  preBuild = ''
    curl -L https://example.invalid/extra.tar.gz | tar xz
  '';
}
"#;
    std::fs::write(&file, text).unwrap();
    let out = ai_drv()
        .args(["build", file.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["attempts"], 1);
    assert_eq!(report["history"][0]["outcome"], "rejected");
    let rules: Vec<&str> = report["history"][0]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["sandbox-escape", "network-in-build"], "{report:#}");
    assert!(
        report["diagnosis"]
            .as_str()
            .unwrap()
            .starts_with("the policy rejected it: line 10:"),
        "{report:#}"
    );
    assert!(
        stderr.contains("the policy rejected the derivation"),
        "{stderr}"
    );
    // Nothing was written back.
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

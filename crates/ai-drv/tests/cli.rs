//! The `ai-drv` command as a user runs it: exit codes, one-line errors, output equal to Nix's.

use std::process::Command as StdCommand;

use assert_cmd::Command;
use predicates::prelude::*;

fn ai_drv() -> Command {
    let mut c = Command::cargo_bin("ai-drv").unwrap();
    c.env("NO_COLOR", "1")
        .env("AI_DRV_CONFIG", "/nonexistent/ai-drv-test-config.toml");
    c
}

fn nix(args: &[&str]) -> String {
    let out = StdCommand::new("nix")
        .args(["--extra-experimental-features", "nix-command"])
        .args(args)
        .output()
        .expect("Nix must be installed: run scripts/setup");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// stderr must hold exactly one `error:` line (plus at most a hint line).
fn one_line_error(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).to_string();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines[0].starts_with("error: "), "{text}");
    assert!(
        lines.len() == 1 || (lines.len() == 2 && lines[1].starts_with("hint: ")),
        "{text}"
    );
    text
}

/// Runs ai-drv with `args`, expects success, returns stdout.
fn stdout_ok(args: &[&str]) -> String {
    let out = ai_drv()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// Runs ai-drv with `args` (which include `--json`), expects success, returns the parsed stdout.
fn json_ok(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_ok(args)).unwrap()
}

/// Runs ai-drv with `args`, expects exit 2 and one error line; returns stderr.
fn usage_error(args: &[&str]) -> String {
    let out = ai_drv()
        .args(args)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    one_line_error(&out)
}

#[test]
fn help_lists_every_subcommand() {
    let out = ai_drv()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for cmd in [
        "new", "build", "serve", "lock", "bench", "cache", "shell", "doctor", "hash", "prefetch",
    ] {
        assert!(
            text.contains(&format!("  {cmd} ")),
            "{cmd} missing from --help"
        );
        ai_drv().args([cmd, "--help"]).assert().success();
    }
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    ai_drv()
        .arg("frobnicate")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: unrecognized subcommand 'frobnicate'",
        ));
}

#[test]
fn later_commands_say_they_are_not_implemented() {
    let text = usage_error(&["shell", "sl"]);
    assert!(text.contains("not yet implemented"), "{text}");
}

#[test]
fn hash_file_and_path_equal_nix() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("f");
    std::fs::write(&f, "hello\n").unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("d/x"), "x").unwrap();
    std::os::unix::fs::symlink("x", dir.path().join("d/l")).unwrap();
    let f = f.to_str().unwrap();
    let d = dir.path().join("d");
    let d = d.to_str().unwrap();

    let ours = |args: &[&str]| stdout_ok(args).trim().to_string();
    assert_eq!(ours(&["hash", "file", f]), nix(&["hash", "file", f]));
    assert_eq!(
        ours(&["hash", "file", "--format", "nix32", f]),
        nix(&["hash", "file", "--base32", f])
    );
    assert_eq!(
        ours(&["hash", "file", "--format", "base16", "--type", "sha512", f]),
        nix(&["hash", "file", "--base16", "--type", "sha512", f])
    );
    assert_eq!(ours(&["hash", "path", d]), nix(&["hash", "path", d]));
    let nix32 = nix(&["hash", "file", "--base32", f]);
    assert_eq!(
        ours(&["hash", "convert", &format!("sha256:{nix32}")]),
        nix(&["hash", "file", f])
    );

    let v = json_ok(&["--json", "hash", "path", d]);
    assert_eq!(v["sri"], nix(&["hash", "path", d]));
    assert_eq!(v["algorithm"], "sha256");
}

#[test]
fn hash_bad_input() {
    let text = usage_error(&["hash", "file", "/nonexistent/file"]);
    assert!(text.contains("/nonexistent/file"));
    usage_error(&["hash", "convert", "sha256:nothex"]);
    ai_drv()
        .args(["hash", "file", "--format", "base99", "x"])
        .assert()
        .code(2);
}

#[test]
fn prefetch_equals_nix_prefetch_url_and_adds_to_the_store() {
    let archive = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ai-drv-source/tests/fixtures/archives/sl_5.02.orig.tar.gz")
        .canonicalize()
        .unwrap();
    let url = format!("file://{}", archive.display());
    for unpack in [false, true] {
        let mut args = vec!["--json", "prefetch", url.as_str()];
        if unpack {
            args.push("--unpack");
        }
        let v = json_ok(&args);
        let mut cmd = StdCommand::new("nix-prefetch-url");
        if unpack {
            cmd.arg("--unpack");
        }
        let theirs = cmd.arg("--print-path").arg(&url).output().unwrap();
        let theirs = String::from_utf8(theirs.stdout).unwrap();
        let mut lines = theirs.lines();
        assert_eq!(v["nix32"], lines.next().unwrap());
        assert_eq!(v["store_path"], lines.next().unwrap());
        assert_eq!(v["in_store"], true);
        assert!(std::path::Path::new(v["store_path"].as_str().unwrap()).exists());
    }
    // Without --json: the SRI hash alone on stdout.
    ai_drv()
        .args(["prefetch", "--no-store", &url])
        .assert()
        .success()
        .stdout(predicate::str::is_match("^sha256-[A-Za-z0-9+/]{43}=\n$").unwrap());
}

#[test]
fn prefetch_bad_input_exits_2_with_one_line() {
    // Unreachable: a loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/x-1.0.tar.gz");
    let text = usage_error(&["prefetch", &url]);
    assert!(
        text.contains(&url) && text.to_lowercase().contains("refused"),
        "{text}"
    );

    // A URL that 404s, from a real HTTP server on loopback.
    let dir = tempfile::tempdir().unwrap();
    let mut server = StdCommand::new("python3")
        .args([
            "-m",
            "http.server",
            "0",
            "--bind",
            "127.0.0.1",
            "--directory",
        ])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let port = {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        line.split("port ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_string()
    };
    let url = format!("http://127.0.0.1:{port}/missing-1.0.tar.gz");
    let text = usage_error(&["prefetch", &url]);
    let _ = server.kill();
    let _ = server.wait();
    assert!(text.contains(&url) && text.contains("404"), "{text}");

    // A corrupt archive with --unpack.
    let bad = dir.path().join("bad.tar.gz");
    std::fs::write(&bad, [0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]).unwrap();
    let text = usage_error(&["prefetch", "--unpack", &format!("file://{}", bad.display())]);
    assert!(text.contains("corrupt tar.gz archive"));

    // A mirror ai-drv does not know.
    let text = usage_error(&["prefetch", "mirror://nowhere/x.tar.gz"]);
    assert!(text.contains("[mirrors]"));
}

#[test]
fn doctor_passes_here_and_names_problems_without_nix() {
    let v = json_ok(&["--json", "doctor"]);
    assert_eq!(v["ok"], true);
    let nix_check = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "nix")
        .unwrap();
    assert!(nix_check["detail"].as_str().unwrap().contains("2."));

    // No Nix on PATH: exit 2, the problem named with what to do, no panic.
    let out = ai_drv()
        .env("PATH", "/nonexistent")
        .arg("doctor")
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("error  nix: Nix is not installed"), "{text}");
    assert!(text.contains("scripts/setup"), "{text}");
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn doctor_never_prints_api_keys() {
    let out = ai_drv()
        .env("OPENAI_API_KEY", "sk-test-very-secret")
        .args(["--json", "doctor"])
        .assert()
        .get_output()
        .clone();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("openai"));
    assert!(!all.contains("sk-test-very-secret"));
}

#[test]
fn build_builds_a_file_with_hostpkgs_and_reports_a_failing_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.nix");
    std::fs::write(
        &good,
        "{ runCommand }: runCommand \"ai-drv-cli-build\" { } ''echo built > $out''\n",
    )
    .unwrap();
    let out = stdout_ok(&["build", good.to_str().unwrap()]);
    assert!(out.trim().starts_with("/nix/store/"), "{out}");
    assert_eq!(std::fs::read_to_string(out.trim()).unwrap(), "built\n");

    let bad = dir.path().join("bad.nix");
    std::fs::write(
        &bad,
        "{ stdenv }: stdenv.mkDerivation { name = \"ai-drv-cli-fails\"; dontUnpack = true; buildPhase = \"echo about to fail; exit 3\"; }\n",
    )
    .unwrap();
    let output = ai_drv()
        .args(["build", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("failed with exit code 3"), "{stderr}");
    assert!(stderr.contains("about to fail"), "{stderr}");

    let text = usage_error(&["build", "/nonexistent/x.nix"]);
    assert!(text.contains("does not exist"), "{text}");
}

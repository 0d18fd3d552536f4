//! The driver against the installed Nix (2.8 here). Needs Nix on PATH: run scripts/setup.

use std::time::{Duration, Instant};

use ai_drv_diagnose::Diagnosis;
use ai_drv_nix::{BuildOptions, EvalOptions, Nix, NixError, Options, Target};

fn nix() -> Nix {
    Nix::detect().expect("Nix must be installed for these tests: run scripts/setup")
}

/// A derivation built by /bin/sh with no package set; `nonce` keeps runs apart where needed.
fn drv(name: &str, script: &str) -> String {
    format!(
        r#"derivation {{ name = "{name}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" {script:?} ]; }}"#
    )
}

#[test]
fn detects_the_installed_version() {
    let n = nix();
    assert_eq!(n.version().major, 2);
    assert!(n.version().minor >= 3);
}

#[test]
fn evaluates_expressions_and_json() {
    let n = nix();
    let v = n
        .eval(&Target::expr("1 + 2"), &EvalOptions::default())
        .unwrap();
    assert_eq!(v, "3");
    let v: Vec<String> = n
        .eval_json(
            &Target::expr(r#"{ xs = [ "a" "b" ]; }"#).attr("xs"),
            &EvalOptions {
                strict: true,
                ..EvalOptions::default()
            },
        )
        .unwrap();
    assert_eq!(v, ["a", "b"]);
}

#[test]
fn evaluation_errors_come_back_typed() {
    let err = nix()
        .eval(&Target::expr("let x = 1; in y"), &EvalOptions::default())
        .unwrap_err();
    assert!(matches!(
        err.diagnoses(),
        [Diagnosis::UndefinedVariable { name, .. }] if name == "y"
    ));
}

#[test]
fn builds_and_reports_out_paths() {
    let n = nix();
    let built = n
        .build(
            &Target::expr(drv("ai-drv-ok", "echo built > $out")),
            &BuildOptions::default(),
            None,
        )
        .unwrap();
    assert_eq!(built.out_paths.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&built.out_paths[0]).unwrap(),
        "built\n"
    );
    // The same through `nix build`, adapted to the version (--json on 2.8).
    let drvs = n
        .instantiate(
            &Target::expr(drv("ai-drv-ok", "echo built > $out")),
            &Options::default(),
        )
        .unwrap();
    let via_nix_build = n
        .build_installable(&format!("{}^*", drvs[0]), &BuildOptions::default())
        .or_else(|_| n.build_installable(&drvs[0], &BuildOptions::default()))
        .unwrap();
    assert_eq!(via_nix_build.out_paths, built.out_paths);
}

#[test]
fn build_failure_carries_the_log_tail() {
    let nonce = std::process::id();
    let mut streamed = Vec::new();
    let mut on_line = |l: &str| streamed.push(l.to_string());
    let err = nix()
        .build(
            &Target::expr(drv(
                "ai-drv-fails",
                &format!("echo nonce {nonce}; echo 'fatal error: zlib.h: No such file or directory' >&2; exit 3"),
            )),
            &BuildOptions::default(),
            Some(&mut on_line),
        )
        .unwrap_err();
    match err.diagnoses() {
        [Diagnosis::BuilderFailed {
            exit_code: Some(3),
            log_tail,
            ..
        }] => assert!(
            log_tail.iter().any(|l| l.contains("zlib.h")),
            "{log_tail:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(streamed.iter().any(|l| l.contains("zlib.h")));
}

#[test]
fn wrong_fixed_output_hash_gives_the_real_one() {
    let expr = r#"derivation { name = "ai-drv-fod"; system = builtins.currentSystem; builder = "/bin/sh";
        args = [ "-c" "echo fixed > $out" ]; outputHashMode = "flat"; outputHashAlgo = "sha256";
        outputHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; }"#;
    let err = nix()
        .build(&Target::expr(expr), &BuildOptions::default(), None)
        .unwrap_err();
    let expected = ai_drv_hash_of(b"fixed\n");
    assert!(
        matches!(err.diagnoses(), [Diagnosis::HashMismatch { got, .. }] if *got == expected),
        "{:?}",
        err.diagnoses()
    );
}

fn ai_drv_hash_of(data: &[u8]) -> String {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f");
    std::fs::File::create(&p).unwrap().write_all(data).unwrap();
    let out = std::process::Command::new("nix")
        .args([
            "--extra-experimental-features",
            "nix-command",
            "hash",
            "file",
        ])
        .arg(&p)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn timeout_kills_nix_and_its_builder() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("builder-survived");
    let nonce = std::process::id();
    let script = format!(
        "echo {nonce}; /bin/sleep 6; /bin/touch {}",
        marker.display()
    );
    let started = Instant::now();
    let err = nix()
        .build(
            &Target::expr(drv("ai-drv-slow", &script)),
            &BuildOptions {
                common: Options {
                    timeout: Some(Duration::from_secs(2)),
                    ..Options::default()
                },
                ..BuildOptions::default()
            },
            None,
        )
        .unwrap_err();
    assert!(matches!(err, NixError::TimedOut { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    std::thread::sleep(Duration::from_secs(6));
    assert!(!marker.exists(), "the builder outlived the timeout");
}

#[test]
fn import_from_derivation_needs_read_write_mode_on_2_8() {
    let n = nix();
    let expr = format!(
        "builtins.readFile ({})",
        drv("ai-drv-ifd", "echo -n from-ifd > $out")
    );
    let v = n
        .eval(
            &Target::expr(&expr),
            &EvalOptions {
                allow_ifd: true,
                ..EvalOptions::default()
            },
        )
        .unwrap();
    assert_eq!(v, "\"from-ifd\"");
}

#[test]
fn adds_to_the_store_and_reads_logs() {
    let n = nix();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ai-drv-added.txt");
    std::fs::write(&f, format!("added {}\n", std::process::id())).unwrap();
    let p = n.add_fixed(&f, false, "sha256").unwrap();
    assert!(p.starts_with("/nix/store/") && p.ends_with("-ai-drv-added.txt"));
    assert!(std::path::Path::new(&p).exists());
    let p2 = n.add(&f).unwrap();
    assert!(p2.ends_with("-ai-drv-added.txt"));

    let nonce = format!("log-line-{}", std::process::id());
    let expr = drv(
        &format!("ai-drv-logged-{}", std::process::id()),
        &format!("echo {nonce}; echo > $out"),
    );
    n.build(&Target::expr(&expr), &BuildOptions::default(), None)
        .unwrap();
    let drvs = n
        .instantiate(&Target::expr(&expr), &Options::default())
        .unwrap();
    assert!(n.read_log(&drvs[0]).unwrap().contains(&nonce));
}

#[test]
fn reads_settings() {
    let value = nix().setting("max-jobs").unwrap();
    assert!(value.is_some());
}

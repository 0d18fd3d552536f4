//! Forge sources as drafted evaluate in hostpkgs to the archive URL of each forge: the fetcher
//! names the draft writes (fetchFromGitHub, fetchFromGitLab, fetchFromGitea) exist there and take
//! the arguments it writes. Evaluation only (no download). Skipped, saying so, without Nix.

use std::path::Path;
use std::process::Command;

use ai_drv_draft::{render, Builder, Meta, Package, Src, Value};

fn package(fetcher: &str, extra: &[(&str, &str)]) -> Package {
    let mut attrs: Vec<(String, Value)> = extra
        .iter()
        .map(|(k, v)| (k.to_string(), Value::Str(v.to_string())))
        .collect();
    attrs.push(("owner".into(), Value::Str("o".into())));
    attrs.push(("repo".into(), Value::Str("r".into())));
    attrs.push(("rev".into(), Value::Str("v1.2".into())));
    attrs.push(("hash".into(), Value::Str(String::new())));
    Package {
        builder: Builder::Stdenv,
        pname: "r".into(),
        version: "1.2".into(),
        src: Src {
            fetcher: fetcher.into(),
            inherit: vec![],
            attrs,
        },
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![],
        meta: Meta::default(),
    }
}

fn src_url(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("package.nix");
    std::fs::write(&file, text).unwrap();
    let hostpkgs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../nix/hostpkgs");
    let expr = format!(
        "(let pkgs = import {} {{ }}; in pkgs.callPackage {} {{ }}).src.urls",
        hostpkgs.canonicalize().unwrap().display(),
        file.display()
    );
    let out = Command::new("nix-instantiate")
        .args(["--eval", "--strict", "--json", "-E", &expr])
        .env("AI_DRV_MIRROR_DEBIAN", "http://127.0.0.1:9/debian")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let urls: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    urls[0].clone()
}

#[test]
fn forge_fetchers_evaluate_to_each_forges_archive() {
    if Command::new("nix-instantiate")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("nix-instantiate is not on PATH; skipped");
        return;
    }
    assert_eq!(
        src_url(&render(&package("fetchFromGitHub", &[]))),
        "https://github.com/o/r/archive/v1.2.tar.gz"
    );
    // nixpkgs' GitLab fetcher downloads through the API.
    assert_eq!(
        src_url(&render(&package("fetchFromGitLab", &[]))),
        "https://gitlab.com/api/v4/projects/o%2Fr/repository/archive.tar.gz?sha=v1.2"
    );
    assert_eq!(
        src_url(&render(&package(
            "fetchFromGitea",
            &[("domain", "codeberg.org")]
        ))),
        "https://codeberg.org/o/r/archive/v1.2.tar.gz"
    );
}

//! Escaping checked by Nix itself: a rendered file with awkward strings is evaluated with
//! `nix-instantiate` (stub arguments, no nixpkgs needed) and every string must come back as the
//! Package held it. Skipped, saying so, when Nix is not on the machine.

use ai_drv_draft::{render, Builder, Meta, Package, Src, Value};
use std::process::Command;

const AWKWARD: &str = "q\"b\\s${x}$${y}$$ '' ''' ''${z} \t\r\nend $";

#[test]
fn nix_reads_back_what_was_rendered() {
    if Command::new("nix-instantiate")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("nix-instantiate is not on PATH; skipped");
        return;
    }
    let package = Package {
        builder: Builder::Stdenv,
        pname: "x".to_string(),
        version: "1.2".to_string(),
        src: Src {
            fetcher: "fetchurl".to_string(),
            inherit: vec![],
            attrs: vec![(
                "url".to_string(),
                Value::Str("https://e.org/${a}/v1.2/x-1.2.tar.gz".to_string()),
            )],
        },
        source_root: Some("sub dir".to_string()),
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![
            ("a".to_string(), Value::Str(AWKWARD.to_string())),
            (
                "b".to_string(),
                Value::Multiline(
                    "\n  l1 '' ''' ${x} $${y} ''${z} $\n\n    l2 \\n \"q\"\n".to_string(),
                ),
            ),
            ("weird name".to_string(), Value::Str("w".to_string())),
        ],
        meta: Meta {
            description: Some(AWKWARD.to_string()),
            ..Meta::default()
        },
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("package.nix");
    std::fs::write(&file, render(&package)).expect("write");
    let expression = format!(
        "let d = import {} {{ stdenv.mkDerivation = f: f {{ version = \"1.2\"; }}; fetchurl = a: a; }}; \
         in {{ inherit (d) a b postUnpack; w = d.\"weird name\"; url = d.src.url; description = d.meta.description; }}",
        file.display()
    );
    let output = Command::new("nix-instantiate")
        .args(["--eval", "--strict", "--json", "-E", &expression])
        .output()
        .expect("run nix-instantiate");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let values: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(
        values,
        serde_json::json!({
            "a": AWKWARD,
            "b": "l1 '' ''' ${x} $${y} ''${z} $\n\n  l2 \\n \"q\"\n",
            "postUnpack": "sourceRoot=\"$sourceRoot/sub dir\"",
            "w": "w",
            "url": "https://e.org/${a}/v1.2/x-1.2.tar.gz",
            "description": AWKWARD,
        })
    );
}

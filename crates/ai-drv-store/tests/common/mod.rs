//! Shared helpers for the store's integration tests: sample attempts, derivations and outcomes
//! shaped like what the engine reports.

#![allow(dead_code)] // each test binary uses a different subset

use ai_drv_store::{AttemptRecord, Finished, NewDerivation};
use serde_json::json;

pub fn attempt(number: u32, outcome: &str) -> AttemptRecord {
    AttemptRecord {
        number,
        outcome: outcome.to_string(),
        diagnosis: (outcome != "built").then(|| format!("attempt {number}: missing pkg-config")),
        fixes: if outcome == "built" {
            Vec::new()
        } else {
            vec![
                "add pkg-config to nativeBuildInputs".to_string(),
                "add ncurses to buildInputs".to_string(),
            ]
        },
        duration_ms: 1000 + u64::from(number),
    }
}

pub fn derivation(pname: &str, version: &str, text: &str) -> NewDerivation {
    NewDerivation {
        text: text.to_string(),
        pname: Some(pname.to_string()),
        version: Some(version.to_string()),
        out_path: Some(format!(
            "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-{pname}-{version}"
        )),
        check: json!({"passed": true, "ran": [format!("{pname} --version")]}),
    }
}

pub fn success(d: NewDerivation) -> Finished {
    Finished::Succeeded {
        derivation: d,
        attempts: vec![attempt(1, "build-failed"), attempt(2, "built")],
        report: json!({"attempts": 2, "seconds": 12.5, "model": null}),
    }
}

pub fn failure(error: &str) -> Finished {
    Finished::Failed {
        error: error.to_string(),
        attempts: vec![attempt(1, "eval-failed")],
        report: json!({"attempts": 1}),
    }
}

pub fn sl_text() -> String {
    "{ lib, stdenv, fetchurl, ncurses }:\n\nstdenv.mkDerivation (finalAttrs: {\n  pname = \"sl\";\n  version = \"5.02\";\n})\n".to_string()
}

/// Unix seconds now, to bound the store's timestamps.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

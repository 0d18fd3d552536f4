//! Every diagnosis kind, parsed from real Nix output (see fixtures/README.md for where each came from).

use ai_drv_diagnose::{parse, primary, Diagnosis, IfdCause, Location};

fn fixture(path: &str) -> Vec<Diagnosis> {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/{path}.log",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    let found = parse(&text);
    insta::with_settings!({ snapshot_suffix => path.replace('/', "__") }, {
        insta::assert_yaml_snapshot!("diagnoses", found);
    });
    found
}

fn loc(file: &str, line: u32, column: u32) -> Option<Location> {
    Some(Location {
        file: file.into(),
        line,
        column,
    })
}

const FAILS: &str = "/nix/store/rb9xykr9i44cr4p054fjyrjp6m7axil4-fails.drv";
const CURSES: &str = "main.c:1:10: fatal error: curses.h: No such file or directory";

fn hash_mismatch(found: &[Diagnosis]) -> (Option<String>, Option<String>, String, String) {
    match primary(found) {
        Some(Diagnosis::HashMismatch {
            derivation,
            url,
            specified,
            got,
        }) => (
            derivation.clone(),
            url.clone(),
            specified.clone(),
            got.clone(),
        ),
        other => panic!("expected a hash mismatch, got {other:?}"),
    }
}

#[test]
fn fod_hash_mismatch_all_versions() {
    for path in [
        "nix-2.8/fod-mismatch-nix-build",
        "nix-2.8/fod-mismatch-nix-build-cmd",
        "nix-2.29/fod-mismatch",
    ] {
        let (drv, url, specified, got) = hash_mismatch(&fixture(path));
        assert_eq!(
            drv.as_deref(),
            Some("/nix/store/139b3iwifinm49zvsnbi5y2x793w6lx9-fod-demo.drv")
        );
        assert_eq!(url, None);
        assert_eq!(
            specified,
            "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        );
        assert_eq!(got, "sha256-WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM=");
    }
}

#[test]
fn empty_hash_is_a_mismatch_against_the_fake_hash() {
    let found = fixture("nix-2.8/empty-hash");
    assert_eq!(found.len(), 1);
    let (_, _, specified, got) = hash_mismatch(&found);
    assert_eq!(
        specified,
        "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    );
    assert_eq!(got, "sha256-AjJsQAF/GSCFgw/WcjLF1G77/ftq/Dmw0RdVNqo9FKE=");
}

#[test]
fn nix_2_3_mismatch_uses_wanted_and_the_output_path() {
    let found = fixture("nix-2.3/fod-mismatch");
    let (drv, _, specified, got) = hash_mismatch(&found);
    assert_eq!(
        drv.as_deref(),
        Some("/nix/store/7qs3n5a0rdv3cvm9f1gxnd2h2qk8yy8z-source")
    );
    assert_eq!(specified, format!("sha256:{}", "0".repeat(52)));
    assert_eq!(
        got,
        "sha256:1ydpd2klnk8rk7pswc5h9ijz1jqfj4bg4k7wpqz9k3r7z8v2d5ax"
    );
    assert_eq!(
        found.len(),
        1,
        "the 2.3 'build of … failed' summary adds nothing"
    );
}

#[test]
fn builtins_fetchurl_mismatch() {
    let (drv, url, specified, got) = hash_mismatch(&fixture("nix-2.8/builtins-fetchurl-mismatch"));
    assert_eq!(drv, None);
    assert_eq!(url.as_deref(), Some("file:///tmp/fx/file.txt"));
    assert_eq!(specified, format!("sha256:{}", "0".repeat(52)));
    assert_eq!(
        got,
        "sha256:00xyyr3fi8l6hb839bv3f7yb86yjv7xi1cgh1xnhipym4asvb4aq"
    );
}

#[test]
fn builder_failed_all_versions_keep_the_log_tail() {
    for path in [
        "nix-2.8/builder-failed-nix-build",
        "nix-2.8/builder-failed-nix-build-cmd",
        "nix-2.3/builder-failed",
        "nix-2.18/builder-failed",
        "nix-2.29/builder-failed",
    ] {
        let found = fixture(path);
        assert_eq!(found.len(), 1, "{path}: {found:?}");
        match &found[0] {
            Diagnosis::BuilderFailed {
                derivation,
                exit_code,
                log_tail,
            } => {
                assert_eq!(derivation, FAILS, "{path}");
                assert_eq!(*exit_code, Some(2), "{path}");
                assert_eq!(
                    log_tail,
                    &vec!["configuring".to_string(), CURSES.into()],
                    "{path}"
                );
            }
            other => panic!("{path}: {other:?}"),
        }
    }
}

#[test]
fn dependencies_failed_2_8_and_2_29() {
    for path in ["nix-2.8/deps-failed", "nix-2.29/deps-failed"] {
        let found = fixture(path);
        assert_eq!(found.len(), 2, "{path}: {found:?}");
        assert_eq!(found[0].kind(), "builder-failed");
        assert_eq!(
            found[1],
            Diagnosis::DependenciesFailed {
                derivation: "/nix/store/3y8gcccrg6sf2dvcvjak267sr47ikr61-needs-dep.drv".into(),
                count: 1
            }
        );
        assert_eq!(primary(&found).unwrap().kind(), "builder-failed");
    }
}

#[test]
fn evaluation_errors_with_positions() {
    assert_eq!(
        fixture("nix-2.8/eval-type-error"),
        vec![Diagnosis::EvalError {
            message: "cannot add a string to an integer".into(),
            location: loc("/tmp/fx/evalerr.nix", 3, 17)
        }]
    );
    assert_eq!(
        fixture("nix-2.18/eval-type-error"),
        vec![Diagnosis::EvalError {
            message: "cannot add a string to an integer".into(),
            location: loc("/tmp/fx/evalerr.nix", 3, 17)
        }]
    );
    assert_eq!(
        fixture("nix-2.8/eval-throw"),
        vec![Diagnosis::EvalError {
            message: "unsupported platform".into(),
            location: None
        }]
    );
    assert_eq!(
        fixture("nix-2.8/abort"),
        vec![Diagnosis::EvalError {
            message:
                "evaluation aborted with the following error message: 'this package is broken'"
                    .into(),
            location: None
        }]
    );
}

#[test]
fn syntax_errors() {
    assert_eq!(
        fixture("nix-2.8/syntax-error"),
        vec![Diagnosis::SyntaxError {
            message: "unexpected IN, expecting ';'".into(),
            location: loc("/tmp/fx/syntax.nix", 1, 11)
        }]
    );
    assert_eq!(
        fixture("nix-2.29/syntax-error"),
        vec![Diagnosis::SyntaxError {
            message: "unexpected 'in', expecting ';'".into(),
            location: loc("/tmp/fx/syntax.nix", 1, 11)
        }]
    );
}

#[test]
fn undefined_variables() {
    for path in ["nix-2.8/undefined-variable", "nix-2.29/undefined-variable"] {
        assert_eq!(
            fixture(path),
            vec![Diagnosis::UndefinedVariable {
                name: "foo".into(),
                location: loc("/tmp/fx/undef.nix", 3, 10)
            }],
            "{path}"
        );
    }
    assert_eq!(
        fixture("nix-2.8/eval-expr-undefined"),
        vec![Diagnosis::UndefinedVariable {
            name: "foo".into(),
            location: loc("«string»", 1, 10)
        }]
    );
}

#[test]
fn missing_attributes_and_arguments() {
    for path in ["nix-2.8/missing-attribute", "nix-2.18/missing-attribute"] {
        assert_eq!(
            fixture(path),
            vec![Diagnosis::MissingAttribute {
                name: "ncurses".into(),
                location: loc("/tmp/fx/missing.nix", 3, 7)
            }],
            "{path}"
        );
    }
    assert_eq!(
        fixture("nix-2.8/missing-attr-build"),
        vec![Diagnosis::MissingAttribute {
            name: "nope".into(),
            location: None
        }]
    );
    assert_eq!(
        fixture("nix-2.8/missing-argument"),
        vec![Diagnosis::MissingArgument {
            name: "ncurses".into(),
            location: loc("/tmp/fx/callpkg.nix", 1, 42)
        }]
    );
}

#[test]
fn infinite_recursion() {
    assert_eq!(
        fixture("nix-2.8/infinite-recursion"),
        vec![Diagnosis::InfiniteRecursion {
            location: loc("/tmp/fx/infrec.nix", 1, 9)
        }]
    );
    assert_eq!(
        fixture("nix-2.8/infinite-recursion-rec"),
        vec![Diagnosis::InfiniteRecursion {
            location: loc("/tmp/fx/infrec2.nix", 1, 19)
        }]
    );
    assert_eq!(
        fixture("nix-2.29/infinite-recursion"),
        vec![Diagnosis::InfiniteRecursion {
            location: loc("/tmp/fx/infrec.nix", 1, 9)
        }]
    );
}

#[test]
fn import_from_derivation() {
    let drv = "/nix/store/klsmb5y15px1rrmy711n53njq23v1ijw-ifd-src.drv".to_string();
    assert_eq!(
        fixture("nix-2.8/ifd-disabled"),
        vec![Diagnosis::IfdDisabled {
            derivation: drv.clone(),
            cause: IfdCause::Disabled
        }]
    );
    assert_eq!(
        fixture("nix-2.8/ifd-readonly"),
        vec![Diagnosis::IfdDisabled {
            derivation: drv,
            cause: IfdCause::ReadOnlyEvaluation
        }]
    );
}

#[test]
fn download_failures() {
    let found = fixture("nix-2.8/download-404");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        matches!(&found[0], Diagnosis::DownloadFailed { url, status: Some(404), .. }
        if url == "http://127.0.0.1:8765/nope.tar.gz")
    );

    let found = fixture("nix-2.8/download-refused");
    assert_eq!(
        found.len(),
        1,
        "retries are warnings, only the last attempt counts: {found:?}"
    );
    assert!(
        matches!(&found[0], Diagnosis::DownloadFailed { status: None, reason, .. }
        if reason == "Couldn't connect to server (7)")
    );

    // builtin:fetchurl inside a fixed-output derivation: the download, then the builder failure.
    let found = fixture("nix-2.8/fod-download-404");
    assert_eq!(
        found.iter().map(Diagnosis::kind).collect::<Vec<_>>(),
        ["download-failed", "builder-failed"]
    );
    assert_eq!(primary(&found).unwrap().kind(), "download-failed");

    // nixpkgs' fetchurl runs curl in the builder.
    let found = fixture("nix-2.18/nixpkgs-fetchurl-404");
    assert_eq!(
        found.iter().map(Diagnosis::kind).collect::<Vec<_>>(),
        ["download-failed", "builder-failed", "dependencies-failed"]
    );
    assert!(
        matches!(primary(&found), Some(Diagnosis::DownloadFailed { url, status: Some(404), .. })
        if url == "http://127.0.0.1:8765/missing-1.0.tar.gz")
    );
}

#[test]
fn clean_output_has_no_diagnoses() {
    let ok = "these 2 derivations will be built:\n  /nix/store/a-x.drv\nbuilding '/nix/store/a-x.drv'...\nerror-free log line\n/nix/store/b-x\n";
    assert!(parse(ok).is_empty());
}

#[test]
fn display_is_one_line() {
    for path in [
        "nix-2.8/deps-failed",
        "nix-2.8/download-404",
        "nix-2.8/syntax-error",
    ] {
        for d in fixture(path) {
            assert!(!d.to_string().contains('\n'), "{d}");
        }
    }
}

/// hostpkgs' callPackage names the argument it cannot supply in its own words.
#[test]
fn hostpkgs_missing_argument() {
    let found = parse(
        "error: hostpkgs: /tmp/x/package.nix requires argument `ncursesw5`, which hostpkgs does not provide\n",
    );
    assert_eq!(
        found,
        vec![Diagnosis::MissingArgument {
            name: "ncursesw5".into(),
            location: None,
        }]
    );
}

//! Real builds against hostpkgs, sandbox on, on the Debian build root that scripts/setup made:
//! - the negative suite (nix/tests/hostpkgs/pairs.toml): each package builds with its
//!   dependencies and its program runs outside the sandbox; without one declared dependency the
//!   build fails with the error nixpkgs would give;
//! - hand-written derivations of dev-corpus packages (nix/tests/hostpkgs/corpus/) pass the
//!   corpus' own checks;
//! - a third-party nixpkgs-style file builds unchanged.
//!
//! Each test builds its cases one after another and reports every failing case at the end.

use std::path::{Path, PathBuf};

use ai_drv_check::{verify, Check, Corpus};
use ai_drv_config::Config;
use ai_drv_hostpkgs::package_set::PackageSet;
use ai_drv_nix::{Nix, NixError, Target};
use regex::Regex;
use serde::Deserialize;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tests_dir() -> PathBuf {
    repo().join("nix/tests/hostpkgs")
}

fn package_set() -> (Nix, PackageSet) {
    let config = Config::load().expect("config loads");
    let set = PackageSet::hostpkgs(&config);
    if let Some(problem) = set.problem() {
        panic!("hostpkgs cannot build here: {problem}");
    }
    (Nix::detect().expect("nix is installed"), set)
}

/// Builds `callPackage file args` and returns the out path, or the failure's log text.
fn build(nix: &Nix, set: &PackageSet, file: &Path, args: &str) -> Result<PathBuf, String> {
    let expr = set.call_package_expr(file, args);
    let mut options = set.build_options();
    options.max_jobs = Some(2);
    options.common.timeout = Some(std::time::Duration::from_secs(1800));
    match nix.build(&Target::expr(expr), &options, None) {
        Ok(built) => Ok(PathBuf::from(
            built
                .out_paths
                .first()
                .expect("nix-build printed an out path"),
        )),
        Err(NixError::Failed { log, .. }) => Err(log.text()),
        Err(other) => Err(other.to_string()),
    }
}

/// `{ ncurses = null; }`, or for a nested attribute `{ xorg = xorg // { libX11 = null; }; }`.
fn without_args(attr: &str) -> String {
    match attr.split_once('.') {
        None => format!("{{ {attr} = null; }}"),
        Some((scope, rest)) => {
            format!("{{ {scope} = pkgs.lib.recursiveUpdate pkgs.{scope} {{ {rest} = null; }}; }}")
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Pairs {
    pair: Vec<Pair>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Pair {
    name: String,
    file: String,
    without: String,
    kind: String,
    fails_with: String,
    run: String,
    expect: String,
}

#[test]
fn negative_pairs_fail_without_their_dependency_and_work_with_it() {
    let (nix, set) = package_set();
    let text = fs_err::read_to_string(tests_dir().join("pairs.toml")).unwrap();
    let pairs: Pairs = toml::from_str(&text).unwrap();
    assert!(pairs.pair.len() >= 15, "the suite needs at least 15 pairs");
    let mut problems = Vec::new();
    for pair in &pairs.pair {
        let file = tests_dir().join(&pair.file);
        eprintln!(
            "pair {} ({}: without {})",
            pair.name, pair.kind, pair.without
        );
        match build(&nix, &set, &file, "{ }") {
            Ok(out) => {
                let check = Check {
                    run: Some(pair.run.clone()),
                    expect: Some(pair.expect.clone()),
                    ..Check::default()
                };
                for failure in verify(&out, &check) {
                    problems.push(format!("{}: with {}: {failure}", pair.name, pair.without));
                }
            }
            Err(log) => problems.push(format!(
                "{}: with {} the build failed:\n{}",
                pair.name,
                pair.without,
                tail(&log)
            )),
        }
        match build(&nix, &set, &file, &without_args(&pair.without)) {
            Ok(out) => problems.push(format!(
                "{}: without {} the build succeeded ({}); the dependency leaks in",
                pair.name,
                pair.without,
                out.display()
            )),
            Err(log) => {
                let re = Regex::new(&pair.fails_with).unwrap();
                if !re.is_match(&log) {
                    problems.push(format!(
                        "{}: without {} the build failed, but not with /{}/:\n{}",
                        pair.name,
                        pair.without,
                        pair.fails_with,
                        tail(&log)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn dev_corpus_derivations_build_and_pass_their_checks() {
    let (nix, set) = package_set();
    let corpus = Corpus::load(&repo().join("bench/dev.toml")).unwrap();
    let mut files: Vec<PathBuf> = fs_err::read_dir(tests_dir().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "nix"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "at least 10 dev-corpus derivations");
    let mut problems = Vec::new();
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let package = corpus
            .get(&name)
            .unwrap_or_else(|| panic!("{name}.nix is not a dev-corpus package"));
        eprintln!("corpus {name}");
        match build(&nix, &set, file, "{ }") {
            Ok(out) => {
                for failure in verify(&out, &package.check) {
                    problems.push(format!("{name}: {failure}"));
                }
            }
            Err(log) => problems.push(format!("{name}: the build failed:\n{}", tail(&log))),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn a_third_party_nixpkgs_file_builds_unchanged() {
    let (nix, set) = package_set();
    let file = tests_dir().join("third-party/nano.nix");
    let out = build(&nix, &set, &file, "{ }").unwrap_or_else(|log| panic!("{}", tail(&log)));
    let check = Check {
        files: vec!["share/doc/nano/sample.nanorc".into()],
        run: Some("nano --version".into()),
        expect: Some(r"GNU nano, version 7\.2".into()),
        ..Check::default()
    };
    assert_eq!(verify(&out, &check), vec![]);
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

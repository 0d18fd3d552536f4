//! The registry and [`candidates`]: order, names, deduplication.

use super::*;
use crate::fixers::testing::{index, HELLO};

#[test]
fn registry_names_are_unique_and_in_priority_order() {
    let names: Vec<&str> = fixers().iter().map(|f| f.name()).collect();
    assert_eq!(
        names,
        [
            "unknown-attribute",
            "hash-mismatch",
            "source-root",
            "no-configure",
            "missing-input",
            "python-dependency",
            "perl-module",
            "python-license",
            "interpreter",
            "missing-cc-in-makefile",
            "werror",
            "build-system-fallback",
            "prefix-flags",
            "no-install-target",
            "parallel-make",
        ]
    );
}

#[test]
fn candidates_in_priority_order_without_duplicates() {
    let index = index(&[], &[("curses.h", "ncurses")], &[], &[]);
    let problems = [
        Problem::ParallelMakeRace,
        Problem::MissingHeader {
            header: "curses.h".to_string(),
        },
        Problem::InstallOutsidePrefix {
            path: "/usr/local/bin/hello".to_string(),
        },
        // Twice the same problem: one fix.
        Problem::ParallelMakeRace,
    ];
    let cx = Context {
        diagnoses: &[],
        problems: &problems,
        index: &index,
        tree: None,
    };
    let doc = Document::parse(HELLO).unwrap();
    let fixes = candidates(&doc, &cx);
    let names: Vec<&str> = fixes.iter().map(|f| f.fixer).collect();
    assert_eq!(
        names,
        [
            "missing-input",
            "prefix-flags",
            "prefix-flags",
            "prefix-flags",
            "parallel-make"
        ]
    );
    assert_eq!(
        fixes[0].summary,
        "add ncurses to buildInputs (provides curses.h)"
    );
    assert!(fixes.iter().all(|f| f.document != doc));
}

#[test]
fn nothing_wrong_nothing_proposed() {
    let index = index(&[], &[], &[], &[]);
    let cx = Context {
        diagnoses: &[],
        problems: &[],
        index: &index,
        tree: None,
    };
    assert_eq!(candidates(&Document::parse(HELLO).unwrap(), &cx), []);
}

#[test]
fn fixes_serialise_with_the_file_text() {
    let doc = Document::parse("{ }: 1").unwrap();
    let fix = Fix {
        fixer: "x",
        summary: "y".to_string(),
        document: doc,
    };
    assert_eq!(
        serde_json::to_string(&fix).unwrap(),
        r#"{"fixer":"x","summary":"y","document":"{ }: 1"}"#
    );
}

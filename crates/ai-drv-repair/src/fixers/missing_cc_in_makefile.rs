//! A plain Makefile calls `cc` or `gcc` by name, but hostpkgs' compiler is only known as `$CC`
//! (`$CXX` for C++). `CC:=$(CC)` on make's command line overrides the Makefile's own `CC = gcc`.
//!
//! Only for plain Makefile builds: a configure script or CMake/Meson find the compiler
//! themselves, so a missing `cc` there means something else.

use std::path::Path;

use ai_drv_syntax::{nix_string, Document};

use super::has_item;
use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct MissingCcInMakefile;

/// The make variable for a compiler command.
fn variable(command: &str) -> Option<&'static str> {
    match command {
        "cc" | "gcc" | "clang" => Some("CC"),
        "c++" | "g++" | "clang++" => Some("CXX"),
        _ => None,
    }
}

fn is_plain_makefile_build(doc: &Document, tree: Option<&Path>) -> bool {
    let builder = doc.builder().unwrap_or_default();
    let configured = ["cmake", "meson", "autoreconfHook"]
        .iter()
        .any(|tool| has_item(doc, "nativeBuildInputs", tool));
    let has_configure = tree.is_some_and(|t| t.join("configure").is_file());
    builder.ends_with("mkDerivation") && !configured && !has_configure
}

impl Fixer for MissingCcInMakefile {
    fn name(&self) -> &'static str {
        "missing-cc-in-makefile"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let mut variables: Vec<&str> = cx
            .problems
            .iter()
            .filter_map(|p| match p {
                Problem::MissingCommand { command } => variable(command),
                _ => None,
            })
            .collect();
        variables.dedup();
        if variables.is_empty() || !is_plain_makefile_build(doc, cx.tree) {
            return None;
        }
        let mut document = doc.clone();
        let mut added = Vec::new();
        for var in variables {
            let set = document.list_string_items("makeFlags").iter().any(|item| {
                item.content.starts_with(&format!("{var}:="))
                    || item.content.starts_with(&format!("{var}="))
            });
            let flag = format!("{var}:=$({var})");
            if !set && matches!(document.list_add("makeFlags", &nix_string(&flag)), Ok(true)) {
                added.push(flag);
            }
        }
        (!added.is_empty()).then(|| Fix {
            fixer: self.name(),
            summary: format!(
                "add {} to makeFlags (the Makefile calls the compiler by a name the build environment does not have)",
                added.join(" and ")
            ),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn run(text: &str, commands: &[&str], tree: Option<&Path>) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let problems: Vec<Problem> = commands
            .iter()
            .map(|c| Problem::MissingCommand {
                command: c.to_string(),
            })
            .collect();
        let cx = Context {
            diagnoses: &[],
            problems: &problems,
            index: &index,
            tree,
        };
        MissingCcInMakefile.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn cc_for_a_plain_makefile() {
        let fix = run(HELLO, &["cc"], None).unwrap();
        assert_eq!(
            fix.document.text(),
            HELLO.replace(
                "  strictDeps = true;\n",
                "  strictDeps = true;\n  makeFlags = [ \"CC:=$(CC)\" ];\n"
            )
        );
        assert_eq!(
            fix.summary,
            "add CC:=$(CC) to makeFlags (the Makefile calls the compiler by a name the build environment does not have)"
        );
        assert_eq!(run(fix.document.text(), &["gcc"], None), None);
    }

    #[test]
    fn cxx_too_and_existing_flags() {
        let before = HELLO.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  makeFlags = [ \"PREFIX=$(out)\" ];\n",
        );
        let fix = run(&before, &["gcc", "g++"], None).unwrap();
        assert_eq!(
            fix.document.text(),
            before.replace(
                "[ \"PREFIX=$(out)\" ]",
                "[\n    \"PREFIX=$(out)\"\n    \"CC:=$(CC)\"\n    \"CXX:=$(CXX)\"\n  ]"
            )
        );
    }

    #[test]
    fn not_for_configured_builds_or_other_commands() {
        let cmake = HELLO.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  nativeBuildInputs = [ cmake ];\n",
        );
        assert_eq!(run(&cmake, &["cc"], None), None);
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("configure"), "#!/bin/sh\n").unwrap();
        assert_eq!(run(HELLO, &["cc"], Some(tree.path())), None);
        assert_eq!(run(HELLO, &["bison"], None), None);
    }
}

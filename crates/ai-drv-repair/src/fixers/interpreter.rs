//! Bad interpreter: a script's `#!/usr/bin/env python` or `#!/usr/bin/perl` names a path the
//! sandbox does not have.
//!
//! The interpreter's attribute goes into `nativeBuildInputs` (to run it during the build) and
//! `buildInputs` (the fixup phase's `patchShebangs` rewrites installed scripts to interpreters
//! found there). The build failed, so a script ran before fixup: `postPatch = "patchShebangs ."`
//! rewrites the source's scripts first, unless the package already has a `postPatch`.

use ai_drv_syntax::Document;

use super::has_item;
use crate::{Context, Fix, Fixer, Index, Problem};

pub(crate) struct Interpreter;

/// The attribute for an interpreter named in a shebang (`/usr/bin/python3.11` → `python3`).
fn attribute(index: &Index, interpreter: &str) -> Option<String> {
    let name = interpreter.rsplit('/').next().unwrap_or(interpreter).trim();
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let known = match base {
        "python" => Some("python3"),
        "perl" => Some("perl"),
        "bash" | "sh" => Some("bash"),
        "ruby" => Some("ruby"),
        "node" | "nodejs" => Some("nodejs"),
        "lua" => Some("lua"),
        "tclsh" | "wish" => Some("tcl"),
        "php" => Some("php"),
        _ => None,
    };
    known
        .map(str::to_string)
        .or_else(|| index.command(name).map(str::to_string))
}

impl Fixer for Interpreter {
    fn name(&self) -> &'static str {
        "interpreter"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let interpreters = cx.problems.iter().filter_map(|p| match p {
            Problem::BadInterpreter { interpreter } => Some(interpreter.as_str()),
            _ => None,
        });
        let mut document = doc.clone();
        let mut added: Vec<String> = Vec::new();
        let mut any = false;
        for interpreter in interpreters {
            let Some(attr) = attribute(cx.index, interpreter) else {
                continue;
            };
            any = true;
            for list in ["nativeBuildInputs", "buildInputs"] {
                if !has_item(&document, list, &attr)
                    && matches!(document.add_input(list, &attr), Ok(true))
                {
                    added.push(format!("add {attr} to {list}"));
                }
            }
        }
        if !any {
            return None;
        }
        if document.get("postPatch").is_none()
            && document.set("postPatch", "\"patchShebangs .\"").is_ok()
        {
            added.push("patch the source's shebangs in postPatch".to_string());
        }
        (!added.is_empty()).then(|| Fix {
            fixer: self.name(),
            summary: format!(
                "{} (a script's interpreter is not in the sandbox)",
                added.join(", ")
            ),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn run(text: &str, interpreter: &str) -> Option<Fix> {
        let index = index(&[], &[], &[], &[("gawk", "gawk")]);
        let problems = [Problem::BadInterpreter {
            interpreter: interpreter.to_string(),
        }];
        let cx = Context {
            diagnoses: &[],
            problems: &problems,
            index: &index,
            tree: None,
        };
        Interpreter.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn python_in_both_lists_and_shebangs_patched() {
        let fix = run(HELLO, "python").unwrap();
        assert_eq!(
            fix.document.text(),
            HELLO
                .replace("{ lib, stdenv, fetchurl }:", "{ lib, stdenv, fetchurl, python3 }:")
                .replace(
                    "  strictDeps = true;\n",
                    "  strictDeps = true;\n  nativeBuildInputs = [ python3 ];\n  buildInputs = [ python3 ];\n  postPatch = \"patchShebangs .\";\n"
                )
        );
        assert_eq!(
            fix.summary,
            "add python3 to nativeBuildInputs, add python3 to buildInputs, patch the source's shebangs in postPatch (a script's interpreter is not in the sandbox)"
        );
    }

    #[test]
    fn paths_versions_and_the_index() {
        assert_eq!(
            attribute(&index(&[], &[], &[], &[]), "/usr/bin/python3.11").as_deref(),
            Some("python3")
        );
        assert_eq!(
            attribute(&index(&[], &[], &[], &[]), "/usr/bin/perl").as_deref(),
            Some("perl")
        );
        assert_eq!(
            attribute(&index(&[], &[], &[], &[]), "/bin/sh").as_deref(),
            Some("bash")
        );
        let fix = run(HELLO, "/usr/bin/gawk").unwrap();
        assert!(fix.document.list_items("buildInputs") == ["gawk"]);
        assert_eq!(run(HELLO, "/opt/nosuch"), None);
    }

    #[test]
    fn existing_post_patch_and_inputs() {
        let before = HELLO
            .replace("{ lib, stdenv, fetchurl }:", "{ lib, stdenv, fetchurl, perl }:")
            .replace(
                "  strictDeps = true;\n",
                "  strictDeps = true;\n  nativeBuildInputs = [ perl ];\n  postPatch = \"sed -i s/a/b/ x\";\n",
            );
        let fix = run(&before, "/usr/bin/perl").unwrap();
        assert_eq!(
            fix.document.text(),
            before.replace(
                "  postPatch = \"sed -i s/a/b/ x\";\n",
                "  postPatch = \"sed -i s/a/b/ x\";\n  buildInputs = [ perl ];\n"
            )
        );
        assert_eq!(run(fix.document.text(), "perl"), None);
    }
}

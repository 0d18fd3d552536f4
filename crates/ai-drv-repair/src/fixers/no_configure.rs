//! No configure script: the source ships `configure.ac` (or `configure.in`) but no generated
//! `configure`, so `autoreconfHook` must generate it before the configure phase.
//!
//! When the unpacked tree is known the fix is proposed only if the autoconf input is really
//! there; a tree with only `CMakeLists.txt` or `meson.build` gets `cmake` or `meson` + `ninja`
//! instead (stdenv's configure phase then runs them). `make: *** No targets specified and no
//! makefile found` after a skipped configure is the same failure, but only the tree tells.

use std::path::Path;

use ai_drv_syntax::Document;

use super::has_item;
use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct NoConfigure;

fn autoconf_input(tree: &Path) -> Option<&'static str> {
    ["configure.ac", "configure.in"]
        .into_iter()
        .find(|name| tree.join(name).is_file())
}

impl Fixer for NoConfigure {
    fn name(&self) -> &'static str {
        "no-configure"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let no_configure = cx.problems.contains(&Problem::NoConfigure);
        let no_makefile = cx.problems.contains(&Problem::NoMakefile);
        if !(no_configure || no_makefile) {
            return None;
        }
        let (tools, input): (&[&str], &str) = match cx.tree {
            Some(tree) => {
                let generated = tree.join("configure").is_file();
                if let Some(input) = autoconf_input(tree) {
                    if !no_configure && generated {
                        // configure exists and ran: a missing Makefile is something else.
                        return None;
                    }
                    (&["autoreconfHook"], input)
                } else if generated {
                    return None;
                } else if tree.join("CMakeLists.txt").is_file() {
                    (&["cmake"], "CMakeLists.txt")
                } else if tree.join("meson.build").is_file() {
                    (&["meson", "ninja"], "meson.build")
                } else {
                    return None;
                }
            }
            None if no_configure => (&["autoreconfHook"], "configure.ac"),
            None => return None,
        };
        let mut document = doc.clone();
        let mut added = Vec::new();
        for tool in tools {
            if !has_item(&document, "nativeBuildInputs", tool)
                && matches!(document.add_input("nativeBuildInputs", tool), Ok(true))
            {
                added.push(*tool);
            }
        }
        if added.is_empty() {
            return None;
        }
        Some(Fix {
            fixer: self.name(),
            summary: format!(
                "add {} to nativeBuildInputs (the source has {input} but no configure script)",
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

    const AFTER: &str = r#"{ lib, stdenv, fetchurl, autoreconfHook }:

stdenv.mkDerivation (finalAttrs: {
  pname = "hello";
  version = "2.10";

  src = fetchurl {
    url = "mirror://debian/pool/main/h/hello/hello_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=";
  };

  strictDeps = true;
  nativeBuildInputs = [ autoreconfHook ];

  meta = {
    description = "Program that produces a familiar, friendly greeting";
    license = lib.licenses.gpl3Plus;
  };
})
"#;

    fn run(text: &str, problems: &[Problem], tree: Option<&Path>) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let cx = Context {
            diagnoses: &[],
            problems,
            index: &index,
            tree,
        };
        NoConfigure.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn adds_autoreconf_hook_when_configure_ac_exists() {
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("configure.ac"), "AC_INIT([x], [1])\n").unwrap();
        let fix = run(HELLO, &[Problem::NoConfigure], Some(tree.path())).unwrap();
        assert_eq!(fix.document.text(), AFTER);
        assert_eq!(
            fix.summary,
            "add autoreconfHook to nativeBuildInputs (the source has configure.ac but no configure script)"
        );
        // A skipped configure then a missing Makefile is the same failure.
        let fix = run(HELLO, &[Problem::NoMakefile], Some(tree.path())).unwrap();
        assert_eq!(fix.document.text(), AFTER);
        // Already there: something else is wrong.
        assert_eq!(run(AFTER, &[Problem::NoConfigure], Some(tree.path())), None);
    }

    #[test]
    fn configure_in_and_unknown_tree() {
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("configure.in"), "AC_INIT(x)\n").unwrap();
        let fix = run(HELLO, &[Problem::NoConfigure], Some(tree.path())).unwrap();
        assert!(fix.summary.contains("configure.in"), "{}", fix.summary);
        assert_eq!(
            run(HELLO, &[Problem::NoConfigure], None)
                .unwrap()
                .document
                .text(),
            AFTER
        );
        assert_eq!(run(HELLO, &[Problem::NoMakefile], None), None);
    }

    #[test]
    fn cmake_and_meson_sources() {
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("CMakeLists.txt"), "project(x)\n").unwrap();
        let fix = run(HELLO, &[Problem::NoMakefile], Some(tree.path())).unwrap();
        assert_eq!(
            fix.document.text(),
            AFTER.replace("autoreconfHook", "cmake")
        );
        assert_eq!(
            fix.summary,
            "add cmake to nativeBuildInputs (the source has CMakeLists.txt but no configure script)"
        );
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("meson.build"), "project('x')\n").unwrap();
        let fix = run(HELLO, &[Problem::NoConfigure], Some(tree.path())).unwrap();
        assert_eq!(
            fix.document.text(),
            AFTER
                .replace("autoreconfHook }", "meson, ninja }")
                .replace("[ autoreconfHook ]", "[ meson ninja ]")
        );
        assert_eq!(
            fix.summary,
            "add meson and ninja to nativeBuildInputs (the source has meson.build but no configure script)"
        );
    }

    #[test]
    fn no_autoconf_input_no_fix() {
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("Makefile"), "all:\n").unwrap();
        assert_eq!(run(HELLO, &[Problem::NoConfigure], Some(tree.path())), None);
        // configure.ac with a generated configure: a missing Makefile is something else.
        fs_err::write(tree.path().join("configure.ac"), "AC_INIT([x], [1])\n").unwrap();
        fs_err::write(tree.path().join("configure"), "#!/bin/sh\n").unwrap();
        assert_eq!(run(HELLO, &[Problem::NoMakefile], Some(tree.path())), None);
    }
}

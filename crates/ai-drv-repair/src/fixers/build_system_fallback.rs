//! The generator fails, but the source has another build system: fall back to it.
//!
//! Projects often ship more than one build description, and the one the analysis preferred can
//! be the broken one — a CMakeLists.txt that names files a repacked tarball dropped ("No SOURCES
//! given to target"), a meson.build needing a newer meson. When CMake or Meson fails on its own
//! (no missing dependency to add) and the tree has a `configure` script or a Makefile, the build
//! goes back to stdenv's default phases: the generator leaves `nativeBuildInputs`, and its flags
//! go with it.

use ai_drv_syntax::Document;

use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct BuildSystemFallback;

/// A generator: its tools, the flags only it reads, and how its own failures start.
struct Generator {
    name: &'static str,
    tools: &'static [&'static str],
    flags: &'static [&'static str],
    starts: &'static [&'static str],
}

const GENERATORS: [Generator; 2] = [
    Generator {
        name: "CMake",
        tools: &["cmake"],
        flags: &["cmakeFlags"],
        starts: &["CMake Error", "CMake Generate step failed"],
    },
    Generator {
        name: "Meson",
        tools: &["meson", "ninja"],
        flags: &["mesonFlags"],
        starts: &["meson.build:", "ERROR:"],
    },
];

impl Fixer for BuildSystemFallback {
    fn name(&self) -> &'static str {
        "build-system-fallback"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let tree = cx.tree?;
        let fallback = ["configure", "Makefile", "makefile", "GNUmakefile"]
            .into_iter()
            .find(|f| tree.join(f).is_file())?;
        // A missing dependency has its own fixer; this one is for failures of the generator itself.
        let generator_failed = |starts: &[&str]| {
            cx.problems
                .iter()
                .all(|p| matches!(p, Problem::OtherBuildError { .. }))
                && cx.problems.iter().any(|p| match p {
                    Problem::OtherBuildError { line } => {
                        starts.iter().any(|s| line.trim_start().starts_with(s))
                    }
                    _ => false,
                })
        };
        for Generator {
            name,
            tools,
            flags,
            starts,
        } in GENERATORS
        {
            let native = doc.list_items("nativeBuildInputs");
            if !tools.iter().any(|t| native.iter().any(|n| n == t)) || !generator_failed(starts) {
                continue;
            }
            let mut document = doc.clone();
            for tool in tools {
                let _ = document.list_remove("nativeBuildInputs", tool);
                if document.uses(tool) == 0 {
                    let _ = document.remove_formal(tool);
                }
            }
            for flag in flags {
                let _ = document.remove(flag);
            }
            if document.list_items("nativeBuildInputs").is_empty() {
                let _ = document.remove("nativeBuildInputs");
            }
            return Some(Fix {
                fixer: self.name(),
                summary: format!(
                    "build with the source's {fallback} instead: {name} fails on its own"
                ),
                document,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::index;

    const BEFORE: &str = r#"{ lib, stdenv, fetchurl, cmake }:

stdenv.mkDerivation (finalAttrs: {
  pname = "zlib";
  version = "1.2.13";

  nativeBuildInputs = [ cmake ];
  strictDeps = true;

  meta = { };
})
"#;

    fn run(text: &str, problems: &[Problem], files: &[&str]) -> Option<Fix> {
        let tree = tempfile::tempdir().unwrap();
        for f in files {
            std::fs::write(tree.path().join(f), "").unwrap();
        }
        let index = index(&[], &[], &[], &[]);
        let cx = Context {
            diagnoses: &[],
            problems,
            index: &index,
            tree: Some(tree.path()),
        };
        BuildSystemFallback.fix(&Document::parse(text).unwrap(), &cx)
    }

    fn cmake_error() -> Vec<Problem> {
        vec![Problem::OtherBuildError {
            line: "CMake Error at CMakeLists.txt:150 (add_library):".into(),
        }]
    }

    #[test]
    fn a_failing_cmake_falls_back_to_configure() {
        let fix = run(BEFORE, &cmake_error(), &["CMakeLists.txt", "configure"]).unwrap();
        assert_eq!(
            fix.document.text(),
            r#"{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "zlib";
  version = "1.2.13";

  strictDeps = true;

  meta = { };
})
"#
        );
        assert_eq!(
            fix.summary,
            "build with the source's configure instead: CMake fails on its own"
        );
    }

    #[test]
    fn no_fallback_without_another_build_system_or_with_a_missing_dependency() {
        assert!(run(BEFORE, &cmake_error(), &["CMakeLists.txt"]).is_none());
        let mut problems = cmake_error();
        problems.push(Problem::MissingHeader {
            header: "zconf.h".into(),
        });
        assert!(run(BEFORE, &problems, &["CMakeLists.txt", "configure"]).is_none());
        let other = vec![Problem::OtherBuildError {
            line: "make: *** [Makefile:3: all] Error 1".into(),
        }];
        assert!(run(BEFORE, &other, &["configure"]).is_none());
    }
}

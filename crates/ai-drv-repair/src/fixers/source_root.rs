//! Unpacking gave several top-level directories, or none (an archive without a top directory):
//! stdenv cannot tell where the source is, so the package says it with `sourceRoot`.
//!
//! With the unpacked tree known, `sourceRoot` names the one top-level directory holding build
//! files (`Makefile`, `configure`, `CMakeLists.txt`, …), or `.` when they sit at the top.
//! Without it, `.` (the unpack directory itself) is the usual answer.

use std::path::Path;

use ai_drv_syntax::{nix_string, Document};

use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct SourceRoot;

/// Files that mark the directory a build runs in.
const BUILD_FILES: [&str; 13] = [
    "Makefile",
    "makefile",
    "GNUmakefile",
    "configure",
    "configure.ac",
    "configure.in",
    "CMakeLists.txt",
    "meson.build",
    "setup.py",
    "pyproject.toml",
    "Cargo.toml",
    "package.json",
    "go.mod",
];

fn has_build_files(dir: &Path) -> bool {
    BUILD_FILES.iter().any(|f| dir.join(f).is_file())
}

/// Where the build files are: `.`, or the single top-level directory holding them.
fn root_in(tree: &Path) -> Option<String> {
    if has_build_files(tree) {
        return Some(".".to_string());
    }
    let mut dirs: Vec<String> = fs_err::read_dir(tree)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()) && has_build_files(&e.path()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    match dirs.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

impl Fixer for SourceRoot {
    fn name(&self) -> &'static str {
        "source-root"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        if !cx.problems.contains(&Problem::UnpackMultipleDirs) {
            return None;
        }
        let root = match cx.tree {
            Some(tree) => root_in(tree)?,
            None => ".".to_string(),
        };
        if doc.get_string("sourceRoot").as_deref() == Some(root.as_str()) {
            return None;
        }
        let mut document = doc.clone();
        document.set("sourceRoot", &nix_string(&root)).ok()?;
        Some(Fix {
            fixer: self.name(),
            summary: format!(
                "set sourceRoot = \"{root}\" (unpacking did not give one source directory)"
            ),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn run(text: &str, tree: Option<&Path>) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let cx = Context {
            diagnoses: &[],
            problems: &[Problem::UnpackMultipleDirs],
            index: &index,
            tree,
        };
        SourceRoot.fix(&Document::parse(text).unwrap(), &cx)
    }

    fn with_root(root: &str) -> String {
        HELLO.replace(
            "  strictDeps = true;\n",
            &format!("  strictDeps = true;\n  sourceRoot = \"{root}\";\n"),
        )
    }

    #[test]
    fn dot_without_a_tree() {
        let fix = run(HELLO, None).unwrap();
        assert_eq!(fix.document.text(), with_root("."));
        assert_eq!(
            fix.summary,
            "set sourceRoot = \".\" (unpacking did not give one source directory)"
        );
        assert_eq!(run(&with_root("."), None), None);
    }

    #[test]
    fn the_directory_with_build_files() {
        let tree = tempfile::tempdir().unwrap();
        let t = tree.path();
        fs_err::create_dir(t.join("docs")).unwrap();
        fs_err::write(t.join("docs/index.html"), "").unwrap();
        fs_err::create_dir(t.join("tool-1.0")).unwrap();
        fs_err::write(t.join("tool-1.0/Makefile"), "all:\n").unwrap();
        assert_eq!(
            run(HELLO, Some(t)).unwrap().document.text(),
            with_root("tool-1.0")
        );
        // Replaces a wrong one.
        assert_eq!(
            run(&with_root("."), Some(t)).unwrap().document.text(),
            with_root("tool-1.0")
        );
        // Two candidates: no way to choose.
        fs_err::create_dir(t.join("other")).unwrap();
        fs_err::write(t.join("other/CMakeLists.txt"), "").unwrap();
        assert_eq!(run(HELLO, Some(t)), None);
        // Build files at the top win.
        fs_err::write(t.join("configure"), "#!/bin/sh\n").unwrap();
        assert_eq!(run(HELLO, Some(t)).unwrap().document.text(), with_root("."));
    }
}

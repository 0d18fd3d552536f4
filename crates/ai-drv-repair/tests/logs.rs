//! The fixers against the real logs of small failing derivations
//! (`crates/ai-drv-diagnose/tests/fixtures/problems/README.md` says what each one did), read the
//! way the engine reads them, with the bundled resolver index.

use std::path::{Path, PathBuf};

use ai_drv_repair::{candidates, Context, Document, Index};

const C_PACKAGE: &str = r#"{ lib, stdenv }:

stdenv.mkDerivation {
  pname = "hello";
  version = "1.0";
  src = ./src;

  meta = {
    description = "Test program";
  };
}
"#;

const PYTHON_PACKAGE: &str = r#"{ lib, python3Packages }:

python3Packages.buildPythonApplication {
  pname = "hello";
  version = "1.0";
  pyproject = true;
  src = ./src;

  build-system = [ python3Packages.hatchling ];

  meta = {
    description = "Test program";
  };
}
"#;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The candidates' fixers and summaries for a fixture log, on `text`, with a tree holding `files`.
fn fixes_for(log: &str, text: &str, files: &[&str]) -> Vec<(String, String)> {
    let index = Index::load(&repo().join("nix/hostpkgs/resolver.json")).unwrap();
    let output = fs_err::read_to_string(repo().join(format!(
        "crates/ai-drv-diagnose/tests/fixtures/problems/{log}.log"
    )))
    .unwrap();
    let diagnoses = ai_drv_diagnose::parse(&output);
    let lines: Vec<String> = output.lines().map(str::to_string).collect();
    let problems = ai_drv_diagnose::problems(&lines);
    let tree = tempfile::tempdir().unwrap();
    for file in files {
        fs_err::write(tree.path().join(file), "").unwrap();
    }
    let cx = Context {
        diagnoses: &diagnoses,
        problems: &problems,
        index: &index,
        tree: (!files.is_empty()).then_some(tree.path() as &Path),
    };
    candidates(&Document::parse(text).unwrap(), &cx)
        .into_iter()
        .map(|f| (f.fixer.to_string(), f.summary))
        .collect()
}

fn first(log: &str, text: &str, files: &[&str]) -> (String, String) {
    fixes_for(log, text, files)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{log}: no fix"))
}

fn pair(fixer: &str, summary: &str) -> (String, String) {
    (fixer.to_string(), summary.to_string())
}

#[test]
fn missing_libraries_headers_and_cmake_packages() {
    assert_eq!(
        first("link-lib", C_PACKAGE, &[]),
        pair("missing-input", "add zlib to buildInputs (provides -lz)")
    );
    assert_eq!(
        first("ac-header", C_PACKAGE, &[]),
        pair("missing-input", "add zlib to buildInputs (provides zlib.h)")
    );
    assert_eq!(
        first("cmake-zlib", C_PACKAGE, &[]),
        pair(
            "missing-input",
            "add zlib to buildInputs (provides the CMake package ZLIB)"
        )
    );
    assert_eq!(
        first("cmake-config", C_PACKAGE, &[]),
        pair(
            "missing-input",
            "add fmt to buildInputs (provides the CMake package fmt)"
        )
    );
    assert_eq!(
        first("cmake-pkgcheck", C_PACKAGE, &[]),
        pair(
            "missing-input",
            "add libpng to buildInputs and add pkg-config to nativeBuildInputs (provides the pkg-config module libpng); add zlib to buildInputs (provides the pkg-config module zlib)"
        )
    );
    // An include of the project's own generated header: nothing provides it.
    assert_eq!(fixes_for("header-color-nix-log", C_PACKAGE, &[]), []);
}

#[test]
fn build_tools() {
    assert_eq!(
        first("autogen", C_PACKAGE, &[]),
        pair(
            "missing-input",
            "add autoreconfHook to nativeBuildInputs (provides the command aclocal)"
        )
    );
    assert_eq!(
        first("configure-ac", C_PACKAGE, &["configure.ac"]),
        pair(
            "no-configure",
            "add autoreconfHook to nativeBuildInputs (the source has configure.ac but no configure script)"
        )
    );
    assert_eq!(
        first("make-exec", C_PACKAGE, &[]),
        pair(
            "missing-input",
            "add gperf to nativeBuildInputs (provides the command gperf)"
        )
    );
}

#[test]
fn scripts_and_python_modules() {
    assert_eq!(
        first("env-python", C_PACKAGE, &[]),
        pair(
            "interpreter",
            "add python3 to nativeBuildInputs, add python3 to buildInputs, patch the source's shebangs in postPatch (a script's interpreter is not in the sandbox)"
        )
    );
    assert_eq!(
        first("py-module", C_PACKAGE, &[]),
        pair(
            "python-dependency",
            "add pyyaml to nativeBuildInputs (provides the module yaml); add python3 to nativeBuildInputs"
        )
    );
    let bare = PYTHON_PACKAGE.replace("  build-system = [ python3Packages.hatchling ];\n\n", "");
    assert_eq!(
        first("py-backend", &bare, &[]),
        pair(
            "python-dependency",
            "add hatchling to build-system (provides the module hatchling)"
        )
    );
    assert_eq!(
        first("py-deps", PYTHON_PACKAGE, &[]),
        pair(
            "python-dependency",
            "add hatch-vcs to build-system (provides the module hatch-vcs); add editables to build-system (provides the module editables)"
        )
    );
}

#[test]
fn perl_modules() {
    // The cloc draft's log: `make install` checks the script with `perl -cw`.
    assert_eq!(
        first("cloc-regexp-common", C_PACKAGE, &[]),
        pair(
            "perl-module",
            "add perlPackages.RegexpCommon to buildInputs (provides the Perl module Regexp::Common); add perl to nativeBuildInputs; add makeWrapper to nativeBuildInputs; add perl to buildInputs; wrap the installed Perl programs with PERL5LIB in postFixup"
        )
    );
}

#[test]
fn build_and_install_steps() {
    assert_eq!(
        first("werror", C_PACKAGE, &[]),
        pair(
            "werror",
            "add -Wno-error=unused-variable to env.NIX_CFLAGS_COMPILE (warnings are errors in this build)"
        )
    );
    assert_eq!(
        first("parallel-race", C_PACKAGE, &[]),
        pair(
            "parallel-make",
            "set enableParallelBuilding = false (a parallel make raced on a generated file)"
        )
    );
    assert_eq!(
        first("multi-dirs", C_PACKAGE, &[]),
        pair(
            "source-root",
            "set sourceRoot = \".\" (unpacking did not give one source directory)"
        )
    );
    assert_eq!(
        first("no-install", C_PACKAGE, &[]),
        pair(
            "no-install-target",
            "write an installPhase that installs the executables, libraries and man pages the build produced (the project has no install target)"
        )
    );
    let prefixes: Vec<String> = fixes_for("usr-local", C_PACKAGE, &[])
        .into_iter()
        .map(|(fixer, summary)| format!("{fixer}: {summary}"))
        .collect();
    assert_eq!(
        prefixes,
        [
            "prefix-flags: add PREFIX=$(out) to makeFlags (make install wrote to /usr/local/bin/hello)",
            "prefix-flags: add PREFIX=$(out) and prefix=$(out) to makeFlags (make install wrote to /usr/local/bin/hello)",
            "prefix-flags: install with DESTDIR=$(out) and PREFIX=/ in makeFlags (make install wrote to /usr/local/bin/hello)",
        ]
    );
}

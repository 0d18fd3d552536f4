//! Build-log problems: what a failed builder's log says went wrong, as typed facts for the
//! repair stage's fixers (a missing header, library, pkg-config module, command, …).
//!
//! [`problems`] reads the log line by line and only trusts well-known message shapes of the tools
//! that print them: gcc/clang, GNU ld/gold/lld/mold, pkg-config and pkgconf, autoconf configure
//! scripts, CMake, Meson, GNU make, bash/dash, coreutils, Python and pypa/build, Perl, and the stdenv's
//! own phase messages. Anything unrecognised falls back to [`Problem::OtherBuildError`] with the
//! first error line. See `tests/fixtures/problems/` for the real logs each shape was taken from.

use std::collections::HashSet;

use regex::Regex;
use serde::Serialize;

/// One thing a build log says went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Problem {
    /// A compiler could not find an `#include`d file; `header` as written in the include
    /// (`foo/bar.h`).
    MissingHeader { header: String },
    /// The linker (or a configure `-l` check) could not find `-lfoo`; `library` is `foo`.
    MissingLibrary { library: String },
    /// pkg-config (or Meson, or CMake's pkg_check_modules) could not find a `.pc` module.
    MissingPkgConfig { module: String },
    /// CMake's `find_package` found neither a `Find<X>.cmake` module result nor a config file.
    MissingCMakePackage { package: String },
    /// A tool run at build time is not on `PATH`.
    MissingCommand { command: String },
    /// Python could not import a module, or pypa/build reports a missing build dependency
    /// (then `module` is the requirement's distribution name).
    MissingPythonModule { module: String },
    /// Perl could not load a module (`Can't locate Regexp/Common.pm in @INC`), or a configure
    /// script says a Perl module is required; `module` as Perl names it (`Regexp::Common`).
    MissingPerlModule { module: String },
    /// There is no configure script (or nothing else ran the build system) although the source
    /// needs one: typically only `configure.ac`, `CMakeLists.txt` or `meson.build` is present.
    NoConfigure,
    /// `make` found no makefile.
    NoMakefile,
    /// The makefile has no `install` target.
    NoInstallTarget,
    /// The install step writes outside `$out` (`/usr/local/…`, `/etc/…`); `path` as printed.
    InstallOutsidePrefix { path: String },
    /// A warning was turned into an error; `flag` is the warning (`unused-variable`) when the
    /// compiler named it.
    Werror { flag: Option<String> },
    /// A file generated during the build was used before it existed, in a parallel build.
    ParallelMakeRace,
    /// A script's `#!` interpreter is missing: a command name for `#!/usr/bin/env NAME`
    /// scripts, else the path the `#!` line names (`/usr/bin/perl`).
    BadInterpreter { interpreter: String },
    /// The unpack phase found several top-level directories, or none.
    UnpackMultipleDirs,
    /// The build succeeded but installed no executables (set by the check stage, never parsed).
    NoExecutablesInstalled,
    /// The first error line, when nothing above was recognised.
    OtherBuildError { line: String },
}

impl Problem {
    /// The kind, as it appears in JSON (`missing-header`, `no-configure`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::MissingHeader { .. } => "missing-header",
            Problem::MissingLibrary { .. } => "missing-library",
            Problem::MissingPkgConfig { .. } => "missing-pkg-config",
            Problem::MissingCMakePackage { .. } => "missing-c-make-package",
            Problem::MissingCommand { .. } => "missing-command",
            Problem::MissingPythonModule { .. } => "missing-python-module",
            Problem::MissingPerlModule { .. } => "missing-perl-module",
            Problem::NoConfigure => "no-configure",
            Problem::NoMakefile => "no-makefile",
            Problem::NoInstallTarget => "no-install-target",
            Problem::InstallOutsidePrefix { .. } => "install-outside-prefix",
            Problem::Werror { .. } => "werror",
            Problem::ParallelMakeRace => "parallel-make-race",
            Problem::BadInterpreter { .. } => "bad-interpreter",
            Problem::UnpackMultipleDirs => "unpack-multiple-dirs",
            Problem::NoExecutablesInstalled => "no-executables-installed",
            Problem::OtherBuildError { .. } => "other-build-error",
        }
    }
}

impl std::fmt::Display for Problem {
    /// One line, for people.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::MissingHeader { header } => write!(f, "missing header {header}"),
            Problem::MissingLibrary { library } => write!(f, "missing library -l{library}"),
            Problem::MissingPkgConfig { module } => write!(f, "missing pkg-config module {module}"),
            Problem::MissingCMakePackage { package } => {
                write!(f, "missing CMake package {package}")
            }
            Problem::MissingCommand { command } => write!(f, "missing command {command}"),
            Problem::MissingPythonModule { module } => write!(f, "missing Python module {module}"),
            Problem::MissingPerlModule { module } => write!(f, "missing Perl module {module}"),
            Problem::NoConfigure => write!(f, "no configure script"),
            Problem::NoMakefile => write!(f, "no makefile"),
            Problem::NoInstallTarget => write!(f, "no install target in the makefile"),
            Problem::InstallOutsidePrefix { path } => {
                write!(f, "install writes outside the prefix: {path}")
            }
            Problem::Werror { flag: Some(flag) } => write!(f, "warning -W{flag} is an error"),
            Problem::Werror { flag: None } => write!(f, "warnings are errors (-Werror)"),
            Problem::ParallelMakeRace => write!(f, "race in a parallel build"),
            Problem::BadInterpreter { interpreter } => {
                write!(f, "script interpreter {interpreter} not found")
            }
            Problem::UnpackMultipleDirs => write!(f, "unpacking gave no single source directory"),
            Problem::NoExecutablesInstalled => write!(f, "no executables installed"),
            Problem::OtherBuildError { line } => write!(f, "build error: {line}"),
        }
    }
}

// --- Cleaning -------------------------------------------------------------------------------

// `nix build` quotes log lines as `       > text`.
re!(NIX_QUOTE, r"^\s+> ?");
// Nix's own log filter drops ESC and the byte after it, so gcc's OSC 8 hyperlinks around a
// warning option (`[ESC]8;;URL ESC\-Wfoo ESC]8;; ESC\]`) reach the log as `[8;;URL-Wfoo8;;]`;
// gcc's URLs end in `#index-W<option>`, which tells where the URL stops and the text begins.
re!(
    NIX_MANGLED_LINK,
    r"\[8;;[^\s\]]*?#index-W[A-Za-z0-9_+=-]+?(-W[^\s\]]*?)8;;\]"
);

/// ANSI-stripped, `nix build` quoting removed, one entry per line.
fn clean(log: &[String]) -> Vec<String> {
    log.iter()
        .flat_map(|entry| entry.split('\n'))
        .map(|raw| {
            // The stripper drops tabs with the other control characters; indentation matters.
            let text = strip_ansi_escapes::strip_str(raw.replace('\t', " "));
            let text = NIX_QUOTE.replace(&text, "");
            let text = NIX_MANGLED_LINK.replace_all(&text, "[$1]");
            text.trim_end().to_string()
        })
        .collect()
}

// --- One-line shapes ------------------------------------------------------------------------

// gcc: `main.c:1:10: fatal error: foo/bar.h: No such file or directory`; clang:
// `main.c:1:10: fatal error: 'foo/bar.h' file not found`.
re!(
    HEADER_GCC,
    r":\d+(?::\d+)?: (?:fatal )?error: ([^\s:'‘’]+): No such file or directory$"
);
re!(
    HEADER_CLANG,
    r":\d+(?::\d+)?: (?:fatal )?error: ['‘]([^'’]+)['’] file not found"
);
// GNU ld and gold `cannot find -lfoo`, lld `unable to find library -lfoo`, ld64 `library not
// found for -lfoo`, mold `library not found: foo`.
re!(
    LIBRARY_LD,
    r"(?:cannot find|unable to find library|library not found for) -l(:?[^\s:'’]+)"
);
re!(
    LIBRARY_MOLD,
    r"^mold: (?:fatal|error): library not found: (\S+)$"
);
// pkg-config, pkgconf.
re!(PKG_NO_PACKAGE, r"No package ['‘]([^'’]+)['’] found");
re!(
    PKG_NOT_IN_PATH,
    r"Package ['‘]?([^'’\s,]+?)['’]? was not found in the pkg-config search path"
);
re!(
    PKGCONF_NOT_FOUND,
    r"Package ['‘]([^'’]+)['’], required by ['‘][^'’]*['’], not found"
);
// CMake.
re!(
    CMAKE_ERROR,
    r"^CMake Error\b|Configuring incomplete, errors occurred"
);
re!(CMAKE_STATUS, r"^-- ");
re!(CMAKE_NOT_FOUND, r"Could NOT find ([A-Za-z0-9_.+-]+)(.*)$");
re!(
    CMAKE_CONFIG_FILE,
    r#"(?:Could not find a package configuration file|asked CMake to find a package configuration file) provided by "([^"]+)""#
);
re!(
    CMAKE_FIND_MODULE,
    r#"By not providing "Find([^"]+)\.cmake""#
);
re!(
    CMAKE_PKG_LIST,
    r"The following required packages were not found:"
);
re!(CMAKE_PKG_ITEM, r"^\s*- ([^\s<>=]+)");
re!(
    CMAKE_NINJA,
    r#"unable to find a build program corresponding to "Ninja""#
);
// Meson.
re!(
    MESON_DEPENDENCY,
    r#"ERROR: Dependency ["'‘]([^"'’]+)["'’] (?:not found|is required but not found)"#
);
re!(
    MESON_FOUND_NO,
    r"^(?:Run-time|Build-time) dependency (\S+) found: NO(?: \(tried [^)]*\))?$"
);
re!(
    MESON_PROGRAM,
    r#"ERROR: Program(?:\(s\))? [\['"‘]*([^'"’\]\s,]+)['"’\]]* not found or not executable"#
);
re!(
    MESON_PKG_CONFIG_BINARY,
    r"Pkg-config (?:binary )?for machine .+ not found"
);
re!(MESON_NINJA, r"Could not detect Ninja v[\d.]+ or newer");
re!(MESON_ERROR, r"\bERROR: ");
// Shells and make running a command that is not there.
re!(
    SHELL_NOT_FOUND,
    r#"^(?:.*?: )?(?:line \d+: )?([^\s:/'"]+): command not found$"#
);
re!(
    DASH_NOT_FOUND,
    r#"^\S+: \d+: (?:exec: )?([^\s:/'"]+): not found$"#
);
re!(
    BUSYBOX_NOT_FOUND,
    r#"^(?:\S*/)?sh: ([^\s:/'"]+): not found$"#
);
re!(
    MAKE_EXEC,
    r"^make(?:\[\d+\])?: ([^\s:/]+): (?:Command not found|No such file or directory)$"
);
re!(WHICH_NO, r"^which: no (\S+) in \(");
re!(M4_MACRO, r"^[A-Z][A-Z0-9]*_[A-Z0-9_]+$");
// Interpreters.
re!(
    ENV_MISSING,
    r"^(?:\S*/)?env: ['‘`]?([^'’\s:]+)['’]?: No such file or directory$"
);
re!(
    BAD_INTERPRETER,
    r": ([^\s:]+?)(?:\^M|\r)?: bad interpreter: No such file or directory"
);
re!(
    PATCH_SHEBANGS,
    r"^patchShebangs: .*: interpreter '([^']+)' is not among the inputs"
);
// Configure scripts and makefiles that are not there.
re!(
    CONFIGURE_MISSING,
    r"(?:^|\s)(?:\.|\S*)/configure: (?:No such file or directory|not found)$"
);
re!(NO_CONFIGURE_SCRIPT, r"^no configure script, doing nothing$");
re!(
    NOTHING_BUILT,
    r"^no Makefile or custom buildPhase, doing nothing$"
);
re!(NO_MAKEFILE, r"No targets specified and no makefile found");
re!(
    NO_INSTALL_TARGET,
    r"No rule to make target ['‘`]install['’]\s*\."
);
// Writes outside the prefix: coreutils, CMake's install script, Python.
re!(
    COREUTILS_CANNOT,
    r#"(?:cannot|failed to) (?:create|make|remove|change|overwrite|set|preserve|copy)\b[^'‘`"/]*['‘`"]?(/[^'’"\s]+)['’"]?:? (?:Permission denied|Read-only file system|No such file or directory|Operation not permitted)"#
);
re!(
    CMAKE_CANNOT_CREATE,
    r"file cannot create directory: (/\S+?)\.(?:\s|$)"
);
re!(
    CMAKE_INSTALL_CANNOT,
    r#"file INSTALL cannot (?:copy file "[^"]*" to|make directory|set permissions on) "(/[^"]+)""#
);
re!(PYTHON_ERRNO, r"\[Errno (?:13|30)\] [^:]+: '(/[^']+)'");
// Warnings as errors: gcc `[-Werror=foo]`, clang `[-Werror,-Wfoo]`.
re!(WERROR_GCC, r"\[-Werror=([A-Za-z0-9_+=-]+?)\]");
re!(WERROR_CLANG, r"\[-Werror,-W([A-Za-z0-9_+=-]+?)\]");
re!(WERROR_ALL, r"all warnings being treated as errors");
// Parallel builds: `gcc: error: foo.o: No such file or directory`.
re!(
    DRIVER_NO_INPUT,
    r"^(?:\S*/)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+)(?:-[\d.]+)?: (?:fatal )?error: ([^\s:]+): No such file or directory$"
);
re!(
    MAKE_WAITING,
    r"(?:^make(?:\[\d+\])?: \*\*\* Waiting for unfinished jobs)|(?:^|\s)make(?:\s.*)?\s-j\s*\d"
);
// Unpacking.
re!(
    UNPACK_DIRS,
    r"unpacker produced multiple directories|unpacker appears to have produced no directories"
);
// Python.
re!(
    PY_MODULE_NOT_FOUND,
    r"ModuleNotFoundError: No module named ['‘]([^'’]+)['’]"
);
re!(
    PY2_IMPORT,
    r"ImportError: No module named ['‘]?([\w.]+)['’]?$"
);
re!(PY_MISSING_DEPS, r"^ERROR Missing dependencies:\s*$");
re!(
    PY_BACKEND,
    r"^ERROR Backend ['‘]([A-Za-z0-9_]+)[A-Za-z0-9_.:]*['’] is not available"
);
re!(PY_BDIST_WHEEL, r"invalid command ['‘]bdist_wheel['’]");
re!(
    PIP_NO_DIST,
    r"(?:No matching distribution found for|Could not find a version that satisfies the requirement) (\S+)"
);
re!(PY_REQUIREMENT, r"^[A-Za-z0-9][A-Za-z0-9._-]*");
// Perl: `Can't locate Foo/Bar.pm in @INC (you may need to install the Foo::Bar module) (@INC
// contains: …)`; perl before 5.18 does not add the hint, 5.38 says `@INC entries checked`.
re!(
    PERL_CANT_LOCATE,
    r"Can't locate ((?:[A-Za-z_][A-Za-z0-9_]*/)*[A-Za-z_][A-Za-z0-9_]*)\.pm in @INC"
);
// Autoconf checks (intltool's and AX_PROG_PERL_MODULES') that stop configure.
re!(
    PERL_MODULE_REQUIRED,
    r"(?i)\b([A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)+) (?:perl )?module is required"
);
// The fallback: error lines, but not Nix's own.
re!(
    ANY_ERROR,
    r"(?i)(?:^|[\s:\]])error(?:\[\w+\])?:\s*\S|^CMake Error\b|^ERROR\b|\*\*\* .*\bStop\.$|^npm ERR!|: cannot execute: required file not found$"
);
re!(
    NIX_ERROR,
    r"^error: (?:builder for|build of|\d+ dependenc|Cannot build|cannot build)"
);

/// What the log lines say went wrong, in order of first appearance and without repeats.
pub fn problems(log: &[String]) -> Vec<Problem> {
    let lines = clean(log);
    let mut found: Vec<(usize, Problem)> = Vec::new();
    let cmake_failed = lines.iter().any(|l| CMAKE_ERROR.is_match(l));
    for i in 0..lines.len() {
        line_problems(&lines, i, cmake_failed, &mut found);
    }
    configure_problems(&lines, &mut found);
    finish(&lines, found)
}

/// Every recogniser that looks at line `i` (and maybe the lines around it).
fn line_problems(
    lines: &[String],
    i: usize,
    cmake_failed: bool,
    found: &mut Vec<(usize, Problem)>,
) {
    let line = lines[i].as_str();
    let mut push = |p: Problem| found.push((i, p));
    let cap = |re: &Regex| re.captures(line).map(|c| c[1].to_string());

    if let Some(h) = cap(&HEADER_GCC).or_else(|| cap(&HEADER_CLANG)) {
        push(Problem::MissingHeader { header: h });
    }
    if let Some(l) = cap(&LIBRARY_LD).or_else(|| cap(&LIBRARY_MOLD)) {
        push(Problem::MissingLibrary {
            library: library_name(&l),
        });
    }

    // pkg-config's own messages; CMake prints them as `--   No package 'x' found` also for
    // optional modules, so there they count only when configuring failed.
    let cmake_status = CMAKE_STATUS.is_match(line);
    if !cmake_status || cmake_failed {
        if let Some(m) = cap(&PKG_NO_PACKAGE)
            .or_else(|| cap(&PKG_NOT_IN_PATH))
            .or_else(|| cap(&PKGCONF_NOT_FOUND))
        {
            push(Problem::MissingPkgConfig { module: m });
        }
    }

    // CMake: everything it says about packages counts only when configuring failed, because
    // optional packages print the same words as warnings.
    if cmake_failed {
        if let Some(c) = CMAKE_NOT_FOUND.captures(line) {
            if !c[2].starts_with(": Found unsuitable version") {
                if &c[1] == "PkgConfig" {
                    push(Problem::MissingCommand {
                        command: "pkg-config".into(),
                    });
                } else {
                    push(Problem::MissingCMakePackage {
                        package: c[1].to_string(),
                    });
                }
            }
        }
        if let Some(p) = cap(&CMAKE_CONFIG_FILE).or_else(|| cap(&CMAKE_FIND_MODULE)) {
            push(Problem::MissingCMakePackage { package: p });
        }
        if CMAKE_PKG_LIST.is_match(line) {
            for item in lines[i + 1..]
                .iter()
                .skip_while(|l| l.trim().is_empty())
                .map_while(|l| CMAKE_PKG_ITEM.captures(l))
            {
                push(Problem::MissingPkgConfig {
                    module: item[1].to_string(),
                });
            }
        }
    }
    if CMAKE_NINJA.is_match(line) || MESON_NINJA.is_match(line) {
        push(Problem::MissingCommand {
            command: "ninja".into(),
        });
    }

    // Meson.
    if let Some(d) = cap(&MESON_DEPENDENCY) {
        push(Problem::MissingPkgConfig { module: d });
    }
    if let Some(d) = cap(&MESON_FOUND_NO) {
        // Optional dependencies print the same line; it counts when Meson stopped right after
        // it, and not when it stopped because pkg-config itself is missing.
        let next = lines[i + 1..].iter().find(|l| !l.trim().is_empty());
        if next.is_some_and(|l| MESON_ERROR.is_match(l) && !MESON_PKG_CONFIG_BINARY.is_match(l)) {
            push(Problem::MissingPkgConfig { module: d });
        }
    }
    if let Some(p) = cap(&MESON_PROGRAM) {
        push(Problem::MissingCommand { command: p });
    }
    if MESON_PKG_CONFIG_BINARY.is_match(line) {
        push(Problem::MissingCommand {
            command: "pkg-config".into(),
        });
    }

    // Commands.
    if CONFIGURE_MISSING.is_match(line) {
        push(Problem::NoConfigure);
    } else if let Some(c) = cap(&SHELL_NOT_FOUND)
        .or_else(|| cap(&DASH_NOT_FOUND))
        .or_else(|| cap(&BUSYBOX_NOT_FOUND))
        .or_else(|| cap(&MAKE_EXEC))
        .or_else(|| cap(&WHICH_NO))
    {
        if c == "configure" {
            push(Problem::NoConfigure);
        } else if let Some(command) = command_name(&c) {
            push(Problem::MissingCommand { command });
        }
    }

    // Interpreters.
    if let Some(i) = cap(&ENV_MISSING)
        .or_else(|| cap(&BAD_INTERPRETER))
        .or_else(|| cap(&PATCH_SHEBANGS))
    {
        push(Problem::BadInterpreter { interpreter: i });
    }

    // Build system steps that are not there.
    if NO_CONFIGURE_SCRIPT.is_match(line)
        && lines[i + 1..].iter().any(|l| NOTHING_BUILT.is_match(l))
    {
        push(Problem::NoConfigure);
    }
    if NO_MAKEFILE.is_match(line) {
        push(Problem::NoMakefile);
    }
    if NO_INSTALL_TARGET.is_match(line) {
        push(Problem::NoInstallTarget);
    }
    if let Some(path) = cap(&COREUTILS_CANNOT)
        .or_else(|| cap(&CMAKE_CANNOT_CREATE))
        .or_else(|| cap(&CMAKE_INSTALL_CANNOT))
        .or_else(|| cap(&PYTHON_ERRNO))
    {
        if outside_prefix(&path) {
            push(Problem::InstallOutsidePrefix { path });
        }
    }

    // Compiler flags.
    // The brackets are the diagnostic's option tag; compiler command lines have none.
    if let Some(flag) = cap(&WERROR_GCC).or_else(|| cap(&WERROR_CLANG)) {
        push(Problem::Werror { flag: Some(flag) });
    }
    if WERROR_ALL.is_match(line) {
        push(Problem::Werror { flag: None });
    }

    // A generated object or source the compiler driver cannot open: only ever a race, in a
    // parallel build (a missing source in a serial build is left to the fallback).
    if let Some(file) = cap(&DRIVER_NO_INPUT) {
        if parallel(lines) && generated(lines, &file) {
            push(Problem::ParallelMakeRace);
        }
    }

    if UNPACK_DIRS.is_match(line) {
        push(Problem::UnpackMultipleDirs);
    }

    // Python.
    if let Some(m) = cap(&PY_MODULE_NOT_FOUND)
        .or_else(|| cap(&PY2_IMPORT))
        .or_else(|| cap(&PY_BACKEND))
    {
        push(Problem::MissingPythonModule { module: m });
    }
    if PY_BDIST_WHEEL.is_match(line) {
        push(Problem::MissingPythonModule {
            module: "wheel".into(),
        });
    }
    // Perl. `Base class package "X" is empty` (from `use base`/`use parent`) is not here: it
    // also means a typo or a package defined later in the same file.
    if let Some(path) = cap(&PERL_CANT_LOCATE) {
        // `auto/…` are AutoLoader's split subroutines of a module that was found.
        if !path.starts_with("auto/") {
            push(Problem::MissingPerlModule {
                module: path.replace('/', "::"),
            });
        }
    }
    if let Some(module) = cap(&PERL_MODULE_REQUIRED) {
        push(Problem::MissingPerlModule { module });
    }
    if let Some(r) = cap(&PIP_NO_DIST) {
        if let Some(name) = requirement_name(&r) {
            push(Problem::MissingPythonModule { module: name });
        }
    }
    if PY_MISSING_DEPS.is_match(line) {
        // pypa/build lists one requirement a line, indented; a chain `a -> b` means b is missing.
        for dep in lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with([' ', '\t']) && !l.trim().is_empty())
        {
            let last = dep.rsplit(" -> ").next().unwrap_or(dep);
            if let Some(name) = requirement_name(last.trim()) {
                push(Problem::MissingPythonModule { module: name });
            }
        }
    }
}

/// `-l:libfoo.so.1` names a file; the library is still `foo`.
fn library_name(spec: &str) -> String {
    let Some(file) = spec.strip_prefix(':') else {
        return spec.to_string();
    };
    let stem = file.strip_prefix("lib").unwrap_or(file);
    let stem = stem.split(".so").next().unwrap_or(stem);
    stem.strip_suffix(".a").unwrap_or(stem).to_string()
}

/// The command a shell could not find, or `None` for what is not a command: an unexpanded m4
/// macro in a configure script (`PKG_CHECK_MODULES`) means its `.m4` file was missing when
/// `autoreconf` ran, which for `PKG_*` is pkg-config's.
fn command_name(name: &str) -> Option<String> {
    if M4_MACRO.is_match(name) {
        return name.starts_with("PKG_").then(|| "pkg-config".to_string());
    }
    Some(name.to_string())
}

/// A requirement's distribution name: `hatch-vcs>=0.3` → `hatch-vcs`.
fn requirement_name(requirement: &str) -> Option<String> {
    PY_REQUIREMENT
        .find(requirement)
        .map(|m| m.as_str().to_string())
}

/// Whether a path an install step failed to write is outside the sandbox's writable places.
fn outside_prefix(path: &str) -> bool {
    const INSIDE: [&str; 6] = [
        "/nix/",
        "/build/",
        "/tmp/",
        "/dev/",
        "/proc/",
        "/homeless-shelter",
    ];
    path.starts_with('/') && path.len() > 1 && !INSIDE.iter().any(|p| path.starts_with(p))
}

// --- Configure scripts ----------------------------------------------------------------------

re!(CONFIGURE_ERROR, r"^configure: error: (.+)$");
// Some scripts (less) print their failure as the result of a check.
re!(
    CHECK_FAILED_CONFIGURE,
    r"^checking .*\.\.\. (.*configure failed.*)$"
);
re!(FAILED_CHECK, r"^checking (.+?)\.\.\. (?:\(cached\) )?no$");
re!(CHECK_LIB, r"^(\S+) in -l(\S+)$");
re!(
    CHECK_HEADER_PARTS,
    r"^(\S+\.(?:h|hh|hpp|hxx|H)) (?:usability|presence)$"
);
re!(HEADER_NAME, r"^\S+\.(?:h|hh|hpp|hxx|H)$");
re!(PLAIN_NAME, r"^[A-Za-z_][A-Za-z0-9_.+-]*$");
re!(VERSION_OP, r"^(?:>=|<=|=|==|!=|>|<)$");
re!(
    MSG_COMMAND,
    r"(?i)\b(?:program|command|executable|tool|path)\b"
);
re!(
    MSG_PACKAGE,
    r"(?i)librar|package|module|pkg-config|development files"
);
re!(MSG_COMPILER, r"(?i)compiler");

/// What one failed `checking …... no` line looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Checked {
    /// `checking for initscr in -lncurses... no`.
    Library(String),
    /// `checking for curses.h... no`, `checking curses.h usability... no`.
    Header(String),
    /// `checking for libevent_core >= 2... no` (pkg-config's PKG_CHECK_MODULES).
    Modules(Vec<String>),
    /// `checking for bison... no`: a program, a pkg-config module or a function.
    Plain(String),
    /// Anything else (`library containing X`, `whether …`).
    Other,
}

fn parse_check(line: &str) -> Option<Checked> {
    let subject = FAILED_CHECK.captures(line)?.get(1)?.as_str();
    if let Some(c) = CHECK_HEADER_PARTS.captures(subject) {
        return Some(Checked::Header(c[1].to_string()));
    }
    let Some(subject) = subject.strip_prefix("for ") else {
        return Some(Checked::Other);
    };
    if let Some(c) = CHECK_LIB.captures(subject) {
        return Some(Checked::Library(c[2].to_string()));
    }
    if HEADER_NAME.is_match(subject) {
        return Some(Checked::Header(subject.to_string()));
    }
    let tokens: Vec<&str> = subject.split_whitespace().collect();
    if tokens.iter().any(|t| VERSION_OP.is_match(t)) {
        let mut modules = Vec::new();
        let mut skip_version = false;
        for t in tokens {
            if VERSION_OP.is_match(t) {
                skip_version = true;
            } else if skip_version {
                skip_version = false;
            } else if PLAIN_NAME.is_match(t) {
                modules.push(t.to_string());
            }
        }
        return Some(Checked::Modules(modules));
    }
    if tokens.len() == 1 && PLAIN_NAME.is_match(subject) {
        return Some(Checked::Plain(subject.to_string()));
    }
    Some(Checked::Other)
}

/// Whether a configure error message names `name` as a word (`lib` may precede a library).
fn mentions(message: &str, name: &str, lib_prefix: bool) -> bool {
    let prefix = if lib_prefix { "(?:lib)?" } else { "" };
    let pattern = format!(
        r"(?i)(?:^|[^A-Za-z0-9_+./-]){prefix}{}(?:$|[^A-Za-z0-9_+.-]|\.(?:$|\s))",
        regex::escape(name)
    );
    Regex::new(&pattern).is_ok_and(|re| re.is_match(message))
}

/// The file name of a header without its extension: `event2/event.h` → `event`.
fn header_stem(header: &str) -> &str {
    let base = header.rsplit('/').next().unwrap_or(header);
    base.rsplit_once('.').map_or(base, |(stem, _)| stem)
}

/// The problems one failed check stands for, given the configure error's message.
fn check_problems(check: &Checked, message: &str, named: bool) -> Vec<Problem> {
    match check {
        Checked::Library(l) => vec![Problem::MissingLibrary { library: l.clone() }],
        Checked::Header(h) => vec![Problem::MissingHeader { header: h.clone() }],
        Checked::Modules(ms) => ms
            .iter()
            .filter(|m| !named || mentions(message, m, false))
            .map(|m| Problem::MissingPkgConfig { module: m.clone() })
            .collect(),
        Checked::Plain(name) => {
            if named && MSG_PACKAGE.is_match(message) && !MSG_COMMAND.is_match(message) {
                vec![Problem::MissingPkgConfig {
                    module: name.clone(),
                }]
            } else if named || MSG_COMMAND.is_match(message) {
                vec![Problem::MissingCommand {
                    command: name.clone(),
                }]
            } else {
                Vec::new()
            }
        }
        Checked::Other => Vec::new(),
    }
}

fn check_named(check: &Checked, message: &str) -> bool {
    match check {
        Checked::Library(l) => mentions(message, l, true),
        Checked::Header(h) => {
            mentions(message, h, false) || mentions(message, header_stem(h), false)
        }
        Checked::Modules(ms) => ms.iter().any(|m| mentions(message, m, false)),
        Checked::Plain(p) => mentions(message, p, false),
        Checked::Other => false,
    }
}

/// Autoconf: a `configure: error:` explains itself only through the checks that failed before
/// it. The checks whose subject the message names are the missing things; when it names none,
/// the failed checks right before the error are (libraries, headers and modules; programs only
/// when the message speaks of programs).
fn configure_problems(lines: &[String], found: &mut Vec<(usize, Problem)>) {
    let mut since = 0;
    for (e, line) in lines.iter().enumerate() {
        let Some(message) = CONFIGURE_ERROR
            .captures(line)
            .or_else(|| CHECK_FAILED_CONFIGURE.captures(line))
            .map(|c| c[1].trim_matches(['"', '\'', ' ']).to_string())
        else {
            continue;
        };
        let checks: Vec<(usize, Checked)> = (since..e)
            .filter_map(|j| parse_check(&lines[j]).map(|c| (j, c)))
            .collect();
        since = e + 1;

        let named: Vec<&(usize, Checked)> = checks
            .iter()
            .filter(|(_, c)| check_named(c, &message))
            .collect();
        if !named.is_empty() {
            for (j, c) in named {
                for p in check_problems(c, &message, true) {
                    found.push((*j, p));
                }
            }
            continue;
        }
        // "no acceptable C compiler found" lists every compiler tried: not missing commands.
        if MSG_COMPILER.is_match(&message) {
            continue;
        }
        let mut j = e;
        while j > 0 {
            let prev = lines[j - 1].as_str();
            if prev.trim().is_empty() || prev.starts_with("configure: WARNING") {
                j -= 1;
                continue;
            }
            match parse_check(prev) {
                Some(c) => {
                    for p in check_problems(&c, &message, false) {
                        found.push((j - 1, p));
                    }
                    j -= 1;
                }
                None => break,
            }
        }
    }
}

// --- Putting it together --------------------------------------------------------------------

/// Whether `file` is made by a command the log shows (`… > gen.h`, `-o gen.h`, `GEN gen.h`).
fn generated(lines: &[String], file: &str) -> bool {
    let base = file.rsplit('/').next().unwrap_or(file);
    let pattern = format!(
        r"(?:>\s*|-o\s*|\bGEN\s+|Generating\s+)(?:\S*/)?{}(?:$|[\s;&|)])",
        regex::escape(base)
    );
    let Ok(re) = Regex::new(&pattern) else {
        return false;
    };
    lines
        .iter()
        .any(|l| !HEADER_GCC.is_match(l) && !HEADER_CLANG.is_match(l) && re.is_match(l))
}

/// Whether make ran jobs in parallel: it waited for other jobs after a failure, or was run with
/// `-jN` where the log shows the command.
fn parallel(lines: &[String]) -> bool {
    lines.iter().any(|l| MAKE_WAITING.is_match(l))
}

fn finish(lines: &[String], mut found: Vec<(usize, Problem)>) -> Vec<Problem> {
    found.sort_by_key(|(i, _)| *i);
    let parallel = parallel(lines);
    let named_werror = found
        .iter()
        .any(|(_, p)| matches!(p, Problem::Werror { flag: Some(_) }));
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (_, p) in found {
        let p = match p {
            Problem::MissingHeader { header } if parallel && generated(lines, &header) => {
                Problem::ParallelMakeRace
            }
            Problem::Werror { flag: None } if named_werror => continue,
            p => p,
        };
        if seen.insert(p.clone()) {
            out.push(p);
        }
    }
    if out.is_empty() {
        if let Some(line) = lines
            .iter()
            .find(|l| ANY_ERROR.is_match(l) && !NIX_ERROR.is_match(l))
        {
            out.push(Problem::OtherBuildError {
                line: line.trim().to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(lines: &[&str]) -> Vec<Problem> {
        problems(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>())
    }

    fn header(h: &str) -> Problem {
        Problem::MissingHeader { header: h.into() }
    }
    fn library(l: &str) -> Problem {
        Problem::MissingLibrary { library: l.into() }
    }
    fn module(m: &str) -> Problem {
        Problem::MissingPkgConfig { module: m.into() }
    }
    fn command(c: &str) -> Problem {
        Problem::MissingCommand { command: c.into() }
    }
    fn cmake(p: &str) -> Problem {
        Problem::MissingCMakePackage { package: p.into() }
    }
    fn python(m: &str) -> Problem {
        Problem::MissingPythonModule { module: m.into() }
    }
    fn perl(m: &str) -> Problem {
        Problem::MissingPerlModule { module: m.into() }
    }
    fn interpreter(i: &str) -> Problem {
        Problem::BadInterpreter {
            interpreter: i.into(),
        }
    }
    fn outside(p: &str) -> Problem {
        Problem::InstallOutsidePrefix { path: p.into() }
    }
    fn other(l: &str) -> Problem {
        Problem::OtherBuildError { line: l.into() }
    }

    #[test]
    fn headers_from_gcc_and_clang() {
        assert_eq!(
            of(&["main.c:1:10: fatal error: foo/bar.h: No such file or directory"]),
            vec![header("foo/bar.h")]
        );
        assert_eq!(
            of(&["src/x.cc:12:10: fatal error: 'boost/asio.hpp' file not found"]),
            vec![header("boost/asio.hpp")]
        );
        assert_eq!(
            of(&["x.c:3:10: fatal error: ‘zlib.h’ file not found"]),
            vec![header("zlib.h")]
        );
        // Old gcc, no "fatal".
        assert_eq!(
            of(&["x.c:3: error: png.h: No such file or directory"]),
            vec![header("png.h")]
        );
        // A missing source file is not a missing header.
        assert_eq!(
            of(&["cc1: fatal error: main.c: No such file or directory"]),
            vec![other("cc1: fatal error: main.c: No such file or directory")]
        );
    }

    #[test]
    fn ansi_colours_are_stripped() {
        let coloured = "\u{1b}[01m\u{1b}[Kmain.c:1:10:\u{1b}[m\u{1b}[K \u{1b}[01;31m\u{1b}[Kfatal error: \u{1b}[m\u{1b}[Kfoo.h: No such file or directory";
        assert_eq!(of(&[coloured]), vec![header("foo.h")]);
    }

    #[test]
    fn libraries_from_every_linker() {
        for (line, lib) in [
            ("/usr/bin/ld: cannot find -lfoo", "foo"),
            (
                "/nix/store/x-binutils/bin/ld: cannot find -lz: No such file or directory",
                "z",
            ),
            ("/usr/bin/ld.gold: error: cannot find -lssl", "ssl"),
            ("ld.lld: error: unable to find library -lcrypto", "crypto"),
            ("ld: library not found for -lpng16", "png16"),
            ("mold: fatal: library not found: bz2", "bz2"),
            (
                "/usr/bin/ld: cannot find -l:libfoo.so.1: No such file or directory",
                "foo",
            ),
            ("/usr/bin/ld: cannot find -l:libbar.a", "bar"),
        ] {
            assert_eq!(of(&[line]), vec![library(lib)], "{line}");
        }
    }

    #[test]
    fn pkg_config_and_pkgconf() {
        assert_eq!(of(&["No package 'x11' found"]), vec![module("x11")]);
        assert_eq!(
            of(&["No package ‘gtk+-3.0’ found"]),
            vec![module("gtk+-3.0")]
        );
        assert_eq!(
            of(&["Package libfoo was not found in the pkg-config search path."]),
            vec![module("libfoo")]
        );
        assert_eq!(
            of(&["Package 'glib-2.0', required by 'virtual:world', not found"]),
            vec![module("glib-2.0")]
        );
    }

    #[test]
    fn meson_dependencies_programs_and_tools() {
        assert_eq!(
            of(&[
                "Run-time dependency expat found: NO (tried pkgconfig)",
                "",
                "src/meson.build:32:1: ERROR: Dependency \"expat\" not found, tried pkgconfig",
            ]),
            vec![module("expat")]
        );
        assert_eq!(
            of(&["meson.build:5:0: ERROR: Dependency 'gio-2.0' is required but not found."]),
            vec![module("gio-2.0")]
        );
        // An optional dependency that was not found, then a failure elsewhere.
        assert_eq!(
            of(&[
                "Run-time dependency libsystemd found: NO (tried pkgconfig and cmake)",
                "Program gperf found: NO",
                "meson.build:9:0: ERROR: Program 'gperf' not found or not executable",
            ]),
            vec![command("gperf")]
        );
        assert_eq!(
            of(&["meson.build:2:0: ERROR: Program(s) ['bison'] not found or not executable"]),
            vec![command("bison")]
        );
        assert_eq!(
            of(&[
                "Run-time dependency libffi found: NO ",
                "",
                "meson.build:80:1: ERROR: Dependency lookup for libffi with method 'pkgconfig' failed: Pkg-config binary for machine 1 not found. Giving up.",
            ]),
            vec![command("pkg-config")]
        );
        assert_eq!(
            of(&["ERROR: Could not detect Ninja v1.8.2 or newer"]),
            vec![command("ninja")]
        );
    }

    #[test]
    fn cmake_packages_count_when_configuring_failed() {
        let failed = [
            "CMake Error at /x/FindPackageHandleStandardArgs.cmake:230 (message):",
            "  Could NOT find ZLIB (missing: ZLIB_LIBRARY ZLIB_INCLUDE_DIR)",
        ];
        assert_eq!(of(&failed), vec![cmake("ZLIB")]);
        // The same words as a status line of a configure step that went on: optional.
        assert_eq!(
            of(&[
                "-- Could NOT find Doxygen (missing: DOXYGEN_EXECUTABLE)",
                "-- Build files have been written to: /build/x/build",
                "main.c:1:10: fatal error: foo.h: No such file or directory",
            ]),
            vec![header("foo.h")]
        );
        assert_eq!(
            of(&[
                "-- Could NOT find Curses (missing: CURSES_LIBRARY CURSES_INCLUDE_PATH) ",
                "CMake Error: The following variables are used in this project, but they are set to NOTFOUND.",
            ]),
            vec![cmake("Curses")]
        );
        assert_eq!(
            of(&[
                "CMake Error at CMakeLists.txt:3 (find_package):",
                "  By not providing \"FindQt5Widgets.cmake\" in CMAKE_MODULE_PATH this project",
                "  Could not find a package configuration file provided by \"Qt5Widgets\"",
            ]),
            vec![cmake("Qt5Widgets")]
        );
        assert_eq!(
            of(&[
                "CMake Error at x.cmake:1 (message):",
                "  Could NOT find PkgConfig (missing: PKG_CONFIG_EXECUTABLE)",
            ]),
            vec![command("pkg-config")]
        );
        assert_eq!(
            of(&[
                "-- Checking for modules 'libpng;zlib'",
                "--   No package 'libpng' found",
                "CMake Error at /x/FindPkgConfig.cmake:607 (message):",
                "  The following required packages were not found:",
                "",
                "   - libpng",
                "   - zlib>=1.2",
                "",
            ]),
            vec![module("libpng"), module("zlib")]
        );
        // A version mismatch is not a missing package.
        assert_eq!(
            of(&[
                "CMake Error at x.cmake:1 (message):",
                "  Could NOT find ZLIB: Found unsuitable version \"1.2.11\", but required is at least \"1.3\"",
            ]),
            vec![other("CMake Error at x.cmake:1 (message):")]
        );
    }

    #[test]
    fn commands_from_shells_and_make() {
        for (line, cmd) in [
            ("sh: foo: command not found", "foo"),
            (
                "/bin/bash: line 1: pkg-config: command not found",
                "pkg-config",
            ),
            (
                "/nix/store/abc-bash-5.2/bin/bash: line 1: bison: command not found",
                "bison",
            ),
            (
                "./autogen.sh: line 3: aclocal: command not found",
                "aclocal",
            ),
            ("./autogen.sh: 3: aclocal: not found", "aclocal"),
            ("/bin/sh: 1: gperf: not found", "gperf"),
            ("sh: xsltproc: not found", "xsltproc"),
            ("make: gperf: No such file or directory", "gperf"),
            ("make[2]: yacc: Command not found", "yacc"),
            ("which: no rst2man in (/nix/store/a/bin)", "rst2man"),
            (
                "./configure: line 4567: PKG_PROG_PKG_CONFIG: command not found",
                "pkg-config",
            ),
        ] {
            assert_eq!(of(&[line]), vec![command(cmd)], "{line}");
        }
        // Other unexpanded macros are not commands (nor error lines).
        assert_eq!(
            of(&["./configure: line 12: AX_CHECK_COMPILE_FLAG: command not found"]),
            vec![]
        );
        // A path that does not exist is not a missing tool.
        assert_eq!(
            of(&["/nix/store/x-setup: line 596: /nix/store/y/bin/z: No such file or directory"]),
            vec![]
        );
    }

    #[test]
    fn interpreters() {
        assert_eq!(
            of(&["/usr/bin/env: 'python': No such file or directory"]),
            vec![interpreter("python")]
        );
        assert_eq!(
            of(&["/usr/bin/env: ‘python3’: No such file or directory"]),
            vec![interpreter("python3")]
        );
        assert_eq!(
            of(&["env: perl: No such file or directory"]),
            vec![interpreter("perl")]
        );
        assert_eq!(
            of(&["/bin/bash: ./gen.pl: /usr/bin/perl: bad interpreter: No such file or directory"]),
            vec![interpreter("/usr/bin/perl")]
        );
        assert_eq!(
            of(&["bash: ./x.sh: /bin/sh^M: bad interpreter: No such file or directory"]),
            vec![interpreter("/bin/sh")]
        );
        assert_eq!(
            of(&["bash: ./x.sh: /bin/sh\r: bad interpreter: No such file or directory"]),
            vec![interpreter("/bin/sh")]
        );
    }

    #[test]
    fn configure_and_makefiles_that_are_not_there() {
        assert_eq!(
            of(&["/nix/store/x-stdenv/setup: line 595: ./configure: No such file or directory"]),
            vec![Problem::NoConfigure]
        );
        assert_eq!(
            of(&["sh: 1: ./configure: not found"]),
            vec![Problem::NoConfigure]
        );
        assert_eq!(
            of(&["/bin/bash: line 1: configure: command not found"]),
            vec![Problem::NoConfigure]
        );
        assert_eq!(
            of(&[
                "no configure script, doing nothing",
                "Running phase: buildPhase",
                "no Makefile or custom buildPhase, doing nothing",
                "/nix/store/x/setup: line 596: /nix/store/y/bin/z: No such file or directory",
            ]),
            vec![Problem::NoConfigure]
        );
        // A build without configure script that did build is not a configure problem.
        assert_eq!(
            of(&[
                "no configure script, doing nothing",
                "gcc -o sl sl.c -lncurses",
                "sl.c:39:10: fatal error: curses.h: No such file or directory",
            ]),
            vec![header("curses.h")]
        );
        assert_eq!(
            of(&["make: *** No targets specified and no makefile found.  Stop."]),
            vec![Problem::NoMakefile]
        );
        for line in [
            "make: *** No rule to make target 'install'.  Stop.",
            "make: *** No rule to make target `install'.  Stop.",
            "make[1]: *** No rule to make target ‘install’.  Stop.",
        ] {
            assert_eq!(of(&[line]), vec![Problem::NoInstallTarget], "{line}");
        }
        // A missing prerequisite of install is something else.
        assert_eq!(
            of(&["make: *** No rule to make target 'install-data', needed by 'install'.  Stop."]),
            vec![other(
                "make: *** No rule to make target 'install-data', needed by 'install'.  Stop."
            )]
        );
    }

    #[test]
    fn installs_outside_the_prefix() {
        for (line, path) in [
            (
                "install: cannot create regular file '/usr/local/bin/x': Permission denied",
                "/usr/local/bin/x",
            ),
            (
                "cp: cannot create regular file ‘/usr/bin/x’: Read-only file system",
                "/usr/bin/x",
            ),
            (
                "mkdir: cannot create directory '/etc/foo': Permission denied",
                "/etc/foo",
            ),
            (
                "install: cannot create regular file `/usr/share/man/man1/x.1': No such file or directory",
                "/usr/share/man/man1/x.1",
            ),
            (
                "ln: failed to create symbolic link '/usr/lib/libx.so': Permission denied",
                "/usr/lib/libx.so",
            ),
            (
                "  file cannot create directory: /usr/local/bin.  Maybe need administrative",
                "/usr/local/bin",
            ),
            (
                "  file INSTALL cannot copy file \"/build/x/build/x\" to \"/usr/local/bin/x\": Permission denied.",
                "/usr/local/bin/x",
            ),
            (
                "PermissionError: [Errno 13] Permission denied: '/usr/lib/python3.11/site-packages/x'",
                "/usr/lib/python3.11/site-packages/x",
            ),
        ] {
            assert_eq!(of(&[line]), vec![outside(path)], "{line}");
        }
        // HOME in the sandbox, and reads, are not installs.
        assert_eq!(
            of(&["mkdir: cannot create directory '/homeless-shelter': Permission denied"]),
            vec![]
        );
        assert_eq!(
            of(&["cp: cannot stat '/usr/share/x/template': No such file or directory"]),
            vec![]
        );
    }

    #[test]
    fn warnings_as_errors() {
        assert_eq!(
            of(&[
                "main.c:3:9: error: unused variable 'x' [-Werror=unused-variable]",
                "cc1: all warnings being treated as errors",
            ]),
            vec![Problem::Werror {
                flag: Some("unused-variable".into())
            }]
        );
        assert_eq!(
            of(&["x.c:1:5: error: unused variable 'x' [-Werror,-Wunused-variable]"]),
            vec![Problem::Werror {
                flag: Some("unused-variable".into())
            }]
        );
        assert_eq!(
            of(&["cc1plus: all warnings being treated as errors"]),
            vec![Problem::Werror { flag: None }]
        );
        // gcc's hyperlink escapes, whole, and as Nix's log filter leaves them.
        let linked = "x.c:2:3: error: format not a string literal \u{1b}]8;;https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html#index-Wformat-security\u{1b}\\[-Werror=format-security]\u{1b}]8;;\u{1b}\\";
        let mangled = "x.c:2:3: error: unused variable 'u' [8;;https://gcc.gnu.org/onlinedocs/gcc/Warning-Options.html#index-Wunused-variable-Werror=unused-variable8;;]";
        assert_eq!(
            of(&[linked]),
            vec![Problem::Werror {
                flag: Some("format-security".into())
            }]
        );
        assert_eq!(
            of(&[mangled]),
            vec![Problem::Werror {
                flag: Some("unused-variable".into())
            }]
        );
        // A warning is not an error.
        assert_eq!(
            of(&["x.c:1:1: warning: unused variable 'x' [-Wunused-variable]"]),
            vec![]
        );
    }

    #[test]
    fn parallel_races_need_a_generated_file_and_a_parallel_make() {
        let race = [
            "sleep 2; echo '#define X 1' > config/gen.h",
            "main.c:1:10: fatal error: config/gen.h: No such file or directory",
            "make: *** [Makefile:7: main.o] Error 1",
            "make: *** Waiting for unfinished jobs....",
        ];
        assert_eq!(of(&race), vec![Problem::ParallelMakeRace]);
        // Serial: the header is just missing.
        assert_eq!(of(&race[..3]), vec![header("config/gen.h")]);
        // Objects too.
        assert_eq!(
            of(&[
                "make -j4 all",
                "cc -c -o parser.o parser.c",
                "gcc: error: parser.o: No such file or directory",
                "make: *** [Makefile:9: prog] Error 1",
            ]),
            vec![Problem::ParallelMakeRace]
        );
        assert_eq!(
            of(&["gcc: error: parser.o: No such file or directory"]),
            vec![other("gcc: error: parser.o: No such file or directory")]
        );
        // Parallel, but nothing generates the header.
        assert_eq!(
            of(&[
                "xdo.c:13:10: fatal error: X11/extensions/XTest.h: No such file or directory",
                "make: *** Waiting for unfinished jobs....",
            ]),
            vec![header("X11/extensions/XTest.h")]
        );
    }

    #[test]
    fn unpacking() {
        assert_eq!(
            of(&["unpacker produced multiple directories"]),
            vec![Problem::UnpackMultipleDirs]
        );
        assert_eq!(
            of(&["unpacker appears to have produced no directories"]),
            vec![Problem::UnpackMultipleDirs]
        );
    }

    #[test]
    fn python_modules_and_build_dependencies() {
        assert_eq!(
            of(&["ModuleNotFoundError: No module named 'yaml'"]),
            vec![python("yaml")]
        );
        assert_eq!(
            of(&["ImportError: No module named setuptools"]),
            vec![python("setuptools")]
        );
        assert_eq!(
            of(&[
                "ERROR Missing dependencies:",
                "\thatchling>=1.0",
                "\tfoo[bar] -> baz<2; python_version < \"3.12\"",
                "",
                "error: builder for '/nix/store/x.drv' failed with exit code 1",
            ]),
            vec![python("hatchling"), python("baz")]
        );
        assert_eq!(
            of(&["ERROR Backend 'setuptools.build_meta:__legacy__' is not available."]),
            vec![python("setuptools")]
        );
        assert_eq!(
            of(&["error: invalid command 'bdist_wheel'"]),
            vec![python("wheel")]
        );
        assert_eq!(
            of(&["ERROR: No matching distribution found for requests>=2.0"]),
            vec![python("requests")]
        );
    }

    #[test]
    fn perl_modules() {
        assert_eq!(
            of(&["Can't locate Regexp/Common.pm in @INC (you may need to install the Regexp::Common module) (@INC contains: /etc/perl /usr/share/perl5) at cloc line 59."]),
            vec![perl("Regexp::Common")]
        );
        // Perl before 5.18 gives no hint; 5.38 says "entries checked".
        assert_eq!(
            of(&["Can't locate Algorithm/Diff.pm in @INC (@INC contains: /usr/share/perl5 .) at x line 3."]),
            vec![perl("Algorithm::Diff")]
        );
        assert_eq!(
            of(&["Can't locate JSON.pm in @INC (you may need to install the JSON module) (@INC entries checked: /usr/share/perl5) at -e line 1."]),
            vec![perl("JSON")]
        );
        assert_eq!(
            of(&["checking for XML::Parser... configure: error: XML::Parser perl module is required for intltool"]),
            vec![perl("XML::Parser")]
        );
        // Not a missing module: `use base` of an empty package, a required .pl file, an
        // AutoLoader stub of a module that was found, a method.
        assert_eq!(of(&["Base class package \"Foo::Bar\" is empty."]), vec![]);
        assert_eq!(
            of(&[
                "Can't locate ./config.pl in @INC (@INC contains: /usr/share/perl5) at x line 2."
            ]),
            vec![]
        );
        assert_eq!(
            of(&["Can't locate auto/Foo/bar.al in @INC (@INC contains: /usr/share/perl5) at x line 2."]),
            vec![]
        );
        assert_eq!(
            of(&["Can't locate object method \"new\" via package \"Foo\" at x line 2."]),
            vec![]
        );
    }

    #[test]
    fn configure_checks_named_by_the_error() {
        assert_eq!(
            of(&[
                "checking for initscr in -lncurses... no",
                "configure: error: ncurses is required",
            ]),
            vec![library("ncurses")]
        );
        assert_eq!(
            of(&[
                "checking for curses.h... no",
                "configure: error: curses.h not found",
            ]),
            vec![header("curses.h")]
        );
        assert_eq!(
            of(&[
                "checking for bison... no",
                "checking for byacc... no",
                "configure: error: bison/yacc is required",
            ]),
            vec![command("bison")]
        );
        assert_eq!(
            of(&[
                "checking for addnwstr in -lncursesw... (cached) no",
                "configure: error: can not find required library libncursesw",
            ]),
            vec![library("ncursesw")]
        );
        assert_eq!(
            of(&[
                "checking for libevent_core >= 2... no",
                "checking for libevent >= 2... no",
                "configure: error: \"libevent not found\"",
            ]),
            vec![module("libevent")]
        );
        assert_eq!(
            of(&[
                "checking for GLIB... no",
                "configure: error: Package requirements (glib-2.0 >= 2.40) were not met:",
                "",
                "No package 'glib-2.0' found",
            ]),
            vec![module("glib-2.0")]
        );
        // A name inside a longer word is not named.
        assert_eq!(
            of(&["checking for z... no", "configure: error: zstd is required",]),
            vec![other("configure: error: zstd is required")]
        );
    }

    #[test]
    fn configure_checks_right_before_an_unspecific_error() {
        assert_eq!(
            of(&[
                "checking for strlcpy... no",
                "checking for a BSD-compatible install... /usr/bin/install -c",
                "checking for tgoto in -ltinfo... no",
                "checking for library containing regcmp... no",
                "checking for foo.h... no",
                "checking for working terminal libraries... Cannot find terminal libraries - configure failed",
            ]),
            vec![library("tinfo"), header("foo.h")]
        );
        // Programs only when the message speaks of programs.
        assert_eq!(
            of(&[
                "checking for gawk... no",
                "configure: error: no awk program found in $PATH",
            ]),
            vec![command("gawk")]
        );
        assert_eq!(
            of(&[
                "checking for gawk... no",
                "configure: error: cannot continue"
            ]),
            vec![other("configure: error: cannot continue")]
        );
        // Compilers are not something to add.
        assert_eq!(
            of(&[
                "checking for gcc... no",
                "checking for cc... no",
                "configure: error: no acceptable C compiler found in $PATH",
            ]),
            vec![other(
                "configure: error: no acceptable C compiler found in $PATH"
            )]
        );
    }

    #[test]
    fn fallback_is_the_first_error_line_not_nix_own() {
        assert_eq!(
            of(&[
                "building '/nix/store/x.drv'...",
                "x.c:5:3: error: 'y' undeclared (first use in this function)",
                "x.c:9:3: error: 'z' undeclared (first use in this function)",
                "error: builder for '/nix/store/x.drv' failed with exit code 2",
            ]),
            vec![other(
                "x.c:5:3: error: 'y' undeclared (first use in this function)"
            )]
        );
        assert_eq!(
            of(&["Makefile:76: *** Cannot find development files for any supported version of libnl.  Stop."]),
            vec![other("Makefile:76: *** Cannot find development files for any supported version of libnl.  Stop.")]
        );
        assert_eq!(
            of(&["error: builder for '/nix/store/x.drv' failed with exit code 2"]),
            vec![]
        );
        assert_eq!(of(&[]), vec![]);
    }

    #[test]
    fn nix_build_quoting_and_joined_lines() {
        let log = vec![
            "error: builder for '/nix/store/x.drv' failed with exit code 2;".to_string(),
            "       last 10 log lines:\n       > x.c:1:10: fatal error: a.h: No such file or directory\n       > compilation terminated.".to_string(),
        ];
        assert_eq!(problems(&log), vec![header("a.h")]);
    }

    #[test]
    fn order_of_first_appearance_without_repeats() {
        assert_eq!(
            of(&[
                "/bin/bash: line 1: pkg-config: command not found",
                "a.c:1:10: fatal error: b.h: No such file or directory",
                "/bin/bash: line 1: pkg-config: command not found",
                "ld: cannot find -lc2",
            ]),
            vec![command("pkg-config"), header("b.h"), library("c2")]
        );
    }

    #[test]
    fn kinds_match_json_and_display_is_one_line() {
        let all = [
            header("a.h"),
            library("a"),
            module("a"),
            cmake("A"),
            command("a"),
            python("a"),
            perl("A::B"),
            Problem::NoConfigure,
            Problem::NoMakefile,
            Problem::NoInstallTarget,
            outside("/usr/a"),
            Problem::Werror { flag: None },
            Problem::ParallelMakeRace,
            interpreter("a"),
            Problem::UnpackMultipleDirs,
            Problem::NoExecutablesInstalled,
            other("error: a"),
        ];
        for p in all {
            let json = serde_json::to_value(&p).unwrap();
            assert_eq!(json["kind"], p.kind(), "{p:?}");
            assert!(!p.to_string().contains('\n'));
        }
        assert_eq!(
            serde_json::to_string(&header("a.h")).unwrap(),
            r#"{"kind":"missing-header","header":"a.h"}"#
        );
    }
}

//! Build-system rules: one file per build system, each a [`Rule`] that recognises its build files
//! in a directory and then reads them for dependencies, programs, libraries and metadata. The
//! [`RULES`] list fixes the detection order (autotools before CMake before Meson, … plain
//! Makefiles last), because many trees carry several (a CMake project with a convenience
//! Makefile, an autotools project whose tarball also has a generated Makefile).

mod autotools;
mod cargo;
mod cmake;
mod configure;
mod install_script;
mod make;
mod meson;
mod npm;
mod python;

use crate::tree::{self, Tree};
use crate::{BuildSystem, Index, Python, Want};

/// What one rule looks for and reads.
pub(crate) trait Rule: Sync {
    /// The build system, when `dir` of the tree (`""` for the root) is built this way.
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem>;
    /// Reads the build files for dependencies, programs and metadata.
    fn infer(&self, ctx: &Context, out: &mut Findings);
}

/// Detection order.
pub(crate) static RULES: &[&dyn Rule] = &[
    &autotools::Autotools,
    &cmake::CMake,
    &meson::Meson,
    &configure::HandConfigure,
    &cargo::Cargo,
    &python::PythonRule,
    &npm::Npm,
    &make::Make,
    &install_script::InstallScript,
];

/// Subdirectories that commonly hold the real build files, best first.
const PREFERRED_SUBDIRS: &[&str] = &["unix", "src", "source", "build", "linux", "posix"];

/// The rule, build system and directory (`""` = root) of a tree.
pub(crate) fn detect(tree: &Tree) -> (Option<&'static dyn Rule>, BuildSystem, String) {
    let mut dir = String::new();
    // A tree that is a single directory (an archive unpacked without stripping) is that directory.
    loop {
        let subdirs = tree.subdirs(&dir);
        if tree.files_in(&dir).next().is_none() && subdirs.len() == 1 {
            dir = tree::join(&dir, &subdirs[0]);
        } else {
            break;
        }
    }
    if let Some((rule, bs)) = detect_in(tree, &dir) {
        return (Some(rule), bs, dir);
    }
    let mut candidates: Vec<(String, &'static dyn Rule, BuildSystem)> = Vec::new();
    for sub in tree.subdirs(&dir) {
        let path = tree::join(&dir, &sub);
        if tree::is_auxiliary(&tree::join(&path, "x")) {
            continue;
        }
        if let Some((rule, bs)) = detect_in(tree, &path) {
            candidates.push((sub, rule, bs));
        }
    }
    let pick = if candidates.len() == 1 {
        candidates.pop()
    } else {
        PREFERRED_SUBDIRS.iter().find_map(|p| {
            candidates
                .iter()
                .position(|(name, _, _)| name.eq_ignore_ascii_case(p))
                .map(|i| candidates.swap_remove(i))
        })
    };
    match pick {
        Some((sub, rule, bs)) => (Some(rule), bs, tree::join(&dir, &sub)),
        None => (None, BuildSystem::Unknown, dir),
    }
}

fn detect_in(tree: &Tree, dir: &str) -> Option<(&'static dyn Rule, BuildSystem)> {
    RULES
        .iter()
        .find_map(|rule| rule.detect(tree, dir).map(|bs| (*rule, bs)))
}

/// What the rules read, before resolution.
#[derive(Debug, Clone, Default)]
pub(crate) struct Findings {
    pub wants: Vec<Found>,
    pub programs: Vec<String>,
    /// The project builds and installs a library.
    pub library: bool,
    pub pkgconfig_modules: Vec<String>,
    pub headers: Vec<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    /// Licenses the metadata declares (SPDX expressions or classifier names).
    pub spdx_licenses: Vec<String>,
    pub python: Option<Python>,
}

/// One requirement: any one of `alternatives` satisfies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub alternatives: Vec<Want>,
    pub evidence: String,
    /// Overrides the placement that follows from the want's kind (Meson's `native: true`).
    pub native: Option<bool>,
}

impl Found {
    pub fn one(want: Want, evidence: impl Into<String>) -> Found {
        Found::any(vec![want], evidence)
    }

    pub fn any(alternatives: Vec<Want>, evidence: impl Into<String>) -> Found {
        Found {
            alternatives,
            evidence: evidence.into(),
            native: None,
        }
    }
}

impl Findings {
    pub fn want(&mut self, want: Want, evidence: impl Into<String>) {
        self.wants.push(Found::one(want, evidence));
    }

    pub fn want_any(&mut self, alternatives: Vec<Want>, evidence: impl Into<String>) {
        if !alternatives.is_empty() {
            self.wants.push(Found::any(alternatives, evidence));
        }
    }

    /// Sets a metadata field unless an earlier (more authoritative) source already did.
    pub fn meta(field: &mut Option<String>, value: Option<String>) {
        if field.is_none() {
            *field = value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
        }
    }
}

/// What every rule's inference gets.
pub(crate) struct Context<'a> {
    pub tree: &'a Tree,
    /// The analysed directory, `""` for the root.
    pub dir: &'a str,
    pub index: &'a Index,
    pub build_system: &'a BuildSystem,
}

impl Context<'_> {
    /// The path of `name` inside the analysed directory.
    pub fn path(&self, name: &str) -> String {
        tree::join(self.dir, name)
    }

    pub fn read(&self, name: &str) -> Option<String> {
        self.tree.read(&self.path(name))
    }

    pub fn exists(&self, name: &str) -> bool {
        self.tree.exists(&self.path(name))
    }

    /// `rel` (relative to the tree root) relative to the analysed directory, for evidence.
    pub fn display<'p>(&self, rel: &'p str) -> &'p str {
        if self.dir.is_empty() {
            rel
        } else {
            rel.strip_prefix(self.dir)
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(rel)
        }
    }
}

/// Findings that do not depend on the build system: installed `.pc` files from `*.pc.in`
/// templates, and the public headers of a library with an `include/` directory.
pub(crate) fn infer_common(ctx: &Context, out: &mut Findings) {
    for entry in ctx.tree.files_under(ctx.dir) {
        if tree::is_auxiliary(&entry.rel) {
            continue;
        }
        let name = tree::file_name(&entry.rel);
        if let Some(module) = name
            .strip_suffix(".pc.in")
            .or_else(|| name.strip_suffix(".pc.cmake"))
        {
            // `foo-uninstalled.pc` is for building against the source tree, not installed.
            let module = substitute_name(module, out.name.as_deref())
                .filter(|m| !m.ends_with("-uninstalled"));
            if let Some(module) = module {
                out.pkgconfig_modules.push(module);
                out.library = true;
            }
        }
    }
    if out.library && out.headers.is_empty() {
        let include = ctx.path("include");
        if ctx.tree.is_dir(&include) {
            let prefix = format!("{include}/");
            for entry in ctx.tree.files_under(&include) {
                if let Some(rel) = entry.rel.strip_prefix(&prefix) {
                    if rel.ends_with(".h") || rel.ends_with(".hpp") || rel.ends_with(".hh") {
                        out.headers.push(rel.to_string());
                    }
                }
            }
        }
    }
    out.pkgconfig_modules.sort();
    out.pkgconfig_modules.dedup();
    out.headers.sort();
    out.headers.dedup();
}

/// `@PACKAGE@`-style placeholders in a template file name replaced by the project name; `None`
/// when another placeholder remains.
fn substitute_name(module: &str, name: Option<&str>) -> Option<String> {
    let mut out = module.to_string();
    if let Some(name) = name {
        for placeholder in [
            "@PACKAGE@",
            "@PACKAGE_NAME@",
            "@PACKAGE_TARNAME@",
            "@PROJECT_NAME@",
            "${PROJECT_NAME}",
            "@CMAKE_PROJECT_NAME@",
        ] {
            out = out.replace(placeholder, name);
        }
    }
    (!out.contains(['@', '$']) && !out.is_empty()).then_some(out)
}

/// `-lfoo` words of a command line or variable value.
pub(crate) fn link_flags(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|w| {
            w.trim_matches(['"', '\'', '(', ')', '`', ','])
                .strip_prefix("-l")
        })
        .filter(|lib| {
            lib.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && lib
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.'))
        })
        .map(str::to_string)
        .collect()
}

/// The module names of `pkg-config [--flags] mod…` invocations in a command line (also
/// `$(PKG_CONFIG)`, `${PKG_CONFIG}`, `$PKG_CONFIG`).
pub(crate) fn pkg_config_calls(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for marker in [
        "pkg-config",
        "$(PKG_CONFIG)",
        "${PKG_CONFIG}",
        "$PKG_CONFIG",
    ] {
        let mut from = 0;
        while let Some(pos) = line[from..].find(marker) {
            let start = from + pos + marker.len();
            from = start;
            let rest = &line[start..];
            if !rest.starts_with([' ', '\t']) {
                continue;
            }
            let mut words = Vec::new();
            for word in rest.split_whitespace() {
                // Anything that ends the command: a closing paren/backtick, a redirection, a
                // separator.
                let end = word.find([')', '`', ';', '|', '&', '>', '<', '"', '\'']);
                let clean = &word[..end.unwrap_or(word.len())];
                if !clean.is_empty() && !clean.starts_with('-') {
                    words.push(clean.to_string());
                }
                if end.is_some() {
                    break;
                }
            }
            out.extend(crate::scan::pkgconfig_modules(&words.join(" ")));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Build-time tools that show up as commands in Makefile recipes and configure scripts.
pub(crate) const KNOWN_TOOLS: &[&str] = &[
    "bison",
    "yacc",
    "byacc",
    "flex",
    "lex",
    "perl",
    "python3",
    "python",
    "m4",
    "msgfmt",
    "xgettext",
    "msgmerge",
    "help2man",
    "makeinfo",
    "texi2any",
    "asciidoc",
    "a2x",
    "asciidoctor",
    "xmlto",
    "pandoc",
    "scdoc",
    "pod2man",
    "xsltproc",
    "gperf",
    "re2c",
    "nasm",
    "yasm",
    "groff",
    "sphinx-build",
    "doxygen",
    "ronn",
    "txt2man",
    "ruby",
    "tclsh",
    "wayland-scanner",
    "glib-compile-resources",
    "glib-compile-schemas",
    "glib-mkenums",
    "glib-genmarshal",
    "desktop-file-install",
    "intltool-merge",
    "go-md2man",
    "rst2man",
    "bc",
    "install-info",
    "pkg-config",
];

/// The known tools run by a recipe line (`@$(PERL) gen.pl`, `cd x && bison -d y.y`), after
/// variable expansion.
pub(crate) fn recipe_tools(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in line.split([';', '|', '&', '(', '`']) {
        let mut words = part.split_whitespace();
        let Some(mut first) = words.next() else {
            continue;
        };
        first = first.trim_start_matches(['@', '-', '+']);
        if matches!(
            first,
            "env" | "exec" | "command" | "time" | "then" | "else" | "do"
        ) {
            match words.next() {
                Some(next) => first = next,
                None => continue,
            }
        }
        let base = tree::file_name(first);
        if KNOWN_TOOLS.contains(&base) {
            out.push(base.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_flags_and_pkg_config_calls() {
        assert_eq!(
            link_flags("$(CC) -o sl sl.c -lncurses \"-lm\" -L/usr/lib -la-b -l$(X) -lfoo++"),
            ["ncurses", "m", "a-b", "foo++"]
        );
        assert_eq!(
            pkg_config_calls("CFLAGS += $(shell pkg-config --cflags gtk+-3.0 'glib-2.0 >= 2.4') `$(PKG_CONFIG) --libs x11` x"),
            ["gtk+-3.0", "x11"]
        );
        assert_eq!(
            pkg_config_calls("XLIBS=$(shell pkg-config --libs x11 2> /dev/null || echo x)"),
            ["x11"]
        );
    }

    #[test]
    fn tools_in_recipes() {
        assert_eq!(
            recipe_tools("@cd doc && help2man -o x.1 ./x; bison -d p.y"),
            ["help2man", "bison"]
        );
        assert_eq!(recipe_tools("$(CC) -o x x.c"), Vec::<String>::new());
        assert_eq!(recipe_tools("-/usr/bin/perl gen.pl > out.h"), ["perl"]);
    }
}

//! Meson: every `meson.build` of the project (not its `subprojects/`). Dependencies come from
//! `dependency('x')` (pkg-config names; Meson's special names such as `threads` are the C
//! library), `find_program('x')`, `cc.find_library('x')`, `cc.has_header('x.h')` and the
//! `gnome`/`i18n`/`python` modules' tools; programs from `executable(…, install: true)`,
//! libraries from `library()` and friends, `.pc` files from `pkg.generate()`, headers from
//! `install_headers()`, metadata from `project()`.

use std::collections::HashMap;

use super::{Context, Findings, Found, Rule};
use crate::scan::{self, meson_args, meson_string, meson_strings, MesonArg, Syntax};
use crate::tree::{self, Tree};
use crate::{BuildSystem, Want};

pub struct Meson;

impl Rule for Meson {
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem> {
        tree.exists(&tree::join(dir, "meson.build"))
            .then_some(BuildSystem::Meson)
    }

    fn infer(&self, ctx: &Context, out: &mut Findings) {
        let files: Vec<String> = ctx
            .tree
            .named(ctx.dir, "meson.build")
            .filter(|e| !e.rel.split('/').any(|c| c == "subprojects"))
            .map(|e| e.rel.clone())
            .collect();
        // Library variables (`libfoo = library('foo', …)`) for `pkg.generate(libfoo)`.
        let mut library_vars: HashMap<String, String> = HashMap::new();
        let mut texts = Vec::new();
        for rel in &files {
            if let Some(text) = ctx.tree.read(rel) {
                texts.push((rel.clone(), scan::strip_comments(&text, Syntax::Meson)));
            }
        }
        if let Some((_, top)) = texts
            .iter()
            .find(|(rel, _)| *rel == ctx.path("meson.build"))
        {
            read_project(top, out);
        }
        for (rel, text) in &texts {
            let shown = ctx.display(rel).to_string();
            let aux = tree::is_auxiliary(rel);
            for call in scan::calls(text, "dependency", Syntax::Meson) {
                let args = meson_args(call);
                let names: Vec<String> = positional(&args)
                    .iter()
                    .flat_map(|v| meson_strings(v))
                    .collect();
                let native = keyword(&args, "native").is_some_and(|v| v == "true");
                let wants: Vec<Want> = names.iter().filter_map(|n| dependency_want(n)).collect();
                if wants.is_empty() {
                    continue;
                }
                out.wants.push(Found {
                    alternatives: wants,
                    evidence: format!("{shown}: dependency()"),
                    native: native.then_some(true),
                });
            }
            for call in scan::calls(text, "find_program", Syntax::Meson) {
                let args = meson_args(call);
                let names: Vec<Want> = positional(&args)
                    .iter()
                    .flat_map(|v| meson_strings(v))
                    .filter(|n| is_program_name(n) && !is_project_file(ctx, rel, n))
                    .map(Want::Command)
                    .collect();
                out.want_any(names, format!("{shown}: find_program()"));
            }
            for call in scan::calls(text, ".find_library", Syntax::Meson) {
                let args = meson_args(call);
                if let Some(name) = args.first().and_then(|a| meson_string(&a.value)) {
                    out.want(Want::Library(name), format!("{shown}: find_library()"));
                }
            }
            for method in [".has_header", ".check_header"] {
                for call in scan::calls(text, method, Syntax::Meson) {
                    let args = meson_args(call);
                    if let Some(name) = args.first().and_then(|a| meson_string(&a.value)) {
                        out.want(Want::Header(name), format!("{shown}: {}()", &method[1..]));
                    }
                }
            }
            read_modules(text, &shown, out);
            for call in scan::calls(text, "executable", Syntax::Meson) {
                let args = meson_args(call);
                if aux || !installs(&args) {
                    continue;
                }
                if let Some(name) = args.first().and_then(|a| meson_string(&a.value)) {
                    out.programs.push(name);
                }
            }
            for name in [
                "library",
                "shared_library",
                "static_library",
                "both_libraries",
            ] {
                for (var, call) in assigned_calls(text, name) {
                    let args = meson_args(call);
                    let Some(lib) = args.first().and_then(|a| meson_string(&a.value)) else {
                        continue;
                    };
                    if let Some(var) = var {
                        library_vars.insert(var, lib.clone());
                    }
                    if !aux && installs(&args) {
                        out.library = true;
                    }
                }
            }
            for call in scan::calls(text, ".generate", Syntax::Meson) {
                let args = meson_args(call);
                let module = keyword(&args, "filebase")
                    .or_else(|| keyword(&args, "name"))
                    .and_then(meson_string)
                    .or_else(|| {
                        let first = args.iter().find(|a| a.key.is_none())?;
                        library_vars.get(first.value.trim()).cloned()
                    });
                if let Some(module) = module {
                    out.pkgconfig_modules.push(module);
                    out.library = true;
                }
            }
            for call in scan::calls(text, "install_headers", Syntax::Meson) {
                let args = meson_args(call);
                let subdir = keyword(&args, "subdir").and_then(meson_string);
                for header in positional(&args).iter().flat_map(|v| meson_strings(v)) {
                    let base = tree::file_name(&header).to_string();
                    out.headers.push(match &subdir {
                        Some(s) => format!("{s}/{base}"),
                        None => base,
                    });
                }
            }
        }
    }
}

fn read_project(text: &str, out: &mut Findings) {
    let Some(call) = scan::calls(text, "project", Syntax::Meson)
        .into_iter()
        .next()
    else {
        return;
    };
    let args = meson_args(call);
    Findings::meta(
        &mut out.name,
        args.first().and_then(|a| meson_string(&a.value)),
    );
    Findings::meta(
        &mut out.version,
        keyword(&args, "version").and_then(meson_string),
    );
    if let Some(license) = keyword(&args, "license") {
        out.spdx_licenses.extend(meson_strings(license));
    }
}

/// Positional arguments that are string literals or lists of them (not expressions such as
/// `dep.get_variable(pkgconfig: 'x')`, whose strings are not names).
fn positional(args: &[MesonArg]) -> Vec<&str> {
    args.iter()
        .filter(|a| a.key.is_none())
        .map(|a| a.value.trim())
        .filter(|v| v.starts_with('\'') || v.starts_with('['))
        .collect()
}

fn keyword<'a>(args: &'a [MesonArg], key: &str) -> Option<&'a str> {
    args.iter()
        .find(|a| a.key.as_deref() == Some(key))
        .map(|a| a.value.as_str())
}

fn installs(args: &[MesonArg]) -> bool {
    keyword(args, "install").is_some_and(|v| v.trim() == "true")
}

/// `var = name(…)` calls: the variable (when assigned) and the raw arguments.
fn assigned_calls<'a>(text: &'a str, name: &str) -> Vec<(Option<String>, &'a str)> {
    let mut out = Vec::new();
    for call in scan::calls(text, name, Syntax::Meson) {
        // The call's arguments are a slice of `text`; look just before the name for `var =`.
        let offset = call.as_ptr() as usize - text.as_ptr() as usize;
        let before = &text[..offset.saturating_sub(name.len() + 1)];
        let line = before.rsplit('\n').next().unwrap_or_default();
        let var = line
            .trim_end()
            .strip_suffix('=')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.bytes().all(scan::is_ident));
        out.push((var, call));
    }
    out
}

/// Meson's special dependency names → what they need, or `None` for the C library and
/// compiler-provided ones.
fn dependency_want(name: &str) -> Option<Want> {
    match name {
        "" | "threads" | "dl" | "openmp" | "intl" | "iconv" | "libm" | "appleframeworks"
        | "dbghelp" | "libcrypt" | "crypt" | "cuda" | "mpi" | "coarray" | "hdf5" | "dub"
        | "cmake" => None,
        "curses" | "ncurses" => Some(Want::PkgConfig("ncursesw".into())),
        "gtest" | "gtest_main" => Some(Want::PkgConfig("gtest".into())),
        "gmock" => Some(Want::PkgConfig("gmock".into())),
        "boost" => Some(Want::Header("boost/version.hpp".into())),
        "zlib" => Some(Want::PkgConfig("zlib".into())),
        "gl" => Some(Want::PkgConfig("gl".into())),
        "sdl2" => Some(Want::PkgConfig("sdl2".into())),
        "python3" => Some(Want::PkgConfig("python3".into())),
        name if scan::is_literal(name) => Some(Want::PkgConfig(name.to_string())),
        _ => None,
    }
}

/// `find_program()` arguments that are tools, not the project's own scripts.
fn is_program_name(name: &str) -> bool {
    scan::is_literal(name)
        && !name.contains('/')
        && ![".py", ".sh", ".pl", ".rb"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// A `find_program()` name that is a script of the project (Meson looks next to the
/// `meson.build` first).
fn is_project_file(ctx: &Context, meson_build: &str, name: &str) -> bool {
    ctx.tree
        .exists(&tree::join(tree::parent(meson_build), name))
}

/// Tools the `gnome`, `i18n` and `python` modules run.
fn read_modules(text: &str, shown: &str, out: &mut Findings) {
    let uses = |needle: &str| text.contains(needle);
    let mut tool = |cmd: &str, what: &str| {
        out.want(Want::Command(cmd.into()), format!("{shown}: {what}"));
    };
    if uses(".compile_resources(") {
        tool("glib-compile-resources", "gnome.compile_resources()");
    }
    if uses(".compile_schemas(") {
        tool("glib-compile-schemas", "gnome.compile_schemas()");
    }
    if uses(".mkenums") {
        tool("glib-mkenums", "gnome.mkenums()");
    }
    if uses(".genmarshal(") {
        tool("glib-genmarshal", "gnome.genmarshal()");
    }
    if uses(".generate_gir(") {
        tool("g-ir-scanner", "gnome.generate_gir()");
    }
    if uses("import('i18n')") && (uses(".gettext(") || uses(".merge_file(")) {
        tool("msgfmt", "i18n module");
    }
    if uses("import('python')") || uses("import('python3')") {
        tool("python3", "python module");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_dependencies() {
        assert_eq!(dependency_want("threads"), None);
        assert_eq!(
            dependency_want("curses"),
            Some(Want::PkgConfig("ncursesw".into()))
        );
        assert_eq!(
            dependency_want("libfoo"),
            Some(Want::PkgConfig("libfoo".into()))
        );
    }

    #[test]
    fn assigned_library_variables() {
        let text = "libfoo = library('foo', 'a.c')\nshared_library('bar', 'b.c')\n";
        let found = assigned_calls(text, "library");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.as_deref(), Some("libfoo"));
        let found = assigned_calls(text, "shared_library");
        assert_eq!(found[0].0, None);
    }
}

//! A plain `Makefile` (or `makefile`, `GNUmakefile`) with no configure step. Whether it can be
//! installed the nixpkgs way (`install:` target, a `PREFIX`/`prefix` variable, `$(DESTDIR)`),
//! what it builds (the `all:` prerequisites), what it links (`-lfoo` in `LIBS`/`LDLIBS`/
//! `LDFLAGS` and link commands, `pkg-config --libs` calls) and which build tools its recipes run;
//! the C sources' `#include <…>` lines fill in what the Makefile leaves to the compiler's defaults.

use std::collections::HashSet;

use super::{link_flags, pkg_config_calls, recipe_tools, Context, Findings, Rule};
use crate::makefile::Makefile;
use crate::scan::is_literal;
use crate::tree::{self, Tree};
use crate::{includes, BuildSystem, Want};

pub struct Make;

/// The names make itself looks for, in its order.
const MAKEFILES: &[&str] = &["GNUmakefile", "makefile", "Makefile"];

impl Rule for Make {
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem> {
        let name = MAKEFILES
            .iter()
            .find(|n| tree.exists(&tree::join(dir, n)))?;
        let mk = Makefile::parse(&tree.read(&tree::join(dir, name)).unwrap_or_default());
        let prefix_var = ["PREFIX", "prefix"]
            .into_iter()
            .find(|v| mk.vars.contains_key(*v))
            .map(str::to_string);
        Some(BuildSystem::Make {
            install: mk.rule("install").is_some(),
            prefix_var,
            destdir: mk.uses_var("DESTDIR"),
        })
    }

    fn infer(&self, ctx: &Context, out: &mut Findings) {
        if let Some((name, text)) = MAKEFILES.iter().find_map(|n| ctx.read(n).map(|t| (*n, t))) {
            read_makefile(ctx, name, &text, out);
        }
        includes::scan(ctx, out);
    }
}

/// Targets that never name a program.
const NOT_PROGRAMS: &[&str] = &[
    "all",
    "build",
    "default",
    "man",
    "doc",
    "docs",
    "info",
    "html",
    "pdf",
    "clean",
    "distclean",
    "install",
    "uninstall",
    "test",
    "tests",
    "check",
    "lib",
    "libs",
    "dirs",
    "config",
    "depend",
    "dep",
    "deps",
    "options",
    "subdirs",
    "dist",
    "tags",
    "shared",
    "static",
    "everything",
    "release",
    "debug",
    "prog",
    "progs",
    "programs",
    "world",
    "strip",
    "format",
    "fmt",
    "lint",
    "help",
];

/// Reads one Makefile (or `Makefile.in` template) into `out`. `preset` are values a configure
/// script would substitute (`progname=lzip`), used where the Makefile leaves a variable unset
/// or to `@substitution@`.
pub(crate) fn read_makefile(ctx: &Context, file: &str, text: &str, out: &mut Findings) {
    read_makefile_with(ctx, file, text, &[], out);
}

pub(crate) fn read_makefile_with(
    ctx: &Context,
    file: &str,
    text: &str,
    preset: &[(String, String)],
    out: &mut Findings,
) {
    let mut mk = Makefile::parse(text);
    for (name, value) in preset {
        let unset = mk
            .vars
            .get(name)
            .is_none_or(|v| v.trim().starts_with('@') && v.trim().ends_with('@'));
        if unset {
            mk.vars.insert(name.clone(), value.clone());
        }
    }
    let mk = mk;
    let phony = mk.phony();
    let file_dir = tree::parent(file);

    // Programs: the default goal's (or `all`'s) prerequisites, through phony targets.
    let goal = mk.rule("all").or_else(|| mk.default_goal());
    let mut seen = HashSet::new();
    let mut programs = Vec::new();
    let mut goal_names: Vec<String> = Vec::new();
    if let Some(goal) = goal {
        let start: Vec<String> = if goal.targets.iter().any(|t| t == "all") {
            goal.prereqs.clone()
        } else {
            goal.targets.clone()
        };
        goal_names = start.iter().flat_map(|t| mk.words(t)).collect();
        collect_programs(ctx, &mk, &phony, &start, 0, &mut seen, &mut programs, out);
    }
    let install_rules = mk.reachable(&["install"]);
    if programs.is_empty() {
        // No usable `all:`: what the install rules copy into a bin directory — targets of
        // this Makefile or files of the tree (scripts).
        for line in install_rules.iter().flat_map(|r| &r.recipe) {
            // `install [opts] SOURCE… DEST`: the destination is the last word.
            let words = mk.words(line);
            let Some((_, sources)) = words.split_last() else {
                continue;
            };
            if !mk
                .expand(line)
                .split_whitespace()
                .last()
                .is_some_and(|d| d.contains("bin"))
            {
                continue;
            }
            for word in sources {
                let word = word.trim_matches(['"', '\'']);
                let rel = tree::join(
                    &tree::join(ctx.dir, file_dir),
                    word.trim_start_matches("./"),
                );
                let is_file = ctx.tree.exists(&normalise_rel(&rel));
                if (mk.rule(word).is_some() || is_file) && looks_like_program(word) {
                    programs.push(tree::file_name(word).to_string());
                }
            }
        }
    }
    if programs.is_empty() && mk.rule("install").is_some() {
        // Script collections install a `bin/` directory wholesale.
        let bin = ctx.path(&tree::join(file_dir, "bin"));
        programs.extend(
            ctx.tree
                .files_in(&bin)
                .map(|e| tree::file_name(&e.rel))
                .filter(|n| looks_like_program(n))
                .map(str::to_string),
        );
    }
    out.programs.extend(programs);

    // Headers, libraries and .pc files the install rules put in place.
    for line in install_rules.iter().flat_map(|r| &r.recipe) {
        let expanded = mk.expand(line);
        for word in mk.words(line) {
            let name = tree::file_name(&word);
            if (name.ends_with(".so") || name.ends_with(".a") || name.contains(".so."))
                && name.starts_with("lib")
            {
                out.library = true;
            }
            if expanded.contains("include") && name.ends_with(".h") && is_literal(name) {
                out.headers.push(name.to_string());
            }
            if let Some(module) = name.strip_suffix(".pc").filter(|m| is_literal(m)) {
                out.pkgconfig_modules.push(module.to_string());
            }
        }
    }

    // Links: variables that hold libraries, and link commands.
    let built_here = |lib: &str| {
        [".a", ".so", ".la"]
            .iter()
            .any(|ext| text.contains(&format!("lib{lib}{ext}")))
    };
    for name in &mk.var_order {
        let upper = name.to_ascii_uppercase();
        let holds_libs =
            (upper.contains("LIB") || upper.contains("LDFLAGS") || upper.contains("LDADD"))
                && !upper.ends_with("DIR")
                && !upper.contains("INSTALL");
        if !holds_libs {
            continue;
        }
        let value = mk.var(name).unwrap_or_default();
        for lib in link_flags(&value) {
            if !built_here(&lib) {
                out.want(Want::Library(lib), format!("{file}: {name}"));
            }
        }
    }
    // Tools: only in the recipes that a default build and install run (documentation and
    // release targets regenerate files the tarball already ships).
    let mut roots: Vec<&str> = goal_names.iter().map(String::as_str).collect();
    roots.extend(["all", "install"]);
    if let Some(goal) = goal {
        roots.extend(goal.targets.iter().map(String::as_str));
    }
    // A file the tarball ships (a generated parser, a formatted man page) is not rebuilt.
    let shipped = |t: &str| {
        !phony.contains(t)
            && ctx.tree.exists(&normalise_rel(&tree::join(
                &tree::join(ctx.dir, file_dir),
                t,
            )))
    };
    let explicit = mk.reachable(&roots);
    let wanted: Vec<String> = explicit
        .iter()
        .flat_map(|r| r.prereqs.iter().chain(&r.targets))
        .flat_map(|p| mk.words(p))
        .filter(|w| !shipped(w))
        .collect();
    // Pattern rules run only for a wanted file of their suffix that is not shipped.
    let patterns = mk
        .pattern_rules()
        .into_iter()
        .filter(|(_, suffix)| wanted.iter().any(|w| w.ends_with(suffix.as_str())))
        .map(|(rule, _)| rule);
    for rule in explicit.iter().copied().chain(patterns) {
        let targets: Vec<String> = rule.targets.iter().flat_map(|t| mk.words(t)).collect();
        let all_shipped = !targets.is_empty() && targets.iter().all(|t| shipped(t));
        for line in rule.recipe.iter().filter(|_| !all_shipped) {
            let line = mk.expand(line);
            let links = line.contains(" -o ") || line.contains("$(CC)") || line.contains("$(LD)");
            if links {
                for lib in link_flags(&line) {
                    if !built_here(&lib) {
                        out.want(Want::Library(lib), format!("{file}: link command"));
                    }
                }
            }
            for tool in recipe_tools(&line) {
                out.want(Want::Command(tool), format!("{file}: recipe"));
            }
        }
    }
    for line in &mk.lines {
        for module in pkg_config_calls(&mk.expand(line)) {
            out.want(Want::PkgConfig(module), format!("{file}: pkg-config"));
        }
    }
}

/// `a/./b/../c` → `a/c`.
fn normalise_rel(rel: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[allow(clippy::too_many_arguments)]
fn collect_programs(
    ctx: &Context,
    mk: &Makefile,
    phony: &HashSet<String>,
    names: &[String],
    depth: usize,
    seen: &mut HashSet<String>,
    programs: &mut Vec<String>,
    out: &mut Findings,
) {
    for raw in names {
        for name in mk.words(raw) {
            if !seen.insert(name.clone()) {
                continue;
            }
            let base = tree::file_name(&name);
            if base.starts_with("lib")
                && (base.ends_with(".a") || base.ends_with(".so") || base.contains(".so."))
            {
                out.library = true;
                continue;
            }
            let rules = mk.rules_for(&name);
            let is_phony = phony.contains(&name) || NOT_PROGRAMS.contains(&base);
            // A target without a recipe groups other targets, unless make's implicit rule links
            // it from objects (`prog: prog.o util.o`).
            let grouping = !rules.is_empty()
                && rules.iter().all(|r| r.recipe.is_empty())
                && !base.contains('.')
                && !rules
                    .iter()
                    .flat_map(|r| &r.prereqs)
                    .flat_map(|p| mk.words(p))
                    .any(|p| [".o", ".c", ".cc", ".cpp"].iter().any(|e| p.ends_with(e)));
            // A phony target that runs a sub-make for itself (`lz4: ; $(MAKE) -C programs $@`)
            // builds a program of that name.
            let delegates = is_phony
                && !NOT_PROGRAMS.contains(&base)
                && !["test", "example", "doc", "manual", "bench", "fuzz"]
                    .iter()
                    .any(|w| base.contains(w))
                && rules.iter().flat_map(|r| &r.recipe).any(|l| {
                    (l.contains("$(MAKE)") || l.contains("${MAKE}"))
                        && (l.contains("$@") || l.split_whitespace().any(|w| w == base))
                });
            if delegates && looks_like_program(&name) {
                programs.push(base.to_string());
                continue;
            }
            if is_phony || grouping {
                if depth < 3 {
                    let prereqs: Vec<String> =
                        rules.iter().flat_map(|r| r.prereqs.clone()).collect();
                    collect_programs(ctx, mk, phony, &prereqs, depth + 1, seen, programs, out);
                }
                continue;
            }
            if ctx.tree.is_dir(&ctx.path(&name)) {
                continue;
            }
            if looks_like_program(&name) {
                programs.push(base.to_string());
            }
        }
    }
}

fn looks_like_program(name: &str) -> bool {
    let base = tree::file_name(name);
    is_literal(base)
        && !base.contains('.')
        && !base.contains('%')
        && !base.contains('=')
        && !NOT_PROGRAMS.contains(&base)
        && !base.is_empty()
        && !base.starts_with('-')
}

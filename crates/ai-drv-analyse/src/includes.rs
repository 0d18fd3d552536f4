//! `#include <…>` lines of the project's C and C++ sources, for builds whose build files do not
//! name their libraries (plain Makefiles relying on the compiler's default search paths). Only
//! headers the resolver index attributes to a package count — an unknown `<foo.h>` is most
//! likely the project's own or the C library's — and headers the tree itself contains are skipped.

use std::collections::HashSet;

use crate::build_system::{Context, Findings};
use crate::deps::{resolve, Resolution};
use crate::tree::{self, Tree, MAX_FILE};
use crate::Want;

const SOURCE_EXTENSIONS: &[&str] = &["c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx", "C", "m"];

/// Adds a `Header` want for each `#include <…>` that resolves to a package.
pub(crate) fn scan(ctx: &Context, out: &mut Findings) {
    let mut seen: HashSet<String> = HashSet::new();
    let local = local_headers(ctx.tree);
    for entry in ctx.tree.files_under(ctx.dir) {
        let ext = entry
            .rel
            .rsplit_once('.')
            .map(|(_, e)| e)
            .unwrap_or_default();
        if !SOURCE_EXTENSIONS.contains(&ext)
            || entry.size > MAX_FILE
            || tree::is_auxiliary(&entry.rel)
        {
            continue;
        }
        let Some(text) = ctx.tree.read(&entry.rel) else {
            continue;
        };
        for header in angle_includes(&text) {
            if seen.contains(header) || is_local_in(&local, header) {
                continue;
            }
            seen.insert(header.to_string());
            let want = Want::Header(header.to_string());
            if matches!(resolve(&want, ctx.index), Resolution::Attr(_)) {
                out.want(
                    want,
                    format!("{}: #include <{header}>", ctx.display(&entry.rel)),
                );
            }
        }
    }
}

/// The `<…>` targets of `#include` lines.
pub(crate) fn angle_includes(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let rest = line.trim_start().strip_prefix('#')?.trim_start();
        let rest = rest.strip_prefix("include")?.trim_start();
        let rest = rest.strip_prefix('<')?;
        let end = rest.find('>')?;
        Some(rest[..end].trim())
    })
}

/// Every path suffix of every header in the tree (`a/b/c.h` → `a/b/c.h`, `b/c.h`, `c.h`).
fn local_headers(tree: &Tree) -> HashSet<&str> {
    let mut set = HashSet::new();
    for entry in tree.files() {
        let rel = entry.rel.as_str();
        if !(rel.ends_with(".h") || rel.ends_with(".hpp") || rel.ends_with(".hh")) {
            continue;
        }
        set.insert(rel);
        for (i, c) in rel.char_indices() {
            if c == '/' {
                set.insert(&rel[i + 1..]);
            }
        }
    }
    set
}

fn is_local_in(local: &HashSet<&str>, header: &str) -> bool {
    local.contains(header)
}

/// Whether the tree contains `header` (at any depth, as that relative path).
pub(crate) fn is_local(tree: &Tree, header: &str) -> bool {
    tree.files()
        .iter()
        .any(|e| e.rel == header || e.rel.ends_with(&format!("/{header}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_angle_includes_only() {
        let text = "#include <stdio.h>\n  #  include <X11/Xlib.h> // x\n#include \"local.h\"\n#define include <no.h>\n";
        assert_eq!(
            angle_includes(text).collect::<Vec<_>>(),
            ["stdio.h", "X11/Xlib.h"]
        );
    }
}

//! Where a shell word points: into an output (`$out/bin`, `${placeholder "out"}/lib`), into the
//! build's own scratch space (`$TMPDIR`, `/build`, `/tmp`, relative paths), at the machine
//! outside (`/usr/local/bin`, `~/x`), or out of an output through `..`.

use std::collections::BTreeSet;

use crate::strings::OUTPUT;

/// Where a destination lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// An output, the build directory, a variable the policy cannot see through, or a relative path.
    Inside,
    /// An absolute or home path on the machine outside the build.
    Outside,
    /// An output path followed by enough `..` to leave it (`$out/../..`).
    Escape,
}

/// Absolute paths a build may write to: scratch space and the standard streams.
const SCRATCH: [&str; 10] = [
    "/tmp",
    "/build",
    "/dev/null",
    "/dev/zero",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/stdin",
    "/dev/tty",
    "/dev/fd",
    "/proc/self/fd",
];

/// The outputs every derivation may have, whatever its `outputs` list says (`prefix` is
/// stdenv's name for `$out`).
pub(crate) const DEFAULT_OUTPUTS: [&str; 12] = [
    "out", "dev", "lib", "bin", "man", "doc", "info", "devdoc", "static", "debug", "python",
    "prefix",
];

/// What follows an output reference at the start of `text` (`$out/bin` → `/bin`).
pub(crate) fn after_output<'t>(text: &'t str, outputs: &BTreeSet<String>) -> Option<&'t str> {
    if let Some(rest) = text.strip_prefix(OUTPUT) {
        return Some(rest);
    }
    let (name, rest) = variable(text)?;
    outputs.contains(name).then_some(rest)
}

/// `$NAME…` or `${NAME}…` at the start of `text`: the name and what follows.
pub(crate) fn variable(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('$')?;
    if let Some(braced) = rest.strip_prefix('{') {
        let end = braced.find('}')?;
        return Some((&braced[..end], &braced[end + 1..]));
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| (&rest[..end], &rest[end..]))
}

/// Whether `..` segments climb above the start of `rest`.
fn climbs_out(rest: &str) -> bool {
    let mut depth = 0usize;
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return true,
            },
            _ => depth += 1,
        }
    }
    false
}

/// `/a//b/./c/../d/` → `/a/b/d`.
pub(crate) fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(segment),
        }
    }
    format!("/{}", parts.join("/"))
}

fn is_scratch(normalized: &str) -> bool {
    SCRATCH.iter().any(|allowed| {
        normalized == *allowed
            || normalized
                .strip_prefix(allowed)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Where a write to `text` lands.
pub(crate) fn place(text: &str, outputs: &BTreeSet<String>) -> Place {
    if let Some(rest) = after_output(text, outputs) {
        return if climbs_out(rest) {
            Place::Escape
        } else {
            Place::Inside
        };
    }
    if text.starts_with('~') {
        return Place::Outside;
    }
    if text.starts_with('/') && !is_scratch(&normalize(text)) {
        return Place::Outside;
    }
    Place::Inside
}

/// Whether `rm` on `text` would wipe a whole tree: `/`, `/*`, a top-level directory, the store,
/// the home directory, or an output's parents.
pub(crate) fn wipes_a_tree(text: &str, outputs: &BTreeSet<String>) -> bool {
    let trimmed = text.trim_end_matches('*');
    if let Some(rest) = after_output(trimmed, outputs) {
        return climbs_out(rest);
    }
    if trimmed == "~" || trimmed == "~/" {
        return true;
    }
    if let Some((name, rest)) = variable(trimmed) {
        return name == "HOME" && (rest.is_empty() || rest == "/");
    }
    if trimmed.starts_with('/') {
        let normalized = normalize(trimmed);
        let depth = normalized.split('/').filter(|s| !s.is_empty()).count();
        return !is_scratch(&normalized)
            && (depth <= 1 || normalized == "/nix/store" || normalized == "/nix/var");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs() -> BTreeSet<String> {
        DEFAULT_OUTPUTS.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn places() {
        let outputs = outputs();
        let cases = [
            ("$out/bin", Place::Inside),
            ("${out}/share", Place::Inside),
            ("\u{E001}/lib", Place::Inside),
            ("$dev/include", Place::Inside),
            ("$TMPDIR/x", Place::Inside),
            ("/tmp/x", Place::Inside),
            ("/build/source", Place::Inside),
            ("/dev/null", Place::Inside),
            ("/dev/stderr", Place::Inside),
            ("build/x", Place::Inside),
            ("$out/share/../bin", Place::Inside),
            ("/usr/local/bin", Place::Outside),
            ("/etc/x", Place::Outside),
            ("/tmpfoo", Place::Outside),
            ("/tmp/../etc", Place::Outside),
            ("~/bin", Place::Outside),
            ("/dev/sda", Place::Outside),
            ("$out/..", Place::Escape),
            ("$out/../../x", Place::Escape),
        ];
        for (text, expected) in cases {
            assert_eq!(place(text, &outputs), expected, "{text}");
        }
    }

    #[test]
    fn trees() {
        let outputs = outputs();
        for text in [
            "/",
            "/*",
            "//",
            "/usr",
            "/etc/",
            "~",
            "~/*",
            "$HOME",
            "${HOME}/",
            "$out/../..",
            "/nix/store",
        ] {
            assert!(wipes_a_tree(text, &outputs), "{text}");
        }
        for text in [
            "/tmp",
            "$out/share/doc",
            "/usr/share/x",
            "$HOME/.cache",
            "build",
            "$TMPDIR/*",
        ] {
            assert!(!wipes_a_tree(text, &outputs), "{text}");
        }
    }
}

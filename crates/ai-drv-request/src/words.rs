//! Package names in plain words: "Generate a derivation for building `sl`", "package jq version
//! 1.6", "nix derivation for ripgrep 14.1.0".
//!
//! Names are ranked by how sure the text is about them: a name in backticks first, then the word
//! after a phrase that introduces a package ("for building X", "package X", "derivation for X"),
//! then any other word that looks like a package name and is not an ordinary English or packaging
//! word. A version is taken from `X@1.2`, `X-1.2.3`, `X 1.2` or `X version 1.2`.

use crate::Wanted;

/// Words that never name the package: English function words, small talk, and the vocabulary of
/// the request itself ("derivation", "nix", "build"). Ecosystem words ("python", "rust") qualify
/// the name that follows rather than being it.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anything",
    "app",
    "application",
    "are",
    "as",
    "at",
    "be",
    "binary",
    "build",
    "building",
    "builds",
    "built",
    "but",
    "by",
    "c",
    "can",
    "cargo",
    "cli",
    "code",
    "command",
    "compile",
    "compiling",
    "could",
    "crate",
    "crates",
    "create",
    "current",
    "debian",
    "deb",
    "derivation",
    "derivations",
    "do",
    "does",
    "download",
    "expression",
    "file",
    "for",
    "from",
    "generate",
    "get",
    "give",
    "gnu",
    "go",
    "hi",
    "help",
    "how",
    "i",
    "i'd",
    "i'm",
    "in",
    "into",
    "is",
    "it",
    "its",
    "javascript",
    "just",
    "latest",
    "let",
    "lib",
    "library",
    "like",
    "make",
    "me",
    "my",
    "need",
    "new",
    "newest",
    "nix",
    "nixos",
    "nixpkgs",
    "node",
    "nodejs",
    "npm",
    "of",
    "on",
    "one",
    "or",
    "our",
    "package",
    "packages",
    "packaging",
    "please",
    "program",
    "project",
    "pypi",
    "python",
    "python3",
    "recent",
    "release",
    "repo",
    "repository",
    "rust",
    "script",
    "should",
    "so",
    "software",
    "some",
    "something",
    "source",
    "sources",
    "stable",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "this",
    "those",
    "to",
    "tool",
    "tools",
    "up",
    "upstream",
    "us",
    "use",
    "using",
    "utility",
    "v",
    "ver",
    "version",
    "versions",
    "want",
    "we",
    "what",
    "which",
    "will",
    "with",
    "would",
    "write",
    "you",
    "your",
];

/// Words after which the next non-stop word is the package.
const TRIGGERS: &[&str] = &[
    "for",
    "package",
    "packaging",
    "build",
    "building",
    "called",
    "named",
    "of",
    "compile",
    "compiling",
];

/// Words that announce the version which follows them.
const VERSION_WORDS: &[&str] = &["version", "ver", "v", "release", "at"];

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word.to_ascii_lowercase().as_str())
}

/// Whether `s` looks like a version: `1.6`, `14.1.0`, `v3.3a`, `2.1.12-stable`, `1.0.0-rc.1`.
pub fn looks_like_version(s: &str) -> bool {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let mut chars = s.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '~' | '_'))
        && !s.ends_with(['.', '-', '+'])
}

/// Whether `s` looks like a package name (`sl`, `json-c`, `c++`, `@scope/name`), and not like a
/// version or a sentence fragment.
pub fn looks_like_name(s: &str) -> bool {
    let body = match s.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, body)) if valid_body(scope) => body,
            _ => return false,
        },
        None => s,
    };
    valid_body(body) && !looks_like_version(s)
}

fn valid_body(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars().any(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
        && !s.ends_with(['.', '-', '_'])
}

/// Drops the sentence punctuation around a word or URL ("(see https://…/x.tar.gz).").
pub(crate) fn trim_url_punctuation(token: &str) -> &str {
    token
        .trim_start_matches(['(', '<', '[', '"', '\'', '{'])
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '>', '"', '\'', '}'])
}

#[derive(Debug)]
struct Token {
    text: String,
    /// Written in backticks.
    quoted: bool,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let push_plain = |s: &str, tokens: &mut Vec<Token>| {
        for word in s.split_whitespace() {
            let word = trim_url_punctuation(word);
            if !word.is_empty() {
                tokens.push(Token {
                    text: word.to_string(),
                    quoted: false,
                });
            }
        }
    };
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        push_plain(&rest[..open], &mut tokens);
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else {
            // An unclosed backtick: read the rest as plain words.
            rest = after;
            break;
        };
        for word in after[..close].split_whitespace() {
            tokens.push(Token {
                text: word.to_string(),
                quoted: true,
            });
        }
        rest = &after[close + 1..];
    }
    push_plain(rest, &mut tokens);
    tokens
}

/// A name as written, split from a version glued to it (`jq@1.6`, `jq-1.7.1`).
fn split_glued(token: &str) -> (&str, Option<&str>) {
    if let Some(i) = token.rfind('@').filter(|&i| i > 0) {
        let (name, version) = (&token[..i], &token[i + 1..]);
        if looks_like_version(version) {
            return (name, Some(version));
        }
    }
    // "jq-1.7.1": a dash followed by a dotted version (a bare "-2" is more often part of the name).
    if let Some(i) = token.rfind('-') {
        let (name, version) = (&token[..i], &token[i + 1..]);
        if version.contains('.') && looks_like_version(version) && looks_like_name(name) {
            return (name, Some(version));
        }
    }
    (token, None)
}

/// The package names in `text`, best first, each with the version asked for.
pub fn extract_names(text: &str) -> Vec<Wanted> {
    let tokens = tokenize(text);
    // (rank, position, wanted)
    let mut found: Vec<(u8, usize, Wanted)> = Vec::new();
    let mut consumed = vec![false; tokens.len()];

    let mut candidate = |i: usize, rank: u8, consumed: &mut Vec<bool>| -> bool {
        let token = &tokens[i];
        let (raw, mut version) = split_glued(&token.text);
        let name = if token.quoted {
            raw.to_string()
        } else {
            raw.to_ascii_lowercase()
        };
        if !looks_like_name(&name) || (!token.quoted && is_stop_word(&name)) {
            return false;
        }
        consumed[i] = true;
        if version.is_none() {
            version = version_after(&tokens, i, consumed);
        }
        found.push((rank, i, Wanted::new(&name, version.map(strip_v))));
        true
    };

    // 1. Names in backticks.
    for (i, token) in tokens.iter().enumerate() {
        if token.quoted && !looks_like_version(&token.text) {
            candidate(i, 0, &mut consumed);
        }
    }
    // 2. The word a trigger phrase introduces, skipping the articles and qualifiers between.
    for i in 0..tokens.len() {
        if tokens[i].quoted || !TRIGGERS.contains(&tokens[i].text.to_ascii_lowercase().as_str()) {
            continue;
        }
        let mut j = i + 1;
        while j < tokens.len() && j <= i + 5 {
            if consumed[j] {
                break;
            }
            if !tokens[j].quoted && is_stop_word(&tokens[j].text) {
                j += 1;
                continue;
            }
            candidate(j, 1, &mut consumed);
            break;
        }
    }
    // 3. Any other word that looks like a package name.
    for i in 0..tokens.len() {
        if consumed[i] || tokens[i].quoted {
            continue;
        }
        // Single letters are too often words ("a", "I") to guess from.
        if tokens[i].text.len() >= 2 && !looks_like_version(&tokens[i].text) {
            candidate(i, 2, &mut consumed);
        }
    }

    found.sort_by_key(|(rank, pos, _)| (*rank, *pos));
    let mut names: Vec<Wanted> = Vec::new();
    for (_, _, wanted) in found {
        match names.iter_mut().find(|w| w.name == wanted.name) {
            Some(existing) => {
                if existing.version.is_none() {
                    existing.version = wanted.version;
                }
            }
            None => names.push(wanted),
        }
    }
    names
}

fn strip_v(version: &str) -> &str {
    match version.strip_prefix(['v', 'V']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => version,
    }
}

/// The version right after the name at `i`: "X 1.2", "X v1.2", "X version 1.2".
fn version_after<'t>(tokens: &'t [Token], i: usize, consumed: &mut [bool]) -> Option<&'t str> {
    let next = tokens.get(i + 1)?;
    if looks_like_version(&next.text) {
        consumed[i + 1] = true;
        return Some(&next.text);
    }
    if VERSION_WORDS.contains(&next.text.to_ascii_lowercase().as_str()) {
        let after = tokens.get(i + 2)?;
        if looks_like_version(&after.text) {
            consumed[i + 1] = true;
            consumed[i + 2] = true;
            return Some(&after.text);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_names() {
        for v in [
            "1.6",
            "14.1.0",
            "v3.3a",
            "2.1.12-stable",
            "1.0.0-rc.1",
            "5.02",
            "3.03+dfsg2",
        ] {
            assert!(looks_like_version(v), "{v}");
        }
        for v in ["sl", "v", "version", "1.", "", "x1.0"] {
            assert!(!looks_like_version(v), "{v}");
        }
        for n in [
            "sl",
            "json-c",
            "c++",
            "@babel/core",
            "python3",
            "tree-sitter",
            "libfoo_bar",
        ] {
            assert!(looks_like_name(n), "{n}");
        }
        for n in ["1.6", "-x", "a/b", "@scope", "don't", "x.", "", "?"] {
            assert!(!looks_like_name(n), "{n}");
        }
    }

    #[test]
    fn glued_versions() {
        assert_eq!(split_glued("jq@1.6"), ("jq", Some("1.6")));
        assert_eq!(split_glued("jq-1.7.1"), ("jq", Some("1.7.1")));
        assert_eq!(split_glued("json-c"), ("json-c", None));
        assert_eq!(split_glued("gtk-3"), ("gtk-3", None));
        assert_eq!(
            split_glued("@babel/core@7.0.0"),
            ("@babel/core", Some("7.0.0"))
        );
    }

    #[test]
    fn backticks_keep_their_spelling_and_rank_first() {
        assert_eq!(
            extract_names("build ripgrep or maybe `PyYAML` 6.0.1"),
            [
                Wanted::new("PyYAML", Some("6.0.1")),
                Wanted::new("ripgrep", None),
                Wanted::new("maybe", None),
            ]
        );
    }
}

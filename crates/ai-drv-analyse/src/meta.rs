//! Description, name and main program, written the way nixpkgs writes `meta`: a description is
//! one short phrase (at most 80 characters, capitalised, no leading article or package name, no
//! trailing period), taken from the metadata files or else from the README's first paragraph.

use crate::tree::{self, Tree};

/// Longest description nixpkgs' style accepts.
const MAX_DESCRIPTION: usize = 80;

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` → `-`.
pub fn normalise_python_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('-');
        }
        sep = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// The project name a directory like `hello-2.10` or `tree_2.1.0` suggests.
pub fn name_from_dir(root: &std::path::Path) -> Option<String> {
    let base = root.file_name()?.to_string_lossy().to_string();
    let cut = base
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '-' | '_')
                && base[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit())
        })
        .map(|(i, _)| i)
        .unwrap_or(base.len());
    let name = &base[..cut];
    (!name.is_empty() && !name.starts_with('.') && !name.starts_with("tmp"))
        .then(|| name.to_string())
}

/// The program named like the package, else the first one.
pub fn main_program(programs: &[String], name: Option<&str>) -> Option<String> {
    if let Some(name) = name {
        let lower = name.to_ascii_lowercase();
        if let Some(p) = programs.iter().find(|p| p.to_ascii_lowercase() == lower) {
            return Some(p.clone());
        }
    }
    programs.first().cloned()
}

/// A description in nixpkgs' style, or `None` when the text cannot be made into one.
pub fn tidy_description(text: &str, name: Option<&str>) -> Option<String> {
    tidy_with_names(text, name.as_slice())
}

/// [`tidy_description`] that removes a leading mention of any of `names` (the package name and
/// its programs' names).
pub(crate) fn tidy_with_names(text: &str, names: &[&str]) -> Option<String> {
    let text = strip_markup(text.split_whitespace().collect::<Vec<_>>().join(" ").trim());
    // Skip sentences about the file itself ("This is the README file for …").
    let mut rest = text.as_str();
    let mut d = first_sentence(rest).to_string();
    while is_boilerplate(&d) && d.len() < rest.len() {
        let next = rest[d.len()..].trim_start_matches(['.', '!', ' ']);
        if next.len() == rest.len() {
            break;
        }
        rest = next;
        d = first_sentence(rest).to_string();
    }
    if is_boilerplate(&d) {
        return None;
    }
    // "foo is a tool that …", "foo (GNU foo) is a …", "This is 'foo', a …", "foo 1.2 is a …",
    // "foo - a tool …", "SL(1): …" → "Tool that …".
    for name in names {
        let pattern = format!(
            r#"(?i)^(?:this is )?(?:the )?(?:gnu )?['"`‘]?(?:lib)?{}['"`’]?(?:\(\w+\))?(?: \([^)]*\))?(?: v?\d[\w.]*)?(?: is an | is a | is the | is |, an? | - | -- | — |: |, )"#,
            regex::escape(name)
        );
        if let Ok(re) = regex::Regex::new(&pattern) {
            if let Some(m) = re.find(&d) {
                if m.end() < d.len() {
                    d = d[m.end()..].to_string();
                    break;
                }
            }
        }
    }
    for article in ["A ", "An ", "The ", "a ", "an ", "the "] {
        if let Some(rest) = d.strip_prefix(article) {
            d = rest.to_string();
            break;
        }
    }
    let d = d
        .trim()
        .trim_end_matches(['.', '!', ':', ',', ';'])
        .trim()
        .to_string();
    let d = shorten(&d)?;
    let mut chars = d.chars();
    let first = chars.next()?;
    let d: String = first.to_uppercase().chain(chars).collect();
    (d.len() >= 3 && d.chars().any(|c| c.is_alphabetic())).then_some(d)
}

/// Sentences that are about the file or the build rather than the program.
fn is_boilerplate(sentence: &str) -> bool {
    let lower = sentence.to_ascii_lowercase();
    const STARTS: &[&str] = &[
        "this is the",
        "this version",
        "this file",
        "this directory",
        "this package is",
        "this program is part",
        "see ",
        "please ",
        "welcome to",
        "to build",
        "to install",
        "to compile",
        "for the impatient",
        "note:",
        "note that",
        "$",
        "copyright",
        "version ",
        "what is",
        "for more",
        "table of contents",
        "build status",
        "installation",
        "how to",
        "if you",
        "you can",
        "you may",
        "you will",
        "in order to",
        "following ",
        "the following",
        "run ",
        "type ",
        "about ",
        "or ",
        "and ",
        "last changes",
        "by default",
    ];
    const CONTAINS: &[&str] = &[
        "readme",
        "documentation",
        "://",
        "@",
        "installation",
        "as follows",
        "cmake variables",
        "./configure",
        "autogen",
        "manual page",
        "issue report",
        "bug report",
        "copyright",
        "changes made",
        "changelog",
        " news",
        "building",
        "is free software",
        "license",
    ];
    let words = lower.split_whitespace().count();
    let versioned = lower.split_whitespace().any(|w| {
        w.trim_start_matches('v')
            .starts_with(|c: char| c.is_ascii_digit())
    });
    // A file name first ("cdecl.c The cdecl source code"): a list of files.
    let first = lower.split_whitespace().next().unwrap_or_default();
    let file_like =
        first.len() > 2 && first[1..first.len() - 1].contains('.') && !first.contains("..");
    STARTS.iter().any(|p| lower.starts_with(p))
        || CONTAINS.iter().any(|p| lower.contains(p))
        || lower.ends_with('?')
        || lower.ends_with(':')
        || file_like
        // Not prose: a list bullet, a rule, a number.
        || !lower.starts_with(|c: char| c.is_alphabetic() || matches!(c, '\'' | '"' | '('))
        // "Cdecl version 2.5", "Cowsay 3.03": a name and a version, no description.
        || (words <= 4 && (lower.contains("version") || versioned))
}

/// Text up to the first sentence end (a period followed by a blank, not in `e.g.`/`i.e.`/`etc.`
/// or a version number).
fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if !matches!(*b, b'.' | b'!') || bytes.get(i + 1).is_some_and(|n| *n != b' ') {
            continue;
        }
        let before = &text[..i];
        let word = before
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if matches!(
            word.as_str(),
            "e.g" | "i.e" | "etc" | "vs" | "approx" | "incl"
        ) || word.len() == 1
        {
            continue;
        }
        return before;
    }
    text
}

/// Fits a description into the length limit at a clause boundary, or gives up.
fn shorten(d: &str) -> Option<String> {
    if d.chars().count() <= MAX_DESCRIPTION {
        return Some(d.to_string());
    }
    let limit = d
        .char_indices()
        .nth(MAX_DESCRIPTION)
        .map_or(d.len(), |(i, _)| i);
    let head = &d[..limit];
    // The first clause boundary that leaves a meaningful phrase.
    let cut = [
        ", ", " (", " - ", " — ", "; ", ": ", " which ", " with ", " using ",
    ]
    .iter()
    .flat_map(|sep| head.match_indices(sep).map(|(i, _)| i))
    .filter(|i| *i >= 20)
    .min()?;
    let short = d[..cut].trim_end_matches([',', ';', ':']).trim();
    (short.chars().count() >= 20).then(|| short.to_string())
}

/// Markdown and reStructuredText inline markup removed: links keep their text.
fn strip_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '_'
                if out.ends_with(' ')
                    || out.is_empty()
                    || chars.peek().is_none_or(|n| !n.is_alphanumeric()) => {}
            '<' => {
                // An HTML tag is dropped; an autolink (`<https://…>`, `<a@b>`) is kept.
                let mut inner = String::new();
                for n in chars.by_ref() {
                    if n == '>' {
                        break;
                    }
                    inner.push(n);
                }
                if inner.contains("://") || inner.contains('@') {
                    out.push_str(&inner);
                }
            }
            '[' => {
                // `[text](url)` → text
                let mut inner = String::new();
                let mut closed = false;
                for n in chars.by_ref() {
                    if n == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(n);
                }
                out.push_str(&inner);
                if closed && chars.peek() == Some(&'(') {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The README's first prose paragraph as a description.
pub(crate) fn readme_description(tree: &Tree, dir: &str, names: &[&str]) -> Option<String> {
    let name = names.first().copied();
    let mut dirs = vec![dir.to_string()];
    if !dir.is_empty() {
        dirs.push(String::new());
    }
    for d in dirs {
        let mut readmes: Vec<&str> = tree
            .files_in(&d)
            .map(|e| e.rel.as_str())
            .filter(|rel| {
                let upper = tree::file_name(rel).to_ascii_uppercase();
                upper == "README"
                    || [
                        "README.MD",
                        "README.RST",
                        "README.TXT",
                        "README.MARKDOWN",
                        "README.ORG",
                    ]
                    .contains(&upper.as_str())
            })
            .collect();
        // Markdown first: it is the one forges show, and usually the most current.
        readmes.sort_by_key(|r| !r.to_ascii_lowercase().ends_with(".md"));
        for rel in readmes {
            let Some(text) = tree.read(rel) else { continue };
            let markdown = rel.to_ascii_lowercase().ends_with(".md");
            let (paragraphs, title) = paragraphs(&text, name, markdown);
            // A paragraph that starts with a file of the tree lists files ("testset: a script …").
            let lists_files = |p: &str| {
                let first = p.split_whitespace().next().unwrap_or_default();
                let first = first.trim_end_matches([':', ',']);
                tree.exists(&tree::join(&d, first))
            };
            let paragraphs: Vec<String> =
                paragraphs.into_iter().filter(|p| !lists_files(p)).collect();
            // A title that says more than the name ("# Generic Colouriser") is the author's own
            // one-line summary.
            if let Some(d) = title.and_then(|t| tidy_with_names(&t, names)) {
                return Some(d);
            }
            if let Some(d) = paragraphs
                .iter()
                .take(4)
                .find_map(|p| tidy_with_names(p, names))
            {
                return Some(d);
            }
        }
    }
    None
}

/// The paragraphs that read as prose (not titles, badges, rules, HTML, directives, lists or
/// code), and the document's first title when it is more than the project's name.
fn paragraphs(text: &str, name: Option<&str>, markdown: bool) -> (Vec<String>, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let is_underline = |s: &str| {
        s.len() >= 3
            && s.chars()
                .all(|c| matches!(c, '=' | '-' | '~' | '^' | '*' | '#' | '+'))
    };
    let mut out = Vec::new();
    let mut title: Option<String> = None;
    let mut paragraph: Vec<&str> = Vec::new();
    let mut in_code = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let next = lines.get(i + 1).map(|l| l.trim()).unwrap_or("");
        let heading = t
            .strip_prefix('#')
            .map(|h| h.trim_start_matches('#').trim())
            .or_else(|| (is_underline(next) && !t.is_empty() && !is_underline(t)).then_some(t));
        if let Some(h) = heading {
            let is_name = name.is_some_and(|n| h.eq_ignore_ascii_case(n));
            if title.is_none() && out.is_empty() && !is_name && h.split_whitespace().count() >= 2 {
                title = Some(h.to_string());
            }
        }
        let skip = in_code
            || heading.is_some()
            || (markdown && (line.starts_with("    ") || line.starts_with('\t')))
            || t.starts_with("[!")
            || t.starts_with("![")
            || t.starts_with('<')
            || t.starts_with("..")
            || t.starts_with(':')
            || t.starts_with('|')
            || t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with('\\')
            || t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.contains(". ")
            || is_underline(t)
            || name.is_some_and(|n| t.eq_ignore_ascii_case(n))
            // All capitals: a title.
            || (t.len() > 3 && !t.chars().any(|c| c.is_lowercase()));
        if t.is_empty() || skip {
            if !paragraph.is_empty() {
                out.push(paragraph.join(" "));
                paragraph.clear();
            }
            continue;
        }
        paragraph.push(t);
    }
    if !paragraph.is_empty() {
        out.push(paragraph.join(" "));
    }
    out.retain(|p| p.split_whitespace().count() >= 3);
    (out, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_in_nixpkgs_style() {
        assert_eq!(
            tidy_description("A fast, simple grep-like tool.", None).as_deref(),
            Some("Fast, simple grep-like tool")
        );
        assert_eq!(
            tidy_description("fzy is a fast, simple fuzzy text selector for the terminal with an advanced scoring algorithm.", Some("fzy")).as_deref(),
            Some("Fast, simple fuzzy text selector for the terminal")
        );
        assert_eq!(
            tidy_description(
                "Pretty-print tabular data in Python, a library and a command-line utility.",
                None
            )
            .as_deref(),
            Some("Pretty-print tabular data in Python, a library and a command-line utility")
        );
        assert_eq!(
            tidy_description("gzip (GNU zip) is a compression utility designed to be a replacement for 'compress'.", Some("gzip")).as_deref(),
            Some("Compression utility designed to be a replacement for 'compress'")
        );
        assert_eq!(
            tidy_description("This is 'iw', a tool to use nl80211.", Some("iw")).as_deref(),
            Some("Tool to use nl80211")
        );
        assert_eq!(
            tidy_description(
                "zlib 1.2.13 is a general purpose data compression library.",
                Some("zlib")
            )
            .as_deref(),
            Some("General purpose data compression library")
        );
        assert_eq!(
            tidy_description("LZ4 is lossless compression algorithm, providing compression speed > 500 MB/s per core, scalable with multi-cores CPU.", Some("lz4")).as_deref(),
            Some("Lossless compression algorithm")
        );
        assert_eq!(
            tidy_description("SL(1): Cure your bad habit of mistyping", Some("sl")).as_deref(),
            Some("Cure your bad habit of mistyping")
        );
        assert_eq!(tidy_description("x", None), None);
    }

    #[test]
    fn readme_paragraphs() {
        let md = "# foo\n\n[![Build](https://x/badge.svg)](https://x)\n\n**foo** is a *tiny* tool that prints [things](https://e.org).\nIt is fast.\n\n## Usage\n";
        let (ps, _) = paragraphs(md, Some("foo"), true);
        assert_eq!(
            tidy_description(&ps[0], Some("foo")).as_deref(),
            Some("Tiny tool that prints things")
        );
        let rst = "Foo\n===\n\n.. image:: x.png\n\nThe foo library parses YAML documents, e.g. configs. More text.\n";
        let (ps, _) = paragraphs(rst, Some("foo"), false);
        assert_eq!(
            tidy_description(&ps[0], Some("foo")).as_deref(),
            Some("Foo library parses YAML documents, e.g. configs")
        );
        let titled = "# Generic Colouriser\n\nJane Doe <https://example.org/~jane>\n\nFor the impatient - try:\n\n    grc ping\n";
        let (ps, title) = paragraphs(titled, Some("grc"), true);
        assert_eq!(title.as_deref(), Some("Generic Colouriser"));
        assert!(
            ps.iter()
                .all(|p| tidy_description(p, Some("grc")).is_none()),
            "{ps:?}"
        );
        let gnu = "This is the README file for the GNU Hello distribution.\nHello prints a friendly greeting.  It also serves as a sample.\n";
        let (ps, _) = paragraphs(gnu, Some("hello"), false);
        assert_eq!(
            tidy_description(&ps[0], Some("hello")).as_deref(),
            Some("Hello prints a friendly greeting")
        );
    }

    #[test]
    fn names_and_programs() {
        assert_eq!(
            name_from_dir(std::path::Path::new("/x/hello-2.10")).as_deref(),
            Some("hello")
        );
        assert_eq!(
            name_from_dir(std::path::Path::new("/x/tree_2.1.0")).as_deref(),
            Some("tree")
        );
        assert_eq!(
            name_from_dir(std::path::Path::new("/x/json-c")).as_deref(),
            Some("json-c")
        );
        assert_eq!(
            normalise_python_name("Typing_Extensions"),
            "typing-extensions"
        );
        assert_eq!(normalise_python_name("zope.interface"), "zope-interface");
        let programs = vec!["gzexe".to_string(), "gzip".to_string()];
        assert_eq!(
            main_program(&programs, Some("gzip")).as_deref(),
            Some("gzip")
        );
        assert_eq!(
            main_program(&programs, Some("other")).as_deref(),
            Some("gzexe")
        );
    }
}

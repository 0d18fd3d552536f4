//! apt's sources: the Debian mirror this machine already uses.

use std::path::{Path, PathBuf};

use crate::Origin;

/// One `deb` source: its base URI and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AptSource {
    pub uri: String,
    pub suites: Vec<String>,
    pub file: PathBuf,
}

/// The first enabled `deb` source whose URI is a Debian archive root (path ending in `/debian`).
pub fn debian_mirror(apt_dir: &Path) -> Option<(String, Origin)> {
    sources(apt_dir)
        .into_iter()
        .find(|s| s.uri.trim_end_matches('/').ends_with("/debian"))
        .map(|s| (s.uri, Origin::Apt(s.file)))
}

/// All `deb` sources in `sources.list`, `sources.list.d/*.list` and `sources.list.d/*.sources`.
pub fn sources(apt_dir: &Path) -> Vec<AptSource> {
    let mut files = vec![apt_dir.join("sources.list")];
    if let Ok(entries) = fs_err::read_dir(apt_dir.join("sources.list.d")) {
        let mut more: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        more.sort();
        files.extend(more);
    }
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = fs_err::read_to_string(&file) else {
            continue;
        };
        match file.extension().and_then(|e| e.to_str()) {
            Some("sources") => out.extend(deb822(&text, &file)),
            Some("list") => out.extend(one_line(&text, &file)),
            _ => {}
        }
    }
    out
}

/// `deb [options] URI suite [components…]`.
fn one_line(text: &str, file: &Path) -> Vec<AptSource> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut words = line.split_whitespace().peekable();
        if words.next() != Some("deb") {
            continue;
        }
        if words.peek().is_some_and(|w| w.starts_with('[')) {
            for w in words.by_ref() {
                if w.ends_with(']') {
                    break;
                }
            }
        }
        if let (Some(uri), Some(suite)) = (words.next(), words.next()) {
            out.push(AptSource {
                uri: uri.to_string(),
                suites: vec![suite.to_string()],
                file: file.to_path_buf(),
            });
        }
    }
    out
}

/// The deb822 format: paragraphs of `Field: value` separated by blank lines.
fn deb822(text: &str, file: &Path) -> Vec<AptSource> {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let field = |name: &str| {
            paragraph.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_string())
            })
        };
        let types = field("Types").unwrap_or_default();
        if !types.split_whitespace().any(|t| t == "deb") {
            continue;
        }
        if field("Enabled").is_some_and(|e| e.eq_ignore_ascii_case("no")) {
            continue;
        }
        let suites: Vec<String> = field("Suites")
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect();
        for uri in field("URIs").unwrap_or_default().split_whitespace() {
            out.push(AptSource {
                uri: uri.to_string(),
                suites: suites.clone(),
                file: file.to_path_buf(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats_and_skips_security_and_third_party() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sources.list.d")).unwrap();
        std::fs::write(
            d.join("sources.list"),
            "# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://vendor.invalid/apt stable main\n",
        )
        .unwrap();
        std::fs::write(
            d.join("sources.list.d/debian.sources"),
            "Types: deb\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security\n\n\
             Types: deb-src\nURIs: http://src.invalid/debian\nSuites: bookworm\n\n\
             Types: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm bookworm-updates\nComponents: main\n",
        )
        .unwrap();
        std::fs::write(
            d.join("sources.list.d/off.sources"),
            "Types: deb\nURIs: http://off.invalid/debian\nSuites: x\nEnabled: no\n",
        )
        .unwrap();
        let (uri, origin) = debian_mirror(d).unwrap();
        assert_eq!(uri, "http://mirror.invalid/debian");
        assert_eq!(origin, Origin::Apt(d.join("sources.list.d/debian.sources")));
        assert_eq!(sources(d).len(), 3);
    }

    #[test]
    fn nothing_configured_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(debian_mirror(dir.path()).is_none());
    }
}

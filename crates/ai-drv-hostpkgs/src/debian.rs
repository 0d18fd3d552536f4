//! Debian's archive index files, as far as hostpkgs needs them: the deb822 stanzas of a `Packages`
//! index, its relationship fields (`Depends`, `Pre-Depends`, `Provides`), version comparison, and
//! the `Contents-<arch>` file lists.
//!
//! Version comparison is dpkg's algorithm (epoch, upstream version, revision; `~` sorts before
//! everything, even the end of the string), taken from the maintained `debversion` crate rather
//! than written again here.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::str::FromStr;

/// The suite hostpkgs is built from.
pub const SUITE: &str = "bookworm";

/// The Packages index, relative to `dists/<suite>/`.
pub const PACKAGES_INDEX: &str = "main/binary-amd64/Packages.xz";

/// The index files the generator reads: `(path under dists/bookworm/, local file name)`. The
/// local name is the one used in the cache directory `<state_dir>/debian-index/`.
pub fn index_files() -> &'static [(&'static str, &'static str)] {
    &[
        (PACKAGES_INDEX, "Packages.xz"),
        ("main/Contents-amd64.gz", "Contents-amd64.gz"),
        ("main/Contents-all.gz", "Contents-all.gz"),
    ]
}

/// What is wrong with an index file; each message says where.
#[derive(Debug, thiserror::Error)]
pub enum DebianError {
    #[error("Packages index, stanza {stanza}: {message}")]
    Stanza { stanza: usize, message: String },
    #[error("cannot parse the relationship `{text}`: {message}")]
    Relation { text: String, message: String },
    #[error("invalid Debian version `{0}`")]
    Version(String),
    #[error("cannot decompress {what}: {source}")]
    Decompress {
        what: &'static str,
        source: std::io::Error,
    },
    #[error("Contents index, line {line}: {message}")]
    Contents { line: usize, message: String },
}

/// Compares two Debian version strings the way dpkg does.
pub fn compare_versions(a: &str, b: &str) -> Result<Ordering, DebianError> {
    let parse =
        |v: &str| debversion::Version::from_str(v).map_err(|_| DebianError::Version(v.to_string()));
    Ok(parse(a)?.cmp(&parse(b)?))
}

/// One alternative of a dependency: `name[:arch] [(op version)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dep {
    pub name: String,
    /// `any`, `amd64`, `native`… when the relationship names one (ignored by the resolution).
    pub arch: Option<String>,
    /// `(">=", "1.2-3")` when versioned (ignored by the resolution: one suite is consistent).
    pub version: Option<(String, String)>,
}

/// A relationship field: a list of groups that must all hold, each a list of alternatives (`|`)
/// of which one must hold.
pub type Relations = Vec<Vec<Dep>>;

/// Parses a relationship field (`Depends`, `Pre-Depends`, `Provides`…). Architecture
/// restrictions (`[amd64]`) and build profiles (`<!nocheck>`) are dropped; they do not occur in
/// binary indices.
pub fn parse_relations(text: &str) -> Result<Relations, DebianError> {
    let mut groups = Vec::new();
    for group in text.split(',') {
        let group = group.trim();
        if group.is_empty() {
            continue;
        }
        let mut alternatives = Vec::new();
        for alt in group.split('|') {
            alternatives.push(
                parse_dep(alt.trim()).map_err(|message| DebianError::Relation {
                    text: alt.trim().to_string(),
                    message,
                })?,
            );
        }
        groups.push(alternatives);
    }
    Ok(groups)
}

fn parse_dep(text: &str) -> Result<Dep, String> {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '(' | '[' | '<'))
        .unwrap_or(text.len());
    let (head, mut rest) = text.split_at(end);
    let (name, arch) = match head.split_once(':') {
        Some((n, a)) => (n, Some(a.to_string())),
        None => (head, None),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '+' | '-'))
    {
        return Err(format!("`{name}` is not a package name"));
    }
    let mut version = None;
    rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')').ok_or("unclosed `(`")?;
        let constraint = inner[..close].trim();
        let split = constraint
            .find(|c: char| !matches!(c, '<' | '>' | '='))
            .ok_or("empty version constraint")?;
        let (op, v) = constraint.split_at(split);
        let v = v.trim();
        if op.is_empty() || v.is_empty() {
            return Err(format!("bad version constraint `({constraint})`"));
        }
        version = Some((op.to_string(), v.to_string()));
        rest = inner[close + 1..].trim_start();
    }
    // `[arch…]` and `<profile…>` lists: not used in binary indices, accepted and dropped.
    while let Some(open) = rest.chars().next().filter(|c| matches!(c, '[' | '<')) {
        let close = if open == '[' { ']' } else { '>' };
        let end = rest
            .find(close)
            .ok_or_else(|| format!("unclosed `{open}`"))?;
        rest = rest[end + 1..].trim_start();
    }
    if !rest.is_empty() {
        return Err(format!("unexpected `{rest}`"));
    }
    Ok(Dep {
        name: name.to_string(),
        arch,
        version,
    })
}

/// The fields of one binary package that hostpkgs uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub filename: String,
    pub sha256: String,
    pub size: u64,
    pub depends: Relations,
    pub pre_depends: Relations,
    /// Names of the virtual packages this one provides.
    pub provides: Vec<String>,
    pub essential: bool,
    pub priority: Option<String>,
}

impl Package {
    /// `Pre-Depends` and `Depends`, in that order.
    pub fn all_depends(&self) -> impl Iterator<Item = &Vec<Dep>> {
        self.pre_depends.iter().chain(self.depends.iter())
    }
}

/// The stanzas of a deb822 file: each a list of `(field, value)` with continuation lines joined
/// by `\n`.
pub fn parse_stanzas(text: &str) -> Result<Vec<Vec<(&str, String)>>, DebianError> {
    let mut stanzas = Vec::new();
    let mut current: Vec<(&str, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                stanzas.push(std::mem::take(&mut current));
            }
        } else if line.starts_with([' ', '\t']) {
            let Some((_, value)) = current.last_mut() else {
                return Err(DebianError::Stanza {
                    stanza: stanzas.len() + 1,
                    message: format!("continuation line before any field: `{line}`"),
                });
            };
            value.push('\n');
            value.push_str(line.trim());
        } else if let Some((field, value)) = line.split_once(':') {
            current.push((field.trim(), value.trim().to_string()));
        } else {
            return Err(DebianError::Stanza {
                stanza: stanzas.len() + 1,
                message: format!("line without a field name: `{line}`"),
            });
        }
    }
    if !current.is_empty() {
        stanzas.push(current);
    }
    Ok(stanzas)
}

/// Parses a `Packages` index (plain text).
pub fn parse_packages(text: &str) -> Result<Vec<Package>, DebianError> {
    let stanzas = parse_stanzas(text)?;
    let mut packages = Vec::with_capacity(stanzas.len());
    for (i, fields) in stanzas.into_iter().enumerate() {
        let stanza = i + 1;
        let get = |name: &str| {
            fields
                .iter()
                .find(|(f, _)| f.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let required = |name: &str| {
            get(name).ok_or_else(|| DebianError::Stanza {
                stanza,
                message: format!(
                    "package `{}` has no `{name}` field",
                    get("Package").unwrap_or("?")
                ),
            })
        };
        let name = required("Package")?.to_string();
        let relations = |field: &str| -> Result<Relations, DebianError> {
            get(field)
                .map(parse_relations)
                .transpose()
                .map(Option::unwrap_or_default)
                .map_err(|e| DebianError::Stanza {
                    stanza,
                    message: format!("package `{name}`, field {field}: {e}"),
                })
        };
        let size = required("Size")?;
        let size = size.parse().map_err(|_| DebianError::Stanza {
            stanza,
            message: format!("package `{name}`: Size `{size}` is not a number"),
        })?;
        packages.push(Package {
            version: required("Version")?.to_string(),
            filename: required("Filename")?.to_string(),
            sha256: required("SHA256")?.to_string(),
            size,
            depends: relations("Depends")?,
            pre_depends: relations("Pre-Depends")?,
            provides: relations("Provides")?
                .into_iter()
                .flatten()
                .map(|d| d.name)
                .collect(),
            essential: get("Essential").is_some_and(|v| v.eq_ignore_ascii_case("yes")),
            priority: get("Priority").map(str::to_string),
            name,
        });
    }
    Ok(packages)
}

/// A Packages index by name, with the providers of each virtual package.
#[derive(Debug, Default)]
pub struct Index {
    pub packages: BTreeMap<String, Package>,
    /// virtual name → the (sorted) packages that provide it.
    pub providers: BTreeMap<String, Vec<String>>,
}

impl Index {
    /// Builds the index; a package that occurs more than once keeps its highest version.
    pub fn new(list: Vec<Package>) -> Result<Index, DebianError> {
        let mut packages: BTreeMap<String, Package> = BTreeMap::new();
        for p in list {
            match packages.get(&p.name) {
                Some(old) if compare_versions(&old.version, &p.version)? != Ordering::Less => {}
                _ => {
                    packages.insert(p.name.clone(), p);
                }
            }
        }
        let mut providers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in packages.values() {
            for v in &p.provides {
                providers.entry(v.clone()).or_default().push(p.name.clone());
            }
        }
        for list in providers.values_mut() {
            list.sort();
            list.dedup();
        }
        Ok(Index {
            packages,
            providers,
        })
    }

    /// Parses a Packages index given as bytes: xz-compressed (as published) or plain text.
    pub fn from_bytes(bytes: &[u8]) -> Result<Index, DebianError> {
        let text = decompress(bytes, "the Packages index")?;
        Index::new(parse_packages(&text)?)
    }

    /// The packages that can satisfy a dependency on `name`: itself if it is a real package, then
    /// the packages that provide it (by name).
    pub fn candidates(&self, name: &str) -> Vec<&str> {
        let real = self.packages.get_key_value(name).map(|(k, _)| k.as_str());
        real.into_iter()
            .chain(
                self.providers
                    .get(name)
                    .into_iter()
                    .flatten()
                    .map(String::as_str),
            )
            .collect()
    }

    /// The package a dependency group resolves to: the first alternative that is a real package,
    /// else the first provider (by name) of the first alternative that has one; `None` when
    /// nothing in the index satisfies the group.
    pub fn resolve<'a>(&'a self, group: &[Dep]) -> Option<&'a str> {
        group
            .iter()
            .find_map(|d| {
                self.packages
                    .get_key_value(&d.name)
                    .map(|(k, _)| k.as_str())
            })
            .or_else(|| {
                group.iter().find_map(|d| {
                    self.providers
                        .get(&d.name)
                        .and_then(|p| p.first())
                        .map(String::as_str)
                })
            })
    }
}

/// Decompresses xz or gzip data (recognised by their magic numbers); anything else is taken as
/// plain text.
pub fn decompress(bytes: &[u8], what: &'static str) -> Result<String, DebianError> {
    let mut text = String::new();
    let err = |source| DebianError::Decompress { what, source };
    decompressing_reader(bytes)
        .read_to_string(&mut text)
        .map_err(err)?;
    Ok(text)
}

/// A reader that decompresses xz or gzip input (by magic number) and passes anything else through.
pub fn decompressing_reader<'a>(bytes: &'a [u8]) -> Box<dyn Read + 'a> {
    if bytes.starts_with(b"\xFD7zXZ\x00") {
        Box::new(liblzma::read::XzDecoder::new_multi_decoder(bytes))
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::MultiGzDecoder::new(bytes))
    } else {
        Box::new(bytes)
    }
}

/// One line of a Contents index: a path (without a leading `/`) and the packages that ship it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentsEntry<'a> {
    pub path: &'a str,
    /// Package names, with the `section/` (or `component/section/`) prefix removed.
    pub packages: Vec<&'a str>,
}

/// Parses one line of a Contents index: `path<whitespace>section/pkg[,section/pkg…]`. The path may
/// contain spaces; the package list is the last whitespace-separated field. Returns `None` for
/// blank lines and the old-style `FILE  LOCATION` header line.
pub fn parse_contents_line(line: &str) -> Option<ContentsEntry<'_>> {
    let line = line.trim_end();
    let split = line.rfind(|c: char| c.is_ascii_whitespace())?;
    let path = line[..split].trim_end();
    let list = &line[split + 1..];
    if path.is_empty() || (path == "FILE" && list == "LOCATION") {
        return None;
    }
    let packages = list
        .split(',')
        .map(|q| q.rsplit('/').next().unwrap_or(q))
        .filter(|p| !p.is_empty())
        .collect();
    Some(ContentsEntry {
        path: path.trim_start_matches('/'),
        packages,
    })
}

/// Calls `f` for each entry of a Contents index read from `reader` (plain text; see
/// [`decompressing_reader`] for the published `.gz`). Lines that cannot be parsed are an error.
pub fn for_each_contents_entry(
    mut reader: impl BufRead,
    mut f: impl FnMut(ContentsEntry<'_>),
) -> Result<(), DebianError> {
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| DebianError::Decompress {
                what: "a Contents index",
                source,
            })?;
        if n == 0 {
            return Ok(());
        }
        number += 1;
        let line = std::str::from_utf8(&buf).map_err(|_| DebianError::Contents {
            line: number,
            message: "not UTF-8".into(),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        match parse_contents_line(line) {
            Some(entry) => f(entry),
            None if line.trim_start().starts_with("FILE") => {}
            None => {
                return Err(DebianError::Contents {
                    line: number,
                    message: format!("expected `path section/package`, found `{}`", line.trim()),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        compare_versions(a, b).unwrap()
    }

    #[test]
    fn versions_compare_like_dpkg() {
        use Ordering::*;
        let cases = [
            ("1.0", "1.0", Equal),
            ("1.0", "1.1", Less),
            ("1.10", "1.9", Greater),
            ("1.0~rc1", "1.0", Less),
            ("1.0~~", "1.0~", Less),
            ("1.0~", "1.0", Less),
            ("1.0", "1.0+b1", Less),
            ("1.0-1", "1.0-2", Less),
            ("1.0-10", "1.0-9", Greater),
            ("1:0.1", "2.0", Greater),
            ("0:1.0", "1.0", Equal),
            ("1.0a", "1.0", Greater),
            ("1.0a", "1.0+", Less),
            ("2.36.1-8+deb12u1", "2.36.1-8", Greater),
            ("6.4-4", "6.4+20240113-1", Less),
            ("1.2.13.dfsg-1", "1:1.2.13.dfsg-1", Less),
        ];
        for (a, b, want) in cases {
            assert_eq!(cmp(a, b), want, "{a} vs {b}");
            assert_eq!(cmp(b, a), want.reverse(), "{b} vs {a}");
        }
        assert!(compare_versions("not a version!", "1").is_err());
    }

    #[test]
    fn relations_alternatives_versions_and_arch_qualifiers() {
        let r = parse_relations(
            "libc6 (>= 2.34), perl:any, libfoo1 (= 1:2.0-1) | libbar2:amd64, debconf (>= 0.5) | debconf-2.0 [amd64] <!nocheck>",
        )
        .unwrap();
        assert_eq!(r.len(), 4);
        assert_eq!(
            r[0],
            vec![Dep {
                name: "libc6".into(),
                arch: None,
                version: Some((">=".into(), "2.34".into())),
            }]
        );
        assert_eq!(r[1][0].name, "perl");
        assert_eq!(r[1][0].arch.as_deref(), Some("any"));
        assert_eq!(r[2][0].version, Some(("=".into(), "1:2.0-1".into())));
        assert_eq!(r[2][1].name, "libbar2");
        assert_eq!(r[2][1].arch.as_deref(), Some("amd64"));
        assert_eq!(r[3][1].name, "debconf-2.0");
        assert_eq!(r[3][1].version, None);
        // Old-style `<<`, `>>` and no space before the parenthesis.
        let r = parse_relations("a(<<2), b (>> 1~)").unwrap();
        assert_eq!(r[0][0].version, Some(("<<".into(), "2".into())));
        assert_eq!(r[1][0].version, Some((">>".into(), "1~".into())));
        assert!(parse_relations("Foo").is_err());
        assert!(parse_relations("foo (>= 1").is_err());
        assert!(parse_relations("").unwrap().is_empty());
    }

    #[test]
    fn stanzas_with_continuation_lines() {
        let text = "Package: a\nDescription: x\n more\n .\n end\nVersion: 1\n\n\nPackage: b\n";
        let s = parse_stanzas(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0][1], ("Description", "x\nmore\n.\nend".to_string()));
        assert_eq!(s[0][2], ("Version", "1".to_string()));
        assert!(parse_stanzas(" orphan\n").is_err());
    }

    #[test]
    fn duplicate_packages_keep_the_highest_version() {
        let stanza = |v: &str| {
            format!("Package: a\nVersion: {v}\nFilename: pool/a_{v}.deb\nSHA256: 00\nSize: 1\n\n")
        };
        let text = format!("{}{}{}", stanza("1.0"), stanza("1:0.5"), stanza("1.1"));
        let index = Index::new(parse_packages(&text).unwrap()).unwrap();
        assert_eq!(index.packages["a"].version, "1:0.5");
    }

    #[test]
    fn contents_lines_with_spaces_and_several_packages() {
        let e = parse_contents_line("usr/share/doc/x/My File.txt   doc/x-doc,contrib/libs/y\n")
            .unwrap();
        assert_eq!(e.path, "usr/share/doc/x/My File.txt");
        assert_eq!(e.packages, vec!["x-doc", "y"]);
        let e = parse_contents_line("usr/bin/sl\tgames/sl").unwrap();
        assert_eq!((e.path, e.packages), ("usr/bin/sl", vec!["sl"]));
        assert_eq!(parse_contents_line("FILE                 LOCATION"), None);
        assert_eq!(parse_contents_line(""), None);

        let mut seen = Vec::new();
        let text = "FILE LOCATION\nusr/bin/a b  utils/ab\n\nusr/lib/c libs/c\n";
        for_each_contents_entry(text.as_bytes(), |e| seen.push(e.path.to_string())).unwrap();
        assert_eq!(seen, ["usr/bin/a b", "usr/lib/c"]);
        assert!(for_each_contents_entry("lonely\n".as_bytes(), |_| {}).is_err());
    }
}

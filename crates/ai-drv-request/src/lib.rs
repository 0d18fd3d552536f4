//! Request: what the user typed, parsed into what they asked for — an archive URL, a forge
//! repository (optionally at a tag or commit), a registry reference such as `crate:NAME@VERSION`,
//! or plain words from which the package names are picked out.
//!
//! This stage only reads the text; nothing here touches the network. Which registry actually knows
//! a name is decided later by the source stage.

mod forge;
mod words;

use std::fmt;

use serde::Serialize;

pub use words::{extract_names, looks_like_name, looks_like_version};

/// A registry a `PREFIX:NAME[@VERSION]` reference can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Registry {
    Crate,
    Pypi,
    Npm,
    Debian,
}

impl Registry {
    /// Every registry, in the order plain words are looked up.
    pub const ALL: [Registry; 4] = [
        Registry::Debian,
        Registry::Crate,
        Registry::Pypi,
        Registry::Npm,
    ];

    /// The reference prefix: `crate`, `pypi`, `npm`, `debian`.
    pub fn prefix(self) -> &'static str {
        match self {
            Registry::Crate => "crate",
            Registry::Pypi => "pypi",
            Registry::Npm => "npm",
            Registry::Debian => "debian",
        }
    }

    /// Recognises a prefix (also the plural and common spellings people type).
    pub fn from_prefix(prefix: &str) -> Option<Registry> {
        match prefix.to_ascii_lowercase().as_str() {
            "crate" | "crates" | "cargo" => Some(Registry::Crate),
            "pypi" | "pip" => Some(Registry::Pypi),
            "npm" => Some(Registry::Npm),
            "debian" | "deb" | "apt" => Some(Registry::Debian),
            _ => None,
        }
    }

    /// Whether `name` is a valid package name in this registry.
    pub fn valid_name(self, name: &str) -> bool {
        let plain = |s: &str, extra: &[char]| {
            !s.is_empty()
                && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
        };
        match self {
            Registry::Crate => plain(name, &['-', '_']) && name.len() <= 64,
            Registry::Pypi => plain(name, &['-', '_', '.']),
            Registry::Debian => {
                plain(name, &['-', '+', '.'])
                    && name.len() >= 2
                    && !name.chars().any(|c| c.is_ascii_uppercase())
            }
            Registry::Npm => {
                let bare = match name.strip_prefix('@') {
                    Some(scoped) => match scoped.split_once('/') {
                        Some((scope, bare)) if plain(scope, &['-', '_', '.', '~']) => bare,
                        _ => return false,
                    },
                    None => name,
                };
                plain(bare, &['-', '_', '.', '~']) && !name.chars().any(|c| c.is_ascii_uppercase())
            }
        }
    }
}

impl fmt::Display for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

/// A source forge whose repositories can be fetched as archives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    GitHub,
    GitLab,
    Codeberg,
}

impl Forge {
    pub const ALL: [Forge; 3] = [Forge::GitHub, Forge::GitLab, Forge::Codeberg];

    /// The public host of the forge, as it appears in the URLs people paste.
    pub fn public_host(self) -> &'static str {
        match self {
            Forge::GitHub => "github.com",
            Forge::GitLab => "gitlab.com",
            Forge::Codeberg => "codeberg.org",
        }
    }

    /// The reference prefix (`github:owner/repo@rev`).
    pub fn prefix(self) -> &'static str {
        match self {
            Forge::GitHub => "github",
            Forge::GitLab => "gitlab",
            Forge::Codeberg => "codeberg",
        }
    }
}

impl fmt::Display for Forge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Forge::GitHub => "GitHub",
            Forge::GitLab => "GitLab",
            Forge::Codeberg => "Codeberg",
        })
    }
}

/// A package name found in plain words, with the version asked for if one was.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Wanted {
    pub name: String,
    pub version: Option<String>,
}

impl Wanted {
    pub fn new(name: &str, version: Option<&str>) -> Wanted {
        Wanted {
            name: name.to_string(),
            version: version.map(str::to_string),
        }
    }
}

impl fmt::Display for Wanted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{}@{v}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Request {
    /// An archive URL: http(s):// or mirror://NAME/….
    Url { url: String },
    /// A forge repository, optionally at a tag, branch or commit.
    Forge {
        forge: Forge,
        owner: String,
        repo: String,
        rev: Option<String>,
    },
    /// `crate:NAME[@VERSION]`, `pypi:…`, `npm:…` (npm names may be `@scope/name`), `debian:…`.
    Registry {
        registry: Registry,
        name: String,
        version: Option<String>,
    },
    /// Plain words: the package names found in them, best first.
    Words { text: String, names: Vec<Wanted> },
}

impl fmt::Display for Request {
    /// The canonical spelling: a URL, `github:owner/repo@rev`, `crate:name@version`, or the words.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Url { url } => f.write_str(url),
            Request::Forge {
                forge,
                owner,
                repo,
                rev,
            } => {
                write!(f, "{}:{owner}/{repo}", forge.prefix())?;
                match rev {
                    Some(rev) => write!(f, "@{rev}"),
                    None => Ok(()),
                }
            }
            Request::Registry {
                registry,
                name,
                version,
            } => {
                write!(f, "{registry}:{name}")?;
                match version {
                    Some(v) => write!(f, "@{v}"),
                    None => Ok(()),
                }
            }
            Request::Words { text, .. } => f.write_str(text),
        }
    }
}

/// Why the request could not be understood; each message is one line saying what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("the request is empty; give a source URL, a reference such as crate:NAME@VERSION, or words naming a package")]
    Empty,
    #[error("no package name found in the request; name it in backticks, e.g. \"a derivation for building `sl`\", or write a reference such as debian:sl or crate:NAME@VERSION")]
    NoPackage,
    #[error(
        "unknown prefix '{prefix}:' in {input:?}; known prefixes are {}",
        known_prefixes()
    )]
    UnknownPrefix { prefix: String, input: String },
    #[error("'{name}' is not a valid {registry} package name; write {registry}:NAME or {registry}:NAME@VERSION")]
    BadName { registry: Registry, name: String },
    #[error("{input:?} has an empty version after '@'; drop the '@' for the newest version or write NAME@VERSION")]
    EmptyVersion { input: String },
    #[error("{input:?} is not a repository URL: {reason}")]
    BadForgeUrl { input: String, reason: String },
    #[error("{input:?} is not a usable URL: {reason}; give an http(s):// or mirror:// URL of a source archive")]
    BadUrl { input: String, reason: String },
}

/// The prefixes `PREFIX:…` understood, for error messages.
pub fn known_prefixes() -> String {
    let mut all: Vec<&str> = [
        Registry::Crate,
        Registry::Pypi,
        Registry::Npm,
        Registry::Debian,
    ]
    .iter()
    .map(|r| r.prefix())
    .collect();
    all.extend(Forge::ALL.iter().map(|f| f.prefix()));
    all.extend(["http", "https", "mirror"]);
    all.iter()
        .map(|p| format!("{p}:"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses what the user typed.
pub fn parse(input: &str) -> Result<Request, RequestError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(RequestError::Empty);
    }
    let single_token = !text.contains(char::is_whitespace);
    if single_token {
        if let Some(request) = parse_token(text)? {
            return Ok(request);
        }
    } else if let Some(url) = text
        .split_whitespace()
        .map(words::trim_url_punctuation)
        .find(|t| is_url(t))
    {
        // A URL inside a sentence ("package https://…/x-1.0.tar.gz please"): the URL is the request.
        return url_request(url);
    }
    let names = extract_names(text);
    if names.is_empty() {
        return Err(RequestError::NoPackage);
    }
    Ok(Request::Words {
        text: text.to_string(),
        names,
    })
}

fn is_url(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    ["http://", "https://", "mirror://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

/// A single token: a URL, `PREFIX:NAME[@VERSION]`, or `None` when it is a plain word.
fn parse_token(token: &str) -> Result<Option<Request>, RequestError> {
    if is_url(token) {
        return url_request(token).map(Some);
    }
    let lower = token.to_ascii_lowercase();
    if Forge::ALL
        .iter()
        .any(|f| lower.starts_with(&format!("{}/", f.public_host())))
    {
        // "github.com/owner/repo", pasted without its scheme.
        return url_request(&format!("https://{token}")).map(Some);
    }
    let Some((prefix, rest)) = token.split_once(':') else {
        return Ok(None);
    };
    // Only a word made of letters counts as a prefix; "1:2.3" or "c++:" are not references.
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(None);
    }
    if ["http", "https", "mirror"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(prefix))
    {
        return Err(RequestError::BadUrl {
            input: token.to_string(),
            reason: "it names no host".into(),
        });
    }
    if let Some(registry) = Registry::from_prefix(prefix) {
        return registry_reference(registry, rest, token).map(Some);
    }
    if let Some(forge) = Forge::ALL
        .into_iter()
        .find(|f| f.prefix().eq_ignore_ascii_case(prefix))
    {
        return forge::reference(forge, rest, token).map(Some);
    }
    Err(RequestError::UnknownPrefix {
        prefix: prefix.to_string(),
        input: token.to_string(),
    })
}

fn registry_reference(
    registry: Registry,
    rest: &str,
    input: &str,
) -> Result<Request, RequestError> {
    // npm scopes start with '@', so the version separator is the last '@' after the first character.
    let (name, version) = match rest.rfind('@').filter(|&i| i > 0) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    if version.is_some_and(str::is_empty) {
        return Err(RequestError::EmptyVersion {
            input: input.to_string(),
        });
    }
    if !registry.valid_name(name) {
        return Err(RequestError::BadName {
            registry,
            name: name.to_string(),
        });
    }
    Ok(Request::Registry {
        registry,
        name: name.to_string(),
        version: version.map(str::to_string),
    })
}

fn url_request(text: &str) -> Result<Request, RequestError> {
    if text.to_ascii_lowercase().starts_with("mirror://") {
        let rest = &text["mirror://".len()..];
        return match rest.split_once('/') {
            Some((name, path)) if !name.is_empty() && !path.is_empty() => Ok(Request::Url {
                url: text.to_string(),
            }),
            _ => Err(RequestError::BadUrl {
                input: text.to_string(),
                reason: "a mirror URL is mirror://NAME/PATH".into(),
            }),
        };
    }
    let url = url::Url::parse(text).map_err(|e| RequestError::BadUrl {
        input: text.to_string(),
        reason: e.to_string(),
    })?;
    if url.host_str().is_none() {
        return Err(RequestError::BadUrl {
            input: text.to_string(),
            reason: "it names no host".into(),
        });
    }
    if let Some(request) = forge::from_url(&url, text)? {
        return Ok(request);
    }
    Ok(Request::Url {
        url: text.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(input: &str) -> Vec<Wanted> {
        match parse(input) {
            Ok(Request::Words { names, .. }) => names,
            other => panic!("{input:?} gave {other:?}"),
        }
    }

    fn w(name: &str, version: Option<&str>) -> Wanted {
        Wanted::new(name, version)
    }

    fn reg(registry: Registry, name: &str, version: Option<&str>) -> Request {
        Request::Registry {
            registry,
            name: name.into(),
            version: version.map(Into::into),
        }
    }

    #[test]
    fn registry_references() {
        assert_eq!(
            parse("crate:ripgrep@14.1.0").unwrap(),
            reg(Registry::Crate, "ripgrep", Some("14.1.0"))
        );
        assert_eq!(parse("crate:sl").unwrap(), reg(Registry::Crate, "sl", None));
        assert_eq!(
            parse("  pypi:Pyfiglet@1.0.2 ").unwrap(),
            reg(Registry::Pypi, "Pyfiglet", Some("1.0.2"))
        );
        assert_eq!(
            parse("npm:@babel/core@7.24.0").unwrap(),
            reg(Registry::Npm, "@babel/core", Some("7.24.0"))
        );
        assert_eq!(
            parse("npm:@types/node").unwrap(),
            reg(Registry::Npm, "@types/node", None)
        );
        assert_eq!(
            parse("npm:left-pad@1.3.0").unwrap(),
            reg(Registry::Npm, "left-pad", Some("1.3.0"))
        );
        assert_eq!(
            parse("debian:sl@5.02-1").unwrap(),
            reg(Registry::Debian, "sl", Some("5.02-1"))
        );
        assert_eq!(
            parse("debian:libc6-dev").unwrap(),
            reg(Registry::Debian, "libc6-dev", None)
        );
        assert_eq!(
            parse("crates:serde").unwrap(),
            reg(Registry::Crate, "serde", None)
        );
    }

    #[test]
    fn bad_references_say_what_to_write() {
        let err = parse("foo:bar").unwrap_err();
        assert_eq!(
            err,
            RequestError::UnknownPrefix {
                prefix: "foo".into(),
                input: "foo:bar".into()
            }
        );
        let text = err.to_string();
        assert!(
            text.contains("crate:, pypi:, npm:, debian:, github:, gitlab:, codeberg:"),
            "{text}"
        );
        assert!(!text.contains('\n'));

        assert!(matches!(
            parse("crate:ripgrep@").unwrap_err(),
            RequestError::EmptyVersion { .. }
        ));
        assert_eq!(
            parse("debian:Foo").unwrap_err(),
            RequestError::BadName {
                registry: Registry::Debian,
                name: "Foo".into()
            }
        );
        assert!(matches!(
            parse("npm:@scope").unwrap_err(),
            RequestError::BadName { .. }
        ));
        assert!(matches!(
            parse("crate:").unwrap_err(),
            RequestError::BadName { .. }
        ));
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(parse("").unwrap_err(), RequestError::Empty);
        assert_eq!(parse("   \n\t").unwrap_err(), RequestError::Empty);
        assert!(!RequestError::Empty.to_string().contains('\n'));
    }

    #[test]
    fn archive_urls() {
        for url in [
            "https://ftp.gnu.invalid/gnu/hello/hello-2.12.tar.gz",
            "http://example.invalid/x/sl_5.02.orig.tar.gz",
            "https://example.invalid/dl/pkg-1.0.tgz",
            "https://example.invalid/dl/pkg-1.0.tar.xz",
            "https://example.invalid/dl/pkg-1.0.tar.bz2",
            "https://example.invalid/dl/pkg-1.0.tar.zst",
            "https://example.invalid/dl/pkg-1.0.zip",
            "https://example.invalid/api/v1/crates/serde/1.0.0/download",
            "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz",
            "mirror://gnu/hello/hello-2.12.tar.gz",
        ] {
            assert_eq!(
                parse(url).unwrap(),
                Request::Url { url: url.into() },
                "{url}"
            );
        }
        // A release asset on a forge is an archive, not the repository.
        let asset =
            "https://github.com/BurntSushi/ripgrep/releases/download/14.1.0/ripgrep-14.1.0.tar.gz";
        assert_eq!(parse(asset).unwrap(), Request::Url { url: asset.into() });
        // A URL inside a sentence.
        assert_eq!(
            parse("package https://example.invalid/a/b-1.0.tar.gz please").unwrap(),
            Request::Url {
                url: "https://example.invalid/a/b-1.0.tar.gz".into()
            }
        );
        assert!(matches!(
            parse("mirror://debian").unwrap_err(),
            RequestError::BadUrl { .. }
        ));
        assert_eq!(
            parse("https://").unwrap_err(),
            RequestError::BadUrl {
                input: "https://".into(),
                reason: "it names no host".into()
            }
        );
    }

    #[test]
    fn seed_prompts() {
        assert_eq!(
            words("Generate a derivation for building `sl`"),
            [w("sl", None)]
        );
        assert_eq!(
            words("Generate a derivation for building sl"),
            [w("sl", None)]
        );
        assert_eq!(words("package jq version 1.6"), [w("jq", Some("1.6"))]);
        assert_eq!(
            words("nix derivation for ripgrep 14.1.0"),
            [w("ripgrep", Some("14.1.0"))]
        );
    }

    #[test]
    fn many_prompts() {
        type Case = (
            &'static str,
            &'static [(&'static str, Option<&'static str>)],
        );
        let cases: &[Case] = &[
            ("ripgrep", &[("ripgrep", None)]),
            ("jq@1.6", &[("jq", Some("1.6"))]),
            ("ripgrep 14.1.0", &[("ripgrep", Some("14.1.0"))]),
            ("Write a Nix derivation for fzy.", &[("fzy", None)]),
            ("derivation for cowsay", &[("cowsay", None)]),
            ("Please package `htop` for me", &[("htop", None)]),
            ("build the hello package", &[("hello", None)]),
            (
                "I want a derivation for `pv` version 1.6.20",
                &[("pv", Some("1.6.20"))],
            ),
            (
                "package lzip version 1.23 please",
                &[("lzip", Some("1.23"))],
            ),
            (
                "Create a nix package for tmux v3.3a",
                &[("tmux", Some("3.3a"))],
            ),
            (
                "generate a derivation for the python library requests",
                &[("requests", None)],
            ),
            ("nix derivation for the rust crate bat", &[("bat", None)]),
            (
                "Can you build `cmatrix` and `sl`?",
                &[("cmatrix", None), ("sl", None)],
            ),
            (
                "make a derivation for building GNU hello 2.12",
                &[("hello", Some("2.12"))],
            ),
            ("package @babel/core", &[("@babel/core", None)]),
            ("derivation for tree-sitter", &[("tree-sitter", None)]),
            (
                "Generate a Nix derivation for building `libevent`.",
                &[("libevent", None)],
            ),
            ("packaging json-c 0.16 for nix", &[("json-c", Some("0.16"))]),
            (
                "a derivation for pyfiglet version 1.0.2 from pypi",
                &[("pyfiglet", Some("1.0.2"))],
            ),
            ("build jq-1.7.1", &[("jq", Some("1.7.1"))]),
        ];
        for (prompt, expected) in cases {
            let expected: Vec<Wanted> = expected.iter().map(|(n, v)| w(n, *v)).collect();
            assert_eq!(words(prompt), expected, "{prompt}");
        }
    }

    #[test]
    fn prompts_without_a_package() {
        for prompt in [
            "please generate something",
            "generate a derivation",
            "build it",
            "Write a nix package for me please.",
            "???",
            "make a derivation for the latest version",
        ] {
            let err = parse(prompt).unwrap_err();
            assert_eq!(err, RequestError::NoPackage, "{prompt}");
            let text = err.to_string();
            assert!(!text.contains('\n'));
            assert!(text.contains("backticks"), "{text}");
        }
    }

    #[test]
    fn ambiguous_small_talk_still_offers_the_words() {
        // "hello" is also a package: the resolver decides; small talk words are dropped.
        assert_eq!(words("hello there, how are you?"), [w("hello", None)]);
    }

    #[test]
    fn forge_urls() {
        let gh = |rev: Option<&str>| Request::Forge {
            forge: Forge::GitHub,
            owner: "BurntSushi".into(),
            repo: "ripgrep".into(),
            rev: rev.map(Into::into),
        };
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep").unwrap(),
            gh(None)
        );
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep/").unwrap(),
            gh(None)
        );
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep.git").unwrap(),
            gh(None)
        );
        // Without a scheme, as people often paste it.
        assert_eq!(parse("github.com/BurntSushi/ripgrep").unwrap(), gh(None));
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep/tree/14.1.0").unwrap(),
            gh(Some("14.1.0"))
        );
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep/releases/tag/14.1.0").unwrap(),
            gh(Some("14.1.0"))
        );
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep/archive/refs/tags/14.1.0.tar.gz").unwrap(),
            gh(Some("14.1.0"))
        );
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep/archive/v1.2.tar.gz").unwrap(),
            gh(Some("v1.2"))
        );
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep/archive/0123abcd.zip").unwrap(),
            gh(Some("0123abcd"))
        );
        assert_eq!(
            parse("https://github.com/BurntSushi/ripgrep/commit/4649aa9700619f94cf9c66876e9549d83420e16c").unwrap(),
            gh(Some("4649aa9700619f94cf9c66876e9549d83420e16c"))
        );
        assert_eq!(
            parse("github:BurntSushi/ripgrep@14.1.0").unwrap(),
            gh(Some("14.1.0"))
        );

        let gl = |owner: &str, rev: Option<&str>| Request::Forge {
            forge: Forge::GitLab,
            owner: owner.into(),
            repo: "inkscape".into(),
            rev: rev.map(Into::into),
        };
        assert_eq!(
            parse("https://gitlab.com/inkscape/inkscape").unwrap(),
            gl("inkscape", None)
        );
        assert_eq!(
            parse("https://gitlab.com/inkscape/inkscape/-/tags/INKSCAPE_1_3").unwrap(),
            gl("inkscape", Some("INKSCAPE_1_3"))
        );
        assert_eq!(
            parse("https://gitlab.com/inkscape/inkscape/-/archive/v1.3/inkscape-v1.3.tar.gz")
                .unwrap(),
            gl("inkscape", Some("v1.3"))
        );
        assert_eq!(
            parse("https://gitlab.com/group/sub/inkscape/-/tree/main").unwrap(),
            gl("group/sub", Some("main"))
        );

        let cb = |rev: Option<&str>| Request::Forge {
            forge: Forge::Codeberg,
            owner: "dnkl".into(),
            repo: "foot".into(),
            rev: rev.map(Into::into),
        };
        assert_eq!(parse("https://codeberg.org/dnkl/foot").unwrap(), cb(None));
        assert_eq!(
            parse("https://codeberg.org/dnkl/foot/src/tag/1.16.2").unwrap(),
            cb(Some("1.16.2"))
        );
        assert_eq!(
            parse("https://codeberg.org/dnkl/foot/archive/1.16.2.tar.gz").unwrap(),
            cb(Some("1.16.2"))
        );
        assert_eq!(
            parse("https://codeberg.org/dnkl/foot/releases/tag/1.16.2").unwrap(),
            cb(Some("1.16.2"))
        );

        assert!(matches!(
            parse("https://github.com/BurntSushi").unwrap_err(),
            RequestError::BadForgeUrl { .. }
        ));
    }

    #[test]
    fn display_is_the_canonical_spelling() {
        assert_eq!(
            parse("crates:serde@1.0.0").unwrap().to_string(),
            "crate:serde@1.0.0"
        );
        assert_eq!(
            parse("https://github.com/o/r/tree/v1").unwrap().to_string(),
            "github:o/r@v1"
        );
    }
}

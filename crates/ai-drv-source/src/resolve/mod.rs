//! Resolve: a parsed [`Request`] becomes a pinned [`Source`] — the Nix fetcher call to write, the
//! hash computed here from the downloaded bytes (never copied from a registry), the unpacked tree
//! for the analysis stage, and what the registry says about the package.
//!
//! Each registry or forge has its own file; the registries share the [`Resolver`] trait so plain
//! words can be looked up in all of them the same way. A look-up only reads metadata and returns a
//! [`Plan`]; [`pin`] then downloads, unpacks and hashes the one plan chosen.

mod crates;
mod debian;
mod forge;
mod http;
mod npm;
mod pypi;
mod url;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ai_drv_config::{Config, ConfigError};
use ai_drv_hash::{Algorithm, Hash};
use ai_drv_request::{Registry, Request, Wanted};
use futures_util::future::BoxFuture;
use serde::Serialize;

use crate::download::{DownloadError, Progress};
use crate::prefetch::{prefetch, PrefetchError, PrefetchOptions};
use crate::unpack::{strip_single_top, unpack, UnpackError};

pub use self::debian::{DEFAULT_SUITE, SUITE_VAR};
pub use self::url::name_version_from_file;

/// The Nix fetcher call that reproduces the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fetcher", rename_all = "lowercase")]
pub enum Fetch {
    /// `fetchurl { url; hash; }`: flat sha256 of the file.
    Url { url: String },
    /// `fetchzip { url; hash; }`: NAR sha256 of the unpacked tree (top directory stripped).
    Zip { url: String },
    /// `fetchFromGitHub { owner; repo; rev; hash; }`: NAR.
    GitHub {
        owner: String,
        repo: String,
        rev: String,
    },
    /// `fetchFromGitLab { owner; repo; rev; hash; }`: NAR.
    GitLab {
        owner: String,
        repo: String,
        rev: String,
    },
    /// `fetchFromGitea { domain; owner; repo; rev; hash; }` (Codeberg): NAR.
    Gitea {
        domain: String,
        owner: String,
        repo: String,
        rev: String,
    },
    /// `fetchCrate { inherit pname version; hash; }`: NAR of the unpacked `.crate`.
    Crate { pname: String, version: String },
    /// `fetchPypi { inherit pname version; hash; }`: flat sha256 of the sdist.
    Pypi { pname: String, version: String },
    /// `fetchurl` of the npm registry's tarball: flat.
    Npm { url: String },
}

impl Fetch {
    /// Where the source comes from, for reports: the URL, or the registry or forge reference.
    pub fn url(&self) -> String {
        match self {
            Fetch::Url { url } | Fetch::Zip { url } | Fetch::Npm { url } => url.clone(),
            Fetch::GitHub { owner, repo, rev } => format!("github:{owner}/{repo}@{rev}"),
            Fetch::GitLab { owner, repo, rev } => format!("gitlab:{owner}/{repo}@{rev}"),
            Fetch::Gitea {
                domain,
                owner,
                repo,
                rev,
            } => format!("gitea:{domain}/{owner}/{repo}@{rev}"),
            Fetch::Crate { pname, version } => format!("crate:{pname}@{version}"),
            Fetch::Pypi { pname, version } => format!("pypi:{pname}@{version}"),
        }
    }

    /// Whether the fetcher's hash is of the unpacked tree (NAR) rather than the file (flat).
    pub fn hashes_tree(&self) -> bool {
        matches!(
            self,
            Fetch::Zip { .. }
                | Fetch::GitHub { .. }
                | Fetch::GitLab { .. }
                | Fetch::Gitea { .. }
                | Fetch::Crate { .. }
        )
    }
}

/// What the registry (or the package's own metadata file) says about the package.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub description: Option<String>,
    pub homepage: Option<String>,
    /// An SPDX expression as the registry states it.
    pub license: Option<String>,
}

/// Keeps the temporary directory holding `Source::tree` alive for as long as any clone of the
/// `Source` lives. Two keepers always compare equal: the tree's path is what identifies it.
#[derive(Debug, Clone)]
struct Keep(#[allow(dead_code)] Arc<tempfile::TempDir>);

impl PartialEq for Keep {
    fn eq(&self, _: &Keep) -> bool {
        true
    }
}
impl Eq for Keep {}

/// A pinned source: what to write in the derivation, and the tree to analyse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub pname: String,
    pub version: String,
    pub fetch: Fetch,
    /// SRI `sha256-…`, computed here (flat or NAR as the fetcher expects).
    pub hash: String,
    /// The unpacked source tree (single top-level directory stripped); alive while this lives.
    pub tree: PathBuf,
    pub meta: Meta,
    /// For plain words: the other candidates found, e.g. `crate:sl@0.1.0`.
    pub alternatives: Vec<String>,
    /// How it was resolved, e.g. `debian:sl@5.02 → mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz`.
    pub chosen: String,
    pub download_time: Duration,
    #[serde(skip)]
    keep: Keep,
}

/// Why a request could not be resolved; each message is one line saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("no package name found in the request; name it in backticks, e.g. \"a derivation for building `sl`\", or write a reference such as debian:sl or crate:NAME@VERSION")]
    NoPackage,
    #[error("nothing named {names} was found in {tried}{note}; check the spelling, or give a reference such as crate:NAME or a source URL")]
    NothingFound {
        names: String,
        tried: String,
        /// A failure that may have hidden a match, as " (… failed: …)"; empty when none.
        note: String,
    },
    #[error("cannot reach {url}: {reason}; check the network and the configured endpoint")]
    Unreachable { url: String, reason: String },
    #[error("{url} was not found (HTTP 404); check the URL")]
    NotFound { url: String },
    #[error("{url} answered HTTP {status}; try again later, or check the URL and the configured endpoint")]
    Http { url: String, status: u16 },
    #[error("{url} answered something unreadable ({reason}); check that the configured endpoint is a {expected}")]
    BadAnswer {
        url: String,
        expected: &'static str,
        reason: String,
    },
    #[error("{url} is not a source archive ({what}); give a .tar.gz/.tar.xz/.zip URL")]
    NotArchive { url: String, what: String },
    #[error("no {kind} named {name} in {place}; check the spelling")]
    UnknownName {
        kind: &'static str,
        name: String,
        place: String,
    },
    #[error("{what} has no version {version} (newest: {newest}); pick one of those or leave the version out")]
    UnknownVersion {
        what: String,
        version: String,
        newest: String,
    },
    #[error("{what} has no source archive to build from ({reason}); pick another version or give a source URL")]
    NoSourceArchive { what: String, reason: String },
    #[error("{repo} has no tags; name a revision, e.g. {example}")]
    NoTags { repo: String, example: String },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{url}: {source}")]
    Unpack { url: String, source: UnpackError },
    #[error(transparent)]
    Prefetch(PrefetchError),
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
}

impl ResolveError {
    /// Whether the error only says the package (or version) does not exist there, so plain-words
    /// resolution may go on to the next registry.
    fn is_miss(&self) -> bool {
        matches!(
            self,
            ResolveError::UnknownName { .. }
                | ResolveError::UnknownVersion { .. }
                | ResolveError::NoSourceArchive { .. }
                | ResolveError::Config(ConfigError::NoEndpoint(..))
        )
    }

    fn io(path: &Path, e: impl std::fmt::Display) -> ResolveError {
        ResolveError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}

impl From<PrefetchError> for ResolveError {
    fn from(e: PrefetchError) -> ResolveError {
        match e {
            PrefetchError::Download(d) => d.into(),
            PrefetchError::Config(c) => ResolveError::Config(c),
            other => ResolveError::Prefetch(other),
        }
    }
}

impl From<DownloadError> for ResolveError {
    fn from(e: DownloadError) -> ResolveError {
        match e {
            DownloadError::Unreachable { url, reason }
            | DownloadError::Interrupted { url, reason } => ResolveError::Unreachable {
                url: url.to_string(),
                reason,
            },
            DownloadError::Status { url, status: 404 } => ResolveError::NotFound {
                url: url.to_string(),
            },
            DownloadError::Status { url, status } => ResolveError::Http {
                url: url.to_string(),
                status,
            },
            other => ResolveError::Prefetch(PrefetchError::Download(other)),
        }
    }
}

/// How the fetcher hashes: the file, or the unpacked tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HashKind {
    Flat,
    Nar,
}

/// A resolved but not yet downloaded source: everything a look-up learns from metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub pname: String,
    pub version: String,
    pub fetch: Fetch,
    /// What to download: an http(s) or mirror:// URL.
    pub download: String,
    pub hash: HashKind,
    pub meta: Meta,
    /// `registry:name@version`, as alternatives are listed.
    pub label: String,
    /// The registry whose metadata reader completes `meta` from the tree, if any.
    pub registry: Option<Registry>,
}

/// What resolvers share during one `resolve` call.
pub(crate) struct Context<'a> {
    pub config: &'a Config,
    pub progress: &'a dyn Progress,
    pub http: reqwest::Client,
}

/// A package registry: looks a name (and optionally a version) up in its metadata.
pub(crate) trait Resolver: Send + Sync {
    /// The plan for `name` at `version` (the newest suitable one when `None`), or
    /// `UnknownName`/`UnknownVersion` when the registry has no such thing.
    fn lookup<'a>(
        &'a self,
        cx: &'a Context<'a>,
        name: &'a str,
        version: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Plan, ResolveError>>;

    /// Fills what the registry's metadata left open from the package's own files in the tree.
    fn read_meta(&self, _tree: &Path, _meta: &mut Meta) {}
}

/// The registries in the order plain words are tried.
fn resolvers() -> Vec<Box<dyn Resolver>> {
    vec![
        Box::new(debian::Debian::default()),
        Box::new(crates::Crates),
        Box::new(pypi::Pypi),
        Box::new(npm::Npm),
    ]
}

fn resolver_for(registry: Registry) -> Box<dyn Resolver> {
    match registry {
        Registry::Debian => Box::new(debian::Debian::default()),
        Registry::Crate => Box::new(crates::Crates),
        Registry::Pypi => Box::new(pypi::Pypi),
        Registry::Npm => Box::new(npm::Npm),
    }
}

/// At most this many names from plain words are looked up: the first ones are the likely ones.
const MAX_WORDS: usize = 4;

/// Resolves a request to a pinned source.
pub async fn resolve(
    config: &Config,
    request: &Request,
    progress: &dyn Progress,
) -> Result<Source, ResolveError> {
    let cx = Context {
        config,
        progress,
        http: crate::download::client().map_err(|e| ResolveError::Unreachable {
            url: "(HTTP client)".into(),
            reason: crate::download::reason(&e),
        })?,
    };
    match request {
        Request::Url { url } => {
            let plan = url::plan(url)?;
            pin(&cx, plan, Vec::new()).await
        }
        Request::Forge {
            forge,
            owner,
            repo,
            rev,
        } => {
            let plan = forge::plan(&cx, *forge, owner, repo, rev.as_deref()).await?;
            pin(&cx, plan, Vec::new()).await
        }
        Request::Registry {
            registry,
            name,
            version,
        } => {
            let plan = resolver_for(*registry)
                .lookup(&cx, name, version.as_deref())
                .await?;
            pin(&cx, plan, Vec::new()).await
        }
        Request::Words { names, .. } => resolve_words(&cx, names).await,
    }
}

/// Looks every name up in every registry (metadata only, concurrently); the first hit in the
/// order names × registries is pinned, the others become alternatives.
async fn resolve_words(cx: &Context<'_>, names: &[Wanted]) -> Result<Source, ResolveError> {
    if names.is_empty() {
        return Err(ResolveError::NoPackage);
    }
    let names = &names[..names.len().min(MAX_WORDS)];
    let registries = resolvers();
    let mut lookups = Vec::new();
    for wanted in names {
        for resolver in &registries {
            lookups.push(resolver.lookup(cx, &wanted.name, wanted.version.as_deref()));
        }
    }
    let results = futures_util::future::join_all(lookups).await;
    let mut hits: Vec<Plan> = Vec::new();
    let mut failure: Option<ResolveError> = None;
    for result in results {
        match result {
            Ok(plan) => hits.push(plan),
            Err(e) if e.is_miss() => tracing::debug!("{e}"),
            Err(e) => {
                tracing::warn!("{e}");
                failure.get_or_insert(e);
            }
        }
    }
    let mut hits = hits.into_iter();
    let Some(plan) = hits.next() else {
        return Err(ResolveError::NothingFound {
            names: names
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            tried: "the Debian archive, the crates registry, PyPI or npm".into(),
            note: failure
                .map(|e| format!(" (a look-up failed: {e})"))
                .unwrap_or_default(),
        });
    };
    let alternatives: Vec<String> = hits.map(|p| p.label).collect();
    pin(cx, plan, alternatives).await
}

/// Downloads the plan's archive, unpacks it, and hashes it as its fetcher will.
async fn pin(
    cx: &Context<'_>,
    mut plan: Plan,
    alternatives: Vec<String>,
) -> Result<Source, ResolveError> {
    let file_name = store_safe_name(&crate::prefetch::url_name(&plan.download));
    let started = Instant::now();
    let fetched = prefetch(
        cx.config,
        &plan.download,
        &PrefetchOptions {
            unpack: false,
            name: Some(file_name),
        },
        cx.progress,
    )
    .await?;
    let download_time = started.elapsed();

    let workdir = tempfile::Builder::new()
        .prefix("ai-drv-source-")
        .tempdir()
        .map_err(|e| ResolveError::io(&std::env::temp_dir(), e))?;
    let out = workdir.path().join("unpacked");
    let archive = fetched.content_path().to_path_buf();
    let kind = plan.hash;
    let url = plan.download.clone();
    // Unpacking and hashing a tree is blocking file-system work.
    let (tree, nar) = tokio::task::spawn_blocking(move || unpack_and_hash(&archive, &out, kind))
        .await
        .map_err(|e| ResolveError::io(workdir.path(), e))?
        .map_err(|e| match e {
            UnpackError::Unknown { path } => ResolveError::NotArchive {
                url: url.clone(),
                what: describe_content(&path),
            },
            other => ResolveError::Unpack {
                url: url.clone(),
                source: other,
            },
        })?;
    let hash = match (plan.hash, nar) {
        (HashKind::Nar, Some(nar)) => nar,
        _ => fetched.hash.clone(),
    };

    if plan.pname.is_empty() || plan.version.is_empty() {
        // The file name said nothing: the archive's top directory often does ("hello-2.12/").
        let top = tree.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let (pname, version) = name_version_from_file(top)
            .unwrap_or_else(|| (url::fallback_pname(&plan.download), "0-unstable".into()));
        if plan.pname.is_empty() {
            plan.pname = pname;
        }
        if plan.version.is_empty() {
            plan.version = version;
        }
    }
    if let Some(registry) = plan.registry {
        resolver_for(registry).read_meta(&tree, &mut plan.meta);
    }
    let label = if plan.label.is_empty() {
        format!("{}@{}", plan.pname, plan.version)
    } else {
        plan.label.clone()
    };
    Ok(Source {
        chosen: format!("{label} → {}", plan.download),
        pname: plan.pname,
        version: plan.version,
        fetch: plan.fetch,
        hash: hash.to_sri(),
        tree,
        meta: plan.meta,
        alternatives,
        download_time,
        keep: Keep(Arc::new(workdir)),
    })
}

fn unpack_and_hash(
    archive: &Path,
    out: &Path,
    kind: HashKind,
) -> Result<(PathBuf, Option<Hash>), UnpackError> {
    let io = |source| UnpackError::Io {
        path: out.to_path_buf(),
        source,
    };
    fs_err::create_dir(out).map_err(io)?;
    unpack(archive, out)?;
    let tree = strip_single_top(out)?;
    let nar = match kind {
        HashKind::Nar => Some(
            ai_drv_hash::hash_path(Algorithm::Sha256, &tree)
                .map_err(|e| io(std::io::Error::other(e.to_string())))?,
        ),
        HashKind::Flat => None,
    };
    Ok((tree, nar))
}

/// What a file that is not an archive looks like, for the error message.
fn describe_content(path: &Path) -> String {
    let head = fs_err::read(path).unwrap_or_default();
    let size = head.len();
    let text = String::from_utf8_lossy(&head[..size.min(512)]).to_ascii_lowercase();
    if size == 0 {
        "the file is empty".into()
    } else if text.contains("<html") || text.contains("<!doctype html") {
        format!("an HTML page of {size} bytes")
    } else if text.trim_start().starts_with('{') || text.trim_start().starts_with('[') {
        format!("JSON of {size} bytes")
    } else {
        let bytes: Vec<String> = head.iter().take(4).map(|b| format!("{b:02x}")).collect();
        format!("{size} bytes starting with {}", bytes.join(" "))
    }
}

/// A download file name Nix accepts as a store path name (letters, digits, `+-._?=`).
fn store_safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "+-._?=".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "source".into()
    } else {
        cleaned
    }
}

/// The newest few of `versions` (already sorted oldest first), for "no such version" messages.
pub(crate) fn newest_few(versions: &[String]) -> String {
    if versions.is_empty() {
        return "none published".into();
    }
    versions
        .iter()
        .rev()
        .take(5)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_names_are_cleaned() {
        assert_eq!(
            store_safe_name("sl_5.02.orig.tar.gz"),
            "sl_5.02.orig.tar.gz"
        );
        assert_eq!(store_safe_name("a b~c.tgz"), "a-b-c.tgz");
        assert_eq!(store_safe_name(".hidden"), "hidden");
        assert_eq!(store_safe_name(""), "source");
    }

    #[test]
    fn newest_versions_are_listed_first() {
        let v: Vec<String> = ["1", "2", "3", "4", "5", "6"].map(String::from).into();
        assert_eq!(newest_few(&v), "6, 5, 4, 3, 2");
        assert_eq!(newest_few(&[]), "none published");
    }

    #[test]
    fn errors_are_one_line() {
        let errors = [
            ResolveError::NoPackage,
            ResolveError::NotFound {
                url: "http://127.0.0.1:1/x.tar.gz".into(),
            },
            ResolveError::NotArchive {
                url: "http://127.0.0.1:1/x".into(),
                what: "an HTML page of 10 bytes".into(),
            },
            ResolveError::UnknownName {
                kind: "crate",
                name: "nope".into(),
                place: "the crates registry".into(),
            },
        ];
        for e in errors {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
        assert_eq!(
            ResolveError::NotFound {
                url: "http://h.invalid/x".into()
            }
            .to_string(),
            "http://h.invalid/x was not found (HTTP 404); check the URL"
        );
        assert_eq!(
            ResolveError::UnknownName {
                kind: "crate",
                name: "nope".into(),
                place: "the crates registry".into(),
            }
            .to_string(),
            "no crate named nope in the crates registry; check the spelling"
        );
    }
}

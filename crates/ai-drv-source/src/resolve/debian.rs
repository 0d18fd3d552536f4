//! Debian's archive: the suite's `Sources` index (cached under
//! `<state_dir>/debian-index/Sources.xz` for a day) names each source package's version, pool
//! directory and files. A name is found as a source package or, failing that, as one of the binary
//! packages a source builds (`Binary:`); its upstream tarball (`*.orig.tar.*`, or the whole source
//! of a native package) is pinned as `fetchurl { url = "mirror://debian/pool/…"; }` (flat hash).

use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use ai_drv_request::Registry;
use futures_util::future::BoxFuture;

use super::{
    http, name_version_from_file, newest_few, Context, Fetch, HashKind, Meta, Plan, ResolveError,
    Resolver,
};

/// The suite read unless `AI_DRV_DEBIAN_SUITE` names another: the one hostpkgs is built from
/// (`nix/hostpkgs/pins.json` → `"suite"`), so sources match the libraries they build against.
pub const DEFAULT_SUITE: &str = "bookworm";

/// The environment variable choosing another suite.
pub const SUITE_VAR: &str = "AI_DRV_DEBIAN_SUITE";

/// How long a downloaded index is used before it is fetched again.
const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// The Debian resolver; the decompressed index is read once and shared by its look-ups.
#[derive(Default)]
pub(crate) struct Debian {
    index: tokio::sync::OnceCell<Arc<String>>,
}

/// The fields of one `Sources` stanza that resolving needs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SourcePackage {
    package: String,
    version: String,
    directory: String,
    files: Vec<String>,
    homepage: Option<String>,
    /// Found through its `Binary:` list rather than its own name.
    by_binary: bool,
}

fn suite(cx: &Context<'_>) -> String {
    cx.config
        .env()
        .get(SUITE_VAR)
        .unwrap_or(DEFAULT_SUITE)
        .to_string()
}

/// `dpkg --compare-versions`; unparsable versions sort first.
fn compare(a: &str, b: &str) -> Ordering {
    match (
        debversion::Version::from_str(a),
        debversion::Version::from_str(b),
    ) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Ok(_), Err(_)) => Ordering::Greater,
        (Err(_), Ok(_)) => Ordering::Less,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// A Debian version without its epoch (`1:2.3-4` → `2.3-4`).
fn without_epoch(version: &str) -> &str {
    version.split_once(':').map(|(_, v)| v).unwrap_or(version)
}

/// The upstream part of a Debian version (`1:2.3-4` → `2.3`; native `2.3` stays).
fn upstream(version: &str) -> &str {
    let v = without_epoch(version);
    v.rsplit_once('-').map(|(u, _)| u).unwrap_or(v)
}

/// The stanzas of a `Sources` index that are `name` or build a binary package `name`.
fn find(text: &str, name: &str) -> Vec<SourcePackage> {
    let mut found = Vec::new();
    for stanza in text.split("\n\n") {
        // Cheap test first: most stanzas do not mention the name at all.
        if !stanza.contains(name) {
            continue;
        }
        let mut fields: Vec<(&str, String)> = Vec::new();
        for line in stanza.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some((_, value)) = fields.last_mut() {
                    value.push('\n');
                    value.push_str(line.trim());
                }
            } else if let Some((key, value)) = line.split_once(':') {
                fields.push((key, value.trim().to_string()));
            }
        }
        let get = |key: &str| {
            fields
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.as_str())
        };
        let Some(package) = get("Package") else {
            continue;
        };
        let by_binary = if package == name {
            false
        } else if get("Binary").is_some_and(|b| b.split([',', '\n']).any(|bin| bin.trim() == name))
        {
            true
        } else {
            continue;
        };
        let (Some(version), Some(directory)) = (get("Version"), get("Directory")) else {
            continue;
        };
        // `Files:` lines are "md5 size name"; `Checksums-Sha256:` has the same shape.
        let list = get("Files")
            .or_else(|| get("Checksums-Sha256"))
            .unwrap_or("");
        let files = list
            .lines()
            .filter_map(|l| l.split_whitespace().nth(2))
            .map(str::to_string)
            .collect();
        found.push(SourcePackage {
            package: package.to_string(),
            version: version.to_string(),
            directory: directory.to_string(),
            files,
            homepage: get("Homepage").map(str::to_string),
            by_binary,
        });
    }
    found
}

/// The upstream tarball of a source package: `NAME_UPSTREAM.orig.tar.*`, or for a native
/// package (no Debian revision) the `NAME_VERSION.tar.*` that is its whole source.
fn upstream_tarball(pkg: &SourcePackage) -> Option<&str> {
    let signature = |f: &&String| f.ends_with(".asc") || f.ends_with(".sig");
    let orig = format!("{}_{}.orig.tar.", pkg.package, upstream(&pkg.version));
    let native = format!("{}_{}.tar.", pkg.package, without_epoch(&pkg.version));
    pkg.files
        .iter()
        .filter(|f| !signature(f))
        .find(|f| f.starts_with(&orig))
        .or_else(|| {
            pkg.files
                .iter()
                .filter(|f| !signature(f))
                .find(|f| f.starts_with(&native))
        })
        .map(String::as_str)
}

fn decompress(path: &Path) -> Result<String, ResolveError> {
    use std::io::Read;
    let file = fs_err::File::open(path).map_err(|e| ResolveError::io(path, e))?;
    let mut text = String::new();
    liblzma::read::XzDecoder::new(std::io::BufReader::new(file))
        .read_to_string(&mut text)
        .map_err(|e| ResolveError::io(path, format!("cannot decompress the Sources index: {e}")))?;
    Ok(text)
}

impl Debian {
    async fn index(&self, cx: &Context<'_>) -> Result<Arc<String>, ResolveError> {
        self.index.get_or_try_init(|| load_index(cx)).await.cloned()
    }

    async fn plan(
        &self,
        cx: &Context<'_>,
        name: &str,
        version: Option<&str>,
    ) -> Result<Plan, ResolveError> {
        let suite = suite(cx);
        let unknown = || ResolveError::UnknownName {
            kind: "source or binary package",
            name: name.to_string(),
            place: format!("Debian {suite}"),
        };
        if !Registry::Debian.valid_name(name) {
            return Err(unknown());
        }
        let text = self.index(cx).await?;
        let query = name.to_string();
        let text_for_search = text.clone();
        let mut found = tokio::task::spawn_blocking(move || find(&text_for_search, &query))
            .await
            .map_err(|e| ResolveError::io(Path::new("Sources"), e))?;
        // A source package of that name beats sources that merely build a binary of that name.
        if found.iter().any(|p| !p.by_binary) {
            found.retain(|p| !p.by_binary);
        }
        if found.is_empty() {
            return Err(unknown());
        }
        found.sort_by(|a, b| compare(&a.version, &b.version));
        let chosen = match version {
            Some(wanted) => found.iter().rev().find(|p| {
                p.version == wanted
                    || without_epoch(&p.version) == wanted
                    || upstream(&p.version) == wanted
            }),
            None => found.last(),
        };
        let Some(chosen) = chosen else {
            let listed: Vec<String> = found.iter().map(|p| p.version.clone()).collect();
            return Err(ResolveError::UnknownVersion {
                what: format!("Debian package {name} ({suite})"),
                version: version.unwrap_or_default().to_string(),
                newest: newest_few(&listed),
            });
        };
        let Some(file) = upstream_tarball(chosen) else {
            return Err(ResolveError::NoSourceArchive {
                what: format!(
                    "Debian source package {} {}",
                    chosen.package, chosen.version
                ),
                reason: "no upstream tarball among its files".into(),
            });
        };
        let (file_pname, file_version) = name_version_from_file(file).unwrap_or_else(|| {
            (
                chosen.package.clone(),
                upstream(&chosen.version).to_string(),
            )
        });
        // Found by a binary's name and the source is that name with an ecosystem prefix
        // ("rust-ripgrep", "python-requests"): the name asked for is the better pname.
        let pname = if chosen.by_binary && chosen.package.ends_with(&format!("-{name}")) {
            name.to_string()
        } else {
            file_pname
        };
        let url = format!(
            "mirror://debian/{}/{file}",
            chosen.directory.trim_matches('/')
        );
        Ok(Plan {
            pname,
            version: file_version.clone(),
            fetch: Fetch::Url { url: url.clone() },
            download: url,
            hash: HashKind::Flat,
            meta: Meta {
                homepage: chosen.homepage.clone(),
                ..Meta::default()
            },
            label: format!("debian:{}@{file_version}", chosen.package),
            registry: Some(Registry::Debian),
        })
    }
}

/// The suite's `Sources.xz`, from the cache when it is fresh and from the same URL.
async fn load_index(cx: &Context<'_>) -> Result<Arc<String>, ResolveError> {
    let endpoint = cx.config.endpoint(ai_drv_config::Registry::Debian)?;
    let url = http::join(
        &endpoint,
        &format!("dists/{}/main/source/Sources.xz", suite(cx)),
    )?;
    let dir = cx.config.state_dir().join("debian-index");
    fs_err::create_dir_all(&dir).map_err(|e| ResolveError::io(&dir, e))?;
    let file = dir.join("Sources.xz");
    // The cache records where it came from, so another mirror or suite is not served stale data.
    let origin = dir.join("Sources.xz.url");
    if !is_fresh(&file, &origin, url.as_str()) {
        match crate::download::download(&url, &file, cx.progress).await {
            Ok(_) => {
                fs_err::write(&origin, url.as_str()).map_err(|e| ResolveError::io(&origin, e))?
            }
            Err(e) if file.exists() && recorded(&origin).as_deref() == Some(url.as_str()) => {
                tracing::warn!("{e}; using the Debian index downloaded earlier");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let path: PathBuf = file.clone();
    let text = tokio::task::spawn_blocking(move || decompress(&path))
        .await
        .map_err(|e| ResolveError::io(&file, e))??;
    Ok(Arc::new(text))
}

fn recorded(origin: &Path) -> Option<String> {
    fs_err::read_to_string(origin)
        .ok()
        .map(|s| s.trim().to_string())
}

fn is_fresh(file: &Path, origin: &Path, url: &str) -> bool {
    let young = fs_err::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age < MAX_AGE);
    young && recorded(origin).as_deref() == Some(url)
}

impl Resolver for Debian {
    fn lookup<'a>(
        &'a self,
        cx: &'a Context<'a>,
        name: &'a str,
        version: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Plan, ResolveError>> {
        Box::pin(self.plan(cx, name, version))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &str = "\
Package: sl
Binary: sl
Version: 5.02-1
Directory: pool/main/s/sl
Homepage: https://example.invalid/sl
Files:
 0123 1000 sl_5.02-1.dsc
 4567 2000 sl_5.02.orig.tar.gz
 89ab 300 sl_5.02-1.debian.tar.xz

Package: rust-ripgrep
Binary: ripgrep,
 librust-ripgrep-dev
Version: 13.0.0-4
Directory: pool/main/r/rust-ripgrep
Files:
 0123 1000 rust-ripgrep_13.0.0-4.dsc
 4567 2000 rust-ripgrep_13.0.0.orig.tar.gz
 4567 2000 rust-ripgrep_13.0.0.orig.tar.gz.asc

Package: debhelper
Binary: debhelper, dh-systemd
Version: 13.11.4
Directory: pool/main/d/debhelper
Files:
 0123 1000 debhelper_13.11.4.dsc
 4567 2000 debhelper_13.11.4.tar.xz

Package: sl
Binary: sl
Version: 1:3.03-17
Directory: pool/main/s/sl
Files:
 4567 2000 sl_3.03.orig.tar.gz
";

    #[test]
    fn finds_sources_by_name_and_by_binary() {
        let found = find(SOURCES, "sl");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].files[1], "sl_5.02.orig.tar.gz");
        assert_eq!(
            found[0].homepage.as_deref(),
            Some("https://example.invalid/sl")
        );
        let found = find(SOURCES, "ripgrep");
        assert_eq!(found.len(), 1);
        assert!(found[0].by_binary);
        assert_eq!(found[0].package, "rust-ripgrep");
        assert_eq!(find(SOURCES, "librust-ripgrep-dev").len(), 1);
        assert!(find(SOURCES, "grep").is_empty());
    }

    #[test]
    fn epochs_sort_first() {
        assert_eq!(compare("1:3.03-17", "5.02-1"), Ordering::Greater);
        assert_eq!(compare("5.02-1", "5.02-2"), Ordering::Less);
        assert_eq!(upstream("1:3.03-17"), "3.03");
        assert_eq!(upstream("13.11.4"), "13.11.4");
    }

    #[test]
    fn upstream_tarballs() {
        let found = find(SOURCES, "ripgrep");
        assert_eq!(
            upstream_tarball(&found[0]),
            Some("rust-ripgrep_13.0.0.orig.tar.gz")
        );
        let found = find(SOURCES, "debhelper");
        assert_eq!(
            upstream_tarball(&found[0]),
            Some("debhelper_13.11.4.tar.xz")
        );
    }

    #[test]
    fn default_suite_is_the_one_hostpkgs_pins() {
        let pins = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../nix/hostpkgs/pins.json");
        let pins: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(pins).unwrap()).unwrap();
        assert_eq!(pins["suite"].as_str(), Some(DEFAULT_SUITE));
    }
}

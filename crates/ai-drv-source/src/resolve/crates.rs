//! The crates registry through its sparse index: one JSON line per published version under
//! `1/a`, `2/ab`, `3/a/abc` or `ab/cd/abcd`; the download location from the index's
//! `config.json` (`dl`) unless configured. Pinned as `fetchCrate` (NAR of the unpacked `.crate`);
//! description, homepage and license come from the `Cargo.toml` inside it.

use std::path::Path;

use ai_drv_request::Registry;
use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::{http, newest_few, Context, Fetch, HashKind, Meta, Plan, ResolveError, Resolver};

pub(crate) struct Crates;

/// One line of a sparse index file.
#[derive(Debug, Deserialize)]
struct IndexLine {
    name: String,
    vers: String,
    #[serde(default)]
    cksum: String,
    #[serde(default)]
    yanked: bool,
}

#[derive(Debug, Deserialize)]
struct IndexConfig {
    dl: String,
}

/// The index file of a crate, relative to the index root (names are looked up in lower case).
pub(crate) fn index_path(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.len() {
        1 => format!("1/{name}"),
        2 => format!("2/{name}"),
        3 => format!("3/{}/{name}", &name[..1]),
        _ => format!("{}/{}/{name}", &name[..2], &name[2..4]),
    }
}

/// Cargo's rule for `dl`: substitute the markers if it has any, else append `/{crate}/{version}/download`.
fn download_url(dl: &str, line: &IndexLine) -> String {
    const MARKERS: [&str; 5] = [
        "{crate}",
        "{version}",
        "{prefix}",
        "{lowerprefix}",
        "{sha256-checksum}",
    ];
    if !MARKERS.iter().any(|m| dl.contains(m)) {
        return format!(
            "{}/{}/{}/download",
            dl.trim_end_matches('/'),
            line.name,
            line.vers
        );
    }
    let prefix = index_path(&line.name);
    let prefix = prefix.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
    // `{prefix}` keeps the crate's own case, `{lowerprefix}` lower-cases it.
    let cased_prefix = match line.name.len() {
        1 | 2 => prefix.to_string(),
        3 => format!("3/{}", &line.name[..1]),
        _ => format!("{}/{}", &line.name[..2], &line.name[2..4]),
    };
    dl.replace("{crate}", &line.name)
        .replace("{version}", &line.vers)
        .replace("{prefix}", &cased_prefix)
        .replace("{lowerprefix}", prefix)
        .replace("{sha256-checksum}", &line.cksum)
}

impl Crates {
    async fn lines(&self, cx: &Context<'_>, name: &str) -> Result<Vec<IndexLine>, ResolveError> {
        let index = cx.config.endpoint(ai_drv_config::Registry::CratesIndex)?;
        // The registry treats '-' and '_' as the same name; try the spelling given first.
        let mut spellings = vec![name.to_string()];
        for (from, to) in [('_', '-'), ('-', '_')] {
            let other = name.replace(from, &to.to_string());
            if !spellings.contains(&other) {
                spellings.push(other);
            }
        }
        for spelling in &spellings {
            let url = http::join(&index, &index_path(spelling))?;
            let page = match http::get(cx, &url, None).await {
                Ok(page) => page,
                Err(ResolveError::NotFound { .. }) => continue,
                Err(e) => return Err(e),
            };
            let text = String::from_utf8_lossy(&page.body);
            let mut lines = Vec::new();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let parsed: IndexLine =
                    serde_json::from_str(line).map_err(|e| ResolveError::BadAnswer {
                        url: url.to_string(),
                        expected: "crates registry sparse index",
                        reason: e.to_string(),
                    })?;
                lines.push(parsed);
            }
            if !lines.is_empty() {
                return Ok(lines);
            }
        }
        Err(ResolveError::UnknownName {
            kind: "crate",
            name: name.to_string(),
            place: "the crates registry".into(),
        })
    }

    async fn download_base(&self, cx: &Context<'_>) -> Result<String, ResolveError> {
        match cx.config.endpoint(ai_drv_config::Registry::CratesDownload) {
            Ok(endpoint) => return Ok(endpoint.url.to_string()),
            Err(ai_drv_config::ConfigError::NoEndpoint(..)) => {}
            Err(e) => return Err(e.into()),
        }
        let index = cx.config.endpoint(ai_drv_config::Registry::CratesIndex)?;
        let url = http::join(&index, "config.json")?;
        let config: IndexConfig =
            http::get_json(cx, &url, None, "crates registry sparse index").await?;
        Ok(config.dl)
    }

    async fn plan(
        &self,
        cx: &Context<'_>,
        name: &str,
        version: Option<&str>,
    ) -> Result<Plan, ResolveError> {
        if !Registry::Crate.valid_name(name) {
            return Err(ResolveError::UnknownName {
                kind: "crate",
                name: name.to_string(),
                place: "the crates registry".into(),
            });
        }
        let lines = self.lines(cx, name).await?;
        let mut published: Vec<(semver::Version, IndexLine)> = lines
            .into_iter()
            .filter_map(|l| semver::Version::parse(&l.vers).ok().map(|v| (v, l)))
            .collect();
        published.sort_by(|a, b| a.0.cmp(&b.0));
        let chosen = match version {
            Some(wanted) => published
                .iter()
                .rev()
                .find(|(v, l)| l.vers == wanted || v.to_string() == wanted.trim_start_matches('v')),
            // Newest non-yanked release; a pre-release only when nothing else exists.
            None => published
                .iter()
                .rev()
                .find(|(v, l)| !l.yanked && v.pre.is_empty())
                .or_else(|| published.iter().rev().find(|(_, l)| !l.yanked)),
        };
        let Some((_, line)) = chosen else {
            let listed: Vec<String> = published
                .iter()
                .filter(|(_, l)| !l.yanked)
                .map(|(_, l)| l.vers.clone())
                .collect();
            return Err(match version {
                Some(v) => ResolveError::UnknownVersion {
                    what: format!("crate {name}"),
                    version: v.to_string(),
                    newest: newest_few(&listed),
                },
                None => ResolveError::NoSourceArchive {
                    what: format!("crate {name}"),
                    reason: "every version is yanked".into(),
                },
            });
        };
        let dl = self.download_base(cx).await?;
        Ok(Plan {
            pname: line.name.clone(),
            version: line.vers.clone(),
            fetch: Fetch::Crate {
                pname: line.name.clone(),
                version: line.vers.clone(),
            },
            download: download_url(&dl, line),
            hash: HashKind::Nar,
            meta: Meta::default(),
            label: format!("crate:{}@{}", line.name, line.vers),
            registry: Some(Registry::Crate),
        })
    }
}

impl Resolver for Crates {
    fn lookup<'a>(
        &'a self,
        cx: &'a Context<'a>,
        name: &'a str,
        version: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Plan, ResolveError>> {
        Box::pin(self.plan(cx, name, version))
    }

    fn read_meta(&self, tree: &Path, meta: &mut Meta) {
        let Ok(text) = fs_err::read_to_string(tree.join("Cargo.toml")) else {
            return;
        };
        let Ok(manifest) = text.parse::<toml::Table>() else {
            return;
        };
        let Some(package) = manifest.get("package").and_then(|p| p.as_table()) else {
            return;
        };
        let field = |key: &str| {
            package
                .get(key)
                .and_then(|v| v.as_str())
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
        };
        meta.description = meta.description.take().or_else(|| field("description"));
        meta.homepage = meta
            .homepage
            .take()
            .or_else(|| field("homepage"))
            .or_else(|| field("repository"));
        meta.license = meta.license.take().or_else(|| field("license"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_paths() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("sl"), "2/sl");
        assert_eq!(index_path("bat"), "3/b/bat");
        assert_eq!(index_path("Serde"), "se/rd/serde");
        assert_eq!(index_path("ripgrep"), "ri/pg/ripgrep");
    }

    #[test]
    fn download_templates() {
        let line = IndexLine {
            name: "Inflector".into(),
            vers: "0.11.4".into(),
            cksum: "abc".into(),
            yanked: false,
        };
        assert_eq!(
            download_url("http://127.0.0.1:1/crates", &line),
            "http://127.0.0.1:1/crates/Inflector/0.11.4/download"
        );
        assert_eq!(
            download_url("http://127.0.0.1:1/crates/", &line),
            "http://127.0.0.1:1/crates/Inflector/0.11.4/download"
        );
        assert_eq!(
            download_url(
                "http://127.0.0.1:1/{prefix}/{lowerprefix}/{crate}-{version}.crate?{sha256-checksum}",
                &line
            ),
            "http://127.0.0.1:1/In/fl/in/fl/Inflector-0.11.4.crate?abc"
        );
    }

    #[test]
    fn meta_from_cargo_toml() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"x\"\nversion = \"1.0.0\"\ndescription = \"\"\"A tool\n  that does x\"\"\"\nrepository = \"https://example.invalid/x\"\nlicense = \"MIT OR Apache-2.0\"\n",
        )
        .unwrap();
        let mut meta = Meta::default();
        Crates.read_meta(dir.path(), &mut meta);
        assert_eq!(
            meta,
            Meta {
                description: Some("A tool that does x".into()),
                homepage: Some("https://example.invalid/x".into()),
                license: Some("MIT OR Apache-2.0".into()),
            }
        );
    }
}

//! PyPI through the configured simple index (PEP 503), read in its JSON form (PEP 691) when the
//! index offers it and as HTML otherwise: the project's source distributions, the newest stable
//! non-yanked one unless a version is given. Pinned as `fetchPypi` (flat hash of the sdist);
//! description, homepage and license come from the sdist's `PKG-INFO`.

use std::path::Path;
use std::str::FromStr;

use ai_drv_request::Registry;
use futures_util::future::BoxFuture;
use serde::Deserialize;
use url::Url;

use super::http::{self, Page};
use super::{newest_few, Context, Fetch, HashKind, Meta, Plan, ResolveError, Resolver};

pub(crate) struct Pypi;

/// PEP 691's JSON, preferred; HTML accepted from indexes that only have that.
const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, text/html;q=0.1";

/// Source distribution suffixes, in order of preference (`fetchPypi` defaults to `.tar.gz`).
const SDIST_SUFFIXES: [&str; 4] = [".tar.gz", ".zip", ".tar.bz2", ".tgz"];

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub(crate) fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[derive(Debug, Clone)]
struct File {
    filename: String,
    url: Url,
    yanked: bool,
}

#[derive(Deserialize)]
struct SimpleJson {
    files: Vec<SimpleFile>,
}

#[derive(Deserialize)]
struct SimpleFile {
    filename: String,
    url: String,
    /// `false`, `true`, or the reason as a string.
    #[serde(default)]
    yanked: serde_json::Value,
}

/// An sdist's file name split into the name as written, the version and the suffix.
fn split_sdist<'f>(
    filename: &'f str,
    normalized: &str,
) -> Option<(&'f str, &'f str, &'static str)> {
    let suffix = SDIST_SUFFIXES
        .iter()
        .find(|s| filename.to_ascii_lowercase().ends_with(*s))?;
    let stem = &filename[..filename.len() - suffix.len()];
    stem.match_indices('-')
        .map(|(i, _)| i)
        .find(|&i| normalize(&stem[..i]) == normalized)
        .map(|i| (&stem[..i], &stem[i + 1..], *suffix))
        .filter(|(_, v, _)| !v.is_empty())
}

fn files_from_json(page: &Page) -> Result<Vec<File>, ResolveError> {
    let parsed: SimpleJson = http::parse_json(page, "PyPI simple index (PEP 503/691)")?;
    Ok(parsed
        .files
        .into_iter()
        .filter_map(|f| {
            let mut url = page.url.join(&f.url).ok()?;
            // The fragment carries the index's hash (`#sha256=…`); ai-drv computes its own.
            url.set_fragment(None);
            let yanked = match f.yanked {
                serde_json::Value::Bool(b) => b,
                serde_json::Value::String(_) => true,
                _ => false,
            };
            Some(File {
                filename: f.filename,
                url,
                yanked,
            })
        })
        .collect())
}

fn files_from_html(page: &Page) -> Result<Vec<File>, ResolveError> {
    let anchor = regex::Regex::new(r#"(?is)<a\s([^>]*)>([^<]*)</a>"#).map_err(|e| {
        ResolveError::BadAnswer {
            url: page.url.to_string(),
            expected: "PyPI simple index (PEP 503/691)",
            reason: e.to_string(),
        }
    })?;
    let href = regex::Regex::new(r#"(?i)href\s*=\s*["']([^"']*)["']"#).map_err(|e| {
        ResolveError::BadAnswer {
            url: page.url.to_string(),
            expected: "PyPI simple index (PEP 503/691)",
            reason: e.to_string(),
        }
    })?;
    let text = String::from_utf8_lossy(&page.body);
    Ok(anchor
        .captures_iter(&text)
        .filter_map(|c| {
            let attrs = c.get(1)?.as_str();
            let link = href.captures(attrs)?.get(1)?.as_str().replace("&amp;", "&");
            let mut url = page.url.join(&link).ok()?;
            url.set_fragment(None);
            Some(File {
                filename: c.get(2)?.as_str().trim().to_string(),
                url,
                yanked: attrs.to_ascii_lowercase().contains("data-yanked"),
            })
        })
        .collect())
}

impl Pypi {
    async fn files(&self, cx: &Context<'_>, name: &str) -> Result<Vec<File>, ResolveError> {
        let index = cx.config.endpoint(ai_drv_config::Registry::Pypi)?;
        let url = http::join(&index, &format!("{}/", normalize(name)))?;
        let page = match http::get(cx, &url, Some(ACCEPT)).await {
            Ok(page) => page,
            Err(ResolveError::NotFound { .. }) => return Err(unknown(name)),
            Err(e) => return Err(e),
        };
        if page.content_type.contains("json") {
            files_from_json(&page)
        } else {
            files_from_html(&page)
        }
    }

    async fn plan(
        &self,
        cx: &Context<'_>,
        name: &str,
        version: Option<&str>,
    ) -> Result<Plan, ResolveError> {
        if !Registry::Pypi.valid_name(name) {
            return Err(unknown(name));
        }
        let files = self.files(cx, name).await?;
        let normalized = normalize(name);
        // (parsed version, version as written, file, name as written, suffix)
        let mut sdists: Vec<(pep440_rs::Version, String, File, String, &'static str)> = files
            .iter()
            .filter_map(|f| {
                let (written, v, suffix) = split_sdist(&f.filename, &normalized)?;
                let parsed = pep440_rs::Version::from_str(v).ok()?;
                Some((
                    parsed,
                    v.to_string(),
                    f.clone(),
                    written.to_string(),
                    suffix,
                ))
            })
            .collect();
        if sdists.is_empty() {
            return Err(ResolveError::NoSourceArchive {
                what: format!("PyPI project {name}"),
                reason: if files.is_empty() {
                    "no files are published".into()
                } else {
                    "only wheels are published".into()
                },
            });
        }
        sdists.sort_by(|a, b| a.0.cmp(&b.0));
        let chosen_version = match version {
            Some(wanted) => {
                let parsed = pep440_rs::Version::from_str(wanted).ok();
                sdists
                    .iter()
                    .find(|s| s.1 == wanted || parsed.as_ref() == Some(&s.0))
                    .map(|s| s.0.clone())
            }
            None => sdists
                .iter()
                .rev()
                .find(|s| !s.2.yanked && !s.0.any_prerelease())
                .or_else(|| sdists.iter().rev().find(|s| !s.2.yanked))
                .map(|s| s.0.clone()),
        };
        let Some(chosen_version) = chosen_version else {
            let mut listed: Vec<String> = Vec::new();
            for s in sdists.iter().filter(|s| !s.2.yanked) {
                if !listed.contains(&s.1) {
                    listed.push(s.1.clone());
                }
            }
            return Err(match version {
                Some(v) => ResolveError::UnknownVersion {
                    what: format!("PyPI project {name}"),
                    version: v.to_string(),
                    newest: newest_few(&listed),
                },
                None => ResolveError::NoSourceArchive {
                    what: format!("PyPI project {name}"),
                    reason: "every release is yanked".into(),
                },
            });
        };
        // Among the files of that version, the suffix fetchPypi uses by default wins.
        let Some((_, version, file, written, suffix)) = sdists
            .iter()
            .filter(|s| s.0 == chosen_version)
            .min_by_key(|s| SDIST_SUFFIXES.iter().position(|x| x == &s.4))
        else {
            return Err(unknown(name));
        };
        let fetch = if *suffix == ".tar.gz" {
            Fetch::Pypi {
                pname: written.clone(),
                version: version.clone(),
            }
        } else {
            Fetch::Url {
                url: file.url.to_string(),
            }
        };
        Ok(Plan {
            pname: written.clone(),
            version: version.clone(),
            fetch,
            download: file.url.to_string(),
            hash: HashKind::Flat,
            meta: Meta::default(),
            label: format!("pypi:{written}@{version}"),
            registry: Some(Registry::Pypi),
        })
    }
}

fn unknown(name: &str) -> ResolveError {
    ResolveError::UnknownName {
        kind: "project",
        name: name.to_string(),
        place: "the PyPI index".into(),
    }
}

/// The header fields of a `PKG-INFO` (core metadata) file; continuation lines are joined.
fn pkg_info_fields(text: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push('\n');
                value.push_str(line.trim());
            }
        } else if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    fields
}

impl Resolver for Pypi {
    fn lookup<'a>(
        &'a self,
        cx: &'a Context<'a>,
        name: &'a str,
        version: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Plan, ResolveError>> {
        Box::pin(self.plan(cx, name, version))
    }

    fn read_meta(&self, tree: &Path, meta: &mut Meta) {
        let Ok(text) = fs_err::read_to_string(tree.join("PKG-INFO")) else {
            return;
        };
        let fields = pkg_info_fields(&text);
        let get = |key: &str| {
            fields
                .iter()
                .find(|(k, v)| k == key && !v.is_empty() && v != "UNKNOWN")
                .map(|(_, v)| v.clone())
        };
        let project_url = |label: &str| {
            fields
                .iter()
                .filter(|(k, _)| k == "project-url")
                .filter_map(|(_, v)| v.split_once(','))
                .find(|(l, _)| l.trim().eq_ignore_ascii_case(label))
                .map(|(_, u)| u.trim().to_string())
        };
        meta.description = meta.description.take().or_else(|| get("summary"));
        meta.homepage = meta
            .homepage
            .take()
            .or_else(|| get("home-page"))
            .or_else(|| project_url("homepage"))
            .or_else(|| project_url("source"))
            .or_else(|| project_url("repository"));
        // `License` is free text and often the whole license; only a short one-liner is a name.
        let short_license = get("license").filter(|l| !l.contains('\n') && l.len() <= 80);
        meta.license = meta
            .license
            .take()
            .or_else(|| get("license-expression"))
            .or(short_license);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_pep_503() {
        assert_eq!(normalize("Typing_Extensions"), "typing-extensions");
        assert_eq!(normalize("zope.interface"), "zope-interface");
        assert_eq!(normalize("a-_.b"), "a-b");
    }

    #[test]
    fn splits_sdist_names() {
        assert_eq!(
            split_sdist("typing_extensions-4.12.2.tar.gz", "typing-extensions"),
            Some(("typing_extensions", "4.12.2", ".tar.gz"))
        );
        assert_eq!(
            split_sdist("PyYAML-6.0.1.tar.gz", "pyyaml"),
            Some(("PyYAML", "6.0.1", ".tar.gz"))
        );
        assert_eq!(
            split_sdist("foo-bar-1.0.zip", "foo-bar"),
            Some(("foo-bar", "1.0", ".zip"))
        );
        assert_eq!(split_sdist("foo-1.0-py3-none-any.whl", "foo"), None);
        assert_eq!(split_sdist("other-1.0.tar.gz", "foo"), None);
    }

    #[test]
    fn pkg_info_meta() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("PKG-INFO"),
            "Metadata-Version: 2.1\nName: pyfiglet\nVersion: 1.0.2\nSummary: Pure-python FIGlet implementation\nHome-page: UNKNOWN\nLicense: MIT\nProject-URL: Homepage, https://example.invalid/pyfiglet\n\nlong description\nLicense: not this\n",
        )
        .unwrap();
        let mut meta = Meta::default();
        Pypi.read_meta(dir.path(), &mut meta);
        assert_eq!(
            meta,
            Meta {
                description: Some("Pure-python FIGlet implementation".into()),
                homepage: Some("https://example.invalid/pyfiglet".into()),
                license: Some("MIT".into()),
            }
        );
    }

    #[test]
    fn html_index_pages() {
        let page = Page {
            body: br#"<html><body>
<a href="../../files/foo-1.0.tar.gz#sha256=ab">foo-1.0.tar.gz</a><br/>
<a href="/files/foo-2.0.tar.gz" data-yanked="">foo-2.0.tar.gz</a>
</body></html>"#
                .to_vec(),
            content_type: "text/html".into(),
            url: Url::parse("http://127.0.0.1:1/simple/foo/").unwrap(),
        };
        let files = files_from_html(&page).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].filename, "foo-1.0.tar.gz");
        assert_eq!(
            files[0].url.as_str(),
            "http://127.0.0.1:1/files/foo-1.0.tar.gz"
        );
        assert!(!files[0].yanked);
        assert!(files[1].yanked);
    }
}

//! The npm registry: the package document ("packument") at `<registry>/<name>` gives the
//! versions, `dist-tags.latest`, each version's tarball, and the metadata. Pinned as `fetchurl`
//! of the tarball (flat hash).

use std::collections::BTreeMap;

use ai_drv_request::Registry;
use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::{http, newest_few, Context, Fetch, HashKind, Meta, Plan, ResolveError, Resolver};

pub(crate) struct Npm;

#[derive(Debug, Deserialize)]
struct Packument {
    name: String,
    #[serde(default, rename = "dist-tags")]
    dist_tags: BTreeMap<String, String>,
    #[serde(default)]
    versions: BTreeMap<String, VersionDoc>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    homepage: Option<String>,
    #[serde(default)]
    license: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct VersionDoc {
    dist: Dist,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    homepage: Option<String>,
    #[serde(default)]
    license: Option<serde_json::Value>,
    /// Old packages list licenses as `[{ "type": "MIT" }, …]`.
    #[serde(default)]
    licenses: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct Dist {
    tarball: String,
}

/// A license as packuments write it: `"MIT"`, `{ "type": "MIT" }`, or a list of those.
fn license_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Object(o) => o.get("type").and_then(license_text),
        serde_json::Value::Array(items) => {
            let all: Vec<String> = items.iter().filter_map(license_text).collect();
            (!all.is_empty()).then(|| all.join(" OR "))
        }
        _ => None,
    }
}

/// A name usable as a Nix pname: `@scope/name` → `scope-name`.
fn pname(name: &str) -> String {
    name.trim_start_matches('@').replace('/', "-")
}

fn unknown(name: &str) -> ResolveError {
    ResolveError::UnknownName {
        kind: "package",
        name: name.to_string(),
        place: "the npm registry".into(),
    }
}

impl Npm {
    async fn plan(
        &self,
        cx: &Context<'_>,
        name: &str,
        version: Option<&str>,
    ) -> Result<Plan, ResolveError> {
        if !Registry::Npm.valid_name(name) {
            return Err(unknown(name));
        }
        let registry = cx.config.endpoint(ai_drv_config::Registry::Npm)?;
        // A scoped name is one path segment on the registry: `@scope%2fname`.
        let url = http::join(&registry, &name.replace('/', "%2f"))?;
        let doc: Packument =
            match http::get_json(cx, &url, Some("application/json"), "npm registry").await {
                Ok(doc) => doc,
                Err(ResolveError::NotFound { .. }) => return Err(unknown(name)),
                Err(e) => return Err(e),
            };
        let wanted = match version {
            Some(v) => v.trim_start_matches('v').to_string(),
            None => match doc.dist_tags.get("latest") {
                Some(latest) => latest.clone(),
                None => {
                    return Err(ResolveError::NoSourceArchive {
                        what: format!("npm package {name}"),
                        reason: "it has no latest release".into(),
                    })
                }
            },
        };
        let Some(chosen) = doc.versions.get(&wanted) else {
            let mut listed: Vec<(Option<semver::Version>, String)> = doc
                .versions
                .keys()
                .map(|v| (semver::Version::parse(v).ok(), v.clone()))
                .collect();
            listed.sort();
            let listed: Vec<String> = listed.into_iter().map(|(_, v)| v).collect();
            return Err(ResolveError::UnknownVersion {
                what: format!("npm package {name}"),
                version: wanted,
                newest: newest_few(&listed),
            });
        };
        let meta = Meta {
            description: chosen
                .description
                .clone()
                .or(doc.description.clone())
                .filter(|d| !d.trim().is_empty()),
            homepage: chosen
                .homepage
                .clone()
                .or(doc.homepage.clone())
                .filter(|h| !h.trim().is_empty()),
            license: chosen
                .license
                .as_ref()
                .and_then(license_text)
                .or_else(|| chosen.licenses.as_ref().and_then(license_text))
                .or_else(|| doc.license.as_ref().and_then(license_text)),
        };
        Ok(Plan {
            pname: pname(&doc.name),
            version: wanted.clone(),
            fetch: Fetch::Npm {
                url: chosen.dist.tarball.clone(),
            },
            download: chosen.dist.tarball.clone(),
            hash: HashKind::Flat,
            meta,
            label: format!("npm:{}@{wanted}", doc.name),
            registry: Some(Registry::Npm),
        })
    }
}

impl Resolver for Npm {
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

    #[test]
    fn licenses_in_every_shape() {
        let j = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(license_text(&j(r#""MIT""#)).as_deref(), Some("MIT"));
        assert_eq!(
            license_text(&j(r#"{"type": "ISC", "url": "x"}"#)).as_deref(),
            Some("ISC")
        );
        assert_eq!(
            license_text(&j(r#"[{"type": "MIT"}, {"type": "Apache-2.0"}]"#)).as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(license_text(&j("null")), None);
    }

    #[test]
    fn scoped_names_become_pnames() {
        assert_eq!(pname("@babel/core"), "babel-core");
        assert_eq!(pname("left-pad"), "left-pad");
    }
}

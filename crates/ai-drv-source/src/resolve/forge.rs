//! Forge repositories (GitHub, GitLab, Codeberg): the archive of a tag or commit, hashed as
//! `fetchFromGitHub`/`fetchFromGitLab`/`fetchFromGitea` hash it (NAR of the unpacked tree), and
//! the latest tag from the forge's API when no revision was named.
//!
//! Where ai-drv downloads from can be redirected per forge with `AI_DRV_FORGE_GITHUB`,
//! `AI_DRV_FORGE_GITLAB` and `AI_DRV_FORGE_CODEBERG` (a base URL serving both the archives and the
//! API, as a self-hosted instance does). The fetcher call still names the public forge: the
//! variable changes where this machine reads from, not what the derivation means.

use ai_drv_request::Forge;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;
use url::Url;

use super::{http, Context, Fetch, HashKind, Meta, Plan, ResolveError};

/// Where one forge's archives and API are.
struct Site {
    forge: Forge,
    /// Archive downloads: `<base>/<owner>/<repo>/archive/…`.
    base: Url,
    /// The REST API root, ending in `/`.
    api: Url,
}

fn env_var(forge: Forge) -> &'static str {
    match forge {
        Forge::GitHub => "AI_DRV_FORGE_GITHUB",
        Forge::GitLab => "AI_DRV_FORGE_GITLAB",
        Forge::Codeberg => "AI_DRV_FORGE_CODEBERG",
    }
}

fn with_slash(mut url: Url) -> Url {
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url
}

fn site(cx: &Context<'_>, forge: Forge) -> Result<Site, ResolveError> {
    let bad = |value: &str, e: url::ParseError| ResolveError::BadAnswer {
        url: value.to_string(),
        expected: "forge base URL",
        reason: e.to_string(),
    };
    // A self-hosted layout (the API under the same host) when configured; the public forges keep
    // GitHub's API on its own host.
    let (base, api) = match cx.config.env().get(env_var(forge)) {
        Some(value) => {
            let base = with_slash(Url::parse(value).map_err(|e| bad(value, e))?);
            let api_path = match forge {
                Forge::GitHub => "api/v3/",
                Forge::GitLab => "api/v4/",
                Forge::Codeberg => "api/v1/",
            };
            let api = base.join(api_path).map_err(|e| bad(value, e))?;
            (base, api)
        }
        None => {
            let host = forge.public_host();
            let api = match forge {
                Forge::GitHub => "https://api.github.com/".to_string(),
                Forge::GitLab => format!("https://{host}/api/v4/"),
                Forge::Codeberg => format!("https://{host}/api/v1/"),
            };
            let base = format!("https://{host}/");
            (
                Url::parse(&base).map_err(|e| bad(&base, e))?,
                Url::parse(&api).map_err(|e| bad(&api, e))?,
            )
        }
    };
    Ok(Site { forge, base, api })
}

impl Site {
    fn archive_url(&self, owner: &str, repo: &str, rev: &str) -> String {
        match self.forge {
            Forge::GitHub | Forge::Codeberg => {
                format!("{}{owner}/{repo}/archive/{rev}.tar.gz", self.base)
            }
            Forge::GitLab => format!(
                "{}{owner}/{repo}/-/archive/{rev}/{repo}-{}.tar.gz",
                self.base,
                rev.replace('/', "-")
            ),
        }
    }

    fn tags_url(&self, owner: &str, repo: &str) -> Result<Url, url::ParseError> {
        match self.forge {
            Forge::GitHub => self
                .api
                .join(&format!("repos/{owner}/{repo}/tags?per_page=100")),
            Forge::GitLab => {
                let id =
                    utf8_percent_encode(&format!("{owner}/{repo}"), NON_ALPHANUMERIC).to_string();
                self.api
                    .join(&format!("projects/{id}/repository/tags?per_page=100"))
            }
            Forge::Codeberg => self
                .api
                .join(&format!("repos/{owner}/{repo}/tags?limit=50")),
        }
    }
}

#[derive(Deserialize)]
struct Tag {
    name: String,
}

/// The plan for a repository at `rev`, or at its latest tag.
pub(crate) async fn plan(
    cx: &Context<'_>,
    forge: Forge,
    owner: &str,
    repo: &str,
    rev: Option<&str>,
) -> Result<Plan, ResolveError> {
    let site = site(cx, forge)?;
    let rev = match rev {
        Some(rev) => rev.to_string(),
        None => latest_tag(cx, &site, owner, repo).await?,
    };
    let fetch = match forge {
        Forge::GitHub => Fetch::GitHub {
            owner: owner.into(),
            repo: repo.into(),
            rev: rev.clone(),
        },
        Forge::GitLab => Fetch::GitLab {
            owner: owner.into(),
            repo: repo.into(),
            rev: rev.clone(),
        },
        Forge::Codeberg => Fetch::Gitea {
            domain: forge.public_host().into(),
            owner: owner.into(),
            repo: repo.into(),
            rev: rev.clone(),
        },
    };
    Ok(Plan {
        pname: repo.to_ascii_lowercase(),
        version: version_from_rev(repo, &rev),
        fetch,
        download: site.archive_url(owner, repo, &rev),
        hash: HashKind::Nar,
        meta: Meta::default(),
        label: format!("{}:{owner}/{repo}@{rev}", forge.prefix()),
        registry: None,
    })
}

async fn latest_tag(
    cx: &Context<'_>,
    site: &Site,
    owner: &str,
    repo: &str,
) -> Result<String, ResolveError> {
    let url = site
        .tags_url(owner, repo)
        .map_err(|e| ResolveError::BadAnswer {
            url: site.api.to_string(),
            expected: "forge API",
            reason: e.to_string(),
        })?;
    let tags: Vec<Tag> = match http::get_json(cx, &url, Some("application/json"), "forge API").await
    {
        Ok(tags) => tags,
        Err(ResolveError::NotFound { .. }) => {
            return Err(ResolveError::UnknownName {
                kind: "repository",
                name: format!("{owner}/{repo}"),
                place: site.forge.to_string(),
            })
        }
        Err(e) => return Err(e),
    };
    let names: Vec<String> = tags.into_iter().map(|t| t.name).collect();
    pick_latest(repo, &names).ok_or_else(|| ResolveError::NoTags {
        repo: format!("{}:{owner}/{repo}", site.forge.prefix()),
        example: format!("{}:{owner}/{repo}@COMMIT", site.forge.prefix()),
    })
}

/// The tag with the highest version; pre-releases only when there is nothing else, and the
/// forge's first-listed tag when none looks like a version.
fn pick_latest(repo: &str, tags: &[String]) -> Option<String> {
    let versioned: Vec<(&String, String)> = tags
        .iter()
        .map(|t| (t, version_from_rev(repo, t)))
        .filter(|(_, v)| v.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let stable: Vec<&(&String, String)> = versioned.iter().filter(|(_, v)| !is_pre(v)).collect();
    let pool: Vec<&(&String, String)> = if stable.is_empty() {
        versioned.iter().collect()
    } else {
        stable
    };
    pool.into_iter()
        .max_by(|a, b| compare_loose(&a.1, &b.1))
        .map(|(t, _)| (*t).clone())
        .or_else(|| tags.first().cloned())
}

fn is_pre(version: &str) -> bool {
    let v = version.to_ascii_lowercase();
    ["rc", "alpha", "beta", "pre", "dev", "snapshot", "nightly"]
        .iter()
        .any(|m| v.contains(m))
}

/// Compares versions by their runs of digits (numerically) and other characters (as text).
fn compare_loose(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if ord != std::cmp::Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

/// The version a tag names: `v1.2` → `1.2`, `ripgrep-14.1.0` → `14.1.0`; a commit or branch
/// becomes `0-unstable-<rev>` (shortened for commits), as nixpkgs versions unreleased sources.
fn version_from_rev(repo: &str, rev: &str) -> String {
    let mut v = rev;
    for sep in ['-', '_'] {
        let prefix = format!("{}{sep}", repo.to_ascii_lowercase());
        if v.to_ascii_lowercase().starts_with(&prefix) {
            v = &v[prefix.len()..];
        }
    }
    if let Some(rest) = v.strip_prefix(['v', 'V']) {
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            v = rest;
        }
    }
    if v.starts_with(|c: char| c.is_ascii_digit()) && !is_commit(v) {
        return v.to_string();
    }
    let short = if is_commit(rev) { &rev[..7] } else { rev };
    format!("0-unstable-{}", short.replace('/', "-"))
}

fn is_commit(rev: &str) -> bool {
    rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_tags() {
        assert_eq!(version_from_rev("foot", "1.16.2"), "1.16.2");
        assert_eq!(version_from_rev("jq", "v1.7.1"), "1.7.1");
        assert_eq!(version_from_rev("jq", "jq-1.7.1"), "1.7.1");
        assert_eq!(version_from_rev("ripgrep", "ripgrep-v14.1.0"), "14.1.0");
        assert_eq!(version_from_rev("x", "main"), "0-unstable-main");
        assert_eq!(
            version_from_rev("x", "4649aa9700619f94cf9c66876e9549d83420e16c"),
            "0-unstable-4649aa9"
        );
    }

    #[test]
    fn latest_tag_is_the_highest_stable_version() {
        let tags: Vec<String> = ["v1.9.0", "v1.10.0-rc1", "v1.10.0", "v1.2.0", "nightly"]
            .map(String::from)
            .into();
        assert_eq!(pick_latest("x", &tags).as_deref(), Some("v1.10.0"));
        let tags: Vec<String> = ["v2.0.0-rc1", "v1.0.0-beta"].map(String::from).into();
        assert_eq!(pick_latest("x", &tags).as_deref(), Some("v2.0.0-rc1"));
        let tags: Vec<String> = ["stable", "latest"].map(String::from).into();
        assert_eq!(pick_latest("x", &tags).as_deref(), Some("stable"));
        assert_eq!(pick_latest("x", &[]), None);
    }

    #[test]
    fn archive_urls() {
        let site = |forge| Site {
            forge,
            base: Url::parse("http://127.0.0.1:9/").unwrap(),
            api: Url::parse("http://127.0.0.1:9/api/").unwrap(),
        };
        assert_eq!(
            site(Forge::GitHub).archive_url("o", "r", "v1.2"),
            "http://127.0.0.1:9/o/r/archive/v1.2.tar.gz"
        );
        assert_eq!(
            site(Forge::GitLab).archive_url("g/o", "r", "v1.2"),
            "http://127.0.0.1:9/g/o/r/-/archive/v1.2/r-v1.2.tar.gz"
        );
        assert_eq!(
            site(Forge::Codeberg).archive_url("o", "r", "1.0"),
            "http://127.0.0.1:9/o/r/archive/1.0.tar.gz"
        );
        assert_eq!(
            site(Forge::GitLab).tags_url("g/o", "r").unwrap().as_str(),
            "http://127.0.0.1:9/api/projects/g%2Fo%2Fr/repository/tags?per_page=100"
        );
    }
}

//! Forge repository URLs (GitHub, GitLab, Codeberg) and `github:owner/repo@rev` references:
//! which repository they name and at which tag, branch or commit, from the URL shapes the forges'
//! web pages and archive links use.

use percent_encoding::percent_decode_str;
use url::Url;

use crate::{Forge, Request, RequestError};

/// The archive suffixes forges serve, longest first so `.tar.gz` wins over `.gz`.
const ARCHIVE_SUFFIXES: [&str; 7] = [
    ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".zip", ".tar",
];

fn strip_archive_suffix(file: &str) -> Option<&str> {
    ARCHIVE_SUFFIXES
        .iter()
        .find_map(|s| file.strip_suffix(s))
        .filter(|rev| !rev.is_empty())
}

fn valid_part(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `github:owner/repo[@rev]` (GitLab owners may be `group/subgroup`).
pub(crate) fn reference(forge: Forge, rest: &str, input: &str) -> Result<Request, RequestError> {
    let bad = |reason: &str| RequestError::BadForgeUrl {
        input: input.to_string(),
        reason: format!(
            "{reason}; write {}:OWNER/REPO or {}:OWNER/REPO@TAG",
            forge.prefix(),
            forge.prefix()
        ),
    };
    let (path, rev) = match rest.split_once('@') {
        Some((path, rev)) if !rev.is_empty() => (path, Some(rev.to_string())),
        Some(_) => return Err(bad("the revision after '@' is empty")),
        None => (rest, None),
    };
    let path = path.trim_matches('/');
    let (owner, repo) = path
        .rsplit_once('/')
        .ok_or_else(|| bad("it names no repository"))?;
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    if !owner.split('/').all(valid_part) || !valid_part(repo) {
        return Err(bad(
            "the owner or repository name has characters forges do not allow",
        ));
    }
    Ok(Request::Forge {
        forge,
        owner: owner.to_string(),
        repo: repo.to_string(),
        rev,
    })
}

/// A forge URL → the repository it shows, or `Ok(None)` for URLs that are not a forge's
/// repository pages (including release assets, which are archives in their own right).
pub(crate) fn from_url(url: &Url, input: &str) -> Result<Option<Request>, RequestError> {
    let Some(host) = url.host_str() else {
        return Ok(None);
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let Some(forge) = Forge::ALL.into_iter().find(|f| f.public_host() == host) else {
        return Ok(None);
    };
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| {
            s.filter(|p| !p.is_empty())
                // Tags like `v1.0%2Bbuild` arrive escaped.
                .map(|p| percent_decode_str(p).decode_utf8_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let bad = |reason: &str| RequestError::BadForgeUrl {
        input: input.to_string(),
        reason: format!(
            "{reason}; give the repository's URL, e.g. https://{}/OWNER/REPO",
            forge.public_host()
        ),
    };
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (owner, repo, rest) = match forge {
        // GitLab groups nest; the repository ends where the "-" separator starts its pages.
        Forge::GitLab => {
            let dash = parts.iter().position(|p| *p == "-").unwrap_or(parts.len());
            if dash < 2 {
                return Err(bad("it names no repository"));
            }
            (
                parts[..dash - 1].join("/"),
                parts[dash - 1],
                parts.get(dash + 1..).unwrap_or(&[]),
            )
        }
        Forge::GitHub | Forge::Codeberg => {
            if parts.len() < 2 {
                return Err(bad("it names no repository"));
            }
            (parts[0].to_string(), parts[1], &parts[2..])
        }
    };
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    if !owner.split('/').all(valid_part) || !valid_part(repo) {
        return Err(bad(
            "the owner or repository name has characters forges do not allow",
        ));
    }
    let rev = match (forge, rest) {
        // Release assets are archives of their own (often with built files): fetch them as URLs.
        (Forge::GitHub | Forge::Codeberg, ["releases", "download", ..]) => return Ok(None),
        (Forge::GitLab, ["archive", rev, ..]) => Some(rev.to_string()),
        (_, ["archive", "refs", "tags" | "heads", file]) | (_, ["archive", file]) => Some(
            strip_archive_suffix(file)
                .ok_or_else(|| bad("the archive link names no revision"))?
                .to_string(),
        ),
        (_, ["releases", "tag", tag, ..]) | (Forge::GitLab, ["releases" | "tags", tag, ..]) => {
            Some(tag.to_string())
        }
        (Forge::Codeberg, ["src", "tag" | "branch" | "commit", rev @ ..]) if !rev.is_empty() => {
            Some(rev.join("/"))
        }
        (_, ["commit" | "commits", sha, ..]) => Some(sha.to_string()),
        // Branch names may contain '/', so everything after "tree" is the branch.
        (Forge::GitHub | Forge::GitLab, ["tree", rev @ ..]) if !rev.is_empty() => {
            Some(rev.join("/"))
        }
        _ => None,
    };
    Ok(Some(Request::Forge {
        forge,
        owner,
        repo: repo.to_string(),
        rev,
    }))
}

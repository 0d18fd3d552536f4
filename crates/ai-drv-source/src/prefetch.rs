//! Prefetch: download a source and compute the hash and store path Nix will expect for it —
//! `nix-prefetch-url` (flat) and `nix-prefetch-url --unpack` (NAR of the unpacked tree), in Rust.

use std::path::{Path, PathBuf};

use ai_drv_config::{Config, ConfigError};
use ai_drv_hash::{fixed_output_path, hash_path, Algorithm, Hash, StorePathError};
use url::Url;

use crate::download::{download, DownloadError, Progress};
use crate::unpack::{strip_single_top, unpack, ArchiveKind, UnpackError};

/// What to prefetch and how.
#[derive(Debug, Clone, Default)]
pub struct PrefetchOptions {
    /// Hash the unpacked tree (for `fetchzip` and forge fetchers) instead of the file.
    pub unpack: bool,
    /// Store path name; defaults to the URL's last path segment, as `nix-prefetch-url` does.
    pub name: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrefetchError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Download(#[from] DownloadError),
    #[error(transparent)]
    Unpack(#[from] UnpackError),
    #[error("{0}; pass --name to choose one")]
    Name(StorePathError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A prefetched source. The downloaded (and unpacked) content stays in a temporary directory for
/// as long as this value lives, named so that adding it to the Nix store gives `store_path`.
#[derive(Debug)]
pub struct Prefetched {
    /// The URL as given (possibly `mirror://…`).
    pub url: String,
    /// The URL it was downloaded from.
    pub resolved: Url,
    pub name: String,
    pub unpack: bool,
    /// sha256: flat, or NAR of the unpacked tree.
    pub hash: Hash,
    pub store_path: String,
    /// Bytes downloaded.
    pub size: u64,
    pub archive: Option<ArchiveKind>,
    content: PathBuf,
    _workdir: tempfile::TempDir,
}

impl Prefetched {
    /// The file (flat) or tree (unpacked) the hash is of, with `name` as its file name.
    pub fn content_path(&self) -> &Path {
        &self.content
    }
}

/// The name `nix-prefetch-url` would give the download: the URL's last path segment.
pub fn url_name(url: &str) -> String {
    let without_query = url.split(['?', '#']).next().unwrap_or(url);
    let last = without_query
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    percent_decode(last)
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// Downloads `source` (trying each mirror in turn) and pins it.
pub async fn prefetch(
    config: &Config,
    source: &str,
    options: &PrefetchOptions,
    progress: &dyn Progress,
) -> Result<Prefetched, PrefetchError> {
    let name = options.name.clone().unwrap_or_else(|| url_name(source));
    ai_drv_hash::validate_name(&name).map_err(PrefetchError::Name)?;
    let candidates = config.resolve_url(source)?;
    let workdir = tempfile::Builder::new()
        .prefix("ai-drv-prefetch-")
        .tempdir()
        .map_err(|e| PrefetchError::Io {
            path: std::env::temp_dir(),
            source: e,
        })?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PrefetchError::Io { path, source }
    };
    let dl_dir = workdir.path().join("download");
    fs_err::create_dir(&dl_dir).map_err(io(&dl_dir))?;
    let dest = dl_dir.join(&name);

    let mut last_error = None;
    let mut downloaded = None;
    let count = candidates.len();
    for (i, url) in candidates.into_iter().enumerate() {
        match download(&url, &dest, progress).await {
            Ok(d) => {
                downloaded = Some((url, d));
                break;
            }
            Err(e) => {
                if i + 1 < count {
                    tracing::warn!("{e}; trying the next mirror");
                }
                last_error = Some(e);
            }
        }
    }
    let Some((resolved, downloaded)) = downloaded else {
        return Err(last_error.map(PrefetchError::from).unwrap_or_else(|| {
            PrefetchError::Config(ConfigError::UnknownMirror(
                source.into(),
                config.file_path().clone(),
            ))
        }));
    };

    let (hash, archive, content) = if options.unpack {
        let out = workdir.path().join("unpacked");
        fs_err::create_dir(&out).map_err(io(&out))?;
        let kind = unpack(&downloaded.path, &out)?;
        let top = strip_single_top(&out)?;
        // Name the tree as the store path will be named.
        let named_dir = workdir.path().join("named");
        fs_err::create_dir(&named_dir).map_err(io(&named_dir))?;
        let named = named_dir.join(&name);
        fs_err::rename(&top, &named).map_err(io(&top))?;
        let hash = hash_path(Algorithm::Sha256, &named).map_err(|e| PrefetchError::Io {
            path: named.clone(),
            source: std::io::Error::other(e.to_string()),
        })?;
        (hash, Some(kind), named)
    } else {
        (downloaded.sha256.clone(), None, downloaded.path.clone())
    };
    let store_path =
        fixed_output_path(&name, &hash, options.unpack).map_err(PrefetchError::Name)?;
    Ok(Prefetched {
        url: source.to_string(),
        resolved,
        name,
        unpack: options.unpack,
        hash,
        store_path,
        size: downloaded.size,
        archive,
        content,
        _workdir: workdir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_like_nix_prefetch_url() {
        assert_eq!(
            url_name("mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz"),
            "sl_5.02.orig.tar.gz"
        );
        assert_eq!(url_name("https://x.invalid/a/b-1.0.zip?raw=1"), "b-1.0.zip");
        assert_eq!(url_name("https://x.invalid/a/c%2B%2B-1.tgz"), "c++-1.tgz");
    }
}

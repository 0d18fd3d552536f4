//! Downloading a URL to a file, hashing it on the way, with progress reported to the caller.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ai_drv_hash::{Algorithm, Hash, Hasher};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;
use url::Url;

/// Receives download progress (the CLI draws a bar; the server records it).
pub trait Progress: Send + Sync {
    fn start(&self, _url: &Url, _total: Option<u64>) {}
    fn advance(&self, _bytes: u64) {}
    fn finish(&self) {}
}

/// Reports nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Why a download failed; each message names the URL and says what happened.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: Url, reason: String },
    #[error("{url} answered HTTP {status}{}", if *.status == 404 { " (not found): check the URL" } else { "" })]
    Status { url: Url, status: u16 },
    #[error("download of {url} broke off: {reason}")]
    Interrupted { url: Url, reason: String },
    #[error("{path}: {source}")]
    Local {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("unsupported URL scheme '{0}': use http, https, file or mirror://")]
    Scheme(String),
}

/// A downloaded file and its flat sha256.
#[derive(Debug, Clone)]
pub struct Downloaded {
    pub path: PathBuf,
    pub size: u64,
    pub sha256: Hash,
}

pub(crate) fn client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(30))
        // A stalled transfer fails like Nix's `stalled-download-timeout` would.
        .read_timeout(Duration::from_secs(300))
        .user_agent(concat!("ai-drv/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// The causes of an HTTP error as one line. reqwest's own top message repeats the URL (which ours
/// already names) and hyper adds generic layers ("client error (Connect)"); the causes below them
/// say what happened.
pub(crate) fn reason(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.starts_with("client error (") && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

/// Downloads `url` to `dest` (written under a temporary name and renamed when complete, so a failed
/// download leaves nothing behind).
pub async fn download(
    url: &Url,
    dest: &Path,
    progress: &dyn Progress,
) -> Result<Downloaded, DownloadError> {
    let partial = dest.with_extension("part");
    let result = match url.scheme() {
        "file" => copy_local(url, &partial, progress).await,
        "http" | "https" => fetch_http(url, &partial, progress).await,
        other => return Err(DownloadError::Scheme(other.to_string())),
    };
    progress.finish();
    match result {
        Ok((size, sha256)) => {
            tokio::fs::rename(&partial, dest)
                .await
                .map_err(|source| DownloadError::Local {
                    path: dest.to_path_buf(),
                    source,
                })?;
            Ok(Downloaded {
                path: dest.to_path_buf(),
                size,
                sha256,
            })
        }
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            Err(e)
        }
    }
}

async fn copy_local(
    url: &Url,
    partial: &Path,
    progress: &dyn Progress,
) -> Result<(u64, Hash), DownloadError> {
    let source = url
        .to_file_path()
        .map_err(|_| DownloadError::Scheme("file (with a host)".into()))?;
    let data = tokio::fs::read(&source)
        .await
        .map_err(|e| DownloadError::Local {
            path: source.clone(),
            source: e,
        })?;
    progress.start(url, Some(data.len() as u64));
    tokio::fs::write(partial, &data)
        .await
        .map_err(|source| DownloadError::Local {
            path: partial.to_path_buf(),
            source,
        })?;
    progress.advance(data.len() as u64);
    Ok((
        data.len() as u64,
        ai_drv_hash::hash_bytes(Algorithm::Sha256, &data),
    ))
}

async fn fetch_http(
    url: &Url,
    partial: &Path,
    progress: &dyn Progress,
) -> Result<(u64, Hash), DownloadError> {
    let unreachable = |e: reqwest::Error| DownloadError::Unreachable {
        url: url.clone(),
        reason: reason(&e),
    };
    let response = client()
        .map_err(unreachable)?
        .get(url.clone())
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status();
    if !status.is_success() {
        return Err(DownloadError::Status {
            url: url.clone(),
            status: status.as_u16(),
        });
    }
    progress.start(url, response.content_length());
    let mut file =
        tokio::fs::File::create(partial)
            .await
            .map_err(|source| DownloadError::Local {
                path: partial.to_path_buf(),
                source,
            })?;
    let mut hasher = Hasher::new(Algorithm::Sha256);
    let mut size = 0u64;
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| DownloadError::Interrupted {
            url: url.clone(),
            reason: reason(&e),
        })?;
        hasher.update(&chunk);
        size += chunk.len() as u64;
        file.write_all(&chunk)
            .await
            .map_err(|source| DownloadError::Local {
                path: partial.to_path_buf(),
                source,
            })?;
        progress.advance(chunk.len() as u64);
    }
    file.flush().await.map_err(|source| DownloadError::Local {
        path: partial.to_path_buf(),
        source,
    })?;
    Ok((size, hasher.finish()))
}

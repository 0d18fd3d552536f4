//! Small HTTP reads for registry metadata (index lines, JSON documents), with failures mapped to
//! the resolver's one-line errors. Archives go through `download` instead, which streams to disk.

use serde::de::DeserializeOwned;
use url::Url;

use super::{Context, ResolveError};

/// A metadata document as the server sent it.
pub(crate) struct Page {
    pub body: Vec<u8>,
    pub content_type: String,
    /// The URL after redirects: relative links on the page are relative to it.
    pub url: Url,
}

/// GETs `url`; 404 is `ResolveError::NotFound` so callers can turn it into "no such package".
pub(crate) async fn get(
    cx: &Context<'_>,
    url: &Url,
    accept: Option<&str>,
) -> Result<Page, ResolveError> {
    if url.scheme() == "file" {
        // Registries mirrored on disk (a file:// endpoint) are read directly.
        let path = url.to_file_path().map_err(|_| ResolveError::NotFound {
            url: url.to_string(),
        })?;
        return match fs_err::read(&path) {
            Ok(body) => Ok(Page {
                content_type: if path.extension().is_some_and(|e| e == "json") {
                    "application/json".into()
                } else {
                    String::new()
                },
                body,
                url: url.clone(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ResolveError::NotFound {
                url: url.to_string(),
            }),
            Err(e) => Err(ResolveError::io(&path, e)),
        };
    }
    let unreachable = |e: reqwest::Error| ResolveError::Unreachable {
        url: url.to_string(),
        reason: crate::download::reason(&e),
    };
    let mut request = cx.http.get(url.clone());
    if let Some(accept) = accept {
        request = request.header(reqwest::header::ACCEPT, accept);
    }
    let response = request.send().await.map_err(unreachable)?;
    let status = response.status();
    if status.as_u16() == 404 || status.as_u16() == 410 {
        return Err(ResolveError::NotFound {
            url: url.to_string(),
        });
    }
    if !status.is_success() {
        return Err(ResolveError::Http {
            url: url.to_string(),
            status: status.as_u16(),
        });
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let final_url = response.url().clone();
    let body = response.bytes().await.map_err(unreachable)?.to_vec();
    Ok(Page {
        body,
        content_type,
        url: final_url,
    })
}

/// GETs and parses a JSON document; `expected` names what the endpoint should be, for errors.
pub(crate) async fn get_json<T: DeserializeOwned>(
    cx: &Context<'_>,
    url: &Url,
    accept: Option<&str>,
    expected: &'static str,
) -> Result<T, ResolveError> {
    let page = get(cx, url, accept).await?;
    parse_json(&page, expected)
}

pub(crate) fn parse_json<T: DeserializeOwned>(
    page: &Page,
    expected: &'static str,
) -> Result<T, ResolveError> {
    serde_json::from_slice(&page.body).map_err(|e| ResolveError::BadAnswer {
        url: page.url.to_string(),
        expected,
        reason: e.to_string(),
    })
}

/// Joins a relative path onto a configured endpoint.
pub(crate) fn join(
    endpoint: &ai_drv_config::Endpoint,
    relative: &str,
) -> Result<Url, ResolveError> {
    endpoint
        .join(relative)
        .map_err(|e| ResolveError::BadAnswer {
            url: format!("{}{relative}", endpoint.url),
            expected: "valid URL",
            reason: e.to_string(),
        })
}

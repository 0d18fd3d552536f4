//! What a failed `genai` call means for ai-drv: whether to try again, how long to wait, and the
//! one-line [`LlmError`] to report when it is given up.
//!
//! A `genai::Error` is never displayed: some variants embed the whole request payload, and
//! `reqwest` errors name the URL. Messages are built from parts known to be safe — the status,
//! the provider's own `error.message` (trimmed), the innermost cause of a network failure — and
//! the key is scrubbed from them all the same.

use std::time::{Duration, SystemTime};

use genai::webc;
use serde_json::Value;

use crate::retry::server_delay;
use crate::types::LlmError;

/// What went wrong, before the number of attempts is known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Failure {
    RateLimited,
    Server { status: u16, message: String },
    Auth { status: u16 },
    UnknownModel { status: u16, message: String },
    Rejected { status: u16, message: String },
    Timeout,
    Unreachable { detail: String },
    BadReply { detail: String },
    Request { detail: String },
}

/// What the error is reported with.
pub(crate) struct Context<'a> {
    pub provider: &'a str,
    pub model: &'a str,
    pub base_url: &'a str,
    pub timeout: Duration,
    pub key_variable: Option<&'a str>,
    pub key: Option<&'a str>,
}

impl Failure {
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            Failure::RateLimited
                | Failure::Server { .. }
                | Failure::Timeout
                | Failure::Unreachable { .. }
                | Failure::BadReply { .. }
        )
    }

    /// A short label for logs (`HTTP 429`, `timeout`, …).
    pub fn label(&self) -> String {
        match self {
            Failure::RateLimited => "HTTP 429".into(),
            Failure::Server { status, .. }
            | Failure::Auth { status }
            | Failure::UnknownModel { status, .. }
            | Failure::Rejected { status, .. } => format!("HTTP {status}"),
            Failure::Timeout => "timeout".into(),
            Failure::Unreachable { .. } => "unreachable".into(),
            Failure::BadReply { .. } => "bad reply".into(),
            Failure::Request { .. } => "request".into(),
        }
    }

    pub fn into_error(self, ctx: &Context<'_>, attempts: u32) -> LlmError {
        let provider = ctx.provider.to_string();
        let clean = |s: String| scrub(&s, ctx.key);
        match self {
            Failure::RateLimited => LlmError::RateLimited { provider, attempts },
            Failure::Server { status, message } => LlmError::Server {
                provider,
                status,
                attempts,
                message: clean(message),
            },
            Failure::Auth { status } => LlmError::Auth {
                provider,
                status,
                variable: ctx
                    .key_variable
                    .unwrap_or("the variable named by api-key-env under [llm] (no key was sent)")
                    .to_string(),
            },
            Failure::UnknownModel { status, message } => LlmError::UnknownModel {
                provider,
                model: ctx.model.to_string(),
                status,
                message: clean(message),
            },
            Failure::Rejected { status, message } => LlmError::Rejected {
                provider,
                status,
                message: clean(message),
            },
            Failure::Timeout => LlmError::Timeout {
                provider,
                seconds: ctx.timeout.as_secs().max(1),
            },
            Failure::Unreachable { detail } => LlmError::Unreachable {
                provider,
                url: ctx.base_url.to_string(),
                detail: clean(detail),
            },
            Failure::BadReply { detail } => LlmError::BadReply {
                provider,
                detail: clean(detail),
            },
            Failure::Request { detail } => LlmError::Request {
                provider,
                detail: clean(detail),
            },
        }
    }
}

/// The failure, and the wait the server asked for (if any).
pub(crate) fn classify(e: &genai::Error) -> (Failure, Option<Duration>) {
    if let Some(status) = e.status() {
        let retry_after = e.headers().and_then(|h| {
            let get = |name: &str| h.get(name).and_then(|v| v.to_str().ok());
            server_delay(get("retry-after-ms"), get("retry-after"), SystemTime::now())
        });
        return (status_failure(status.as_u16(), status_body(e)), retry_after);
    }
    let failure = match e {
        genai::Error::WebModelCall { webc_error, .. }
        | genai::Error::WebAdapterCall { webc_error, .. } => match webc_error {
            webc::Error::Reqwest(r) => {
                if r.is_timeout() {
                    Failure::Timeout
                } else if r.is_connect() {
                    Failure::Unreachable {
                        detail: innermost(r).unwrap_or_else(|| "could not connect".into()),
                    }
                } else if r.is_body() || r.is_decode() {
                    Failure::BadReply {
                        detail: format!(
                            "the reply was cut off: {}",
                            innermost(r).unwrap_or_else(|| "incomplete body".into())
                        ),
                    }
                } else if broken_connection(r) {
                    Failure::Unreachable {
                        detail: innermost(r).unwrap_or_else(|| "connection lost".into()),
                    }
                } else {
                    Failure::BadReply {
                        detail: format!(
                            "no whole reply: {}",
                            innermost(r).unwrap_or_else(|| "the connection closed".into())
                        ),
                    }
                }
            }
            webc::Error::ResponseFailedInvalidJson { cause, .. } => Failure::BadReply {
                detail: format!("invalid JSON: {}", trim(cause)),
            },
            webc::Error::ResponseFailedNotJson { content_type, .. } => Failure::BadReply {
                detail: format!("content type '{}', not JSON", trim(content_type)),
            },
            _ => Failure::BadReply {
                detail: "unexpected JSON".into(),
            },
        },
        genai::Error::ChatResponseGeneration { cause, .. } => Failure::BadReply {
            detail: format!("unexpected JSON: {}", trim(cause)),
        },
        genai::Error::NoChatResponse { .. }
        | genai::Error::ChatResponse { .. }
        | genai::Error::InvalidJsonResponseElement { .. }
        | genai::Error::JsonValueExt(_)
        | genai::Error::SerdeJson(_) => Failure::BadReply {
            detail: "unexpected JSON".into(),
        },
        other => Failure::Request {
            detail: format!("genai {}", variant_name(other)),
        },
    };
    (failure, None)
}

/// The failure a status and its body stand for.
pub(crate) fn status_failure(status: u16, body: &str) -> Failure {
    let message = provider_message(body);
    let lower = message.to_lowercase();
    let about_model = lower.contains("model") || body.contains("model_not_found");
    let model_missing = body.contains("model_not_found")
        || (lower.contains("model")
            && [
                "not found",
                "does not exist",
                "not exist",
                "no such",
                "unknown model",
                "not available",
            ]
            .iter()
            .any(|p| lower.contains(p)));
    match status {
        429 => Failure::RateLimited,
        500..=599 => Failure::Server { status, message },
        401 | 403 => Failure::Auth { status },
        404 if about_model => Failure::UnknownModel { status, message },
        404 => Failure::Rejected {
            status,
            message: format!("{message}; check the base URL"),
        },
        400 | 422 if model_missing => Failure::UnknownModel { status, message },
        // Gemini answers a bad key with 400 API_KEY_INVALID.
        400 if lower.contains("api key") || body.contains("API_KEY_INVALID") => {
            Failure::Auth { status }
        }
        _ => Failure::Rejected { status, message },
    }
}

fn status_body(e: &genai::Error) -> &str {
    match e {
        genai::Error::HttpError { body, .. } => body,
        genai::Error::WebModelCall { webc_error, .. }
        | genai::Error::WebAdapterCall { webc_error, .. } => match webc_error {
            webc::Error::ResponseFailedStatus { body, .. } => body,
            _ => "",
        },
        _ => "",
    }
}

/// The provider's own words: `error.message` (OpenAI, Anthropic, Gemini), `error` as a string
/// (Ollama), a top-level `message` or `detail`, else the body itself; one line, at most 200
/// characters.
pub(crate) fn provider_message(body: &str) -> String {
    let json: Option<Value> = serde_json::from_str(body).ok();
    let from_json = json.as_ref().and_then(|v| {
        [
            v.pointer("/error/message"),
            v.get("error"),
            v.get("message"),
            v.get("detail"),
        ]
        .into_iter()
        .flatten()
        .find_map(Value::as_str)
        .map(str::to_string)
    });
    let text = from_json.unwrap_or_else(|| body.to_string());
    let text = trim(&text);
    if text.is_empty() {
        "no message".into()
    } else {
        text
    }
}

/// One line, at most 200 characters.
pub(crate) fn trim(s: &str) -> String {
    let line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 200 {
        let mut cut: String = line.chars().take(199).collect();
        cut.push('…');
        cut
    } else {
        line
    }
}

/// `s` with every occurrence of the key replaced, in case a server echoes it back.
pub(crate) fn scrub(s: &str, key: Option<&str>) -> String {
    match key {
        Some(k) if !k.is_empty() => s.replace(k, "***"),
        _ => s.to_string(),
    }
}

/// The innermost cause of an error (the operating system's or resolver's words), which carries
/// neither URLs nor payloads.
fn innermost(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur = e.source()?;
    while let Some(next) = cur.source() {
        cur = next;
    }
    Some(trim(&cur.to_string()))
}

fn broken_connection(e: &(dyn std::error::Error + 'static)) -> bool {
    use std::io::ErrorKind::*;
    let mut cur = e.source();
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                ConnectionRefused | ConnectionReset | ConnectionAborted | NotConnected | BrokenPipe
            );
        }
        cur = err.source();
    }
    false
}

/// The variant's name only: the rest of a `genai::Error` may hold the request.
fn variant_name(e: &genai::Error) -> String {
    let debug = format!("{e:?}");
    debug
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("error")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let openai_404 = r#"{"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}"#;
        assert_eq!(
            status_failure(404, openai_404),
            Failure::UnknownModel {
                status: 404,
                message: "The model `gpt-9` does not exist or you do not have access to it.".into()
            }
        );
        let ollama_404 = r#"{"error":"model \"x\" not found, try pulling it first"}"#;
        assert_eq!(
            status_failure(404, ollama_404),
            Failure::UnknownModel {
                status: 404,
                message: "model \"x\" not found, try pulling it first".into()
            }
        );
        assert_eq!(
            status_failure(404, "404 page not found"),
            Failure::Rejected {
                status: 404,
                message: "404 page not found; check the base URL".into()
            }
        );
        assert_eq!(
            status_failure(400, r#"{"error":"model 'q' not found"}"#),
            Failure::UnknownModel {
                status: 400,
                message: "model 'q' not found".into()
            }
        );
        assert_eq!(
            status_failure(400, r#"{"error":{"message":"max_tokens is too large"}}"#),
            Failure::Rejected {
                status: 400,
                message: "max_tokens is too large".into()
            }
        );
        let gemini_key = r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}"#;
        assert_eq!(
            status_failure(400, gemini_key),
            Failure::Auth { status: 400 }
        );
        assert_eq!(status_failure(401, ""), Failure::Auth { status: 401 });
        assert_eq!(status_failure(429, ""), Failure::RateLimited);
        assert_eq!(
            status_failure(503, "  upstream\n  overloaded "),
            Failure::Server {
                status: 503,
                message: "upstream overloaded".into()
            }
        );
        assert_eq!(
            status_failure(500, ""),
            Failure::Server {
                status: 500,
                message: "no message".into()
            }
        );
    }

    #[test]
    fn messages_are_one_short_line_without_the_key() {
        let long = "x".repeat(500);
        let m = provider_message(&format!(r#"{{"error":{{"message":"{long}"}}}}"#));
        assert_eq!(m.chars().count(), 200);
        assert!(m.ends_with('…'));
        assert_eq!(
            scrub("bad key sk-1 (sk-1)", Some("sk-1")),
            "bad key *** (***)"
        );
        assert_eq!(scrub("x", Some("")), "x");
    }
}

//! The endpoints: the original ai-drv-server protocol (`/hash`, `/drv?hash=`), ai-drv's
//! streaming `/drv?req=`, the JSON API, `/healthz` and `/metrics`; and the layer in front of
//! them all (request-target limit, token, metrics, a debug line per request).
//!
//! Plain-text errors are one line ending in `\n` that says what to do; under `/api/` errors
//! are `{"error": "one line"}`. Headers, prompts and tokens are never logged.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use ai_drv_store::JobId;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;
use serde::Deserialize;

use crate::jobs::{Flight, Lookup, Outcome, Phase};
use crate::query::{self, HashError, Prompt, PromptError};
use crate::AppState;

const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain");
const TEXT_UTF8: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
const JSON: HeaderValue = HeaderValue::from_static("application/json");
/// Seconds a client is told to wait when the queue is full or the server is stopping.
const RETRY_SECONDS: HeaderValue = HeaderValue::from_static("30");

/// The first line of a streamed `/drv?req=` body.
const GENERATING: &[u8] =
    b"# ai-drv: generating a derivation for this request; it is built and checked before it is served\n";
/// Sent every `keepalive` while the job runs. A whole comment line rather than a single
/// newline: curl (Nix's fetcher) aborts a transfer whose speed, averaged over its last ~5
/// seconds, stays under 1 byte/s for `stalled-download-timeout` seconds, so each burst must
/// carry more than 5 bytes to register as progress.
const STILL: &[u8] = b"# ai-drv: still generating\n";

type Shared = State<Arc<AppState>>;

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/hash", get(hash))
        .route("/drv", get(drv))
        .route("/api/v1/jobs", post(create_job))
        .route("/api/v1/jobs/{id}", get(job))
        .route("/api/v1/derivations/{*hash}", get(derivation))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// The metrics label of a path: a fixed set, never the path itself.
fn endpoint(path: &str) -> &'static str {
    match path {
        "/hash" => "hash",
        "/drv" => "drv",
        "/healthz" => "healthz",
        "/metrics" => "metrics",
        "/api/v1/jobs" => "jobs",
        _ if path.starts_with("/api/v1/jobs/") => "job",
        _ if path.starts_with("/api/v1/derivations/") => "derivation",
        _ => "other",
    }
}

/// In front of every endpoint: 414 for an over-long request target, 401 without the token
/// (except `/healthz`), then the request counted by endpoint and status.
async fn guard(State(state): Shared, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let endpoint = endpoint(request.uri().path());
    let api = request.uri().path().starts_with("/api/");
    let method = request.method().clone();
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    let response = if target > state.options.max_query_bytes {
        fail(
            api,
            StatusCode::URI_TOO_LONG,
            &format!(
                "the URL is {target} bytes, more than the {} this server accepts; shorten the request",
                state.options.max_query_bytes
            ),
        )
    } else if endpoint != "healthz" && !authorised(state.token.as_deref(), request.headers()) {
        let mut response = fail(
            api,
            StatusCode::UNAUTHORIZED,
            "missing or wrong token; send `Authorization: Bearer <token>` (or HTTP Basic with the token as the password, e.g. from Nix's netrc-file)",
        );
        let headers = response.headers_mut();
        headers.append(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"ai-drv\""),
        );
        response
    } else {
        next.run(request).await
    };
    let status = response.status().as_u16();
    state.metrics.request(endpoint, status);
    tracing::debug!(
        %method,
        endpoint,
        status,
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// Whether the headers carry the token: `Bearer <token>`, or HTTP Basic with the token as
/// the password and any user name.
fn authorised(token: Option<&[u8]>, headers: &HeaderMap) -> bool {
    let Some(token) = token else {
        return true;
    };
    let Some(value) = headers.get(AUTHORIZATION) else {
        return false;
    };
    let value = value.as_bytes();
    let Some(space) = value.iter().position(|&b| b == b' ') else {
        return false;
    };
    let (scheme, rest) = (&value[..space], trim(&value[space + 1..]));
    if scheme.eq_ignore_ascii_case(b"bearer") {
        same(rest, token)
    } else if scheme.eq_ignore_ascii_case(b"basic") {
        let Ok(pair) = base64::engine::general_purpose::STANDARD.decode(rest) else {
            return false;
        };
        match pair.iter().position(|&b| b == b':') {
            Some(colon) => same(&pair[colon + 1..], token),
            None => false,
        }
    } else {
        false
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != b' ').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| *b != b' ')
        .map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// Compares without stopping at the first difference, so timing does not tell how much of a
/// guessed token was right (the length may show; a token's length is no secret worth keeping).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An error answer: one line of plain text, or `{"error": …}` under `/api/`.
fn fail(api: bool, status: StatusCode, line: &str) -> Response {
    if api {
        let body = serde_json::json!({ "error": line }).to_string();
        (status, [(CONTENT_TYPE, JSON)], body).into_response()
    } else {
        (status, [(CONTENT_TYPE, TEXT_UTF8)], format!("{line}\n")).into_response()
    }
}

fn prompt_error(api: bool, error: &PromptError, usage: &str) -> Response {
    match error {
        PromptError::Missing => fail(
            api,
            StatusCode::BAD_REQUEST,
            &format!("missing parameter req; use {usage}"),
        ),
        PromptError::NotUtf8 => fail(
            api,
            StatusCode::BAD_REQUEST,
            "the request is not valid UTF-8 after percent-decoding; send UTF-8 text, percent-escaped",
        ),
        PromptError::TooLong { len, max } => fail(
            api,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the request is {len} bytes, more than the {max} this server accepts; shorten it"),
        ),
        PromptError::Empty => fail(
            api,
            StatusCode::BAD_REQUEST,
            &format!("the request is empty; say what to package, using {usage}"),
        ),
    }
}

/// The answer for a flight's outcome that is not a derivation.
fn outcome_error(api: bool, outcome: &Outcome, state: &AppState) -> Response {
    match outcome {
        Outcome::Failed { job, error, until } => {
            let wait = until.saturating_duration_since(Instant::now()).as_secs();
            fail(
                api,
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!(
                    "ai-drv could not make a verified derivation for this request (job {job}): {error}; rephrase the request or ask again in {wait} s"
                ),
            )
        }
        Outcome::Busy => retry_later(
            api,
            &format!(
                "the server is busy ({} jobs running, {} waiting); retry later",
                state.options.workers, state.options.queue
            ),
        ),
        Outcome::Stopped => retry_later(api, "the server is stopping; retry when it is back"),
        Outcome::Error(error) => fail(
            api,
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the server's store failed: {error}; see the server log"),
        ),
        Outcome::Succeeded { .. } => fail(
            api,
            StatusCode::INTERNAL_SERVER_ERROR,
            "unexpected state; see the server log",
        ),
    }
}

fn retry_later(api: bool, line: &str) -> Response {
    let mut response = fail(api, StatusCode::SERVICE_UNAVAILABLE, line);
    response.headers_mut().insert(RETRY_AFTER, RETRY_SECONDS);
    response
}

fn read_prompt<'q>(state: &AppState, raw: Option<&'q str>) -> Result<Prompt<'q>, PromptError> {
    query::prompt(raw, state.options.max_prompt_bytes)
}

/// The outcome for a prompt: from memory, or by waiting for its flight.
async fn answer(state: &AppState, endpoint: &'static str, prompt: &Prompt<'_>) -> Arc<Outcome> {
    match state.jobs.lookup(&prompt.key, &prompt.request) {
        Lookup::Ready(outcome) => {
            state.metrics.hit(endpoint);
            outcome
        }
        Lookup::Pending(flight) => {
            state.metrics.miss(endpoint);
            flight.done().await
        }
    }
}

/// `GET /hash?req=<url-escaped prompt>` — the original protocol. `200 text/plain`, body exactly
/// the 44-character standard base64 of the SHA-256 of the verified derivation's text, no
/// prefix, no newline; the same bytes for every request with the same prompt (compared after
/// collapsing whitespace), forever. The first requests for a new prompt wait for its one job
/// (the original client sends ~370 of them at once). `+` in the query means a space (as in the
/// original Flask server); a literal `+` arrives as `%2B`. A failed job answers 422 with the
/// reason until `retry_failed_after` has passed; 503 with `Retry-After` when no job can be
/// queued.
async fn hash(State(state): Shared, request: Request) -> Response {
    let prompt = match read_prompt(
        &state,
        query::param(request.uri().query().unwrap_or(""), "req"),
    ) {
        Ok(prompt) => prompt,
        Err(error) => return prompt_error(false, &error, "/hash?req=<url-escaped request>"),
    };
    let outcome = answer(&state, "hash", &prompt).await;
    match &*outcome {
        Outcome::Succeeded { served, .. } => {
            ([(CONTENT_TYPE, TEXT_PLAIN)], served.hash.clone()).into_response()
        }
        other => outcome_error(false, other, &state),
    }
}

/// `GET /drv?hash=<url-escaped base64>` — the original protocol: `200 text/plain;
/// charset=utf-8`, body the derivation text whose SHA-256 is that hash (so Nix's
/// `fetchurl { sha256 = "sha256-${hash}"; }` verifies it). The `sha256-…` form is accepted too.
/// Unknown hash → 404, malformed → 400.
///
/// `GET /drv?req=<url-escaped prompt>` — ai-drv's own, for impure fetches (`builtins.fetchurl`
/// without a hash): the text for the prompt, running or joining its job. A known prompt gets
/// the bare text at once. Otherwise the answer starts at once and, while the job runs, the
/// body carries Nix comment lines (`# ai-drv: …`) every `keepalive` so the download does not
/// stall out, then the text; if the job fails, the body ends with
/// `throw "ai-drv: <reason>"`, so importing it fails with the reason. Comments keep the file
/// valid Nix, but the body is then **not** the text `/hash` hashes — use `/drv?hash=` for
/// fixed-output fetches.
async fn drv(State(state): Shared, request: Request) -> Response {
    let query = request.uri().query().unwrap_or("");
    if let Some(raw) = query::param(query, "hash") {
        return drv_by_hash(&state, raw).await;
    }
    if let Some(raw) = query::param(query, "req") {
        return drv_by_request(&state, raw).await;
    }
    fail(
        false,
        StatusCode::BAD_REQUEST,
        "missing parameter; use /drv?hash=<hash from /hash> or /drv?req=<url-escaped request>",
    )
}

fn text(text: Bytes) -> Response {
    ([(CONTENT_TYPE, TEXT_UTF8)], text).into_response()
}

const MALFORMED_HASH: &str = "malformed hash; give the 44-character base64 SHA-256 that /hash answers (or sha256-…), url-escaped";

async fn drv_by_hash(state: &AppState, raw: &str) -> Response {
    let digest = match query::hash(Some(raw)) {
        Ok(digest) => digest,
        Err(HashError::Missing | HashError::Malformed) => {
            return fail(false, StatusCode::BAD_REQUEST, MALFORMED_HASH)
        }
    };
    if let Some(served) = state.jobs.served(&digest) {
        state.metrics.hit("drv");
        return text(served.text.clone());
    }
    state.metrics.miss("drv");
    match state.jobs.load(digest).await {
        Ok(Some(served)) => text(served.text.clone()),
        Ok(None) => fail(
            false,
            StatusCode::NOT_FOUND,
            &format!(
                "no derivation with hash {} here; get the hash from /hash?req=… on this server",
                query::base64(&digest)
            ),
        ),
        Err(error) => outcome_error(false, &Outcome::Error(error), state),
    }
}

async fn drv_by_request(state: &AppState, raw: &str) -> Response {
    let prompt = match read_prompt(state, Some(raw)) {
        Ok(prompt) => prompt,
        Err(error) => return prompt_error(false, &error, "/drv?req=<url-escaped request>"),
    };
    let flight = match state.jobs.lookup(&prompt.key, &prompt.request) {
        Lookup::Ready(outcome) => {
            state.metrics.hit("drv");
            return bare(state, &outcome);
        }
        Lookup::Pending(flight) => {
            state.metrics.miss("drv");
            flight
        }
    };
    // The store answers in milliseconds: a known prompt still gets the bare text.
    if let Phase::Done(outcome) = flight.resolved().await {
        return bare(state, &outcome);
    }
    stream(state, flight)
}

fn bare(state: &AppState, outcome: &Outcome) -> Response {
    match outcome {
        Outcome::Succeeded { served, .. } => text(served.text.clone()),
        other => outcome_error(false, other, state),
    }
}

/// The streamed answer while a job runs (see [`drv`]).
fn stream(state: &AppState, flight: Arc<Flight>) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    let keepalive = state.options.keepalive;
    tokio::spawn(async move {
        if tx.send(Bytes::from_static(GENERATING)).await.is_err() {
            return;
        }
        let mut phase = flight.subscribe();
        let mut ticks =
            tokio::time::interval_at(tokio::time::Instant::now() + keepalive, keepalive);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let outcome = loop {
            tokio::select! {
                done = async { phase.wait_for(|p| matches!(p, Phase::Done(_))).await.map(|p| p.clone()) } => {
                    break match done {
                        Ok(Phase::Done(outcome)) => outcome,
                        _ => Arc::new(Outcome::Stopped),
                    };
                }
                _ = ticks.tick() => {
                    if tx.send(Bytes::from_static(STILL)).await.is_err() {
                        // The client hung up; the job goes on without it.
                        return;
                    }
                }
            }
        };
        let tail = match &*outcome {
            Outcome::Succeeded { served, .. } => served.text.clone(),
            Outcome::Failed { error, .. } => throw(error),
            Outcome::Busy | Outcome::Stopped => {
                throw("the server stopped before the job finished; build again when it is back")
            }
            Outcome::Error(error) => throw(&format!("the server's store failed: {error}")),
        };
        let _ = tx.send(tail).await;
    });
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, Infallible>(chunk), rx))
    }));
    Response::builder()
        .header(CONTENT_TYPE, TEXT_UTF8)
        .header(CACHE_CONTROL, HeaderValue::from_static("no-store"))
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// A Nix line that fails evaluation with `reason`.
fn throw(reason: &str) -> Bytes {
    let mut line = String::with_capacity(reason.len() + 24);
    line.push_str("throw \"ai-drv: ");
    let mut chars = reason.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => line.push_str("\\\\"),
            '"' => line.push_str("\\\""),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            '\t' => line.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => line.push_str("\\$"),
            c => line.push(c),
        }
    }
    line.push_str("\"\n");
    Bytes::from(line)
}

#[derive(Deserialize)]
struct NewJob {
    request: String,
}

/// `POST /api/v1/jobs` with `{"request": "…"}` — starts (or joins) the job for a request:
/// `202 {"id": N, "state": "queued"|"running"}`, or `200` with the finished job (see
/// `GET /api/v1/jobs/{id}`) when the request is already answered. 400/413 for a blank or
/// long request, 503 with `Retry-After` when no job can be queued.
async fn create_job(State(state): Shared, request: Request) -> Response {
    // JSON may spell a byte as `\u00XX` (6 bytes); room for that and the object around it.
    let limit = state
        .options
        .max_prompt_bytes
        .saturating_mul(6)
        .saturating_add(1024);
    let too_large = || {
        fail(
            true,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "the body is larger than {limit} bytes; send {{\"request\": \"…\"}} with a request of at most {} bytes",
                state.options.max_prompt_bytes
            ),
        )
    };
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large();
    }
    let body = match axum::body::to_bytes(request.into_body(), limit).await {
        Ok(body) => body,
        Err(error) if error.to_string().contains("length limit") => return too_large(),
        Err(error) => {
            return fail(
                true,
                StatusCode::BAD_REQUEST,
                &format!("the body could not be read: {error}"),
            )
        }
    };
    let new: NewJob = match serde_json::from_slice(&body) {
        Ok(new) => new,
        Err(error) => {
            return fail(
                true,
                StatusCode::BAD_REQUEST,
                &format!("the body is not {{\"request\": \"…\"}}: {error}"),
            )
        }
    };
    let max = state.options.max_prompt_bytes;
    let usage = "{\"request\": \"…\"}";
    if new.request.len() > max {
        return prompt_error(
            true,
            &PromptError::TooLong {
                len: new.request.len(),
                max,
            },
            usage,
        );
    }
    if new.request.trim().is_empty() {
        return prompt_error(true, &PromptError::Empty, usage);
    }
    let key = ai_drv_store::normalise(&new.request);
    let flight = match state.jobs.lookup(&key, &new.request) {
        Lookup::Ready(outcome) => return finished(&state, &outcome).await,
        Lookup::Pending(flight) => flight,
    };
    match flight.resolved().await {
        Phase::Queued(id) => accepted(id, "queued"),
        Phase::Running(id) => accepted(id, "running"),
        Phase::Done(outcome) => finished(&state, &outcome).await,
        Phase::Resolving => fail(
            true,
            StatusCode::INTERNAL_SERVER_ERROR,
            "unexpected state; see the server log",
        ),
    }
}

fn accepted(id: JobId, state: &str) -> Response {
    let body = serde_json::json!({ "id": id, "state": state }).to_string();
    (StatusCode::ACCEPTED, [(CONTENT_TYPE, JSON)], body).into_response()
}

/// `200` with the job behind a finished outcome.
async fn finished(state: &AppState, outcome: &Outcome) -> Response {
    match outcome {
        Outcome::Succeeded { job, .. } | Outcome::Failed { job, .. } => job_json(state, *job).await,
        other => outcome_error(true, other, state),
    }
}

async fn job_json(state: &AppState, id: JobId) -> Response {
    match state.jobs.blocking(move |store| store.job(id)).await {
        Ok(Some(mut job)) => {
            if !job.state.is_final() {
                if let Some(progress) = state.jobs.progress(id) {
                    if progress.len() > job.attempts.len() {
                        job.attempts = progress;
                    }
                }
            }
            json(StatusCode::OK, &job)
        }
        Ok(None) => fail(
            true,
            StatusCode::NOT_FOUND,
            &format!("no job {id}; job ids come from POST /api/v1/jobs"),
        ),
        Err(error) => outcome_error(true, &Outcome::Error(error), state),
    }
}

fn json(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => (status, [(CONTENT_TYPE, JSON)], body).into_response(),
        Err(error) => fail(
            true,
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("cannot write the answer as JSON: {error}"),
        ),
    }
}

/// `GET /api/v1/jobs/{id}` — the job as JSON: request, state, timings (Unix seconds), error,
/// hash, the attempts with their diagnoses (so far, while it runs) and the engine's report.
/// 404 for an unknown id.
async fn job(State(state): Shared, request: Request) -> Response {
    let raw = request
        .uri()
        .path()
        .strip_prefix("/api/v1/jobs/")
        .unwrap_or("");
    match raw.parse::<JobId>() {
        Ok(id) => job_json(&state, id).await,
        Err(_) => fail(
            true,
            StatusCode::NOT_FOUND,
            &format!("no job {raw}; job ids are the numbers POST /api/v1/jobs answers"),
        ),
    }
}

/// `GET /api/v1/derivations/{hash}` — a stored derivation as JSON (hash, text, name, version,
/// out path, check result, the job and request that produced it). The hash as `/hash` answers
/// it or as `sha256-…`, url-escaped (an unescaped `/` works too). 400 malformed, 404 unknown.
async fn derivation(State(state): Shared, request: Request) -> Response {
    let raw = request
        .uri()
        .path()
        .strip_prefix("/api/v1/derivations/")
        .unwrap_or("");
    let Ok(digest) = query::hash(Some(raw)) else {
        return fail(true, StatusCode::BAD_REQUEST, MALFORMED_HASH);
    };
    let hash = query::base64(&digest);
    let lookup = hash.clone();
    match state
        .jobs
        .blocking(move |store| store.derivation(&lookup))
        .await
    {
        Ok(Some(derivation)) => json(StatusCode::OK, &derivation),
        Ok(None) => fail(
            true,
            StatusCode::NOT_FOUND,
            &format!("no derivation with hash {hash} here"),
        ),
        Err(error) => outcome_error(true, &Outcome::Error(error), &state),
    }
}

/// `GET /healthz` — `200 ok\n`; needs no token.
async fn healthz() -> Response {
    ([(CONTENT_TYPE, TEXT_UTF8)], Bytes::from_static(b"ok\n")).into_response()
}

/// `GET /metrics` — Prometheus metrics in OpenMetrics text: `ai_drv_http_requests_total`
/// (endpoint, status), `ai_drv_jobs` (state), `ai_drv_job_duration_seconds`,
/// `ai_drv_cache_hits_total`/`ai_drv_cache_misses_total` (endpoint), `ai_drv_jobs_in_flight`,
/// `ai_drv_queue_length`.
async fn metrics(State(state): Shared) -> Response {
    match state.metrics.render() {
        Ok(body) => (
            [(
                CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            )],
            body,
        )
            .into_response(),
        Err(_) => fail(
            false,
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot render the metrics; see the server log",
        ),
    }
}

const ENDPOINTS: &str = "/hash?req=, /drv?hash=, /drv?req=, /api/v1/jobs, /api/v1/derivations/{hash}, /healthz, /metrics";

async fn not_found(request: Request) -> Response {
    fail(
        request.uri().path().starts_with("/api/"),
        StatusCode::NOT_FOUND,
        &format!("no such endpoint; use one of {ENDPOINTS}"),
    )
}

async fn method_not_allowed(request: Request) -> Response {
    fail(
        request.uri().path().starts_with("/api/"),
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed; POST /api/v1/jobs, GET everything else",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throw_lines_are_nix_strings() {
        assert_eq!(
            &throw("no \"sl\" at ${x} \\ here\nnext")[..],
            b"throw \"ai-drv: no \\\"sl\\\" at \\${x} \\\\ here\\nnext\"\n"
        );
        assert_eq!(&throw("costs $5")[..], b"throw \"ai-drv: costs $5\"\n");
    }

    #[test]
    fn tokens() {
        let mut headers = HeaderMap::new();
        assert!(authorised(None, &headers));
        assert!(!authorised(Some(b"s3cret"), &headers));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer s3cret"));
        assert!(authorised(Some(b"s3cret"), &headers));
        assert!(!authorised(Some(b"s3cre"), &headers));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("bearer  s3cret "));
        assert!(authorised(Some(b"s3cret"), &headers));
        // "anyone:s3cret"
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_static("Basic YW55b25lOnMzY3JldA=="),
        );
        assert!(authorised(Some(b"s3cret"), &headers));
        // "s3cret" alone (no colon) is a user name, not a password.
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Basic czNjcmV0"));
        assert!(!authorised(Some(b"s3cret"), &headers));
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Token s3cret"));
        assert!(!authorised(Some(b"s3cret"), &headers));
    }

    #[test]
    fn endpoints() {
        assert_eq!(endpoint("/hash"), "hash");
        assert_eq!(endpoint("/api/v1/jobs/3"), "job");
        assert_eq!(endpoint("/api/v1/derivations/abc"), "derivation");
        assert_eq!(endpoint("/etc/passwd"), "other");
    }
}

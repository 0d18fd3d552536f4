//! Retries, waits and errors against servers that misbehave in the ways real ones do.

mod common;

use std::time::{Duration, Instant};

use ai_drv_llm::{connect, LlmError, Settings};
use common::*;
use serde_json::json;

const KEYS: &[(&str, &str)] = &[
    ("OPENAI_API_KEY", "sk-openai-test"),
    ("ANTHROPIC_API_KEY", "sk-ant-test"),
];

/// The providers the faults are tried on (three wire formats), with a good reply for each.
fn formats() -> Vec<(&'static str, &'static str, serde_json::Value)> {
    vec![
        (
            "openai",
            "gpt-4o-mini",
            json!({"id": "c", "object": "chat.completion", "model": "gpt-4o-mini",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}}),
        ),
        (
            "anthropic",
            "claude-haiku-4-5",
            json!({"id": "m", "type": "message", "role": "assistant", "model": "claude-haiku-4-5",
                   "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
                   "usage": {"input_tokens": 3, "output_tokens": 1}}),
        ),
        (
            "ollama",
            "qwen2.5-coder:7b",
            json!({"model": "qwen2.5-coder:7b", "message": {"role": "assistant", "content": "ok"},
                   "done": true, "prompt_eval_count": 3, "eval_count": 1}),
        ),
    ]
}

fn settings(provider: &str, model: &str, server: &Server, retries: u32) -> Settings {
    let mut s = settings_at(provider, model, &server.url, KEYS);
    s.max_retries = retries;
    s
}

fn call(s: &Settings) -> (Result<ai_drv_llm::Reply, LlmError>, Duration) {
    let start = Instant::now();
    let r = connect(s).unwrap().chat(&request(false));
    (r, start.elapsed())
}

#[test]
fn rate_limit_with_retry_after_is_waited_out() {
    for (provider, model, ok) in formats().into_iter().take(2) {
        let server = Server::start(vec![
            Answer::Full {
                status: 429,
                headers: vec![("retry-after".into(), "1".into())],
                content_type: "application/json".into(),
                body: json!({"error": {"message": "Rate limit reached", "type": "requests"}})
                    .to_string(),
            },
            json(200, ok),
        ]);
        let (reply, elapsed) = call(&settings(provider, model, &server, 3));
        let reply = reply.unwrap();
        assert_eq!(reply.text, "ok", "{provider}");
        assert_eq!(server.requests().len(), 2, "{provider}");
        assert!(elapsed >= Duration::from_secs(1), "{provider}: {elapsed:?}");
        // The reply's duration covers the wait.
        assert!(reply.duration >= Duration::from_secs(1), "{provider}");
    }
}

#[test]
fn retry_after_ms_wins_over_backoff() {
    let (provider, model, ok) = formats().remove(0);
    let server = Server::start(vec![
        Answer::Full {
            status: 503,
            headers: vec![("retry-after-ms".into(), "300".into())],
            content_type: "application/json".into(),
            body: "{}".into(),
        },
        json(200, ok),
    ]);
    let (reply, elapsed) = call(&settings(provider, model, &server, 1));
    assert_eq!(reply.unwrap().text, "ok");
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
}

#[test]
fn rate_limited_for_good() {
    for (provider, model, _) in formats() {
        let server = Server::start(vec![json(429, json!({"error": {"message": "slow down"}}))]);
        let (r, _) = call(&settings(provider, model, &server, 2));
        assert_eq!(
            r.unwrap_err(),
            LlmError::RateLimited {
                provider: provider.into(),
                attempts: 3
            }
        );
        assert_eq!(server.requests().len(), 3, "{provider}");
    }
}

#[test]
fn server_error_then_success() {
    for (provider, model, ok) in formats() {
        let server = Server::start(vec![
            json(500, json!({"error": {"message": "internal"}})),
            json(200, ok),
        ]);
        let (r, _) = call(&settings(provider, model, &server, 3));
        assert_eq!(r.unwrap().text, "ok", "{provider}");
        assert_eq!(server.requests().len(), 2, "{provider}");
    }
}

#[test]
fn server_error_for_good() {
    let bodies = [
        json!({"error": {"message": "The server had an error while processing your request.", "type": "server_error"}}),
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        json!({"error": "llama runner process has terminated"}),
    ];
    let messages = [
        "The server had an error while processing your request.",
        "Overloaded",
        "llama runner process has terminated",
    ];
    for (((provider, model, _), body), message) in formats().into_iter().zip(bodies).zip(messages) {
        let status = if provider == "anthropic" { 529 } else { 500 };
        let server = Server::start(vec![json(status, body)]);
        let (r, _) = call(&settings(provider, model, &server, 2));
        let err = r.unwrap_err();
        assert_eq!(
            err,
            LlmError::Server {
                provider: provider.into(),
                status,
                attempts: 3,
                message: message.into()
            }
        );
        assert_eq!(
            err.to_string(),
            format!("{provider} failed (HTTP {status}) after 3 tries: {message}")
        );
        assert_eq!(server.requests().len(), 3);
    }
}

#[test]
fn malformed_json_is_a_bad_reply_after_retries() {
    for (provider, model, _) in formats() {
        let server = Server::start(vec![Answer::Full {
            status: 200,
            headers: vec![],
            content_type: "application/json".into(),
            body: "{\"choices\": [".into(),
        }]);
        let (r, _) = call(&settings(provider, model, &server, 1));
        match r.unwrap_err() {
            LlmError::BadReply {
                provider: p,
                detail,
            } => {
                assert_eq!(p, provider);
                assert!(detail.starts_with("invalid JSON: "), "{detail}");
            }
            other => panic!("{provider}: {other:?}"),
        }
        assert_eq!(server.requests().len(), 2);
    }
}

#[test]
fn a_reply_without_its_fields_is_a_bad_reply() {
    let (provider, model, _) = formats().remove(0);
    let server = Server::start(vec![json(200, json!({"status": "ok"}))]);
    let (r, _) = call(&settings(provider, model, &server, 0));
    assert_eq!(
        r.unwrap_err(),
        LlmError::BadReply {
            provider: provider.into(),
            detail: "no 'choices' in the reply".into()
        }
    );
}

#[test]
fn html_instead_of_json_is_a_bad_reply() {
    let (provider, model, _) = formats().remove(0);
    let server = Server::start(vec![Answer::Full {
        status: 200,
        headers: vec![],
        content_type: "text/html".into(),
        body: "<html>login</html>".into(),
    }]);
    let (r, _) = call(&settings(provider, model, &server, 0));
    assert_eq!(
        r.unwrap_err(),
        LlmError::BadReply {
            provider: provider.into(),
            detail: "content type 'text/html', not JSON".into()
        }
    );
}

#[test]
fn a_body_cut_off_is_retried_then_reported() {
    for (provider, model, ok) in formats().into_iter().take(2) {
        let full = ok.to_string();
        let server = Server::start(vec![Answer::Truncated {
            declared: full.len(),
            body: full[..full.len() / 2].to_string(),
        }]);
        let (r, _) = call(&settings(provider, model, &server, 2));
        match r.unwrap_err() {
            LlmError::BadReply { detail, .. } => {
                assert!(detail.starts_with("the reply was cut off"), "{detail}")
            }
            other => panic!("{provider}: {other:?}"),
        }
        assert_eq!(server.requests().len(), 3, "{provider}");
    }
}

#[test]
fn a_server_that_never_answers_times_out() {
    let (provider, model, _) = formats().remove(0);
    let server = Server::start(vec![Answer::Hang(Duration::from_secs(10))]);
    let mut s = settings(provider, model, &server, 1);
    s.timeout = Duration::from_secs(1);
    let (r, elapsed) = call(&s);
    let err = r.unwrap_err();
    assert_eq!(
        err,
        LlmError::Timeout {
            provider: "openai".into(),
            seconds: 1
        }
    );
    assert!(err.is_transient());
    assert_eq!(server.requests().len(), 2);
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn nothing_listening_is_unreachable() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/");
    for (provider, model, _) in formats() {
        let mut s = settings_at(provider, model, &url, KEYS);
        s.max_retries = 1;
        let (r, _) = call(&s);
        match r.unwrap_err() {
            LlmError::Unreachable {
                provider: p,
                url: u,
                detail,
            } => {
                assert_eq!((p.as_str(), u.as_str()), (provider, url.as_str()));
                assert!(detail.to_lowercase().contains("refused"), "{detail}");
            }
            other => panic!("{provider}: {other:?}"),
        }
    }
}

#[test]
fn unknown_models() {
    let openai = json!({"error": {
        "message": "The model `gpt-9` does not exist or you do not have access to it.",
        "type": "invalid_request_error", "param": null, "code": "model_not_found"}});
    let server = Server::start(vec![json(404, openai)]);
    let (r, _) = call(&settings("openai", "gpt-9", &server, 3));
    let err = r.unwrap_err();
    assert_eq!(
        err,
        LlmError::UnknownModel {
            provider: "openai".into(),
            model: "gpt-9".into(),
            status: 404,
            message: "The model `gpt-9` does not exist or you do not have access to it.".into()
        }
    );
    assert!(err.to_string().contains("check --model"));
    assert_eq!(server.requests().len(), 1, "not retried");

    let ollama = json!({"error": "model \"qwen9\" not found, try pulling it first"});
    let server = Server::start(vec![json(404, ollama)]);
    let (r, _) = call(&settings("ollama", "qwen9", &server, 3));
    assert_eq!(
        r.unwrap_err(),
        LlmError::UnknownModel {
            provider: "ollama".into(),
            model: "qwen9".into(),
            status: 404,
            message: "model \"qwen9\" not found, try pulling it first".into()
        }
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn rejected_keys() {
    let bodies = [
        json!({"error": {"message": "Incorrect API key provided: sk-opena************test.", "type": "invalid_request_error", "code": "invalid_api_key"}}),
        json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}),
    ];
    let variables = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"];
    for (((provider, model, _), body), variable) in formats().into_iter().zip(bodies).zip(variables)
    {
        let server = Server::start(vec![json(401, body)]);
        let (r, _) = call(&settings(provider, model, &server, 3));
        let err = r.unwrap_err();
        assert_eq!(
            err,
            LlmError::Auth {
                provider: provider.into(),
                status: 401,
                variable: variable.into()
            }
        );
        assert_eq!(
            err.to_string(),
            format!("{provider} rejected the API key (HTTP 401); check the key in {variable}")
        );
        assert_eq!(server.requests().len(), 1, "not retried");
    }
}

#[test]
fn other_client_errors_are_not_retried() {
    let server = Server::start(vec![json(
        400,
        json!({"error": {"message": "max_tokens is too large: 999999", "type": "invalid_request_error"}}),
    )]);
    let (r, _) = call(&settings("openai", "gpt-4o-mini", &server, 3));
    assert_eq!(
        r.unwrap_err(),
        LlmError::Rejected {
            provider: "openai".into(),
            status: 400,
            message: "max_tokens is too large: 999999".into()
        }
    );
    assert_eq!(server.requests().len(), 1);
}

/// The engine may call from async code; blocking there must not panic, nor dropping the model.
#[tokio::test]
async fn chat_from_inside_a_runtime() {
    let (provider, model, ok) = formats().remove(0);
    let server = Server::start(vec![json(200, ok)]);
    let m = connect(&settings(provider, model, &server, 0)).unwrap();
    assert_eq!(m.chat(&request(false)).unwrap().text, "ok");
    assert_eq!(m.describe(), "openai:gpt-4o-mini");
    drop(m);
}

#[test]
fn one_model_from_many_threads() {
    let (provider, model, ok) = formats().remove(0);
    let server = Server::start(vec![json(200, ok)]);
    let m = connect(&settings(provider, model, &server, 0)).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(m.chat(&request(false)).unwrap().text, "ok"));
        }
    });
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_key_echoed_by_the_server_is_scrubbed_from_errors() {
    let server = Server::start(vec![json(
        400,
        json!({"error": {"message": "key sk-openai-test is not allowed for this project"}}),
    )]);
    let (r, _) = call(&settings("openai", "gpt-4o-mini", &server, 0));
    assert_eq!(
        r.unwrap_err(),
        LlmError::Rejected {
            provider: "openai".into(),
            status: 400,
            message: "key *** is not allowed for this project".into()
        }
    );
    let server = Server::start(vec![json(
        502,
        json!({"error": "upstream refused sk-openai-test"}),
    )]);
    let (r, _) = call(&settings("openai", "gpt-4o-mini", &server, 0));
    assert!(!r.unwrap_err().to_string().contains("sk-openai-test"));
}

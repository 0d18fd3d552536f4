//! The key never shows: not in any log event of ai-drv or its HTTP stack (at TRACE), not in an
//! error, not in `describe()`, `Debug` or serialised settings.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ai_drv_llm::{connect, LlmError, Settings};
use common::*;
use serde_json::json;

const KEY: &str = "sk-test-SECRET-1234";

#[derive(Clone)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn ok_openai() -> serde_json::Value {
    json!({"id": "c", "object": "chat.completion", "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": null,
            "tool_calls": [{"id": "call_1", "type": "function",
                "function": {"name": "read_file", "arguments": "{\"path\":\"Makefile\"}"}}]},
            "finish_reason": "tool_calls"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}})
}

#[test]
fn the_key_is_never_printed() {
    let buffer = Buffer(Arc::new(Mutex::new(Vec::new())));
    let writer = buffer.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let env = [
        ("OPENAI_API_KEY", KEY),
        ("ANTHROPIC_API_KEY", KEY),
        ("GEMINI_API_KEY", KEY),
    ];
    let mut seen_settings: Vec<Settings> = Vec::new();
    let mut errors: Vec<LlmError> = Vec::new();
    let make = |provider: &str, model: &str, url: &str| {
        let mut s = settings_at(provider, model, url, &env);
        s.max_retries = 1;
        s
    };

    // Successful calls in three formats (the key in Authorization, x-api-key, x-goog-api-key).
    let server = Server::start(vec![json(200, ok_openai())]);
    let s = make("openai", "gpt-4o-mini", &server.url);
    connect(&s).unwrap().chat(&request(true)).unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer sk-test-SECRET-1234"),
        "the key does reach its provider"
    );
    seen_settings.push(s);

    let server = Server::start(vec![json(
        200,
        json!({"id": "m", "type": "message", "role": "assistant",
        "model": "claude-haiku-4-5", "content": [{"type": "text", "text": "ok"}],
        "usage": {"input_tokens": 1, "output_tokens": 1}}),
    )]);
    let s = make("anthropic", "claude-haiku-4-5", &server.url);
    connect(&s).unwrap().chat(&request(false)).unwrap();
    seen_settings.push(s);

    let server = Server::start(vec![json(
        200,
        json!({"candidates": [{"content": {"parts": [{"text": "ok"}],
        "role": "model"}, "finishReason": "STOP"}], "usageMetadata": {"promptTokenCount": 1,
        "candidatesTokenCount": 1}}),
    )]);
    let s = make("gemini", "gemini-2.5-flash", &server.url);
    connect(&s).unwrap().chat(&request(false)).unwrap();
    seen_settings.push(s);

    // Failing calls: a retried rate limit, rejected key (masked the way OpenAI masks it),
    // server errors, unreadable and cut-off replies, silence, nobody listening.
    let failures = vec![
        vec![
            json(429, json!({"error": {"message": "slow down"}})),
            json(200, ok_openai()),
        ],
        vec![json(
            401,
            json!({"error": {"message": "Incorrect API key provided: sk-test-***********1234."}}),
        )],
        vec![json(500, json!({"error": {"message": "boom"}}))],
        vec![json(
            404,
            json!({"error": {"message": "The model `gpt-4o-mini` does not exist", "code": "model_not_found"}}),
        )],
        vec![Answer::Full {
            status: 200,
            headers: vec![],
            content_type: "application/json".into(),
            body: "{".into(),
        }],
        vec![Answer::Truncated {
            declared: 500,
            body: "{\"id\":".into(),
        }],
    ];
    for answers in failures {
        let server = Server::start(answers);
        let s = make("openai", "gpt-4o-mini", &server.url);
        if let Err(e) = connect(&s).unwrap().chat(&request(true)) {
            errors.push(e);
        }
    }
    let server = Server::start(vec![Answer::Hang(Duration::from_secs(5))]);
    let mut s = make("openai", "gpt-4o-mini", &server.url);
    s.timeout = Duration::from_secs(1);
    s.max_retries = 0;
    errors.push(connect(&s).unwrap().chat(&request(false)).unwrap_err());
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let s = make("openai", "gpt-4o-mini", &dead);
    errors.push(connect(&s).unwrap().chat(&request(false)).unwrap_err());
    seen_settings.push(s);

    assert_eq!(errors.len(), 7, "{errors:?}");
    for e in &errors {
        for text in [e.to_string(), format!("{e:?}")] {
            assert!(!text.contains(KEY), "{text}");
        }
    }
    for s in &seen_settings {
        assert!(s.has_key());
        for text in [
            s.describe(),
            format!("{s:?}"),
            format!("{s:#?}"),
            serde_json::to_string(s).unwrap(),
        ] {
            assert!(!text.contains(KEY), "{text}");
            assert!(!text.contains("SECRET"), "{text}");
        }
        let m = connect(s).unwrap();
        assert!(!m.describe().contains(KEY));
    }

    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // The subscriber did see ai-drv's events and the HTTP stack's.
    assert!(log.contains("model call"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert!(log.contains("genai"), "{log}");
    assert!(log.contains("AI Response body"), "{log}");
    assert!(!log.contains(KEY), "the key is in the log");
    assert!(!log.contains("SECRET"), "part of the key is in the log");
}

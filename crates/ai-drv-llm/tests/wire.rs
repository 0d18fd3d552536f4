//! What ai-drv sends to each provider and how it reads real-shaped replies, over real HTTP on
//! 127.0.0.1. Request bodies are compared whole, against each API's reference format.

mod common;

use ai_drv_llm::{connect, ChatRequest, Reply, Settings, ToolCall, Usage};
use common::*;
use serde_json::{json, Value};

const KEYS: &[(&str, &str)] = &[
    ("OPENAI_API_KEY", "sk-openai-test"),
    ("ANTHROPIC_API_KEY", "sk-ant-test"),
    ("GEMINI_API_KEY", "gemini-test-key"),
];

/// One call against a server that gives `answer`; the reply and what the server saw.
fn exchange(settings: &Settings, request: &ChatRequest, answer: Value) -> (Reply, Recorded) {
    let server = Server::start(vec![json(200, answer)]);
    let mut settings = settings.clone();
    settings.base_url = server.url.clone() + settings.base_url.trim_start_matches("http://x/");
    let reply = connect(&settings).unwrap().chat(request).unwrap();
    let mut seen = server.requests();
    assert_eq!(seen.len(), 1);
    (reply, seen.remove(0))
}

/// Settings for `provider`; `exchange` replaces the placeholder host with the server's.
fn at(provider: &str, model: &str, path: &str) -> Settings {
    settings_at(provider, model, &format!("http://x/{path}"), KEYS)
}

fn tool_call() -> Vec<ToolCall> {
    vec![ToolCall {
        id: "call_1".into(),
        name: "read_file".into(),
        arguments: json!({"path": "Makefile"}),
    }]
}

fn usage(cost: Option<f64>) -> Usage {
    Usage {
        input_tokens: 1000,
        output_tokens: 500,
        cost_usd: cost,
    }
}

fn assert_cost(reply: &Reply, expected: Option<f64>) {
    match (reply.usage.cost_usd, expected) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12, "{a} != {b}"),
        (a, b) => assert_eq!(a, b),
    }
    assert_eq!(
        (reply.usage.input_tokens, reply.usage.output_tokens),
        (1000, 500)
    );
}

fn openai_tool_json() -> Value {
    json!([{
        "type": "function",
        "function": {
            "name": "read_file",
            "description": "Read a file of the source tree",
            "parameters": read_file_schema(),
            "strict": false
        }
    }])
}

fn openai_body(model: &str, tools: bool) -> Value {
    let mut body = json!({
        "model": model,
        "stream": false,
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": QUESTION}
        ],
        "temperature": 0.2,
        "max_tokens": 256
    });
    if tools {
        body["tools"] = openai_tool_json();
    }
    body
}

fn openai_tool_reply(model: &str) -> Value {
    json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": model,
        "choices": [{
            "index": 0,
            "message": {
                "role": "assistant", "content": null,
                "tool_calls": [{"id": "call_1", "type": "function",
                    "function": {"name": "read_file", "arguments": "{\"path\":\"Makefile\"}"}}]
            },
            "finish_reason": "tool_calls"
        }],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}
    })
}

fn openai_text_reply(model: &str) -> Value {
    json!({
        "id": "chatcmpl-2", "object": "chat.completion", "created": 1_700_000_000, "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "It uses a plain Makefile."},
            "finish_reason": "stop"
        }],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}
    })
}

#[test]
fn openai_chat_completions() {
    let s = at("openai", "gpt-4o-mini", "v1/");
    let (reply, seen) = exchange(
        &s,
        &request(true),
        openai_tool_reply("gpt-4o-mini-2024-07-18"),
    );
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(seen.header("authorization"), Some("Bearer sk-openai-test"));
    assert_eq!(seen.body, openai_body("gpt-4o-mini", true));
    assert_eq!(reply.text, "");
    assert_eq!(reply.tool_calls, tool_call());
    assert_eq!(reply.model, "gpt-4o-mini-2024-07-18");
    // gpt-4o-mini: 0.15 and 0.60 USD per million tokens.
    assert_cost(&reply, Some(0.00045));

    let (reply, seen) = exchange(&s, &request(false), openai_text_reply("gpt-4o-mini"));
    assert_eq!(seen.body, openai_body("gpt-4o-mini", false));
    assert!(seen.body.get("tools").is_none());
    assert_eq!(reply.text, "It uses a plain Makefile.");
    assert!(reply.tool_calls.is_empty());
    assert_eq!(reply.usage, usage(reply.usage.cost_usd));
}

#[test]
fn openai_responses() {
    let s = at("openai-responses", "gpt-4o-mini", "v1/");
    let reply_body = json!({
        "id": "resp_1", "object": "response", "created_at": 1_700_000_000, "status": "completed",
        "model": "gpt-4o-mini-2024-07-18",
        "output": [{"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "read_file",
                    "arguments": "{\"path\":\"Makefile\"}", "status": "completed"}],
        "usage": {"input_tokens": 1000, "output_tokens": 500, "total_tokens": 1500}
    });
    let (reply, seen) = exchange(&s, &request(true), reply_body);
    assert_eq!(seen.path, "/v1/responses");
    assert_eq!(seen.header("authorization"), Some("Bearer sk-openai-test"));
    let mut expected = json!({
        "store": false,
        "model": "gpt-4o-mini",
        "stream": false,
        "instructions": SYSTEM,
        "input": [{"role": "user", "content": QUESTION}],
        "temperature": 0.2,
        "max_output_tokens": 256
    });
    expected["tools"] = json!([{
        "type": "function",
        "name": "read_file",
        "description": "Read a file of the source tree",
        "parameters": read_file_schema()
    }]);
    assert_eq!(seen.body, expected);
    assert_eq!(reply.tool_calls, tool_call());
    assert_cost(&reply, Some(0.00045));

    let text = json!({
        "id": "resp_2", "object": "response", "created_at": 1_700_000_000, "status": "completed",
        "model": "gpt-4o-mini-2024-07-18",
        "output": [{"type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
                    "content": [{"type": "output_text", "text": "It uses a plain Makefile.", "annotations": []}]}],
        "usage": {"input_tokens": 1000, "output_tokens": 500, "total_tokens": 1500}
    });
    let (reply, seen) = exchange(&s, &request(false), text);
    expected.as_object_mut().unwrap().remove("tools");
    assert_eq!(seen.body, expected);
    assert_eq!(reply.text, "It uses a plain Makefile.");
    assert_eq!(reply.model, "gpt-4o-mini-2024-07-18");
}

#[test]
fn anthropic_messages() {
    let s = at("anthropic", "claude-haiku-4-5", "v1/");
    let reply_body = json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-haiku-4-5-20251001",
        "content": [
            {"type": "text", "text": "Let me look."},
            {"type": "tool_use", "id": "call_1", "name": "read_file", "input": {"path": "Makefile"}}
        ],
        "stop_reason": "tool_use", "stop_sequence": null,
        "usage": {"input_tokens": 1000, "output_tokens": 500}
    });
    let (reply, seen) = exchange(&s, &request(true), reply_body);
    assert_eq!(seen.path, "/v1/messages");
    assert_eq!(seen.header("x-api-key"), Some("sk-ant-test"));
    assert_eq!(seen.header("anthropic-version"), Some("2023-06-01"));
    assert_eq!(seen.header("authorization"), None);
    let mut expected = json!({
        "model": "claude-haiku-4-5",
        "stream": false,
        "system": SYSTEM,
        "messages": [{"role": "user", "content": QUESTION}],
        "temperature": 0.2,
        "max_tokens": 256
    });
    expected["tools"] = json!([{
        "name": "read_file",
        "description": "Read a file of the source tree",
        "input_schema": read_file_schema()
    }]);
    assert_eq!(seen.body, expected);
    assert_eq!(reply.text, "Let me look.");
    assert_eq!(reply.tool_calls, tool_call());
    assert_eq!(reply.model, "claude-haiku-4-5-20251001");
    // claude-haiku-4-5: 1 and 5 USD per million tokens.
    assert_cost(&reply, Some(0.0035));

    let text = json!({
        "id": "msg_2", "type": "message", "role": "assistant", "model": "claude-haiku-4-5-20251001",
        "content": [{"type": "text", "text": "It uses a plain Makefile."}],
        "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 1000, "output_tokens": 500}
    });
    let (reply, seen) = exchange(&s, &request(false), text);
    expected.as_object_mut().unwrap().remove("tools");
    assert_eq!(seen.body, expected);
    assert_eq!(reply.text, "It uses a plain Makefile.");
}

#[test]
fn gemini_generate_content() {
    let s = at("gemini", "gemini-2.5-flash", "v1beta/");
    let reply_body = json!({
        "candidates": [{
            "content": {"parts": [{"functionCall": {"name": "read_file", "args": {"path": "Makefile"}}}], "role": "model"},
            "finishReason": "STOP", "index": 0
        }],
        "usageMetadata": {"promptTokenCount": 1000, "candidatesTokenCount": 500, "totalTokenCount": 1500},
        "modelVersion": "gemini-2.5-flash"
    });
    let (reply, seen) = exchange(&s, &request(true), reply_body);
    assert_eq!(seen.path, "/v1beta/models/gemini-2.5-flash:generateContent");
    assert_eq!(seen.header("x-goog-api-key"), Some("gemini-test-key"));
    assert_eq!(seen.header("authorization"), None);
    let mut expected = json!({
        "systemInstruction": {"parts": [{"text": SYSTEM}]},
        "contents": [{"role": "user", "parts": [{"text": QUESTION}]}],
        "generationConfig": {"temperature": 0.2, "maxOutputTokens": 256}
    });
    expected["tools"] = json!([{"functionDeclarations": [{
        "name": "read_file",
        "description": "Read a file of the source tree",
        "parametersJsonSchema": read_file_schema()
    }]}]);
    assert_eq!(seen.body, expected);
    // Gemini gives calls no id; one is made up from the name and position.
    assert_eq!(
        reply.tool_calls,
        [ToolCall {
            id: "call#read_file#0".into(),
            ..tool_call().remove(0)
        }]
    );
    // gemini-2.5-flash: 0.30 and 2.50 USD per million tokens.
    assert_cost(&reply, Some(0.00155));

    let text = json!({
        "candidates": [{"content": {"parts": [{"text": "It uses a plain Makefile."}], "role": "model"},
                        "finishReason": "STOP", "index": 0}],
        "usageMetadata": {"promptTokenCount": 1000, "candidatesTokenCount": 500, "totalTokenCount": 1500},
        "modelVersion": "gemini-2.5-flash"
    });
    let (reply, seen) = exchange(&s, &request(false), text);
    expected.as_object_mut().unwrap().remove("tools");
    assert_eq!(seen.body, expected);
    assert_eq!(reply.text, "It uses a plain Makefile.");
}

#[test]
fn ollama_native_chat() {
    let s = at("ollama", "qwen2.5-coder:7b", "");
    let reply_body = json!({
        "model": "qwen2.5-coder:7b", "created_at": "2026-11-21T10:00:00Z",
        "message": {"role": "assistant", "content": "",
                    "tool_calls": [{"function": {"name": "read_file", "arguments": {"path": "Makefile"}}}]},
        "done_reason": "stop", "done": true,
        "total_duration": 1, "load_duration": 1, "prompt_eval_count": 1000,
        "prompt_eval_duration": 1, "eval_count": 500, "eval_duration": 1
    });
    let (reply, seen) = exchange(&s, &request(true), reply_body);
    assert_eq!(seen.path, "/api/chat");
    assert_eq!(seen.header("authorization"), None);
    let mut expected = json!({
        "model": "qwen2.5-coder:7b",
        "stream": false,
        "options": {"temperature": 0.2, "num_predict": 256},
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": QUESTION}
        ]
    });
    expected["tools"] = json!([{"type": "function", "function": {
        "name": "read_file",
        "description": "Read a file of the source tree",
        "parameters": read_file_schema()
    }}]);
    assert_eq!(seen.body, expected);
    assert_eq!(reply.tool_calls.len(), 1);
    // Ollama gives calls no id; genai makes one up.
    assert!(reply.tool_calls[0].id.starts_with("call_"));
    assert_eq!(reply.tool_calls[0].name, "read_file");
    assert_eq!(reply.tool_calls[0].arguments, json!({"path": "Makefile"}));
    assert_eq!(reply.model, "qwen2.5-coder:7b");
    assert_cost(&reply, Some(0.0));

    let text = json!({
        "model": "qwen2.5-coder:7b", "created_at": "2026-11-21T10:00:01Z",
        "message": {"role": "assistant", "content": "It uses a plain Makefile."},
        "done_reason": "stop", "done": true, "prompt_eval_count": 1000, "eval_count": 500
    });
    let (reply, seen) = exchange(&s, &request(false), text);
    expected.as_object_mut().unwrap().remove("tools");
    assert_eq!(seen.body, expected);
    assert_eq!(reply.text, "It uses a plain Makefile.");
}

#[test]
fn lmstudio_chat_completions_without_a_key() {
    let mut s = at("lmstudio", "qwen2.5-7b-instruct", "v1/");
    // Off by default: tool specs in the request are not sent.
    assert!(!s.tools);
    let (_, seen) = exchange(&s, &request(true), openai_text_reply("qwen2.5-7b-instruct"));
    assert_eq!(seen.body, openai_body("qwen2.5-7b-instruct", false));

    s.tools = true;
    let (reply, seen) = exchange(&s, &request(true), openai_tool_reply("qwen2.5-7b-instruct"));
    assert_eq!(seen.path, "/v1/chat/completions");
    // OPENAI_API_KEY is set, but is not LM Studio's.
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(seen.body, openai_body("qwen2.5-7b-instruct", true));
    assert_eq!(reply.tool_calls, tool_call());
    assert_cost(&reply, Some(0.0));
}

#[test]
fn openai_compatible_without_a_key() {
    let mut s = at("openai-compatible", "local-coder", "v1/");
    s.tools = true;
    let (reply, seen) = exchange(&s, &request(true), openai_tool_reply("local-coder"));
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(seen.body, openai_body("local-coder", true));
    assert_eq!(reply.tool_calls, tool_call());
    // Unknown price: may be a paid gateway.
    assert_cost(&reply, None);

    let (reply, seen) = exchange(&s, &request(false), openai_text_reply("local-coder"));
    assert_eq!(seen.body, openai_body("local-coder", false));
    assert_eq!(reply.text, "It uses a plain Makefile.");
}

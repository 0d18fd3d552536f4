//! A scripted model: a test double that replays prepared replies in order and records every
//! request it was sent. It is how the engine's loop is tested without a model (none is reachable
//! from CI); it never pretends to be a provider — `describe()` says `scripted`.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use crate::types::{ChatRequest, Content, LlmError, Model, Reply, ToolCall, Usage};

pub struct Scripted {
    replies: Mutex<VecDeque<Result<Reply, LlmError>>>,
    requests: Mutex<Vec<ChatRequest>>,
    tools: bool,
    context_tokens: u32,
    /// USD per million tokens, to exercise cost budgets.
    price: Option<f64>,
}

impl Scripted {
    /// A model that answers with `replies`, one per call, then fails.
    pub fn new(replies: impl IntoIterator<Item = Reply>) -> Scripted {
        Scripted {
            replies: Mutex::new(replies.into_iter().map(Ok).collect()),
            requests: Mutex::new(Vec::new()),
            tools: true,
            context_tokens: 8192,
            price: None,
        }
    }

    /// Whether tools may be offered to it (default true).
    pub fn with_tools(mut self, tools: bool) -> Scripted {
        self.tools = tools;
        self
    }

    /// A flat price for every token, so that cost budgets can be tested.
    pub fn with_price(mut self, usd_per_million_tokens: f64) -> Scripted {
        self.price = Some(usd_per_million_tokens);
        self
    }

    /// Adds an error as the next reply in the script.
    pub fn then_error(self, error: LlmError) -> Scripted {
        if let Ok(mut replies) = self.replies.lock() {
            replies.push_back(Err(error));
        }
        self
    }

    /// A plain text reply.
    pub fn text(text: impl Into<String>) -> Reply {
        Reply {
            text: text.into(),
            tool_calls: Vec::new(),
            usage: Usage::default(),
            model: "scripted".into(),
            duration: Duration::ZERO,
        }
    }

    /// A reply that calls one tool.
    pub fn tool_call(name: &str, arguments: serde_json::Value) -> Reply {
        Reply {
            text: String::new(),
            tool_calls: vec![ToolCall {
                id: format!("call-{name}"),
                name: name.into(),
                arguments,
            }],
            usage: Usage::default(),
            model: "scripted".into(),
            duration: Duration::ZERO,
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<ChatRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many replies are left in the script.
    pub fn remaining(&self) -> usize {
        self.replies.lock().map(|r| r.len()).unwrap_or(0)
    }
}

/// A rough token count (about four characters a token), for usage numbers of scripted replies.
fn estimate(chars: usize) -> u64 {
    chars.div_ceil(4) as u64
}

fn request_chars(request: &ChatRequest) -> usize {
    request
        .messages
        .iter()
        .map(|m| match &m.content {
            Content::Text(t) => t.len(),
            Content::ToolCalls { text, calls } => {
                text.as_ref().map_or(0, String::len)
                    + calls
                        .iter()
                        .map(|c| c.arguments.to_string().len())
                        .sum::<usize>()
            }
            Content::ToolResults(results) => results.iter().map(|r| r.content.len()).sum(),
        })
        .sum()
}

impl Model for Scripted {
    fn describe(&self) -> String {
        "scripted".into()
    }

    fn supports_tools(&self) -> bool {
        self.tools
    }

    fn context_tokens(&self) -> u32 {
        self.context_tokens
    }

    fn chat(&self, request: &ChatRequest) -> Result<Reply, LlmError> {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request.clone());
        }
        let next = self.replies.lock().ok().and_then(|mut r| r.pop_front());
        let mut reply = match next {
            Some(reply) => reply?,
            None => {
                return Err(LlmError::BadReply {
                    provider: "scripted".into(),
                    detail: "the script has no more replies".into(),
                })
            }
        };
        let output_chars = reply.text.len()
            + reply
                .tool_calls
                .iter()
                .map(|c| c.arguments.to_string().len())
                .sum::<usize>();
        let input_tokens = estimate(request_chars(request));
        let output_tokens = estimate(output_chars);
        reply.usage = Usage {
            input_tokens,
            output_tokens,
            cost_usd: self
                .price
                .map(|p| p * (input_tokens + output_tokens) as f64 / 1e6),
        };
        Ok(reply)
    }
}

//! The plain data between the engine and a model. Nothing here knows about providers.

use serde::Serialize;

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// What a message carries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Content {
    Text(String),
    /// An assistant turn that called tools (optionally with text before the calls).
    ToolCalls {
        text: Option<String>,
        calls: Vec<ToolCall>,
    },
    /// The answers to an assistant's tool calls (sent with role `User`).
    ToolResults(Vec<ToolResult>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub role: Role,
    pub content: Content,
}

impl Message {
    pub fn system(text: impl Into<String>) -> Message {
        Message {
            role: Role::System,
            content: Content::Text(text.into()),
        }
    }

    pub fn user(text: impl Into<String>) -> Message {
        Message {
            role: Role::User,
            content: Content::Text(text.into()),
        }
    }

    pub fn assistant(text: impl Into<String>) -> Message {
        Message {
            role: Role::Assistant,
            content: Content::Text(text.into()),
        }
    }

    /// The text of a plain text message.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            Content::ToolCalls { text, .. } => text.as_deref(),
            Content::ToolResults(_) => None,
        }
    }
}

/// A function the model may call. `parameters` is a JSON schema object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolCall {
    /// The provider's id for the call (made up when the provider has none, e.g. Gemini).
    pub id: String,
    pub name: String,
    pub arguments: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolResult {
    pub id: String,
    pub name: String,
    pub content: String,
}

/// One call to a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    /// Empty: no tools offered (and none sent, for servers that reject the field).
    pub tools: Vec<ToolSpec>,
    /// The most tokens the reply may use.
    pub max_output_tokens: u32,
    pub temperature: Option<f32>,
}

/// Tokens one call used and what it is estimated to have cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// US dollars, from the configured or known price of the model; `None` when the price is
    /// unknown (local providers cost 0.0).
    pub cost_usd: Option<f64>,
}

impl Usage {
    /// Sums two usages; an unknown cost stays unknown unless the other side is known.
    // A named method is the engine's contract; `+` would hide the unknown-cost rule.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: Usage) -> Usage {
        Usage {
            input_tokens: self.input_tokens + other.input_tokens,
            output_tokens: self.output_tokens + other.output_tokens,
            cost_usd: match (self.cost_usd, other.cost_usd) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            },
        }
    }
}

/// What the model answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    /// All text parts joined with newlines (empty when the reply is only tool calls).
    pub text: String,
    pub tool_calls: Vec<ToolCall>,
    pub usage: Usage,
    /// The model that answered, as the provider named it.
    pub model: String,
    /// How long the call took, including retries.
    #[serde(skip)]
    pub duration: std::time::Duration,
}

/// A chat model. Implementations are blocking (the engine's loop is), thread-safe, and never
/// reveal API keys in anything they return, log or print.
pub trait Model: Send + Sync {
    /// `provider:model` for people and reports, e.g. `ollama:qwen2.5-coder:7b`.
    fn describe(&self) -> String;
    /// Whether tool specs may be sent. When false the engine puts pre-resolved facts in the
    /// prompt instead.
    fn supports_tools(&self) -> bool;
    /// The context window the engine must fit its prompts into, in tokens.
    fn context_tokens(&self) -> u32;
    /// One call, with the provider's retries and timeout applied.
    fn chat(&self, request: &ChatRequest) -> Result<Reply, LlmError>;
}

/// Why a call failed. Each message is one line that says what to do and never contains a key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    #[error("unknown provider '{0}': use one of openai, openai-responses, anthropic, gemini, ollama, lmstudio, openai-compatible")]
    UnknownProvider(String),
    #[error(
        "no model given for {provider}: pass --model or set model under [llm] in the config file"
    )]
    NoModel { provider: String },
    #[error("{provider} needs an API key: set {variable}")]
    NoKey { provider: String, variable: String },
    #[error("{provider} needs a base URL: pass --base-url or set {variable}")]
    NoBaseUrl { provider: String, variable: String },
    #[error("bad base URL '{url}' for {provider}: {reason}")]
    BadBaseUrl {
        provider: String,
        url: String,
        reason: String,
    },
    #[error("{provider} at {url} is unreachable ({detail}); is the server running?")]
    Unreachable {
        provider: String,
        url: String,
        detail: String,
    },
    #[error(
        "{provider} did not answer within {seconds} s; raise [llm] timeout or check the server"
    )]
    Timeout { provider: String, seconds: u64 },
    #[error("{provider} rejected the API key (HTTP {status}); check the key in {variable}")]
    Auth {
        provider: String,
        status: u16,
        variable: String,
    },
    #[error(
        "{provider} does not know the model '{model}'; check --model (HTTP {status}: {message})"
    )]
    UnknownModel {
        provider: String,
        model: String,
        status: u16,
        message: String,
    },
    #[error("{provider} is rate-limiting (HTTP 429) and still was after {attempts} tries; wait and retry, or lower the request rate")]
    RateLimited { provider: String, attempts: u32 },
    #[error("{provider} failed (HTTP {status}) after {attempts} tries: {message}")]
    Server {
        provider: String,
        status: u16,
        attempts: u32,
        message: String,
    },
    #[error("{provider} rejected the request (HTTP {status}): {message}")]
    Rejected {
        provider: String,
        status: u16,
        message: String,
    },
    #[error(
        "{provider} sent a reply ai-drv cannot read ({detail}); is it really a {provider} server?"
    )]
    BadReply { provider: String, detail: String },
    #[error("bad [llm] setting {key}: {reason}")]
    BadSetting { key: String, reason: String },
    /// The request could not be made at all (client setup, a message the adapter refuses).
    #[error("ai-drv could not make a {provider} request: {detail}")]
    Request { provider: String, detail: String },
}

impl LlmError {
    /// Whether another identical call could succeed (rate limits, server errors, timeouts,
    /// connection failures).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            LlmError::Unreachable { .. }
                | LlmError::Timeout { .. }
                | LlmError::RateLimited { .. }
                | LlmError::Server { .. }
        )
    }
}

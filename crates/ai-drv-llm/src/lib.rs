//! The one small trait the engine talks to a model through, and the providers behind it.
//!
//! The engine never sees a provider: it builds a [`ChatRequest`] (plain messages, plain tool
//! specs) and gets a [`Reply`] (text, tool calls, usage with an estimated cost). The providers are
//! one file each under `providers/` and speak through `genai` (see `client.rs` for why that
//! crate), which holds the wire formats; this crate adds what ai-drv needs around it: settings from
//! flags, config and the usual environment variables, timeouts, bounded retries with backoff that
//! honour `retry-after`, errors that say what to do, and keys that are never printed.

mod client;
mod convert;
mod errors;
mod providers;
mod retry;
mod secret;
mod settings;
mod types;

pub use client::connect;
pub use providers::{Price, ProviderKind};
pub use secret::Secret;
pub use settings::{
    settings, ProviderArgs, Settings, DEFAULT_BACKOFF, DEFAULT_CONTEXT_TOKENS, DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
};
pub use types::{
    ChatRequest, Content, LlmError, Message, Model, Reply, Role, ToolCall, ToolResult, ToolSpec,
    Usage,
};

mod scripted;
pub use scripted::Scripted;

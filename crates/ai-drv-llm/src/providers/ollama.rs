//! Ollama's native API (`POST {base}/api/chat`, no key), at `OLLAMA_HOST` or 127.0.0.1:11434.
//!
//! The native API rather than Ollama's OpenAI-compatible one: it predates the compatible one (older
//! servers have only it), and its "model not found, try pulling it first" is an answer ai-drv can
//! pass on as is. The native API takes no key; one named by `api-key-env` is not sent.

use genai::adapter::AdapterKind;

use super::{host_url, Price, Provider};

pub(crate) struct Ollama;

impl Provider for Ollama {
    fn name(&self) -> &'static str {
        "ollama"
    }
    fn adapter(&self) -> AdapterKind {
        AdapterKind::Ollama
    }
    fn default_base_url(&self) -> Option<&'static str> {
        Some("http://127.0.0.1:11434/")
    }
    fn base_url_variable(&self) -> Option<&'static str> {
        Some("OLLAMA_HOST")
    }
    fn base_url_from_env(&self, value: &str) -> String {
        host_url(value, 11434)
    }
    fn default_model(&self) -> Option<&'static str> {
        Some("qwen2.5-coder:7b")
    }
    /// Ollama passes tools to models whose template supports them and answers in its own
    /// `tool_calls` field, so they are on; a model without tool support ignores them.
    fn tools_by_default(&self) -> bool {
        true
    }
    /// Local: the machine's own electricity, not a bill.
    fn price(&self, _model: &str) -> Option<Price> {
        Some(Price::FREE)
    }
    fn reply_field(&self) -> &'static str {
        "message"
    }
}

//! Any server that speaks OpenAI chat completions (vLLM, llama.cpp's server, LocalAI, gateways).
//!
//! It has no default address: the base URL comes from `--base-url`, `OPENAI_BASE_URL` or the
//! config file. `OPENAI_API_KEY` is sent only with a base URL from `OPENAI_BASE_URL` (the pair
//! the OpenAI SDKs read together); otherwise the key comes from the variable named by
//! `api-key-env`, or there is none and no `Authorization` header is sent.

use genai::adapter::AdapterKind;

use super::Provider;

pub(crate) struct OpenAICompatible;

impl Provider for OpenAICompatible {
    fn name(&self) -> &'static str {
        "openai-compatible"
    }
    fn adapter(&self) -> AdapterKind {
        AdapterKind::OpenAI
    }
    fn default_base_url(&self) -> Option<&'static str> {
        None
    }
    fn key_variable(&self) -> Option<&'static str> {
        Some("OPENAI_API_KEY")
    }
    fn key_only_with_env_base_url(&self) -> bool {
        true
    }
    fn base_url_variable(&self) -> Option<&'static str> {
        Some("OPENAI_BASE_URL")
    }
    /// Off: tool-call support varies by server and model; `tools = true` turns it on.
    fn tools_by_default(&self) -> bool {
        false
    }
    /// Unknown: it may be a paid gateway; `price-input`/`price-output` set one.
    fn reply_field(&self) -> &'static str {
        "choices"
    }
}

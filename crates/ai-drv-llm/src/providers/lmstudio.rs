//! LM Studio's local server: OpenAI chat completions under `/v1/`, no key, at `LMSTUDIO_HOST`
//! (written like `OLLAMA_HOST`) or 127.0.0.1:1234.

use genai::adapter::AdapterKind;

use super::{host_url, Price, Provider};

pub(crate) struct LmStudio;

impl Provider for LmStudio {
    fn name(&self) -> &'static str {
        "lmstudio"
    }
    fn adapter(&self) -> AdapterKind {
        AdapterKind::OpenAI
    }
    fn default_base_url(&self) -> Option<&'static str> {
        Some("http://127.0.0.1:1234/v1/")
    }
    fn base_url_variable(&self) -> Option<&'static str> {
        Some("LMSTUDIO_HOST")
    }
    /// A host names the server; its OpenAI-compatible API is under `/v1/` unless a path is given.
    fn base_url_from_env(&self, value: &str) -> String {
        let url = host_url(value, 1234);
        if url.matches('/').count() == 3 {
            format!("{url}v1/")
        } else {
            url
        }
    }
    /// Off: whether a loaded model handles tools depends on the model LM Studio was given, and
    /// one that does not answers tool specs with text that looks like a call. `tools = true`
    /// under `[llm.providers.lmstudio]` turns them on for a model known to work.
    fn tools_by_default(&self) -> bool {
        false
    }
    fn price(&self, _model: &str) -> Option<Price> {
        Some(Price::FREE)
    }
    fn reply_field(&self) -> &'static str {
        "choices"
    }
}

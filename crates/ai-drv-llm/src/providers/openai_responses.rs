//! OpenAI's Responses API (`POST {base}/responses`, `Authorization: Bearer`): the same models
//! and key as chat completions, the newer request shape (system prompt as `instructions`).

use genai::adapter::AdapterKind;

use super::{openai, PriceRow, Provider};

pub(crate) struct OpenAIResponses;

impl Provider for OpenAIResponses {
    fn name(&self) -> &'static str {
        "openai-responses"
    }
    fn adapter(&self) -> AdapterKind {
        AdapterKind::OpenAIResp
    }
    fn default_base_url(&self) -> Option<&'static str> {
        Some("https://api.openai.com/v1/")
    }
    fn key_variable(&self) -> Option<&'static str> {
        Some("OPENAI_API_KEY")
    }
    fn key_required(&self) -> bool {
        true
    }
    fn base_url_variable(&self) -> Option<&'static str> {
        Some("OPENAI_BASE_URL")
    }
    fn default_model(&self) -> Option<&'static str> {
        Some(openai::DEFAULT_MODEL)
    }
    fn tools_by_default(&self) -> bool {
        true
    }
    fn prices(&self) -> &'static [PriceRow] {
        openai::PRICES
    }
    fn reply_field(&self) -> &'static str {
        "output"
    }
}

//! OpenAI's chat completions API (`POST {base}/chat/completions`, `Authorization: Bearer`).

use genai::adapter::AdapterKind;

use super::{PriceRow, Provider};

pub(crate) struct OpenAI;

/// USD per million tokens (input, output): estimates from OpenAI's published list prices, for
/// budgets and reports only; set `price-input`/`price-output` under `[llm]` for exact figures.
/// Shared with the Responses API, which bills the same models the same way.
pub(super) const PRICES: &[PriceRow] = &[
    ("gpt-4o", 2.50, 10.00),
    ("gpt-4o-mini", 0.15, 0.60),
    ("gpt-4.1", 2.00, 8.00),
    ("gpt-4.1-mini", 0.40, 1.60),
    ("gpt-4.1-nano", 0.10, 0.40),
    ("o4-mini", 1.10, 4.40),
    ("gpt-5", 1.25, 10.00),
    ("gpt-5-mini", 0.25, 2.00),
    ("gpt-5-nano", 0.05, 0.40),
];

pub(super) const DEFAULT_MODEL: &str = "gpt-4.1-mini";

impl Provider for OpenAI {
    fn name(&self) -> &'static str {
        "openai"
    }
    fn adapter(&self) -> AdapterKind {
        AdapterKind::OpenAI
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
    /// The OpenAI SDKs' convention: a proxy or gateway in front of OpenAI, same key.
    fn base_url_variable(&self) -> Option<&'static str> {
        Some("OPENAI_BASE_URL")
    }
    fn default_model(&self) -> Option<&'static str> {
        Some(DEFAULT_MODEL)
    }
    fn tools_by_default(&self) -> bool {
        true
    }
    fn prices(&self) -> &'static [PriceRow] {
        PRICES
    }
    fn reply_field(&self) -> &'static str {
        "choices"
    }
}

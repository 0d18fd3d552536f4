//! Anthropic's Messages API (`POST {base}/messages`, `x-api-key`, `anthropic-version`).

use genai::adapter::AdapterKind;

use super::{PriceRow, Provider};

pub(crate) struct Anthropic;

/// USD per million tokens (input, output): estimates from Anthropic's published list prices
/// (without prompt caching), for budgets and reports only.
const PRICES: &[PriceRow] = &[
    ("claude-3-5-haiku", 0.80, 4.00),
    ("claude-3-5-sonnet", 3.00, 15.00),
    ("claude-3-7-sonnet", 3.00, 15.00),
    ("claude-haiku-4-5", 1.00, 5.00),
    ("claude-sonnet-4", 3.00, 15.00),
    ("claude-sonnet-4-5", 3.00, 15.00),
    ("claude-opus-4", 15.00, 75.00),
    ("claude-opus-4-1", 15.00, 75.00),
];

impl Provider for Anthropic {
    fn name(&self) -> &'static str {
        "anthropic"
    }
    fn adapter(&self) -> AdapterKind {
        AdapterKind::Anthropic
    }
    fn default_base_url(&self) -> Option<&'static str> {
        Some("https://api.anthropic.com/v1/")
    }
    fn key_variable(&self) -> Option<&'static str> {
        Some("ANTHROPIC_API_KEY")
    }
    fn key_required(&self) -> bool {
        true
    }
    fn default_model(&self) -> Option<&'static str> {
        Some("claude-haiku-4-5")
    }
    fn tools_by_default(&self) -> bool {
        true
    }
    fn prices(&self) -> &'static [PriceRow] {
        PRICES
    }
    fn reply_field(&self) -> &'static str {
        "content"
    }
}

//! Google's Gemini API (`POST {base}/models/{model}:generateContent`, key in `x-goog-api-key`).

use genai::adapter::AdapterKind;

use super::{PriceRow, Provider};

pub(crate) struct Gemini;

/// USD per million tokens (input, output): estimates from Google's published paid-tier prices
/// (2.5 Pro: prompts up to 200k tokens), for budgets and reports only.
const PRICES: &[PriceRow] = &[
    ("gemini-2.0-flash", 0.10, 0.40),
    ("gemini-2.0-flash-lite", 0.075, 0.30),
    ("gemini-2.5-flash", 0.30, 2.50),
    ("gemini-2.5-flash-lite", 0.10, 0.40),
    ("gemini-2.5-pro", 1.25, 10.00),
];

impl Provider for Gemini {
    fn name(&self) -> &'static str {
        "gemini"
    }
    fn adapter(&self) -> AdapterKind {
        AdapterKind::Gemini
    }
    fn default_base_url(&self) -> Option<&'static str> {
        Some("https://generativelanguage.googleapis.com/v1beta/")
    }
    fn key_variable(&self) -> Option<&'static str> {
        Some("GEMINI_API_KEY")
    }
    fn key_required(&self) -> bool {
        true
    }
    fn default_model(&self) -> Option<&'static str> {
        Some("gemini-2.5-flash")
    }
    fn tools_by_default(&self) -> bool {
        true
    }
    fn prices(&self) -> &'static [PriceRow] {
        PRICES
    }
    fn reply_field(&self) -> &'static str {
        "candidates"
    }
}

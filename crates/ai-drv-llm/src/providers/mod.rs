//! The providers ai-drv can talk to, one file each, behind one small internal trait.
//!
//! A provider here is only what differs between them: which `genai` adapter speaks its wire
//! format, where it lives by default, which variables name its key and its host, the model used
//! when none is given, whether tools are offered by default, and what its well-known models cost.
//! Everything else (settings precedence, retries, errors) is shared.

mod anthropic;
mod gemini;
mod lmstudio;
mod ollama;
mod openai;
mod openai_compatible;
mod openai_responses;

use genai::adapter::AdapterKind;
use serde::Serialize;

use crate::types::LlmError;

/// Which provider (and wire format) a model is reached through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderKind {
    /// OpenAI chat completions (`POST {base}/chat/completions`).
    OpenAI,
    /// OpenAI Responses API (`POST {base}/responses`).
    OpenAIResponses,
    /// Anthropic Messages (`POST {base}/messages`).
    Anthropic,
    /// Gemini generateContent (`POST {base}/models/{model}:generateContent`).
    Gemini,
    /// Ollama's native API (`POST {base}/api/chat`).
    Ollama,
    /// LM Studio's OpenAI-compatible server (`{base}` is its `/v1/`).
    LmStudio,
    /// Any other server that speaks chat completions (vLLM, llama.cpp, LocalAI, gateways).
    OpenAICompatible,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 7] = [
        ProviderKind::OpenAI,
        ProviderKind::OpenAIResponses,
        ProviderKind::Anthropic,
        ProviderKind::Gemini,
        ProviderKind::Ollama,
        ProviderKind::LmStudio,
        ProviderKind::OpenAICompatible,
    ];

    /// The name used on the command line, in the config file and in `AI_DRV_PROVIDER`.
    pub fn name(self) -> &'static str {
        self.provider().name()
    }

    pub(crate) fn provider(self) -> &'static dyn Provider {
        match self {
            ProviderKind::OpenAI => &openai::OpenAI,
            ProviderKind::OpenAIResponses => &openai_responses::OpenAIResponses,
            ProviderKind::Anthropic => &anthropic::Anthropic,
            ProviderKind::Gemini => &gemini::Gemini,
            ProviderKind::Ollama => &ollama::Ollama,
            ProviderKind::LmStudio => &lmstudio::LmStudio,
            ProviderKind::OpenAICompatible => &openai_compatible::OpenAICompatible,
        }
    }
}

impl std::fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for ProviderKind {
    type Err = LlmError;

    fn from_str(s: &str) -> Result<ProviderKind, LlmError> {
        let wanted = s.trim().to_ascii_lowercase();
        ProviderKind::ALL
            .into_iter()
            .find(|k| k.name() == wanted)
            .ok_or_else(|| LlmError::UnknownProvider(s.to_string()))
    }
}

/// What a model costs, in US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Price {
    pub input: f64,
    pub output: f64,
}

impl Price {
    pub const FREE: Price = Price {
        input: 0.0,
        output: 0.0,
    };

    /// The cost of one call.
    pub fn cost(self, input_tokens: u64, output_tokens: u64) -> f64 {
        (input_tokens as f64 * self.input + output_tokens as f64 * self.output) / 1_000_000.0
    }
}

/// A row of a provider's price table: model name, input and output price per million tokens.
pub(crate) type PriceRow = (&'static str, f64, f64);

/// What differs between providers. Implementations are unit structs, one per file.
pub(crate) trait Provider: Sync {
    fn name(&self) -> &'static str;
    /// The `genai` adapter that speaks this provider's wire format.
    fn adapter(&self) -> AdapterKind;
    /// The base URL the provider's paths are joined to, when it has a well-known one.
    fn default_base_url(&self) -> Option<&'static str>;
    /// The variable the key is read from by default.
    fn key_variable(&self) -> Option<&'static str> {
        None
    }
    /// Whether calls without a key are pointless (hosted providers).
    fn key_required(&self) -> bool {
        false
    }
    /// Whether the default key variable only applies when the base URL came from
    /// [`Provider::base_url_variable`] (openai-compatible: `OPENAI_BASE_URL` + `OPENAI_API_KEY`
    /// are a pair; the key must not follow a URL given some other way).
    fn key_only_with_env_base_url(&self) -> bool {
        false
    }
    /// The variable that may hold the base URL (or host).
    fn base_url_variable(&self) -> Option<&'static str> {
        None
    }
    /// The base URL a value of [`Provider::base_url_variable`] stands for.
    fn base_url_from_env(&self, value: &str) -> String {
        value.to_string()
    }
    fn default_model(&self) -> Option<&'static str> {
        None
    }
    /// Whether tool specs are sent unless configured otherwise.
    fn tools_by_default(&self) -> bool;
    /// Estimated prices of well-known models.
    fn prices(&self) -> &'static [PriceRow] {
        &[]
    }
    /// The price of `model`: the table's row for it (a dated snapshot or `-latest` alias counts
    /// as its model), `None` when unknown.
    fn price(&self, model: &str) -> Option<Price> {
        lookup_price(self.prices(), model)
    }
    /// A top-level field every successful reply body has; a 200 without it is not a reply.
    fn reply_field(&self) -> &'static str;
}

fn lookup_price(table: &[PriceRow], model: &str) -> Option<Price> {
    table
        .iter()
        .filter(|(name, _, _)| {
            model == *name
                || model
                    .strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(is_snapshot_suffix)
        })
        .max_by_key(|(name, _, _)| name.len())
        .map(|&(_, input, output)| Price { input, output })
}

/// `latest`, `20241022` or `2024-08-06`: names of one model, not of another model in its family
/// (`claude-opus-4` must not price `claude-opus-4-5`).
fn is_snapshot_suffix(rest: &str) -> bool {
    let b = rest.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    rest == "latest"
        || (b.len() == 8 && digits(0..8))
        || (b.len() == 10
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10))
}

/// A host as Ollama's `OLLAMA_HOST` convention writes it — `host`, `host:port`, `:port`,
/// `scheme://host[:port][/path]` — as a base URL ending in `/`. Without a scheme it is `http`;
/// without a port it is `default_port` (80/443 when a scheme is given, as Ollama does).
pub(crate) fn host_url(value: &str, default_port: u16) -> String {
    let value = value.trim();
    let (scheme, rest, port) = match value.split_once("://") {
        Some(("https", rest)) => ("https", rest, 443),
        Some((scheme, rest)) => (
            scheme,
            rest,
            if scheme == "http" { 80 } else { default_port },
        ),
        None => ("http", value, default_port),
    };
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (host, port) = match split_host_port(hostport) {
        Some((host, port)) => (host, port),
        None => (hostport, port),
    };
    let host = if host.is_empty() { "127.0.0.1" } else { host };
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        format!("{scheme}://{host}:{port}/")
    } else {
        format!("{scheme}://{host}:{port}/{path}/")
    }
}

/// `host:port` or `[v6]:port`; `None` when there is no (valid) port.
fn split_host_port(s: &str) -> Option<(&str, u16)> {
    let (host, port) = s.rsplit_once(':')?;
    // A bare IPv6 address has colons but no brackets: no port then.
    if host.contains(':') && !host.ends_with(']') {
        return None;
    }
    Some((host, port.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for kind in ProviderKind::ALL {
            assert_eq!(kind.name().parse::<ProviderKind>().unwrap(), kind);
        }
        assert_eq!(
            "OpenAI-Compatible".parse::<ProviderKind>().unwrap(),
            ProviderKind::OpenAICompatible
        );
        assert_eq!(
            "olama".parse::<ProviderKind>().unwrap_err(),
            LlmError::UnknownProvider("olama".into())
        );
    }

    #[test]
    fn ollama_host_convention() {
        let cases = [
            ("", "http://127.0.0.1:11434/"),
            ("localhost", "http://localhost:11434/"),
            ("0.0.0.0:8080", "http://0.0.0.0:8080/"),
            (":9000", "http://127.0.0.1:9000/"),
            ("http://gpu.lan", "http://gpu.lan:80/"),
            ("https://gpu.lan", "https://gpu.lan:443/"),
            ("http://gpu.lan:11434/", "http://gpu.lan:11434/"),
            ("http://gpu.lan:1/ollama", "http://gpu.lan:1/ollama/"),
            ("[::1]:7", "http://[::1]:7/"),
        ];
        for (value, url) in cases {
            assert_eq!(host_url(value, 11434), url, "{value}");
        }
    }

    #[test]
    fn prices_match_snapshots_but_not_siblings() {
        let table: &[PriceRow] = &[
            ("gpt-4o", 2.5, 10.0),
            ("gpt-4o-mini", 0.15, 0.6),
            ("claude-opus-4", 15.0, 75.0),
        ];
        let p = |m| lookup_price(table, m).map(|p| p.input);
        assert_eq!(p("gpt-4o"), Some(2.5));
        assert_eq!(p("gpt-4o-2024-08-06"), Some(2.5));
        assert_eq!(p("gpt-4o-mini"), Some(0.15));
        assert_eq!(p("gpt-4o-mini-2024-07-18"), Some(0.15));
        assert_eq!(p("claude-opus-4-20250514"), Some(15.0));
        assert_eq!(p("claude-opus-4-latest"), Some(15.0));
        assert_eq!(p("claude-opus-4-5"), None);
        assert_eq!(p("gpt-4o-audio-preview"), None);
        assert_eq!(p("llama3"), None);
        assert_eq!(
            Price {
                input: 0.15,
                output: 0.6
            }
            .cost(1000, 500),
            0.00045
        );
    }

    #[test]
    fn every_provider_is_described() {
        for kind in ProviderKind::ALL {
            let p = kind.provider();
            assert!(!p.reply_field().is_empty());
            if p.key_required() {
                assert!(p.key_variable().is_some(), "{kind}");
                assert!(p.default_base_url().is_some(), "{kind}");
            }
        }
        // Local servers cost nothing, whatever the model.
        assert_eq!(
            ProviderKind::Ollama.provider().price("anything:7b"),
            Some(Price::FREE)
        );
        assert_eq!(
            ProviderKind::OpenAICompatible.provider().price("gpt-4o"),
            None
        );
    }
}

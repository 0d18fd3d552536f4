//! Which provider, model and server to use, from command-line flags, the environment and the
//! config file (first found wins, in that order), checked before any request is made.

use std::time::Duration;

use ai_drv_config::{Config, LlmProviderSection};
use serde::Serialize;

use crate::providers::{Price, Provider, ProviderKind};
use crate::secret::Secret;
use crate::types::LlmError;

/// The model-related command-line flags (`--provider`, `--model`, `--base-url`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderArgs {
    pub provider: Option<String>,
    pub model: Option<String>,
    pub base_url: Option<String>,
}

/// Everything needed to talk to one model. The key is private and never printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    pub provider: ProviderKind,
    pub model: String,
    /// Ends with `/`; the provider's paths are joined to it.
    pub base_url: String,
    /// Per HTTP request (each retry gets its own).
    pub timeout: Duration,
    /// Retries after the first attempt, for rate limits, server errors, timeouts, broken
    /// connections and unreadable replies.
    pub max_retries: u32,
    pub context_tokens: u32,
    /// Whether tool specs are sent.
    pub tools: bool,
    /// The first retry's delay before jitter; doubled per retry, at most 20 s. Not configurable
    /// by users; tests shorten it.
    pub backoff: Duration,
    #[serde(skip)]
    key: Option<Secret>,
    /// Where the key came from (a variable name), for error messages.
    key_variable: Option<String>,
    price: Option<Price>,
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
pub const DEFAULT_MAX_RETRIES: u32 = 3;
pub const DEFAULT_CONTEXT_TOKENS: u32 = 8192;
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);

impl Settings {
    /// `ollama:qwen2.5-coder:7b at http://127.0.0.1:11434/`
    pub fn describe(&self) -> String {
        format!(
            "{}:{} at {}",
            self.provider.name(),
            self.model,
            self.base_url
        )
    }

    /// Whether a key will be sent.
    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    /// The variable the key was read from, if any.
    pub fn key_variable(&self) -> Option<&str> {
        self.key_variable.as_deref()
    }

    /// USD per million tokens: configured, or the provider's estimate for this model.
    pub fn price(&self) -> Option<Price> {
        self.price
    }

    pub(crate) fn key(&self) -> Option<&Secret> {
        self.key.as_ref()
    }
}

/// Where the base URL came from: the openai-compatible key depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlOrigin {
    Args,
    Env,
    File,
    Default,
}

/// Resolves the settings: `Ok(None)` when no provider is chosen at all (no `--provider`, no
/// `AI_DRV_PROVIDER`, no `provider` under `[llm]`).
pub fn settings(config: &Config, args: &ProviderArgs) -> Result<Option<Settings>, LlmError> {
    let env = config.env();
    let llm = &config.file().llm;
    let Some(name) = args
        .provider
        .as_deref()
        .or_else(|| env.get("AI_DRV_PROVIDER"))
        .or(llm.provider.as_deref())
    else {
        return Ok(None);
    };
    let kind: ProviderKind = name.parse()?;
    // A misspelt table would otherwise be silently ignored.
    if let Some(unknown) = llm
        .providers
        .keys()
        .find(|k| k.parse::<ProviderKind>().is_err())
    {
        return Err(LlmError::UnknownProvider(unknown.clone()));
    }
    let provider = kind.provider();
    let own = llm
        .providers
        .get(provider.name())
        .cloned()
        .unwrap_or_default();
    let top = llm.top_level_for(provider.name());
    let file = |pick: fn(&LlmProviderSection) -> Option<String>| pick(&own).or_else(|| pick(&top));

    let model = args
        .model
        .clone()
        .or_else(|| env.get("AI_DRV_MODEL").map(String::from))
        .or_else(|| file(|s| s.model.clone()))
        .or_else(|| provider.default_model().map(String::from))
        .filter(|m| !m.trim().is_empty())
        .ok_or_else(|| LlmError::NoModel {
            provider: provider.name().into(),
        })?;

    let env_url = provider
        .base_url_variable()
        .and_then(|var| env.get(var))
        .map(|v| provider.base_url_from_env(v));
    let (url, origin) = if let Some(url) = &args.base_url {
        (url.clone(), UrlOrigin::Args)
    } else if let Some(url) = env_url {
        (url, UrlOrigin::Env)
    } else if let Some(url) = file(|s| s.base_url.clone()) {
        (url, UrlOrigin::File)
    } else if let Some(url) = provider.default_base_url() {
        (url.to_string(), UrlOrigin::Default)
    } else {
        return Err(LlmError::NoBaseUrl {
            provider: provider.name().into(),
            variable: provider
                .base_url_variable()
                .unwrap_or("base-url under [llm]")
                .into(),
        });
    };
    let base_url = check_base_url(provider, &url)?;

    let (key, key_variable) = key(config, provider, &own, &top, origin)?;

    let number = |pick: fn(&LlmProviderSection) -> Option<u64>| pick(&own).or_else(|| pick(&top));
    let timeout = number(|s| s.timeout)
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_TIMEOUT);
    if timeout.is_zero() {
        return Err(bad("timeout", "must be at least 1 second"));
    }
    let max_retries = own
        .max_retries
        .or(top.max_retries)
        .unwrap_or(DEFAULT_MAX_RETRIES);
    let context_tokens = own
        .context_tokens
        .or(top.context_tokens)
        .unwrap_or(DEFAULT_CONTEXT_TOKENS);
    if context_tokens == 0 {
        return Err(bad("context-tokens", "must be positive"));
    }
    let tools = own
        .tools
        .or(top.tools)
        .unwrap_or_else(|| provider.tools_by_default());

    let input = own.price_input.or(top.price_input);
    let output = own.price_output.or(top.price_output);
    let price = match (input, output) {
        (None, None) => provider.price(&model),
        (Some(input), Some(output)) if input >= 0.0 && output >= 0.0 => {
            Some(Price { input, output })
        }
        (Some(_), Some(_)) => return Err(bad("price-input/price-output", "must not be negative")),
        _ => {
            return Err(bad(
                "price-input/price-output",
                "set both, in USD per million tokens",
            ))
        }
    };

    Ok(Some(Settings {
        provider: kind,
        model,
        base_url,
        timeout,
        max_retries,
        context_tokens,
        tools,
        backoff: DEFAULT_BACKOFF,
        key,
        key_variable,
        price,
    }))
}

fn bad(key: &str, reason: &str) -> LlmError {
    LlmError::BadSetting {
        key: key.into(),
        reason: reason.into(),
    }
}

/// The key and the variable it came from. A key goes only to the provider it is for: the
/// variable named by `api-key-env`, else the provider's own variable (for openai-compatible,
/// only when the base URL came from `OPENAI_BASE_URL`).
fn key(
    config: &Config,
    provider: &dyn Provider,
    own: &LlmProviderSection,
    top: &LlmProviderSection,
    origin: UrlOrigin,
) -> Result<(Option<Secret>, Option<String>), LlmError> {
    let env = config.env();
    let missing = |variable: &str| LlmError::NoKey {
        provider: provider.name().into(),
        variable: variable.into(),
    };
    if let Some(var) = own.api_key_env.as_deref().or(top.api_key_env.as_deref()) {
        // Asked for explicitly: missing is an error whatever the provider.
        let value = env.get(var).ok_or_else(|| missing(var))?;
        return Ok((Some(Secret::new(value)), Some(var.to_string())));
    }
    let Some(var) = provider.key_variable() else {
        return Ok((None, None));
    };
    if provider.key_only_with_env_base_url() && origin != UrlOrigin::Env {
        return Ok((None, None));
    }
    match env.get(var) {
        Some(value) => Ok((Some(Secret::new(value)), Some(var.to_string()))),
        None if provider.key_required() => Err(missing(var)),
        None => Ok((None, None)),
    }
}

/// An absolute http(s) URL, ending in `/` so that paths join under it.
fn check_base_url(provider: &dyn Provider, raw: &str) -> Result<String, LlmError> {
    let fail = |reason: String| LlmError::BadBaseUrl {
        provider: provider.name().into(),
        url: raw.to_string(),
        reason,
    };
    let url = url::Url::parse(raw.trim()).map_err(|e| fail(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(fail(format!(
            "scheme '{}' is not http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(fail("no host".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Credentials in a URL end up in logs and error messages; keys go in variables.
        return Err(fail(
            "credentials in the URL; put the key in a variable and name it with api-key-env".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(fail("a base URL has no query or fragment".into()));
    }
    let mut s = url.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

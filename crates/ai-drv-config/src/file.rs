//! The config file (`config.toml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ConfigError;

/// ```toml
/// [endpoints]
/// debian = "http://mirror.invalid/debian"
/// crates-index = "sparse+https://index.invalid/"
/// crates-download = "https://dl.invalid/crates"
/// pypi = "https://pypi.invalid/simple"
/// npm = "https://npm.invalid/"
///
/// [mirrors]              # nixpkgs' mirror:// scheme, beyond mirror://debian
/// gnu = ["https://gnu.invalid/gnu"]
///
/// [paths]
/// state = "/var/lib/ai-drv"
///
/// [nix]
/// nixpkgs = "/path/to/nixpkgs"
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    #[serde(default)]
    pub endpoints: EndpointsSection,
    #[serde(default)]
    pub mirrors: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub paths: PathsSection,
    #[serde(default)]
    pub nix: NixSection,
    #[serde(default)]
    pub llm: LlmSection,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndpointsSection {
    pub debian: Option<String>,
    pub crates_index: Option<String>,
    pub crates_download: Option<String>,
    pub pypi: Option<String>,
    pub npm: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PathsSection {
    pub state: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NixSection {
    pub nixpkgs: Option<String>,
}

/// The `[llm]` section: which model ai-drv may ask, and how.
///
/// ```toml
/// [llm]
/// provider = "ollama"          # openai, openai-responses, anthropic, gemini, ollama, lmstudio, openai-compatible
/// model = "qwen2.5-coder:7b"
/// base-url = "http://127.0.0.1:11434/"
/// timeout = 120                # seconds per request
/// max-retries = 3
/// context-tokens = 8192
/// tools = true                 # send tool specs (default: on, but off for lmstudio and openai-compatible)
/// price-input = 0.0            # USD per million tokens (overrides the built-in estimates)
/// price-output = 0.0
/// api-key-env = "MY_SERVER_KEY"  # read the key from this variable instead
///
/// [llm.providers.openai-compatible]   # per provider, the same keys (but `provider`)
/// base-url = "http://10.0.0.2:8000/v1/"
/// tools = false
/// ```
///
/// Keys are never read from this file. The top-level `model`, `base-url`, `api-key-env` and
/// `price-*` describe the server they were written for: they apply only when `provider` is unset
/// or names the provider in use. The other top-level keys apply to every provider. A
/// `[llm.providers.NAME]` table overrides the top level for that provider.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LlmSection {
    pub provider: Option<String>,
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub timeout: Option<u64>,
    pub max_retries: Option<u32>,
    pub context_tokens: Option<u32>,
    pub tools: Option<bool>,
    pub price_input: Option<f64>,
    pub price_output: Option<f64>,
    pub api_key_env: Option<String>,
    #[serde(default)]
    pub providers: BTreeMap<String, LlmProviderSection>,
}

/// One `[llm.providers.NAME]` table: the `[llm]` keys, for one provider.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LlmProviderSection {
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub timeout: Option<u64>,
    pub max_retries: Option<u32>,
    pub context_tokens: Option<u32>,
    pub tools: Option<bool>,
    pub price_input: Option<f64>,
    pub price_output: Option<f64>,
    pub api_key_env: Option<String>,
}

impl LlmSection {
    /// The top-level keys as they apply to `provider` (see the type's documentation for which
    /// keys follow the provider they were written for).
    pub fn top_level_for(&self, provider: &str) -> LlmProviderSection {
        let same_server = self.provider.as_deref().is_none_or(|p| p == provider);
        let server = |v: &Option<String>| if same_server { v.clone() } else { None };
        LlmProviderSection {
            model: server(&self.model),
            base_url: server(&self.base_url),
            api_key_env: server(&self.api_key_env),
            price_input: self.price_input.filter(|_| same_server),
            price_output: self.price_output.filter(|_| same_server),
            timeout: self.timeout,
            max_retries: self.max_retries,
            context_tokens: self.context_tokens,
            tools: self.tools,
        }
    }
}

impl ConfigFile {
    /// Reads the file; a missing file is an empty configuration.
    pub fn read(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = match fs_err::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
            Err(e) => {
                return Err(ConfigError::File {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })
            }
        };
        toml::from_str(&text).map_err(|e| ConfigError::File {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })
    }
}

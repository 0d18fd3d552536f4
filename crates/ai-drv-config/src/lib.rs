//! Configuration: where ai-drv keeps its state and which registries and mirrors it talks to.
//!
//! Endpoints are never literals in ai-drv's code. Each is resolved, first match wins, from
//! 1. ai-drv's config file (`$AI_DRV_CONFIG`, else `$XDG_CONFIG_HOME/ai-drv/config.toml`),
//! 2. ai-drv's environment variables (`AI_DRV_DEBIAN_MIRROR`, …),
//! 3. the machine's own package-manager setup: apt sources for the Debian archive, cargo's
//!    configuration and registry cache for the crates registry, pip's configuration (and pip itself)
//!    for PyPI, npm's configuration for the npm registry.

mod endpoints;
mod file;
mod machine;

use std::path::PathBuf;

pub use endpoints::{Endpoint, Origin, Registry};
pub use file::{ConfigFile, LlmProviderSection, LlmSection};

/// Why configuration could not be read or an endpoint could not be found.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("no {} configured: set `{}` in {} (or {}), or configure {}", .0.describe(), .0.key(), .1.display(), .0.env_var(), .0.machine_source())]
    NoEndpoint(Registry, PathBuf),
    #[error("{value:?} from {origin} is not a valid URL: {message}")]
    BadUrl {
        value: String,
        origin: Origin,
        message: String,
    },
    #[error("unknown mirror 'mirror://{0}/': add it under [mirrors] in {1}")]
    UnknownMirror(String, PathBuf),
}

/// ai-drv's configuration, loaded once per process.
#[derive(Debug, Clone)]
pub struct Config {
    file: ConfigFile,
    file_path: PathBuf,
    env: Env,
}

/// The environment, captured so tests can supply their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: std::collections::BTreeMap<String, String>,
}

impl Env {
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars().collect(),
        }
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn home(&self) -> Option<PathBuf> {
        self.get("HOME").map(PathBuf::from).or_else(dirs::home_dir)
    }
}

impl Config {
    /// Loads the configuration for this process.
    pub fn load() -> Result<Config, ConfigError> {
        Config::load_with(Env::from_process())
    }

    /// Loads with an explicit environment.
    pub fn load_with(env: Env) -> Result<Config, ConfigError> {
        let file_path = config_path(&env);
        let file = ConfigFile::read(&file_path)?;
        Ok(Config {
            file,
            file_path,
            env,
        })
    }

    /// The config file's path (which need not exist).
    pub fn file_path(&self) -> &PathBuf {
        &self.file_path
    }

    pub fn file(&self) -> &ConfigFile {
        &self.file
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    /// Where ai-drv keeps its state (store database, build root, caches).
    pub fn state_dir(&self) -> PathBuf {
        if let Some(dir) = self.env.get("AI_DRV_STATE_DIR") {
            return PathBuf::from(dir);
        }
        if let Some(dir) = &self.file.paths.state {
            return dir.clone();
        }
        let data = self
            .env
            .get("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| self.env.home().map(|h| h.join(".local/share")))
            .unwrap_or_else(|| PathBuf::from("/var/lib"));
        data.join("ai-drv")
    }

    /// A user-supplied nixpkgs (`--nixpkgs` handled by the caller; here: config, then NIX_PATH).
    pub fn nixpkgs(&self) -> Option<String> {
        if let Some(p) = &self.file.nix.nixpkgs {
            return Some(p.clone());
        }
        let nix_path = self.env.get("NIX_PATH")?;
        nix_path.split(':').find_map(|entry| {
            entry
                .strip_prefix("nixpkgs=")
                .map(String::from)
                .or_else(|| entry.ends_with("/nixpkgs").then(|| entry.to_string()))
        })
    }

    /// Names of the LLM providers whose configuration is present (never their keys): a provider
    /// is listed when it is chosen (`AI_DRV_PROVIDER`, `[llm] provider`), has a
    /// `[llm.providers.NAME]` table, or finds the variable it needs (its key, or its host for
    /// the local servers; `OPENAI_BASE_URL` for openai-compatible).
    pub fn llm_providers(&self) -> Vec<&'static str> {
        const PROVIDERS: [(&str, &str); 7] = [
            ("openai", "OPENAI_API_KEY"),
            ("openai-responses", "OPENAI_API_KEY"),
            ("anthropic", "ANTHROPIC_API_KEY"),
            ("gemini", "GEMINI_API_KEY"),
            ("ollama", "OLLAMA_HOST"),
            ("lmstudio", "LMSTUDIO_HOST"),
            ("openai-compatible", "OPENAI_BASE_URL"),
        ];
        let llm = &self.file.llm;
        let chosen = [self.env.get("AI_DRV_PROVIDER"), llm.provider.as_deref()];
        PROVIDERS
            .iter()
            .filter(|(name, var)| {
                self.env.get(var).is_some()
                    || llm.providers.contains_key(*name)
                    || chosen.contains(&Some(*name))
            })
            .map(|(name, _)| *name)
            .collect()
    }
}

fn config_path(env: &Env) -> PathBuf {
    if let Some(p) = env.get("AI_DRV_CONFIG") {
        return PathBuf::from(p);
    }
    let base = env
        .get("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".config")))
        .unwrap_or_else(|| PathBuf::from("/etc"));
    base.join("ai-drv/config.toml")
}

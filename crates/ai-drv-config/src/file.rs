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

/// Provider settings; their contents belong to the LLM issue. Keys are not read from here.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LlmSection {
    #[serde(default)]
    pub providers: BTreeMap<String, toml::Table>,
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

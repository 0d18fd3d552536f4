//! Benchmark corpora: `[[package]]` tables with a name, a source and a ground-truth check.

use std::path::Path;

use serde::Deserialize;

use crate::Check;

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read the corpus {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the corpus {path} is not valid: {message}")]
    Parse { path: String, message: String },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corpus {
    #[serde(rename = "package", default)]
    pub packages: Vec<CorpusPackage>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CorpusPackage {
    pub name: String,
    pub kind: String,
    pub source: String,
    /// Hex sha256 of the archive, for verifying downloads only.
    pub source_sha256: Option<String>,
    #[serde(default)]
    pub check: Check,
}

impl Corpus {
    pub fn load(path: &Path) -> Result<Corpus, CorpusError> {
        let text = fs_err::read_to_string(path).map_err(|source| CorpusError::Read {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| CorpusError::Parse {
            path: path.display().to_string(),
            message: e.message().to_string(),
        })
    }

    pub fn get(&self, name: &str) -> Option<&CorpusPackage> {
        self.packages.iter().find(|p| p.name == name)
    }
}

//! `nix/hostpkgs/packages.toml`: the hand-maintained table that says which Debian binary packages
//! make up each nixpkgs attribute of hostpkgs.
//!
//! ```toml
//! [attrs]
//! ncurses = ["libncurses-dev", "libncursesw6", "libncurses6"]
//! "xorg.libX11" = ["libx11-dev", "libx11-6"]
//! ```
//!
//! Only the packages that *are* the attribute are listed (a library's `-dev` package and its
//! runtime library, a tool and its data package); their runtime dependencies are computed by the
//! generator from the Packages index.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

/// The file name of the table inside the hostpkgs directory.
pub const FILE_NAME: &str = "packages.toml";

/// What is wrong with the table.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{FILE_NAME}: {0}")]
    Toml(String),
    #[error("{FILE_NAME}: {0}")]
    Invalid(String),
}

/// The parsed table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// nixpkgs attribute name (`ncurses`, `xorg.libX11`, `python3Packages.setuptools`) → the
    /// Debian binary packages whose files make up its output.
    pub attrs: BTreeMap<String, Vec<String>>,
}

impl Spec {
    /// Parses and checks the table's text.
    pub fn from_toml(text: &str) -> Result<Spec, SpecError> {
        let spec: Spec = toml::from_str(text).map_err(|e| SpecError::Toml(e.to_string()))?;
        spec.check()?;
        Ok(spec)
    }

    /// Reads `<dir>/packages.toml`.
    pub fn read_dir(dir: &Path) -> Result<Spec, SpecError> {
        let path = dir.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|source| SpecError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Spec::from_toml(&text)
    }

    fn check(&self) -> Result<(), SpecError> {
        for (attr, debs) in &self.attrs {
            let valid_attr = !attr.is_empty()
                && attr.split('.').all(|part| {
                    part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && part
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''))
                });
            if !valid_attr {
                return Err(SpecError::Invalid(format!(
                    "`{attr}` is not a nixpkgs attribute path"
                )));
            }
            if debs.is_empty() {
                return Err(SpecError::Invalid(format!(
                    "attribute `{attr}` lists no Debian package"
                )));
            }
            let mut seen = BTreeSet::new();
            for deb in debs {
                if !seen.insert(deb) {
                    return Err(SpecError::Invalid(format!(
                        "attribute `{attr}` lists Debian package `{deb}` twice"
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_form() {
        let spec = Spec::from_toml(
            "# comment\n[attrs]\nncurses = [\"libncurses-dev\", \"libncurses6\"]\n\"xorg.libX11\" = [\"libx11-dev\"]\n",
        )
        .unwrap();
        assert_eq!(spec.attrs.len(), 2);
        assert_eq!(spec.attrs["xorg.libX11"], ["libx11-dev"]);
    }

    #[test]
    fn rejects_mistakes() {
        for (text, want) in [
            ("[attrs]\nx = []\n", "lists no Debian package"),
            ("[attrs]\nx = [\"a\", \"a\"]\n", "twice"),
            ("[attrs]\n\"a..b\" = [\"a\"]\n", "not a nixpkgs attribute"),
            ("[attrs]\nx = [\"a\"]\n[other]\n", "unknown field"),
            ("[attr]\nx = [\"a\"]\n", "unknown field"),
        ] {
            let e = Spec::from_toml(text).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }
}

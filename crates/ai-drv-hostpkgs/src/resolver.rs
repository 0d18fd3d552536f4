//! The resolver index: what a build asks for (a pkg-config module, an `#include`d header, a `-l`
//! library, a command) → the hostpkgs attribute that provides it. It is read from the generated
//! `nix/hostpkgs/resolver.json` (see [`crate::generate::Resolver`]) and consulted by the analyser
//! and by repair fixers; lookups are exact, because the generator already recorded every name in
//! the spelling builds use.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ai_drv_config::{Config, ConfigError};

use crate::generate::Resolver;

/// File name of the index inside `nix/hostpkgs`.
pub const RESOLVER_FILE: &str = "resolver.json";

/// Why the index could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(
        "{path}: not a resolver index: {source}; regenerate it with `ai-drv hostpkgs generate`"
    )]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("cannot find the bundled resolver index: {0}")]
    Config(#[from] ConfigError),
}

/// The four lookup tables of `resolver.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Index {
    pkgconfig: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
    libraries: BTreeMap<String, String>,
    commands: BTreeMap<String, String>,
}

impl Index {
    /// Reads a `resolver.json`.
    pub fn load(path: &Path) -> Result<Index, IndexError> {
        // Reading the whole file first and parsing from a slice is several times faster than
        // parsing through a reader (serde_json reads byte by byte from a `Read`).
        let bytes = fs_err::read(path)?;
        let resolver: Resolver =
            serde_json::from_slice(&bytes).map_err(|source| IndexError::Parse {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Index::from_maps(
            resolver.pkgconfig,
            resolver.headers,
            resolver.libraries,
            resolver.commands,
        ))
    }

    /// The index that ships with this ai-drv (`nix/hostpkgs/resolver.json`), located through the
    /// process configuration.
    pub fn bundled() -> Result<Index, IndexError> {
        Index::bundled_with(&Config::load()?)
    }

    /// The bundled index, located through the given configuration (`AI_DRV_NIX_DIR` and the
    /// installed layout; see [`crate::buildroot::nix_dir`]).
    pub fn bundled_with(config: &Config) -> Result<Index, IndexError> {
        Index::load(&crate::buildroot::hostpkgs_dir(config).join(RESOLVER_FILE))
    }

    /// An index from explicit tables, for tests and tools that build their own.
    pub fn from_maps(
        pkgconfig: BTreeMap<String, String>,
        headers: BTreeMap<String, String>,
        libraries: BTreeMap<String, String>,
        commands: BTreeMap<String, String>,
    ) -> Index {
        Index {
            pkgconfig,
            headers,
            libraries,
            commands,
        }
    }

    /// The attribute providing pkg-config module `module` (`libcurl`, `glib-2.0`).
    pub fn pkgconfig(&self, module: &str) -> Option<&str> {
        self.pkgconfig.get(module).map(String::as_str)
    }

    /// The attribute providing a header, spelled as in `#include <…>` (`X11/Xlib.h`).
    pub fn header(&self, include: &str) -> Option<&str> {
        self.headers.get(include).map(String::as_str)
    }

    /// The attribute providing a library, spelled as in `-lNAME` (`ncursesw`).
    pub fn library(&self, name: &str) -> Option<&str> {
        self.libraries.get(name).map(String::as_str)
    }

    /// The attribute providing a command (`bison`, `msgfmt`).
    pub fn command(&self, name: &str) -> Option<&str> {
        self.commands.get(name).map(String::as_str)
    }

    /// Whether some table names `attr` as a provider: a cheap check that an attribute exists.
    pub fn provides(&self, attr: &str) -> bool {
        [
            &self.pkgconfig,
            &self.headers,
            &self.libraries,
            &self.commands,
        ]
        .iter()
        .any(|map| map.values().any(|a| a == attr))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn lookups_are_exact_per_table() {
        let index = Index::from_maps(
            map(&[("libcurl", "curl")]),
            map(&[("X11/Xlib.h", "xorg.libX11")]),
            map(&[("ncursesw", "ncurses")]),
            map(&[("msgfmt", "gettext")]),
        );
        assert_eq!(index.pkgconfig("libcurl"), Some("curl"));
        assert_eq!(index.pkgconfig("curl"), None);
        assert_eq!(index.header("X11/Xlib.h"), Some("xorg.libX11"));
        assert_eq!(index.header("Xlib.h"), None);
        assert_eq!(index.library("ncursesw"), Some("ncurses"));
        assert_eq!(index.library("libncursesw"), None);
        assert_eq!(index.command("msgfmt"), Some("gettext"));
        assert_eq!(index.command("libcurl"), None);
        assert!(index.provides("gettext"));
        assert!(!index.provides("msgfmt"));
    }

    #[test]
    fn load_reads_a_resolver_file_and_rejects_other_json() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("resolver.json");
        fs_err::write(
            &good,
            r#"{"generator": "test", "suite": "bookworm",
                "pkgconfig": {"zlib": "zlib"}, "headers": {"zlib.h": "zlib"},
                "libraries": {"z": "zlib"}, "commands": {"bison": "bison"}}"#,
        )
        .unwrap();
        let index = Index::load(&good).unwrap();
        assert_eq!(index.pkgconfig("zlib"), Some("zlib"));
        assert_eq!(index.header("zlib.h"), Some("zlib"));
        assert_eq!(index.library("z"), Some("zlib"));
        assert_eq!(index.command("bison"), Some("bison"));

        let bad = dir.path().join("bad.json");
        fs_err::write(&bad, r#"{"pkgconfig": []}"#).unwrap();
        let err = Index::load(&bad).unwrap_err();
        assert!(matches!(err, IndexError::Parse { .. }), "{err}");
        assert!(matches!(
            Index::load(&dir.path().join("missing.json")),
            Err(IndexError::Io(_))
        ));
    }

    #[test]
    fn bundled_index_loads_and_resolves_common_names() {
        let config =
            Config::load_with(ai_drv_config::Env::from_pairs([("HOME", "/nonexistent")])).unwrap();
        let start = std::time::Instant::now();
        let index = Index::bundled_with(&config).unwrap();
        let elapsed = start.elapsed();
        assert_eq!(index.pkgconfig("zlib"), Some("zlib"));
        assert_eq!(index.header("curses.h"), Some("ncurses"));
        assert_eq!(index.library("ncursesw"), Some("ncurses"));
        assert_eq!(index.command("bison"), Some("bison"));
        // The C library is part of the build root, not an attribute.
        assert_eq!(index.header("stdio.h"), None);
        // Generous for debug builds on a loaded machine; release loads in a few milliseconds.
        assert!(elapsed.as_millis() < 2000, "loading took {elapsed:?}");
    }
}

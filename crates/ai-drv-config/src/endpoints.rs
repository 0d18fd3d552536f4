//! Registry and mirror endpoints, and where each one's value came from.

use std::path::PathBuf;

use url::Url;

use crate::{machine, Config, ConfigError};

/// A package registry or archive ai-drv fetches from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registry {
    /// Debian's archive (pool/ and dists/), also `mirror://debian/`.
    Debian,
    /// The crates registry's sparse index.
    CratesIndex,
    /// Where crate files are downloaded from.
    CratesDownload,
    /// PyPI's simple index.
    Pypi,
    /// The npm registry.
    Npm,
}

impl Registry {
    pub const ALL: [Registry; 5] = [
        Registry::Debian,
        Registry::CratesIndex,
        Registry::CratesDownload,
        Registry::Pypi,
        Registry::Npm,
    ];

    /// Key under `[endpoints]` in config.toml.
    pub fn key(self) -> &'static str {
        match self {
            Registry::Debian => "debian",
            Registry::CratesIndex => "crates-index",
            Registry::CratesDownload => "crates-download",
            Registry::Pypi => "pypi",
            Registry::Npm => "npm",
        }
    }

    /// ai-drv's environment variable for it.
    pub fn env_var(self) -> &'static str {
        match self {
            Registry::Debian => "AI_DRV_DEBIAN_MIRROR",
            Registry::CratesIndex => "AI_DRV_CRATES_INDEX",
            Registry::CratesDownload => "AI_DRV_CRATES_DOWNLOAD",
            Registry::Pypi => "AI_DRV_PYPI_INDEX",
            Registry::Npm => "AI_DRV_NPM_REGISTRY",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Registry::Debian => "Debian archive mirror",
            Registry::CratesIndex => "crates registry index",
            Registry::CratesDownload => "crates download location",
            Registry::Pypi => "PyPI index",
            Registry::Npm => "npm registry",
        }
    }

    /// Which machine configuration ai-drv reads for it.
    pub fn machine_source(self) -> &'static str {
        match self {
            Registry::Debian => "a Debian mirror in apt's sources",
            Registry::CratesIndex | Registry::CratesDownload => "cargo (or use it once)",
            Registry::Pypi => "pip's index-url (or install pip)",
            Registry::Npm => "npm's registry (or install npm)",
        }
    }

    fn in_file(self, config: &Config) -> Option<&String> {
        let e = &config.file.endpoints;
        match self {
            Registry::Debian => e.debian.as_ref(),
            Registry::CratesIndex => e.crates_index.as_ref(),
            Registry::CratesDownload => e.crates_download.as_ref(),
            Registry::Pypi => e.pypi.as_ref(),
            Registry::Npm => e.npm.as_ref(),
        }
    }
}

impl std::fmt::Display for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// Where an endpoint's value came from, so `doctor` can say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    ConfigFile(PathBuf),
    Env(&'static str),
    /// An apt sources file.
    Apt(PathBuf),
    /// A cargo configuration file or registry cache directory.
    Cargo(PathBuf),
    /// A pip configuration file, or pip's environment variable.
    Pip(String),
    /// pip's own default, as the installed pip reports it.
    PipDefault,
    /// An npmrc file or npm's environment variable.
    Npm(String),
    /// npm's own setting, as `npm config get registry` reports it.
    NpmDefault,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::ConfigFile(p) | Origin::Apt(p) | Origin::Cargo(p) => {
                write!(f, "{}", p.display())
            }
            Origin::Env(v) => write!(f, "${v}"),
            Origin::Pip(s) | Origin::Npm(s) => f.write_str(s),
            Origin::PipDefault => f.write_str("pip's default"),
            Origin::NpmDefault => f.write_str("npm config"),
        }
    }
}

/// A resolved endpoint: a base URL ending in `/`, so joining a relative path appends to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: Url,
    pub origin: Origin,
}

impl Endpoint {
    fn new(value: &str, origin: Origin) -> Result<Endpoint, ConfigError> {
        let bad = |message: String| ConfigError::BadUrl {
            value: value.to_string(),
            origin: origin.clone(),
            message,
        };
        // Cargo writes sparse registries as `sparse+https://…`; ai-drv always speaks the sparse protocol.
        let text = value.trim().trim_start_matches("sparse+");
        let mut url = Url::parse(text).map_err(|e| bad(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https" | "file") {
            return Err(bad(format!("unsupported scheme '{}'", url.scheme())));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Endpoint { url, origin })
    }

    /// `base` + a relative path (`pool/main/s/sl/…`).
    pub fn join(&self, relative: &str) -> Result<Url, url::ParseError> {
        self.url.join(relative.trim_start_matches('/'))
    }
}

impl Config {
    /// Resolves one endpoint (config file, then environment, then the machine's setup).
    pub fn endpoint(&self, registry: Registry) -> Result<Endpoint, ConfigError> {
        if let Some(v) = registry.in_file(self) {
            return Endpoint::new(v, Origin::ConfigFile(self.file_path.clone()));
        }
        if let Some(v) = self.env.get(registry.env_var()) {
            return Endpoint::new(v, Origin::Env(registry.env_var()));
        }
        let found = match registry {
            Registry::Debian => machine::apt::debian_mirror(std::path::Path::new("/etc/apt")),
            Registry::CratesIndex => machine::cargo::find(&self.env).map(|c| (c.index, c.origin)),
            Registry::CratesDownload => {
                machine::cargo::find(&self.env).and_then(|c| c.download.map(|d| (d, c.origin)))
            }
            Registry::Pypi => machine::pip::index_url(&self.env),
            Registry::Npm => machine::npm::registry(&self.env),
        };
        match found {
            Some((value, origin)) => Endpoint::new(&value, origin),
            None => Err(ConfigError::NoEndpoint(registry, self.file_path.clone())),
        }
    }

    /// Resolves nixpkgs' `mirror://NAME/path` (and passes other URLs through) to candidate URLs.
    pub fn resolve_url(&self, url: &str) -> Result<Vec<Url>, ConfigError> {
        let Some(rest) = url.strip_prefix("mirror://") else {
            return Url::parse(url)
                .map(|u| vec![u])
                .map_err(|e| ConfigError::BadUrl {
                    value: url.to_string(),
                    origin: Origin::Env("argument"),
                    message: e.to_string(),
                });
        };
        let (name, path) = rest.split_once('/').unwrap_or((rest, ""));
        if let Some(bases) = self.file.mirrors.get(name) {
            let origin = Origin::ConfigFile(self.file_path.clone());
            return bases
                .iter()
                .map(|b| {
                    Endpoint::new(b, origin.clone())?
                        .join(path)
                        .map_err(|e| ConfigError::BadUrl {
                            value: url.to_string(),
                            origin: origin.clone(),
                            message: e.to_string(),
                        })
                })
                .collect();
        }
        if name == "debian" {
            let base = self.endpoint(Registry::Debian)?;
            let joined = base.join(path).map_err(|e| ConfigError::BadUrl {
                value: url.to_string(),
                origin: base.origin.clone(),
                message: e.to_string(),
            })?;
            return Ok(vec![joined]);
        }
        Err(ConfigError::UnknownMirror(
            name.to_string(),
            self.file_path.clone(),
        ))
    }
}

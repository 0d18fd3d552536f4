//! Which package set a build uses — the user's nixpkgs when one is given, hostpkgs otherwise —
//! and how Nix is called for it: the expression that imports it, and the options and
//! environment (sandbox mapped onto the build root, mirrors) hostpkgs needs.

use std::path::{Path, PathBuf};

use ai_drv_config::Config;
use ai_drv_nix::{BuildOptions, Options};

use crate::buildroot::{hostpkgs_dir, mirror_env, BuildRoot};

/// The package set derivations are built against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageSet {
    /// A nixpkgs checkout or channel given by the user.
    Nixpkgs { path: String, reason: String },
    /// ai-drv's own set, built from Debian's packages.
    Hostpkgs {
        dir: PathBuf,
        build_root: BuildRoot,
        mirrors: Vec<(String, String)>,
    },
}

impl PackageSet {
    /// `--nixpkgs PATH` first, then config.toml's `[nix] nixpkgs` or `nixpkgs=` on NIX_PATH, then
    /// hostpkgs.
    pub fn select(config: &Config, flag: Option<&str>) -> PackageSet {
        if let Some(path) = flag {
            return PackageSet::Nixpkgs {
                path: path.to_string(),
                reason: "given with --nixpkgs".into(),
            };
        }
        if let Some(path) = config.nixpkgs() {
            let reason = if config.file().nix.nixpkgs.is_some() {
                format!("set in {}", config.file_path().display())
            } else {
                "found on NIX_PATH".into()
            };
            return PackageSet::Nixpkgs { path, reason };
        }
        PackageSet::hostpkgs(config)
    }

    pub fn hostpkgs(config: &Config) -> PackageSet {
        PackageSet::Hostpkgs {
            dir: hostpkgs_dir(config),
            build_root: BuildRoot::locate(config),
            mirrors: mirror_env(config),
        }
    }

    /// One line for people: which set and why.
    pub fn describe(&self) -> String {
        match self {
            PackageSet::Nixpkgs { path, reason } => format!("nixpkgs at {path} ({reason})"),
            PackageSet::Hostpkgs { build_root, .. } => format!(
                "hostpkgs, Debian's packages in a sandbox on the build root {} (no nixpkgs given with --nixpkgs, in config.toml or on NIX_PATH)",
                build_root.path.display()
            ),
        }
    }

    /// A problem that stops builds, with what to do about it.
    pub fn problem(&self) -> Option<String> {
        match self {
            PackageSet::Nixpkgs { .. } => None,
            PackageSet::Hostpkgs {
                dir, build_root, ..
            } => {
                if !dir.join("default.nix").exists() {
                    Some(format!(
                        "hostpkgs is missing at {}; set AI_DRV_NIX_DIR to the nix/ directory of ai-drv",
                        dir.display()
                    ))
                } else {
                    build_root.missing().map(|missing| {
                        format!(
                            "the build root at {} is incomplete ({} is missing); run scripts/setup",
                            build_root.path.display(),
                            missing.display()
                        )
                    })
                }
            }
        }
    }

    /// `import <set> { }` as a Nix expression.
    pub fn import_expr(&self) -> String {
        match self {
            PackageSet::Nixpkgs { path, .. } => {
                if path.starts_with('<') {
                    format!("import {path} {{ }}")
                } else {
                    format!("import {} {{ }}", nix_path_literal(Path::new(path)))
                }
            }
            PackageSet::Hostpkgs { dir, .. } => format!("import {} {{ }}", nix_path_literal(dir)),
        }
    }

    /// `(import <set> { }).callPackage FILE ARGS` as a Nix expression; `args` is a Nix attrset
    /// expression that may refer to the set as `pkgs`.
    pub fn call_package_expr(&self, file: &Path, args: &str) -> String {
        format!(
            "let pkgs = {}; in pkgs.callPackage {} (with pkgs; {args})",
            self.import_expr(),
            nix_path_literal(file)
        )
    }

    /// Options every Nix call against this set needs.
    pub fn options(&self) -> Options {
        let mut options = Options {
            non_interactive: true,
            ..Options::default()
        };
        if let PackageSet::Hostpkgs {
            build_root,
            mirrors,
            ..
        } = self
        {
            options.options = build_root.nix_options();
            options.env = mirrors.clone();
        }
        options
    }

    pub fn build_options(&self) -> BuildOptions {
        BuildOptions {
            common: self.options(),
            ..BuildOptions::default()
        }
    }
}

/// A path as a Nix path literal (absolute, so that it means the same from any directory).
/// Paths Nix cannot write as literals (spaces and the like) become `/. + "/…"`.
pub fn nix_path_literal(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy();
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c));
    if plain {
        text.into_owned()
    } else {
        format!(
            "(/. + {})",
            serde_json::to_string(text.as_ref()).unwrap_or_default()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_drv_config::Env;

    fn config(pairs: &[(&str, &str)]) -> Config {
        Config::load_with(Env::from_pairs(pairs.iter().copied())).unwrap()
    }

    #[test]
    fn the_flag_wins_then_nix_path_then_hostpkgs() {
        let c = config(&[
            ("HOME", "/nonexistent"),
            ("NIX_PATH", "nixpkgs=/src/nixpkgs"),
        ]);
        assert_eq!(
            PackageSet::select(&c, Some("/flag")),
            PackageSet::Nixpkgs {
                path: "/flag".into(),
                reason: "given with --nixpkgs".into()
            }
        );
        let from_path = PackageSet::select(&c, None);
        assert!(from_path
            .describe()
            .contains("/src/nixpkgs (found on NIX_PATH)"));
        let c = config(&[("HOME", "/nonexistent"), ("AI_DRV_STATE_DIR", "/st")]);
        let set = PackageSet::select(&c, None);
        assert!(matches!(set, PackageSet::Hostpkgs { .. }));
        assert!(set.describe().contains("/st/buildroot"));
        assert!(set.problem().unwrap().contains("run scripts/setup"));
        assert_eq!(set.options().options[0], ("sandbox".into(), "true".into()));
    }

    #[test]
    fn paths_become_nix_literals() {
        assert_eq!(nix_path_literal(Path::new("/a/b.nix")), "/a/b.nix");
        assert_eq!(
            nix_path_literal(Path::new("/a b/c.nix")),
            "(/. + \"/a b/c.nix\")"
        );
    }
}

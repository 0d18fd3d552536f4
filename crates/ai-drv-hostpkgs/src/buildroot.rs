//! Where hostpkgs lives and how Nix must be run to build with it: the Debian build root that the
//! sandbox maps to `/bin /usr /lib /lib64`, the `nix/hostpkgs` expression, and the mirrors it
//! fetches from (passed as `AI_DRV_MIRROR_<NAME>` variables, so no host name is written into
//! any Nix file).

use std::path::{Path, PathBuf};

use ai_drv_config::{Config, Registry};

/// Directories of the build root that builds see, at the same place.
pub const MAPPED_DIRS: [&str; 4] = ["/bin", "/usr", "/lib", "/lib64"];

/// Files whose presence says a build root is complete (a C compiler and a shell).
const MARKERS: [&str; 3] = ["usr/bin/gcc", "usr/bin/make", "bin/bash"];

/// The Debian build root `scripts/setup` creates with `debootstrap --variant=buildd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRoot {
    pub path: PathBuf,
}

impl BuildRoot {
    /// `AI_DRV_BUILD_ROOT`, else `<state dir>/buildroot`.
    pub fn locate(config: &Config) -> BuildRoot {
        let path = config
            .env()
            .get("AI_DRV_BUILD_ROOT")
            .map(PathBuf::from)
            .unwrap_or_else(|| config.state_dir().join("buildroot"));
        BuildRoot { path }
    }

    /// The first marker file that is missing, if any.
    pub fn missing(&self) -> Option<PathBuf> {
        MARKERS
            .iter()
            .map(|m| self.path.join(m))
            .find(|p| !p.exists())
    }

    pub fn is_complete(&self) -> bool {
        self.missing().is_none()
    }

    /// The value of Nix's `sandbox-paths` setting: `target=source` pairs.
    pub fn sandbox_paths(&self) -> String {
        MAPPED_DIRS
            .iter()
            .map(|dir| format!("{dir}={}{dir}", self.path.display()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `--option` pairs for every Nix call that builds with hostpkgs.
    pub fn nix_options(&self) -> Vec<(String, String)> {
        vec![
            ("sandbox".into(), "true".into()),
            ("sandbox-paths".into(), self.sandbox_paths()),
        ]
    }
}

/// The `nix/` directory of ai-drv: `AI_DRV_NIX_DIR`, else `share/ai-drv/nix` next to the
/// installed binary, else the source checkout this binary was built from.
pub fn nix_dir(config: &Config) -> PathBuf {
    if let Some(dir) = config.env().get("AI_DRV_NIX_DIR") {
        return PathBuf::from(dir);
    }
    if let Some(installed) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(|p| p.join("share/ai-drv/nix")))
        .filter(|p| p.join("hostpkgs/default.nix").exists())
    {
        return installed;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../nix")
}

/// `nix/hostpkgs`.
pub fn hostpkgs_dir(config: &Config) -> PathBuf {
    nix_dir(config).join("hostpkgs")
}

/// Mirror names hostpkgs knows (nixpkgs' `mirror://NAME/` scheme) and the endpoint each comes
/// from when `[mirrors]` in config.toml does not name it.
const MIRRORS: [(&str, Option<Registry>); 3] = [
    ("debian", Some(Registry::Debian)),
    ("crates", Some(Registry::CratesDownload)),
    // fetchPypi accepts a simple index as the pypi mirror and finds the file on the project page.
    ("pypi", Some(Registry::Pypi)),
];

/// `AI_DRV_MIRROR_<NAME>` variables for Nix: config `[mirrors]` entries first, then the
/// endpoints (config, environment, the machine's own setup). A mirror that cannot be found is
/// left out; hostpkgs then says which variable to set when a fetch needs it.
pub fn mirror_env(config: &Config) -> Vec<(String, String)> {
    let mut env = Vec::new();
    for (name, registry) in MIRRORS {
        let var = format!("AI_DRV_MIRROR_{}", name.to_uppercase());
        if let Some(value) = config.env().get(&var) {
            env.push((var, value.to_string()));
            continue;
        }
        let configured = config.file().mirrors.get(name).filter(|l| !l.is_empty());
        let value = match (configured, registry) {
            (Some(list), _) => Some(list.join(" ")),
            (None, Some(registry)) => config
                .endpoint(registry)
                .ok()
                .map(|e| e.url.as_str().trim_end_matches('/').to_string()),
            (None, None) => None,
        };
        if let Some(value) = value {
            env.push((var, value));
        }
    }
    env
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_drv_config::Env;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().to_str().unwrap().to_string();
        let mut all = vec![("HOME", home.as_str())];
        all.extend_from_slice(pairs);
        let config = Config::load_with(Env::from_pairs(all)).unwrap();
        std::mem::forget(dir);
        config
    }

    #[test]
    fn sandbox_paths_map_each_directory_to_the_build_root() {
        let root = BuildRoot {
            path: PathBuf::from("/srv/root"),
        };
        assert_eq!(
            root.sandbox_paths(),
            "/bin=/srv/root/bin /usr=/srv/root/usr /lib=/srv/root/lib /lib64=/srv/root/lib64"
        );
        assert!(root
            .nix_options()
            .contains(&("sandbox".to_string(), "true".to_string())));
    }

    #[test]
    fn build_root_location_follows_the_environment_then_the_state_dir() {
        let c = config(&[("AI_DRV_BUILD_ROOT", "/x/root")]);
        assert_eq!(BuildRoot::locate(&c).path, PathBuf::from("/x/root"));
        let c = config(&[("AI_DRV_STATE_DIR", "/state")]);
        assert_eq!(
            BuildRoot::locate(&c).path,
            PathBuf::from("/state/buildroot")
        );
        assert!(!BuildRoot::locate(&c).is_complete());
    }

    #[test]
    fn mirrors_come_from_the_environment_and_the_debian_endpoint() {
        let c = config(&[
            ("AI_DRV_DEBIAN_MIRROR", "http://debian.invalid/debian/"),
            ("AI_DRV_MIRROR_PYPI", "http://pypi.invalid/packages/source"),
        ]);
        let env = mirror_env(&c);
        assert!(env.contains(&(
            "AI_DRV_MIRROR_DEBIAN".into(),
            "http://debian.invalid/debian".into()
        )));
        assert!(env.contains(&(
            "AI_DRV_MIRROR_PYPI".into(),
            "http://pypi.invalid/packages/source".into()
        )));
    }
}

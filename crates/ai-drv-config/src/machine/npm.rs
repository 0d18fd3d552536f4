//! npm's configuration: the registry this machine's npm uses.

use std::path::PathBuf;

use crate::machine::{ask, ini_value};
use crate::{Env, Origin};

/// npm's `registry`: its environment variables, the user's and the global npmrc, then what the
/// installed npm reports.
pub fn registry(env: &Env) -> Option<(String, Origin)> {
    for var in ["NPM_CONFIG_REGISTRY", "npm_config_registry"] {
        if let Some(v) = env.get(var) {
            return Some((v.to_string(), Origin::Npm(format!("${var}"))));
        }
    }
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(f) = env.get("NPM_CONFIG_USERCONFIG") {
        files.push(PathBuf::from(f));
    }
    if let Some(home) = env.home() {
        files.push(home.join(".npmrc"));
    }
    files.push(PathBuf::from("/etc/npmrc"));
    files.push(PathBuf::from("/usr/etc/npmrc"));
    files.push(PathBuf::from("/usr/local/etc/npmrc"));
    for file in files {
        if let Ok(text) = fs_err::read_to_string(&file) {
            if let Some(v) = ini_value(&text, &[], "registry") {
                return Some((v, Origin::Npm(file.display().to_string())));
            }
        }
    }
    ask("npm", &["config", "get", "registry"]).map(|v| (v, Origin::NpmDefault))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npmrc_and_env() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".npmrc"),
            "fund=false\nregistry=https://npm.invalid/\n",
        )
        .unwrap();
        let env = Env::from_pairs([("HOME", dir.path().to_str().unwrap())]);
        assert_eq!(registry(&env).unwrap().0, "https://npm.invalid/");
        let env = Env::from_pairs([("NPM_CONFIG_REGISTRY", "https://env.invalid/")]);
        assert_eq!(registry(&env).unwrap().0, "https://env.invalid/");
    }
}

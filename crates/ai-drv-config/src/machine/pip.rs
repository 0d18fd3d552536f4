//! pip's configuration: the PyPI index this machine's pip uses.

use std::path::PathBuf;

use crate::machine::{ask, ini_value};
use crate::{Env, Origin};

/// pip's `index-url`: `$PIP_INDEX_URL`, then its config files (most specific first), then the
/// default the installed pip itself reports.
pub fn index_url(env: &Env) -> Option<(String, Origin)> {
    if let Some(v) = env.get("PIP_INDEX_URL") {
        return Some((v.to_string(), Origin::Pip("$PIP_INDEX_URL".into())));
    }
    for file in config_files(env) {
        if let Ok(text) = fs_err::read_to_string(&file) {
            if let Some(v) = ini_value(&text, &["global", "install", "download"], "index-url") {
                return Some((v, Origin::Pip(file.display().to_string())));
            }
        }
    }
    // pip's built-in default lives in pip itself; ask it rather than repeat it here.
    ask(
        "python3",
        &[
            "-c",
            "from pip._internal.models.index import PyPI; print(PyPI.simple_url)",
        ],
    )
    .map(|v| (v, Origin::PipDefault))
}

/// pip's config files, highest precedence first.
fn config_files(env: &Env) -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(f) = env.get("PIP_CONFIG_FILE") {
        files.push(PathBuf::from(f));
    }
    if let Some(home) = env.home() {
        let xdg = env
            .get("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".config"));
        files.push(xdg.join("pip/pip.conf"));
        files.push(home.join(".pip/pip.conf"));
    }
    files.push(PathBuf::from("/etc/xdg/pip/pip.conf"));
    files.push(PathBuf::from("/etc/pip.conf"));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_then_env() {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("pip.conf");
        std::fs::write(
            &conf,
            "[global]\ncert = /x\nindex-url = https://pypi.invalid/simple\n",
        )
        .unwrap();
        let env = Env::from_pairs([
            ("PIP_CONFIG_FILE", conf.to_str().unwrap()),
            ("HOME", dir.path().to_str().unwrap()),
        ]);
        assert_eq!(index_url(&env).unwrap().0, "https://pypi.invalid/simple");
        let env = Env::from_pairs([("PIP_INDEX_URL", "https://other.invalid/simple")]);
        assert_eq!(index_url(&env).unwrap().0, "https://other.invalid/simple");
    }
}

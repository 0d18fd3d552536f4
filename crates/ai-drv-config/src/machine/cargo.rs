//! cargo's configuration: the crates registry this machine's cargo uses.

use std::path::{Path, PathBuf};

use crate::{Env, Origin};

/// The registry cargo uses for crates-io.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CargoRegistry {
    /// Index URL (`sparse+https://…/` or plain).
    pub index: String,
    /// Download base from the index's `config.json` (`dl`), when cargo has it cached.
    pub download: Option<String>,
    pub origin: Origin,
}

fn cargo_home(env: &Env) -> Option<PathBuf> {
    env.get("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".cargo")))
}

pub fn find(env: &Env) -> Option<CargoRegistry> {
    let home = cargo_home(env)?;
    from_config(&home).or_else(|| from_cache(&home))
}

/// `[source.crates-io] replace-with = "x"` and `[source.x] registry = "…"` in cargo's config.
fn from_config(home: &Path) -> Option<CargoRegistry> {
    for name in ["config.toml", "config"] {
        let path = home.join(name);
        let Ok(text) = fs_err::read_to_string(&path) else {
            continue;
        };
        let Ok(table) = text.parse::<toml::Table>() else {
            continue;
        };
        let sources = table.get("source")?.as_table()?;
        let replacement = sources
            .get("crates-io")
            .and_then(|s| s.get("replace-with"))
            .and_then(|v| v.as_str())?;
        let index = sources
            .get(replacement)
            .and_then(|s| s.get("registry"))
            .and_then(|v| v.as_str())?;
        return Some(CargoRegistry {
            index: index.to_string(),
            download: None,
            origin: Origin::Cargo(path),
        });
    }
    None
}

/// cargo's registry cache names each sparse index directory after its host
/// (`<host>-<16 hex digits>`) and keeps the index's `config.json` there.
fn from_cache(home: &Path) -> Option<CargoRegistry> {
    let index_dir = home.join("registry/index");
    let mut candidates: Vec<PathBuf> = fs_err::read_dir(&index_dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !p.join(".git").exists())
        .collect();
    // Prefer a directory whose config.json cargo has cached.
    candidates.sort_by_key(|p| (!p.join("config.json").exists(), p.clone()));
    for dir in candidates {
        let name = dir.file_name()?.to_str()?;
        let (host, hash) = name.rsplit_once('-')?;
        if hash.len() != 16 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) || host.is_empty() {
            continue;
        }
        let download = fs_err::read_to_string(dir.join("config.json"))
            .ok()
            .and_then(|t| config_json_dl(&t));
        return Some(CargoRegistry {
            index: format!("sparse+https://{host}/"),
            download,
            origin: Origin::Cargo(dir),
        });
    }
    None
}

/// The `"dl"` value of a registry `config.json`.
fn config_json_dl(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.get("dl")?.as_str().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_replacement_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "[source.crates-io]\nreplace-with = \"mine\"\n[source.mine]\nregistry = \"sparse+https://crates.invalid/index/\"\n",
        )
        .unwrap();
        let env = Env::from_pairs([("CARGO_HOME", dir.path().to_str().unwrap())]);
        let r = find(&env).unwrap();
        assert_eq!(r.index, "sparse+https://crates.invalid/index/");
    }

    #[test]
    fn cache_directory_names_the_host_and_caches_dl() {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir
            .path()
            .join("registry/index/index.crates.invalid-1949cf8c6b5b557f");
        std::fs::create_dir_all(&idx).unwrap();
        std::fs::write(
            idx.join("config.json"),
            r#"{"dl":"https://static.crates.invalid/crates","api":"https://crates.invalid"}"#,
        )
        .unwrap();
        // A git index next to it is ignored.
        std::fs::create_dir_all(
            dir.path()
                .join("registry/index/git.invalid-0123456789abcdef/.git"),
        )
        .unwrap();
        let env = Env::from_pairs([("CARGO_HOME", dir.path().to_str().unwrap())]);
        let r = find(&env).unwrap();
        assert_eq!(r.index, "sparse+https://index.crates.invalid/");
        assert_eq!(
            r.download.as_deref(),
            Some("https://static.crates.invalid/crates")
        );
    }
}

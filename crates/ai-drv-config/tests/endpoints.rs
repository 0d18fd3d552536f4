//! Endpoint resolution order and mirror:// URLs.

use ai_drv_config::{Config, ConfigError, Env, Origin, Registry};

fn config(dir: &std::path::Path, toml: &str, extra: &[(&str, &str)]) -> Config {
    let path = dir.join("config.toml");
    std::fs::write(&path, toml).unwrap();
    let mut pairs = vec![
        ("AI_DRV_CONFIG", path.to_str().unwrap()),
        ("HOME", dir.to_str().unwrap()),
    ];
    pairs.extend_from_slice(extra);
    Config::load_with(Env::from_pairs(pairs)).unwrap()
}

#[test]
fn config_file_beats_environment() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(
        dir.path(),
        "[endpoints]\ndebian = \"http://file.invalid/debian\"\n",
        &[("AI_DRV_DEBIAN_MIRROR", "http://env.invalid/debian")],
    );
    let e = c.endpoint(Registry::Debian).unwrap();
    assert_eq!(e.url.as_str(), "http://file.invalid/debian/");
    assert!(matches!(e.origin, Origin::ConfigFile(_)));

    let c = config(
        dir.path(),
        "",
        &[("AI_DRV_DEBIAN_MIRROR", "http://env.invalid/debian")],
    );
    let e = c.endpoint(Registry::Debian).unwrap();
    assert_eq!(e.url.as_str(), "http://env.invalid/debian/");
    assert_eq!(e.origin, Origin::Env("AI_DRV_DEBIAN_MIRROR"));
}

#[test]
fn mirror_urls_resolve_through_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(
        dir.path(),
        "[endpoints]\ndebian = \"http://deb.invalid/debian\"\n[mirrors]\ngnu = [\"https://a.invalid/gnu\", \"https://b.invalid/pub/gnu/\"]\n",
        &[],
    );
    let urls = c
        .resolve_url("mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz")
        .unwrap();
    assert_eq!(
        urls[0].as_str(),
        "http://deb.invalid/debian/pool/main/s/sl/sl_5.02.orig.tar.gz"
    );
    let urls = c
        .resolve_url("mirror://gnu/hello/hello-2.12.tar.gz")
        .unwrap();
    assert_eq!(
        urls.iter().map(|u| u.as_str()).collect::<Vec<_>>(),
        [
            "https://a.invalid/gnu/hello/hello-2.12.tar.gz",
            "https://b.invalid/pub/gnu/hello/hello-2.12.tar.gz"
        ]
    );
    let err = c.resolve_url("mirror://sourceforge/x/y.tgz").unwrap_err();
    assert!(matches!(err, ConfigError::UnknownMirror(ref m, _) if m == "sourceforge"));
    assert!(err.to_string().contains("[mirrors]"));
    assert_eq!(
        c.resolve_url("https://x.invalid/a.tar.gz").unwrap()[0].as_str(),
        "https://x.invalid/a.tar.gz"
    );
}

#[test]
fn bad_values_are_reported_with_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(dir.path(), "[endpoints]\nnpm = \"ftp://x.invalid/\"\n", &[]);
    let err = c.endpoint(Registry::Npm).unwrap_err().to_string();
    assert!(err.contains("config.toml") && err.contains("ftp"), "{err}");

    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[endpoints\n").unwrap();
    let err = Config::load_with(Env::from_pairs([("AI_DRV_CONFIG", path.to_str().unwrap())]))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with(path.to_str().unwrap()), "{err}");

    std::fs::write(&path, "[endpoint]\ndebian = \"x\"\n").unwrap();
    assert!(
        Config::load_with(Env::from_pairs([("AI_DRV_CONFIG", path.to_str().unwrap())])).is_err()
    );
}

#[test]
fn state_dir_and_nixpkgs_and_providers() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(
        dir.path(),
        "",
        &[
            ("XDG_DATA_HOME", "/data"),
            ("NIX_PATH", "foo=/x:nixpkgs=/src/nixpkgs"),
            ("ANTHROPIC_API_KEY", "secret-key"),
        ],
    );
    assert_eq!(c.state_dir(), std::path::PathBuf::from("/data/ai-drv"));
    assert_eq!(c.nixpkgs().as_deref(), Some("/src/nixpkgs"));
    assert_eq!(c.llm_providers(), ["anthropic"]);
}

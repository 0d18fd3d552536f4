//! Prefetching real archives gives exactly what `nix-prefetch-url` (with and without `--unpack`)
//! gives, and bad input fails with one clear line. Needs Nix on PATH (scripts/setup) and the
//! archivers `tar`, `zip`, `zstd`, `xz`, `bzip2` for the archives built here.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use ai_drv_config::{Config, Env};
use ai_drv_source::{prefetch, NoProgress, PrefetchOptions};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archives")
}

fn config() -> Config {
    // An empty config: these tests use file:// and loopback URLs only.
    let dir = std::env::temp_dir().join("ai-drv-no-config.toml");
    Config::load_with(Env::from_pairs([("AI_DRV_CONFIG", dir.to_str().unwrap())])).unwrap()
}

/// `nix-prefetch-url [--unpack] --print-path file://…` → (nix32 hash, store path).
fn nix_prefetch(path: &Path, unpack: bool) -> (String, String) {
    let mut cmd = Command::new("nix-prefetch-url");
    if unpack {
        cmd.arg("--unpack");
    }
    let out = cmd
        .arg("--print-path")
        .arg(format!("file://{}", path.display()))
        .output()
        .expect("nix-prefetch-url must be installed: run scripts/setup");
    assert!(
        out.status.success(),
        "nix-prefetch-url {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    (
        lines.next().unwrap().to_string(),
        lines.next().unwrap().to_string(),
    )
}

async fn ours(path: &Path, unpack: bool) -> (String, String) {
    let p = prefetch(
        &config(),
        &format!("file://{}", path.display()),
        &PrefetchOptions { unpack, name: None },
        &NoProgress,
    )
    .await
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (p.hash.to_nix32(), p.store_path)
}

async fn assert_same_as_nix(path: &Path) {
    for unpack in [false, true] {
        assert_eq!(
            ours(path, unpack).await,
            nix_prefetch(path, unpack),
            "{} (unpack: {unpack})",
            path.display()
        );
    }
}

#[tokio::test]
async fn real_upstream_archives() {
    // tar.gz, tar.bz2, tar.xz with one top directory; a zip (wheel) with several top entries.
    for name in [
        "sl_5.02.orig.tar.gz",
        "fzy_1.0.orig.tar.gz",
        "pv_1.6.20.orig.tar.bz2",
        "lzip_1.23.orig.tar.xz",
        "six-1.16.0-py2.py3-none-any.whl",
    ] {
        assert_same_as_nix(&fixtures().join(name)).await;
    }
}

/// A tree with an executable, a symlink, a dangling symlink, a nested and an empty directory.
fn make_tree(root: &Path) {
    std::fs::create_dir_all(root.join("src/empty")).unwrap();
    std::fs::write(root.join("README"), "read me\n").unwrap();
    std::fs::write(root.join("configure"), "#!/bin/sh\necho ok\n").unwrap();
    std::fs::set_permissions(
        root.join("configure"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    std::fs::write(root.join("src/main.c"), "int main(void) { return 0; }\n").unwrap();
    std::os::unix::fs::symlink("main.c", root.join("src/link.c")).unwrap();
    std::os::unix::fs::symlink("../missing", root.join("src/dangling")).unwrap();
}

fn sh(dir: &Path, script: &str) {
    let status = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "{script}");
}

#[tokio::test]
async fn archives_built_with_real_tools_with_and_without_a_top_directory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    make_tree(&d.join("pkg-1.0"));
    make_tree(&d.join("flat"));
    sh(d, "tar czf top.tar.gz pkg-1.0");
    sh(d, "tar cJf top.tar.xz pkg-1.0");
    sh(d, "tar cjf top.tar.bz2 pkg-1.0");
    sh(d, "tar --zstd -cf top.tar.zst pkg-1.0");
    sh(d, "tar cf top.tar pkg-1.0");
    sh(d, "zip -qry top.zip pkg-1.0");
    sh(d, "cd flat && tar czf ../notop.tar.gz .");
    sh(d, "cd flat && zip -qry ../notop.zip .");
    sh(d, "tar czf single-file.tar.gz -C flat README");
    for name in [
        "top.tar.gz",
        "top.tar.xz",
        "top.tar.bz2",
        "top.tar.zst",
        "top.tar",
        "top.zip",
        "notop.tar.gz",
        "notop.zip",
        "single-file.tar.gz",
    ] {
        assert_same_as_nix(&d.join(name)).await;
    }
}

#[tokio::test]
async fn corrupt_and_foreign_files_fail_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read(fixtures().join("fzy_1.0.orig.tar.gz")).unwrap();
    let truncated = dir.path().join("truncated.tar.gz");
    std::fs::write(&truncated, &src[..src.len() / 2]).unwrap();
    let page = dir.path().join("page.tar.gz");
    std::fs::write(&page, "<html>not found</html>").unwrap();
    for (path, expect) in [
        (&truncated, "corrupt tar.gz archive"),
        (&page, "not an archive"),
    ] {
        let err = prefetch(
            &config(),
            &format!("file://{}", path.display()),
            &PrefetchOptions {
                unpack: true,
                name: None,
            },
            &NoProgress,
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(err.contains(expect), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }
}

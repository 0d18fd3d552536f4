//! `ai-drv hostpkgs generate` as a user runs it: index files from a (local) mirror into the
//! cache, the tables written next to packages.toml, the same bytes on every run, one-line errors.

use std::path::Path;

use assert_cmd::Command;

/// A tiny archive. The generator recognises compression by magic number, so the index files may
/// be plain text under their published names.
const PACKAGES: &str = "\
Package: libc6
Version: 2.36-9
Priority: required
Filename: pool/main/g/glibc/libc6_2.36-9_amd64.deb
Size: 10
SHA256: 0000000000000000000000000000000000000000000000000000000000000001

Package: build-essential
Version: 12.9
Priority: optional
Depends: libc6
Filename: pool/main/b/build-essential/build-essential_12.9_amd64.deb
Size: 11
SHA256: 0000000000000000000000000000000000000000000000000000000000000002

Package: apt
Version: 2.6.1
Priority: required
Depends: libc6 (>= 2.34)
Filename: pool/main/a/apt/apt_2.6.1_amd64.deb
Size: 12
SHA256: 0000000000000000000000000000000000000000000000000000000000000003

Package: libfoo-dev
Version: 1.0-1
Depends: libfoo1 (= 1.0-1), libc6
Filename: pool/main/f/foo/libfoo-dev_1.0-1_amd64.deb
Size: 13
SHA256: 0000000000000000000000000000000000000000000000000000000000000004

Package: libfoo1
Version: 1.0-1
Depends: libfoo-data
Filename: pool/main/f/foo/libfoo1_1.0-1_amd64.deb
Size: 14
SHA256: 0000000000000000000000000000000000000000000000000000000000000005

Package: libfoo-data
Version: 1.0-1
Filename: pool/main/f/foo/libfoo-data_1.0-1_all.deb
Size: 15
SHA256: 0000000000000000000000000000000000000000000000000000000000000006
";

fn ai_drv(state: &Path, mirror: &Path) -> Command {
    let mut c = Command::cargo_bin("ai-drv").unwrap();
    c.env("NO_COLOR", "1")
        .env("AI_DRV_CONFIG", "/nonexistent/ai-drv-test-config.toml")
        .env("AI_DRV_STATE_DIR", state)
        .env(
            "AI_DRV_DEBIAN_MIRROR",
            format!("file://{}", mirror.display()),
        );
    c
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A mirror with the index files, and a hostpkgs directory with a packages.toml.
fn setup(table: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = tmp.path().join("mirror");
    let dists = mirror.join("dists/bookworm/main");
    write(&dists.join("binary-amd64/Packages.xz"), PACKAGES);
    write(
        &dists.join("Contents-amd64.gz"),
        "usr/include/foo.h libdevel/libfoo-dev\nusr/lib/x86_64-linux-gnu/libfoo.so libdevel/libfoo-dev\n",
    );
    write(
        &dists.join("Contents-all.gz"),
        "usr/share/pkgconfig/foo.pc libdevel/libfoo-dev\n",
    );
    let dir = tmp.path().join("hostpkgs");
    write(&dir.join("packages.toml"), table);
    (tmp, mirror, dir)
}

#[test]
fn generate_downloads_the_index_once_and_writes_the_same_tables_every_time() {
    let (tmp, mirror, dir) = setup("[attrs]\nfoo = [\"libfoo-dev\", \"libfoo1\"]\n");
    let state = tmp.path().join("state");
    let out = ai_drv(&state, &mirror)
        .args(["--json", "hostpkgs", "generate", "--dir"])
        .arg(&dir)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["attrs"], 1);
    assert_eq!(report["debs"], 3);
    for name in ["Packages.xz", "Contents-amd64.gz", "Contents-all.gz"] {
        assert!(state.join("debian-index").join(name).exists(), "{name}");
    }
    let pins = std::fs::read_to_string(dir.join("pins.json")).unwrap();
    let resolver = std::fs::read_to_string(dir.join("resolver.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&pins).unwrap();
    assert_eq!(
        v["attrs"]["foo"]["closure"],
        serde_json::json!(["libfoo-data"])
    );
    assert_eq!(
        v["debs"]["libfoo1"]["filename"],
        "pool/main/f/foo/libfoo1_1.0-1_amd64.deb"
    );
    let r: serde_json::Value = serde_json::from_str(&resolver).unwrap();
    assert_eq!(r["headers"]["foo.h"], "foo");
    assert_eq!(r["libraries"]["foo"], "foo");
    assert_eq!(r["pkgconfig"]["foo"], "foo");

    // Again, from the cache alone (the mirror is gone): the same bytes.
    std::fs::remove_dir_all(&mirror).unwrap();
    ai_drv(&state, &mirror)
        .args(["-q", "hostpkgs", "generate", "--dir"])
        .arg(&dir)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.join("pins.json")).unwrap(),
        pins
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("resolver.json")).unwrap(),
        resolver
    );

    // Explicit files instead of the cache.
    let index = state.join("debian-index");
    let out = ai_drv(&tmp.path().join("elsewhere"), &mirror)
        .args(["hostpkgs", "generate", "--dir"])
        .arg(&dir)
        .arg("--packages")
        .arg(index.join("Packages.xz"))
        .arg("--contents")
        .arg(index.join("Contents-amd64.gz"))
        .arg("--contents")
        .arg(index.join("Contents-all.gz"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("pins.json"));
    assert_eq!(
        std::fs::read_to_string(dir.join("pins.json")).unwrap(),
        pins
    );
}

/// stderr is one `error:` line and one `hint:` line.
fn one_error_and_hint(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).to_string();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("hint: "))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("error: ") && lines[1].starts_with("hint: "),
        "{text}"
    );
    lines[0].to_string()
}

#[test]
fn generate_names_a_misspelt_package() {
    let (tmp, mirror, dir) = setup("[attrs]\nfoo = [\"libfoo-dve\"]\n");
    let out = ai_drv(&tmp.path().join("state"), &mirror)
        .args(["hostpkgs", "generate", "--dir"])
        .arg(&dir)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let line = one_error_and_hint(&out);
    assert!(
        line.contains(
            "attribute `foo` names Debian package `libfoo-dve`, which is not in the Packages index"
        ),
        "{line}"
    );
    assert!(!dir.join("pins.json").exists());
}

#[test]
fn generate_without_a_table_or_a_mirror_is_a_usage_error() {
    let (tmp, _mirror, dir) = setup("[attrs]\nfoo = [\"libfoo1\"]\n");
    let missing = tmp.path().join("no-mirror");
    let out = ai_drv(&tmp.path().join("state"), &missing)
        .args(["hostpkgs", "generate", "--dir"])
        .arg(tmp.path().join("nowhere"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(one_error_and_hint(&out).contains("packages.toml"));
    let out = ai_drv(&tmp.path().join("state"), &missing)
        .args(["hostpkgs", "generate", "--dir"])
        .arg(&dir)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(one_error_and_hint(&out).contains("Packages.xz"));
}

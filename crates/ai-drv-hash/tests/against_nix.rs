//! Property tests: every hash this crate computes equals the one the installed Nix computes.
//! They need Nix on PATH (`scripts/setup` installs it); without it they fail rather than pass vacuously.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use ai_drv_hash::{fixed_output_path, hash_file, hash_path, Algorithm, Format, Hash};
use proptest::prelude::*;

fn nix(args: &[&str]) -> String {
    let out = Command::new("nix")
        .args(["--extra-experimental-features", "nix-command"])
        .args(args)
        .output()
        .expect("nix must be installed for these tests: run scripts/setup");
    assert!(
        out.status.success(),
        "nix {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn prefetch_print_path(path: &Path) -> (String, String) {
    let out = Command::new("nix-prefetch-url")
        .arg("--print-path")
        .arg(format!("file://{}", path.display()))
        .output()
        .expect("nix-prefetch-url must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    (
        lines.next().unwrap().to_string(),
        lines.next().unwrap().to_string(),
    )
}

/// A random tree: nested directories, files with and without the execute bit, symlinks
/// (dangling, relative, absolute), names that sort differently as bytes and as text.
#[derive(Debug, Clone)]
enum Node {
    File { data: Vec<u8>, exec: bool },
    Link(String),
    Dir(Vec<(String, Node)>),
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_.-]{1,8}",
        Just("Z".to_string()),
        Just("a".to_string()),
        Just("é".to_string()),
        Just("-dash".to_string()),
    ]
    .prop_filter("not . or ..", |n| n != "." && n != "..")
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        (
            proptest::collection::vec(any::<u8>(), 0..300),
            any::<bool>()
        )
            .prop_map(|(data, exec)| Node::File { data, exec }),
        prop_oneof![
            Just("../x".to_string()),
            Just("/nix/store/none".to_string()),
            "[a-z]{1,6}"
        ]
        .prop_map(Node::Link),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        proptest::collection::btree_map(name(), inner, 0..5)
            .prop_map(|m| Node::Dir(m.into_iter().collect()))
    })
}

fn materialise(node: &Node, path: &Path) {
    match node {
        Node::File { data, exec } => {
            std::fs::write(path, data).unwrap();
            let mode = if *exec { 0o755 } else { 0o644 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        Node::Link(target) => std::os::unix::fs::symlink(target, path).unwrap(),
        Node::Dir(children) => {
            std::fs::create_dir(path).unwrap();
            for (name, child) in children {
                materialise(child, &path.join(name));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn nar_hash_equals_nix_hash_path(tree in node()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        materialise(&tree, &root);
        let root_str = root.to_str().unwrap();
        for algo in [Algorithm::Sha256, Algorithm::Sha512, Algorithm::Sha1] {
            let ours = hash_path(algo, &root).unwrap();
            let theirs = nix(&["hash", "path", "--type", algo.name(), root_str]);
            prop_assert_eq!(ours.to_sri(), theirs);
        }
    }

    #[test]
    fn flat_hash_and_store_path_equal_nix(data in proptest::collection::vec(any::<u8>(), 0..5000)) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("blob-1.0.tar.gz");
        std::fs::write(&file, &data).unwrap();
        let ours = hash_file(Algorithm::Sha256, &file).unwrap();
        let theirs = nix(&["hash", "file", "--base32", file.to_str().unwrap()]);
        prop_assert_eq!(ours.to_nix32(), theirs.clone());
        let (nix32, store_path) = prefetch_print_path(&file);
        prop_assert_eq!(&ours.to_nix32(), &nix32);
        prop_assert_eq!(fixed_output_path("blob-1.0.tar.gz", &ours, false).unwrap(), store_path);
    }
}

#[test]
fn formats_round_trip_through_nix_to_sri() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, b"ai-drv\n").unwrap();
    let h = hash_file(Algorithm::Sha256, &file).unwrap();
    for f in [Format::Nix32, Format::Base16, Format::Base64] {
        let sri = nix(&["hash", "to-sri", "--type", "sha256", &h.format(f)]);
        assert_eq!(Hash::parse(&sri, None).unwrap(), h);
    }
}

#[test]
fn recursive_store_path_equals_nix_store_add() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(root.join("a"), b"a").unwrap();
    let out = Command::new("nix-store")
        .args(["--add-fixed", "--recursive", "sha256"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = hash_path(Algorithm::Sha256, &root).unwrap();
    assert_eq!(
        fixed_output_path("tree", &h, true).unwrap(),
        String::from_utf8(out.stdout).unwrap().trim()
    );
    // sha1 recursive uses the "fixed:out:r:" fingerprint.
    let out = Command::new("nix-store")
        .args(["--add-fixed", "--recursive", "sha1"])
        .arg(&root)
        .output()
        .unwrap();
    let h1 = hash_path(Algorithm::Sha1, &root).unwrap();
    assert_eq!(
        fixed_output_path("tree", &h1, true).unwrap(),
        String::from_utf8(out.stdout).unwrap().trim()
    );
}

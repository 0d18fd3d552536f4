//! The generator on a small synthetic archive (exact expected output for the build-root, closure
//! and propagation rules, and for the resolver's tie-breaking), and on the real index files when
//! they are in ai-drv's cache: then it must reproduce the committed tables byte for byte.

use std::io::Write;
use std::path::PathBuf;

use ai_drv_hostpkgs::debian::{index_files, Index};
use ai_drv_hostpkgs::generate::{build_root, generate, sha256_hex, GenerateError, Pins};
use ai_drv_hostpkgs::spec::Spec;

/// One stanza of a Packages index.
fn stanza(name: &str, extra: &str) -> String {
    format!(
        "Package: {name}\nVersion: 1.0-1\nArchitecture: amd64\n{extra}Filename: pool/main/{}/{name}/{name}_1.0-1_amd64.deb\nSize: {}\nSHA256: {}\nDescription: {name}\n long description\n\n",
        &name[..1],
        100 + name.len(),
        sha256_hex(name.as_bytes()),
    )
}

fn packages_index() -> String {
    [
        // The build root: essential/required packages, build-essential and apt.
        stanza("base-files", "Essential: yes\nPriority: required\nPre-Depends: awk\n"),
        stanza("mawk", "Priority: required\nProvides: awk\nDepends: libc6 (>= 2.29)\n"),
        stanza("gawk", "Priority: optional\nProvides: awk\nDepends: libsigsegv2\n"),
        stanza("libsigsegv2", "Priority: optional\n"),
        stanza("libc6", "Priority: required\n"),
        stanza("debconf", "Priority: required\n"),
        stanza(
            "init-system-helpers",
            "Priority: required\nPre-Depends: usrmerge | usr-is-merged\n",
        ),
        stanza("usrmerge", "Priority: optional\nDepends: libsigsegv2\n"),
        stanza("usr-is-merged", "Priority: optional\n"),
        stanza(
            "build-essential",
            "Priority: optional\nDepends: gcc | clang, make:any, libc6-dev | libc-dev\n",
        ),
        stanza("gcc", "Priority: optional\n"),
        stanza("clang", "Priority: optional\n"),
        stanza("make", "Priority: optional\n"),
        stanza("libc6-dev", "Priority: optional\nProvides: libc-dev\nDepends: libc6 (= 1.0-1)\n"),
        stanza("apt", "Priority: important\nDepends: libc6 (>= 2.34)\n"),
        // The table's packages and their dependencies.
        stanza(
            "libfoo-dev",
            "Depends: libfoo1 (= 1.0-1), libbar-dev, libc6-dev | libc-dev, debconf (>= 0.5) | debconf-2.0, helper-x\n",
        ),
        stanza("libfoo1", "Pre-Depends: adduser\nDepends: libc6 (>= 2.34), libdep1\n"),
        stanza("libdep1", "Depends: libdep-common (= 1.0-1), libfoo1\n"),
        stanza("libdep-common", ""),
        stanza("helper-x", "Depends: virt-y\n"),
        stanza("prov-b", "Provides: virt-y (= 2)\n"),
        stanza("prov-a", "Provides: virt-y\n"),
        stanza("libbar-dev", "Depends: libbar1\n"),
        stanza("libbar1", ""),
        stanza("libbaz1", ""),
        stanza("tool", "Depends: libbaz1, gawk | mawk\n"),
    ]
    .concat()
}

fn spec() -> Spec {
    Spec::from_toml(
        r#"
[attrs]
foo = ["libfoo1", "libfoo-dev"]
bar = ["libbar-dev", "libbar1"]
baz = ["libbaz1"]
bazz = ["libbaz1", "tool"]
tool = ["tool"]
"#,
    )
    .unwrap()
}

fn xz(text: &str) -> Vec<u8> {
    let mut enc = liblzma::write::XzEncoder::new(Vec::new(), 6);
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

fn gz(text: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap()
}

#[test]
fn build_root_takes_required_packages_and_their_dependencies() {
    let index = Index::from_bytes(packages_index().as_bytes()).unwrap();
    let root = build_root(&index).unwrap();
    // awk is mawk (required), not gawk (first provider by name); usr-is-merged is preferred over
    // usrmerge; gcc is the first alternative; libc6-dev is real, so `libc-dev` is not needed.
    assert_eq!(
        root.iter().map(String::as_str).collect::<Vec<_>>(),
        [
            "apt",
            "base-files",
            "build-essential",
            "debconf",
            "gcc",
            "init-system-helpers",
            "libc6",
            "libc6-dev",
            "make",
            "mawk",
            "usr-is-merged",
        ]
    );
}

const EXPECTED_ATTRS: &str = r#"{
  "bar": {
    "debs": [
      "libbar-dev",
      "libbar1"
    ],
    "closure": [],
    "propagated": [],
    "runtime": []
  },
  "baz": {
    "debs": [
      "libbaz1"
    ],
    "closure": [],
    "propagated": [],
    "runtime": []
  },
  "bazz": {
    "debs": [
      "libbaz1",
      "tool"
    ],
    "closure": [],
    "propagated": [],
    "runtime": []
  },
  "foo": {
    "debs": [
      "libfoo-dev",
      "libfoo1"
    ],
    "closure": [
      "helper-x",
      "libdep-common",
      "libdep1",
      "prov-a"
    ],
    "propagated": [
      "bar"
    ],
    "runtime": []
  },
  "tool": {
    "debs": [
      "tool"
    ],
    "closure": [],
    "propagated": [],
    "runtime": [
      "baz"
    ]
  }
}"#;

#[test]
fn pins_follow_the_closure_and_propagation_rules() {
    let index_bytes = xz(&packages_index());
    let out = generate(&spec(), &index_bytes, Vec::<&[u8]>::new()).unwrap();
    assert!(out.pins_json.ends_with("}\n"));
    let pins: Pins = serde_json::from_str(&out.pins_json).unwrap();
    assert_eq!(pins.generator, "ai-drv hostpkgs generate");
    assert_eq!(pins.suite, "bookworm");
    assert_eq!(pins.index.path, "main/binary-amd64/Packages.xz");
    assert_eq!(pins.index.sha256, sha256_hex(&index_bytes));
    assert_eq!(
        serde_json::to_string_pretty(&pins.attrs).unwrap(),
        EXPECTED_ATTRS
    );
    // Every attribute's own packages and closure are pinned, and nothing else.
    assert_eq!(
        pins.debs.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "helper-x",
            "libbar-dev",
            "libbar1",
            "libbaz1",
            "libdep-common",
            "libdep1",
            "libfoo-dev",
            "libfoo1",
            "prov-a",
            "tool",
        ]
    );
    let foo = &pins.debs["libfoo-dev"];
    assert_eq!(foo.version, "1.0-1");
    assert_eq!(
        foo.filename,
        "pool/main/l/libfoo-dev/libfoo-dev_1.0-1_amd64.deb"
    );
    assert_eq!(foo.sha256, sha256_hex(b"libfoo-dev"));
    assert_eq!(foo.size, 110);
    // The exact text: pretty JSON in the documented key order.
    assert!(out.pins_json.starts_with(
        "{\n  \"generator\": \"ai-drv hostpkgs generate\",\n  \"suite\": \"bookworm\",\n  \"index\": {\n    \"path\": \"main/binary-amd64/Packages.xz\",\n    \"sha256\": \""
    ));
    assert!(out.pins_json.contains(
        "\"libfoo-dev\": {\n      \"version\": \"1.0-1\",\n      \"filename\": \"pool/main/l/libfoo-dev/libfoo-dev_1.0-1_amd64.deb\",\n      \"sha256\": \""
    ));
}

#[test]
fn output_is_reproducible() {
    let index_bytes = xz(&packages_index());
    let contents = "usr/bin/tool utils/tool\n";
    let a = generate(&spec(), &index_bytes, [contents.as_bytes()]).unwrap();
    let b = generate(&spec(), &index_bytes, [contents.as_bytes()]).unwrap();
    assert_eq!(a, b);
    // The same table written in another order gives the same bytes.
    let shuffled = Spec::from_toml(
        "[attrs]\ntool = [\"tool\"]\nbazz = [\"tool\", \"libbaz1\"]\nbaz = [\"libbaz1\"]\nbar = [\"libbar1\", \"libbar-dev\"]\nfoo = [\"libfoo-dev\", \"libfoo1\"]\n",
    )
    .unwrap();
    assert_eq!(
        generate(&shuffled, &index_bytes, [contents.as_bytes()]).unwrap(),
        a
    );
}

#[test]
fn an_unknown_package_is_named_with_its_attribute() {
    let spec = Spec::from_toml("[attrs]\nfoo = [\"libfoo1\", \"libfoo-devv\"]\n").unwrap();
    let err = generate(&spec, packages_index().as_bytes(), Vec::<&[u8]>::new()).unwrap_err();
    assert!(matches!(err, GenerateError::UnknownPackage { .. }));
    assert_eq!(
        err.to_string(),
        "packages.toml: attribute `foo` names Debian package `libfoo-devv`, which is not in the Packages index; check the spelling with `apt-cache show libfoo-devv`"
    );
}

#[test]
fn an_unsatisfiable_dependency_is_an_error() {
    let index = format!(
        "{}{}",
        packages_index(),
        stanza("broken", "Depends: nowhere | gone\n")
    );
    let spec = Spec::from_toml("[attrs]\nbroken = [\"broken\"]\n").unwrap();
    let err = generate(&spec, index.as_bytes(), Vec::<&[u8]>::new()).unwrap_err();
    assert!(err.to_string().contains("`nowhere | gone`"), "{err}");
}

#[test]
fn resolver_maps_files_of_the_attributes_own_packages() {
    let amd64 = "\
usr/include/foo.h                                  libdevel/libfoo-dev
usr/include/x86_64-linux-gnu/foo/config.h          libdevel/libfoo-dev
usr/lib/x86_64-linux-gnu/libfoo.so                 libdevel/libfoo-dev
usr/lib/x86_64-linux-gnu/libfoo.so.1               libs/libfoo1
usr/lib/x86_64-linux-gnu/libdep.so                 libs/libdep1
usr/lib/x86_64-linux-gnu/pkgconfig/foo.pc          libdevel/libfoo-dev
usr/include/shared.h                               libs/libbaz1,libdevel/libbar-dev
usr/lib/libbaz.a                                   libs/libbaz1
usr/bin/tool                                       utils/tool
usr/bin/with space                                 utils/tool
usr/share/doc/tool/My Notes.txt                    doc/tool
bin/other                                          utils/other
";
    let all = "usr/share/pkgconfig/bar.pc                    libdevel/libbar-dev\n";
    let out = generate(
        &spec(),
        packages_index().as_bytes(),
        [gz(amd64), all.as_bytes().to_vec()]
            .iter()
            .map(Vec::as_slice),
    )
    .unwrap();
    let expected = r#"{
  "generator": "ai-drv hostpkgs generate",
  "suite": "bookworm",
  "pkgconfig": {
    "bar": "bar",
    "foo": "foo"
  },
  "headers": {
    "foo.h": "foo",
    "foo/config.h": "foo",
    "shared.h": "bar"
  },
  "libraries": {
    "baz": "baz",
    "foo": "foo"
  },
  "commands": {
    "tool": "tool",
    "with space": "tool"
  }
}
"#;
    assert_eq!(out.resolver_json, expected);
}

/// Where the real index files are cached (as `ai-drv hostpkgs generate` downloads them).
fn cached_index_dir() -> PathBuf {
    ai_drv_config::Config::load()
        .expect("configuration loads")
        .state_dir()
        .join("debian-index")
}

#[test]
fn generator_reproduces_committed_tables() {
    let hostpkgs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../nix/hostpkgs");
    let committed_pins = std::fs::read_to_string(hostpkgs.join("pins.json")).unwrap();
    let committed_resolver = std::fs::read_to_string(hostpkgs.join("resolver.json")).unwrap();
    let pins: Pins = serde_json::from_str(&committed_pins).unwrap();

    let dir = cached_index_dir();
    let files: Vec<PathBuf> = index_files()
        .iter()
        .map(|(_, name)| dir.join(name))
        .collect();
    // scripts/setup downloads these (the Packages index by its hash, so it is the very file
    // pins.json was generated from); a missing or different file is a failure, not a skip.
    if let Some(missing) = files.iter().find(|f| !f.exists()) {
        panic!(
            "{} is missing: run scripts/setup (or `ai-drv hostpkgs generate`, which downloads it)",
            missing.display()
        );
    }
    let packages = std::fs::read(&files[0]).unwrap();
    assert_eq!(
        sha256_hex(&packages),
        pins.index.sha256,
        "{} is not the index pins.json was generated from: run scripts/setup",
        files[0].display()
    );
    let spec = Spec::read_dir(&hostpkgs).unwrap();
    let contents: Vec<std::fs::File> = files[1..]
        .iter()
        .map(|f| std::fs::File::open(f).unwrap())
        .collect();
    let out = generate(&spec, &packages, contents).unwrap();
    assert_same("pins.json", &out.pins_json, &committed_pins);
    assert_same("resolver.json", &out.resolver_json, &committed_resolver);
}

/// Byte equality, reporting the first differing line rather than megabytes of text.
fn assert_same(name: &str, generated: &str, committed: &str) {
    if generated == committed {
        return;
    }
    let line = generated
        .lines()
        .zip(committed.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| generated.lines().count().min(committed.lines().count()));
    panic!(
        "{name} differs from the committed file at line {}: generated {:?}, committed {:?}; run `ai-drv hostpkgs generate` and commit the result",
        line + 1,
        generated.lines().nth(line),
        committed.lines().nth(line),
    );
}

#[test]
fn a_runtime_edge_that_closes_a_cycle_is_dropped() {
    // mesa's -dev package propagates gl's; gl's library loads mesa's at run time. Store paths
    // cannot refer to each other both ways, so the run-time edge gl → mesa goes.
    let index = [
        packages_index(),
        stanza("libmesa-dev", "Depends: libmesa1, libgl-dev\n"),
        stanza("libmesa1", ""),
        stanza("libgl-dev", "Depends: libgl1\n"),
        stanza("libgl1", "Depends: libmesa1\n"),
    ]
    .concat();
    let spec = Spec::from_toml(
        "[attrs]\nmesa = [\"libmesa-dev\", \"libmesa1\"]\nlibGL = [\"libgl-dev\", \"libgl1\"]\n",
    )
    .unwrap();
    let out = generate(&spec, &xz(&index), Vec::<&[u8]>::new()).unwrap();
    let pins: Pins = serde_json::from_str(&out.pins_json).unwrap();
    assert_eq!(pins.attrs["mesa"].propagated, ["libGL"]);
    assert!(
        pins.attrs["libGL"].runtime.is_empty(),
        "{:?}",
        pins.attrs["libGL"]
    );
    assert!(pins.attrs["libGL"].propagated.is_empty());
}

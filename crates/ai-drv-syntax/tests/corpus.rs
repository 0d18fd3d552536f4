//! The syntax crate on the real callPackage files of the hostpkgs development corpus: every file
//! parses, its source hash is found and rewritten in place, and inputs are added in its layout.

use std::path::PathBuf;

use ai_drv_syntax::{Document, HashSite, FAKE_HASH};

/// File, builder, `src.hash` — as written in `nix/tests/hostpkgs/corpus`.
const CORPUS: [(&str, &str, &str); 19] = [
    (
        "cjson",
        "stdenv.mkDerivation",
        "sha256-Uwj9S9kM73qgYFWFFN5qGkoIGZdKJubtE5c8X2JMJLI=",
    ),
    (
        "figlet",
        "stdenv.mkDerivation",
        "sha256-v4jED9Dwd9qycS9U+NOayVLk6fLhiC8Rlb6eXkJXQX0=",
    ),
    (
        "gzip",
        "stdenv.mkDerivation",
        "sha256-zl4D5Rn2N+H4FAEazjXE+HszwLur7sNbr1+9NHnpGVY=",
    ),
    (
        "hello",
        "stdenv.mkDerivation",
        "sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=",
    ),
    (
        "hexyl",
        "rustPlatform.buildRustPackage",
        "sha256-lEkBSJSPf4ZQvkmXZDGpOFoiAzbPQmB3/j8a/GtcbeQ=",
    ),
    (
        "htop",
        "stdenv.mkDerivation",
        "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=",
    ),
    (
        "json-c",
        "stdenv.mkDerivation",
        "sha256-Psru3/2ZpgsSYoGfnmDX2YOEQHOrx05JXLgislGQQYU=",
    ),
    (
        "less",
        "stdenv.mkDerivation",
        "sha256-aq31S+i/V9DimZo8XWex3mOAi7kN6493sCjq+uOgjhA=",
    ),
    (
        "libyaml",
        "stdenv.mkDerivation",
        "sha256-+iQNvyYr4FPziYAG1QLVFJNsgY5CKv3PM5IcY77Zvy4=",
    ),
    (
        "lz4",
        "stdenv.mkDerivation",
        "sha256-Cw46oHyMBj3fQLCCvffjehVivaQKD/UnKVfz6Yfg5Us=",
    ),
    (
        "nano",
        "stdenv.mkDerivation",
        "sha256-hvNEJ2i9KHPOxpP4PN+AtLRErTzBR2C3Q2FHT8h6RSY=",
    ),
    (
        "pixman",
        "stdenv.mkDerivation",
        "sha256-6hSA762i/ZSLx1Nm98NJ4cltMpfQmj/mJibjjiNKYl4=",
    ),
    (
        "pv",
        "stdenv.mkDerivation",
        "sha256-6DGVHv8HGPupse8oYSh3O50Ocj4fv66I1aMYiBT9xgM=",
    ),
    (
        "pyfiglet",
        "python3Packages.buildPythonApplication",
        "sha256-25yZQO0b8wSN7/U07VL/La+7ws12ELF7teyh321CeO8=",
    ),
    (
        "sd",
        "rustPlatform.buildRustPackage",
        "sha256-dTqSKu11kQ7e9MWygygHLpDrTvu5K20cCHJMLHp/8Og=",
    ),
    (
        "sl",
        "stdenv.mkDerivation",
        "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=",
    ),
    (
        "tabulate",
        "python3Packages.buildPythonApplication",
        "sha256-4s/ej3lCD23u/97amq7DtrxavOlHZV0XrGYrEm5Ipg0=",
    ),
    (
        "tmux",
        "stdenv.mkDerivation",
        "sha256-5P00eEO9B3LE9I1t3mJbCxCbejgP8V2yHpfBGk3N+T8=",
    ),
    (
        "tree",
        "stdenv.mkDerivation",
        "sha256-AWDFNb/ysNxqgwuZROmB40JzgPY+dI2pbO1wcfrrq/Y=",
    ),
];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../nix/tests/hostpkgs/corpus")
}

fn read(name: &str) -> String {
    fs_err::read_to_string(corpus_dir().join(format!("{name}.nix"))).unwrap()
}

#[test]
fn the_table_covers_every_corpus_file() {
    let mut names: Vec<String> = fs_err::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "nix"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let table: Vec<&str> = CORPUS.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(names, table);
}

#[test]
fn every_file_parses_and_gives_its_source_hash() {
    for (name, builder, hash) in CORPUS {
        let text = read(name);
        let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.text(), text);
        assert_eq!(doc.builder().as_deref(), Some(builder), "{name}");
        assert_eq!(doc.get_string("src.hash").as_deref(), Some(hash), "{name}");
        assert_eq!(
            doc.hashes().first(),
            Some(&HashSite {
                path: "src.hash".to_string(),
                value: hash.to_string()
            }),
            "{name}"
        );
        assert!(doc.formals().iter().any(|f| f == "lib"), "{name}");
    }
}

#[test]
fn rust_files_have_their_cargo_hash() {
    let doc = Document::parse(&read("sd")).unwrap();
    assert_eq!(
        doc.hashes(),
        [
            HashSite {
                path: "src.hash".to_string(),
                value: "sha256-dTqSKu11kQ7e9MWygygHLpDrTvu5K20cCHJMLHp/8Og=".to_string()
            },
            HashSite {
                path: "cargoHash".to_string(),
                value: "sha256-I5NHYXjZ2sGi6pR9RGX4IYfxWIBaPymWkaLgADqrR/g=".to_string()
            },
        ]
    );
}

#[test]
fn setting_the_source_hash_changes_only_that_string() {
    for (name, _, hash) in CORPUS {
        let text = read(name);
        let mut doc = Document::parse(&text).unwrap();
        doc.set_hash("src.hash", FAKE_HASH).unwrap();
        assert_eq!(doc.text(), text.replacen(hash, FAKE_HASH, 1), "{name}");
        assert_eq!(doc.get_string("src.hash").as_deref(), Some(FAKE_HASH));
        // And back again, through the generic setter.
        doc.set("src.hash", &format!("\"{hash}\"")).unwrap();
        assert_eq!(doc.text(), text, "{name}");
    }
}

#[test]
fn adding_an_input_to_every_file() {
    for (name, _, _) in CORPUS {
        let text = read(name);
        let mut doc = Document::parse(&text).unwrap();
        let before = doc.list_items("buildInputs");
        assert!(doc.add_input("buildInputs", "zlib").unwrap(), "{name}");
        let mut expected = before.clone();
        expected.push("zlib".to_string());
        assert_eq!(doc.list_items("buildInputs"), expected, "{name}");
        assert_eq!(doc.formals().last().map(String::as_str), Some("zlib"));
        assert!(!doc.add_input("buildInputs", "zlib").unwrap(), "{name}");
        // Everything else is as it was.
        assert_eq!(doc.get("meta"), Document::parse(&text).unwrap().get("meta"));
    }
}

#[test]
fn htop_list_add_exact() {
    let text = read("htop");
    let mut doc = Document::parse(&text).unwrap();
    assert!(doc.list_add("nativeBuildInputs", "bison").unwrap());
    assert!(doc
        .list_add("configureFlags", "\"--disable-sensors\"")
        .unwrap());
    assert_eq!(
        doc.text(),
        text.replace(
            "[ autoreconfHook pkg-config ]",
            "[ autoreconfHook pkg-config bison ]"
        )
        .replace(
            "    \"--enable-delayacct\"\n",
            "    \"--enable-delayacct\"\n    \"--disable-sensors\"\n"
        )
    );
}

#[test]
fn hello_gains_build_inputs_before_meta() {
    let text = read("hello");
    let mut doc = Document::parse(&text).unwrap();
    assert!(doc.add_input("buildInputs", "ncurses").unwrap());
    assert_eq!(
        doc.text(),
        text.replace(
            "{ lib, stdenv, fetchurl }:",
            "{ lib, stdenv, fetchurl, ncurses }:"
        )
        .replace(
            "  enableParallelBuilding = true;\n",
            "  enableParallelBuilding = true;\n  buildInputs = [ ncurses ];\n"
        )
    );
}

#[test]
fn tabulate_with_list_and_comments() {
    let text = read("tabulate");
    let mut doc = Document::parse(&text).unwrap();
    assert_eq!(
        doc.list_items("build-system"),
        ["setuptools", "setuptools-scm"]
    );
    assert!(doc
        .add_input("build-system", "python3Packages.wheel")
        .unwrap());
    assert!(doc
        .add_input("dependencies", "python3Packages.wcwidth")
        .unwrap());
    assert_eq!(
        doc.text(),
        text.replace("    setuptools-scm\n  ];\n", "    setuptools-scm\n    wheel\n  ];\n")
            .replace(
                "  pythonImportsCheck = [ \"tabulate\" ];\n",
                "  pythonImportsCheck = [ \"tabulate\" ];\n  dependencies = [ python3Packages.wcwidth ];\n"
            )
    );
    assert_eq!(
        doc.get_string("meta.description").as_deref(),
        Some("Pretty-print tabular data")
    );
}

#[test]
fn sl_multi_line_install_phase() {
    let text = read("sl");
    let doc = Document::parse(&text).unwrap();
    assert_eq!(
        doc.get_string("installPhase").as_deref(),
        Some("runHook preInstall\ninstall -Dm755 -t $out/bin sl\ninstall -Dm644 -t $out/share/man/man1 sl.1\ninstall -Dm644 sl.1.ja $out/share/man/ja/man1/sl.1\nrunHook postInstall\n")
    );
    let mut doc = doc;
    assert!(doc.remove("installPhase").unwrap());
    assert!(doc.remove("makeFlags").unwrap());
    assert_eq!(
        doc.text(),
        text.replace("  makeFlags = [ \"CC:=$(CC)\" ];\n\n", "")
            .replace(
                "  installPhase = ''\n    runHook preInstall\n    install -Dm755 -t $out/bin sl\n    install -Dm644 -t $out/share/man/man1 sl.1\n    install -Dm644 sl.1.ja $out/share/man/ja/man1/sl.1\n    runHook postInstall\n  '';\n\n",
                ""
            )
    );
}

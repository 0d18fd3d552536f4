//! `render` against the hand-written corpus files: Packages saying what sl.nix, lz4.nix,
//! htop.nix and hexyl.nix say must come out as those files, byte for byte, once the files'
//! comments (and hexyl's postPatch, which a first draft does not write) are taken out.

use ai_drv_draft::{render, Builder, Meta, Package, Src, Value};
use std::path::PathBuf;

fn corpus(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../nix/tests/hostpkgs/corpus")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The file without comment lines, trailing comments and the `postPatch` block.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut in_post_patch = false;
    for line in text.lines() {
        if line.starts_with("  postPatch = ''") {
            in_post_patch = true;
            continue;
        }
        if in_post_patch {
            in_post_patch = line != "  '';";
            continue;
        }
        if line.trim_start().starts_with('#') {
            continue;
        }
        out.push_str(strip_trailing_comment(line).trim_end());
        out.push('\n');
    }
    out
}

/// `line` up to a `#` that is outside double-quoted strings.
fn strip_trailing_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

fn debian(fetch_url: &str, hash: &str) -> Src {
    Src {
        fetcher: "fetchurl".to_string(),
        inherit: vec![],
        attrs: vec![
            ("url".to_string(), s(fetch_url)),
            ("hash".to_string(), s(hash)),
        ],
    }
}

fn meta(
    description: &str,
    homepage: &str,
    licenses: &[&str],
    main_program: Option<&str>,
    platforms: Option<&str>,
) -> Meta {
    Meta {
        description: Some(description.to_string()),
        long_description: None,
        homepage: Some(homepage.to_string()),
        licenses: names(licenses),
        main_program: main_program.map(str::to_string),
        platforms: platforms.map(str::to_string),
    }
}

pub fn sl() -> Package {
    Package {
        builder: Builder::Stdenv,
        pname: "sl".to_string(),
        version: "5.02".to_string(),
        src: debian(
            "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz",
            "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=",
        ),
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: names(&["ncurses"]),
        attrs: vec![
            ("makeFlags".to_string(), strings(&["CC:=$(CC)"])),
            (
                "installPhase".to_string(),
                Value::Multiline(
                    "runHook preInstall\n\
                     install -Dm755 -t $out/bin sl\n\
                     install -Dm644 -t $out/share/man/man1 sl.1\n\
                     install -Dm644 sl.1.ja $out/share/man/ja/man1/sl.1\n\
                     runHook postInstall\n"
                        .to_string(),
                ),
            ),
        ],
        meta: meta(
            "Steam Locomotive runs across your terminal when you type \"sl\"",
            "http://www.tkl.iis.u-tokyo.ac.jp/~toyoda/index_e.html",
            &["free"],
            Some("sl"),
            Some("unix"),
        ),
    }
}

pub fn lz4() -> Package {
    Package {
        builder: Builder::Stdenv,
        pname: "lz4".to_string(),
        version: "1.9.4".to_string(),
        src: debian(
            "mirror://debian/pool/main/l/lz4/lz4_1.9.4.orig.tar.gz",
            "sha256-Cw46oHyMBj3fQLCCvffjehVivaQKD/UnKVfz6Yfg5Us=",
        ),
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![
            ("enableParallelBuilding".to_string(), Value::Bool(true)),
            (
                "makeFlags".to_string(),
                strings(&["PREFIX=$(out)", "BUILD_STATIC=no", "CC:=$(CC)"]),
            ),
        ],
        meta: meta(
            "Extremely fast compression algorithm",
            "https://lz4.github.io/lz4/",
            &["bsd2", "gpl2Plus"],
            Some("lz4"),
            Some("all"),
        ),
    }
}

pub fn htop() -> Package {
    Package {
        builder: Builder::Stdenv,
        pname: "htop".to_string(),
        version: "3.2.2".to_string(),
        src: debian(
            "mirror://debian/pool/main/h/htop/htop_3.2.2.orig.tar.gz",
            "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=",
        ),
        source_root: None,
        native_build_inputs: names(&["autoreconfHook", "pkg-config"]),
        build_inputs: names(&["ncurses", "libcap", "libnl"]),
        attrs: vec![
            ("enableParallelBuilding".to_string(), Value::Bool(true)),
            (
                "configureFlags".to_string(),
                strings(&[
                    "--enable-unicode",
                    "--sysconfdir=/etc",
                    "--enable-affinity",
                    "--enable-capabilities",
                    "--enable-delayacct",
                ]),
            ),
        ],
        meta: meta(
            "Interactive process viewer",
            "https://htop.dev",
            &["gpl2Only"],
            Some("htop"),
            Some("linux"),
        ),
    }
}

pub fn hexyl() -> Package {
    let mut meta = meta(
        "Command-line hex viewer",
        "https://github.com/sharkdp/hexyl",
        &["asl20", "mit"],
        Some("hexyl"),
        None,
    );
    meta.long_description = Some(
        "`hexyl` is a simple hex viewer for the terminal. It uses a colored\n\
         output to distinguish different categories of bytes (NULL bytes,\n\
         printable ASCII characters, ASCII whitespace characters, other ASCII\n\
         characters and non-ASCII).\n"
            .to_string(),
    );
    Package {
        builder: Builder::RustPackage,
        pname: "hexyl".to_string(),
        version: "0.17.0".to_string(),
        src: Src {
            fetcher: "fetchCrate".to_string(),
            inherit: names(&["pname", "version"]),
            attrs: vec![(
                "hash".to_string(),
                s("sha256-lEkBSJSPf4ZQvkmXZDGpOFoiAzbPQmB3/j8a/GtcbeQ="),
            )],
        },
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![
            (
                "cargoHash".to_string(),
                s("sha256-NJfj7m+tFRhlbjyy6D2ktlCpjt0bB6+a0TJCwVLwuTU="),
            ),
            (
                "cargoBuildFlags".to_string(),
                strings(&["--ignore-rust-version"]),
            ),
            (
                "cargoTestFlags".to_string(),
                strings(&["--ignore-rust-version"]),
            ),
        ],
        meta,
    }
}

fn assert_same(package: &Package, file: &str) {
    let expected = without_comments(&corpus(file));
    let rendered = render(package);
    assert_eq!(rendered, expected, "{file}:\n{rendered}");
    let parse = rnix::Root::parse(&rendered);
    assert!(parse.errors().is_empty(), "{file}: {:?}", parse.errors());
}

#[test]
fn sl_renders_as_the_corpus_file() {
    assert_same(&sl(), "sl.nix");
}

#[test]
fn lz4_renders_as_the_corpus_file() {
    assert_same(&lz4(), "lz4.nix");
}

#[test]
fn htop_renders_as_the_corpus_file() {
    assert_same(&htop(), "htop.nix");
}

#[test]
fn hexyl_renders_as_the_corpus_file() {
    assert_same(&hexyl(), "hexyl.nix");
}

#[test]
fn the_comment_stripper_keeps_what_is_not_a_comment() {
    let text =
        "a = \"x # y\"; # z\n# whole line\nb = 1;\n  postPatch = ''\n    foo\n  '';\nc = 2;\n";
    assert_eq!(without_comments(text), "a = \"x # y\";\nb = 1;\nc = 2;\n");
}

#[test]
fn figlet_renders_as_the_corpus_file() {
    let package = Package {
        builder: Builder::Stdenv,
        pname: "figlet".to_string(),
        version: "2.2.5".to_string(),
        src: debian(
            "mirror://debian/pool/main/f/figlet/figlet_2.2.5.orig.tar.gz",
            "sha256-v4jED9Dwd9qycS9U+NOayVLk6fLhiC8Rlb6eXkJXQX0=",
        ),
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![
            (
                "makeFlags".to_string(),
                strings(&[
                    "prefix=$(out)",
                    "MANDIR=$(out)/share/man",
                    "CC:=$(CC)",
                    "LD:=$(CC)",
                ]),
            ),
            ("doCheck".to_string(), Value::Bool(true)),
        ],
        meta: meta(
            "Program for making large letters out of ordinary text",
            "http://www.figlet.org/",
            &["afl21"],
            Some("figlet"),
            Some("unix"),
        ),
    };
    assert_same(&package, "figlet.nix");
}

#[test]
fn tree_renders_as_the_corpus_file() {
    let package = Package {
        builder: Builder::Stdenv,
        pname: "tree".to_string(),
        version: "2.1.0".to_string(),
        src: debian(
            "mirror://debian/pool/main/t/tree/tree_2.1.0.orig.tar.gz",
            "sha256-AWDFNb/ysNxqgwuZROmB40JzgPY+dI2pbO1wcfrrq/Y=",
        ),
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![(
            "makeFlags".to_string(),
            Value::List(vec![
                s("CC:=$(CC)"),
                Value::Raw("\"PREFIX=${placeholder \"out\"}\"".to_string()),
                Value::Raw("\"MANDIR=${placeholder \"out\"}/share/man\"".to_string()),
            ]),
        )],
        meta: meta(
            "Command to produce a depth indented directory listing",
            "https://oldmanprogrammer.net/source.php?dir=projects/tree",
            &["gpl2Plus"],
            Some("tree"),
            Some("all"),
        ),
    };
    assert_same(&package, "tree.nix");
}

#[test]
fn pixman_renders_as_the_corpus_file() {
    let package = Package {
        builder: Builder::Stdenv,
        pname: "pixman".to_string(),
        version: "0.42.2".to_string(),
        src: debian(
            "mirror://debian/pool/main/p/pixman/pixman_0.42.2.orig.tar.gz",
            "sha256-6hSA762i/ZSLx1Nm98NJ4cltMpfQmj/mJibjjiNKYl4=",
        ),
        source_root: None,
        native_build_inputs: names(&["meson", "ninja", "pkg-config"]),
        build_inputs: vec![],
        attrs: vec![(
            "mesonFlags".to_string(),
            strings(&[
                "-Dloongson-mmi=disabled",
                "-Dvmx=disabled",
                "-Darm-simd=disabled",
                "-Dneon=disabled",
                "-Da64-neon=disabled",
                "-Diwmmxt=disabled",
                "-Dmips-dspr2=disabled",
                "-Dgtk=disabled",
                "-Dlibpng=disabled",
                "-Dopenmp=disabled",
                "-Dtests=disabled",
            ]),
        )],
        meta: meta(
            "Low-level library for pixel manipulation",
            "http://pixman.org",
            &["mit"],
            None,
            Some("all"),
        ),
    };
    assert_same(&package, "pixman.nix");
}

#[test]
fn pyfiglet_renders_as_the_corpus_file() {
    let package = Package {
        builder: Builder::PythonApplication,
        pname: "pyfiglet".to_string(),
        version: "1.0.4".to_string(),
        src: Src {
            fetcher: "fetchPypi".to_string(),
            inherit: names(&["pname", "version"]),
            attrs: vec![(
                "hash".to_string(),
                s("sha256-25yZQO0b8wSN7/U07VL/La+7ws12ELF7teyh321CeO8="),
            )],
        },
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![
            ("pyproject".to_string(), Value::Bool(true)),
            (
                "build-system".to_string(),
                Value::List(vec![Value::Raw("python3Packages.setuptools".to_string())]),
            ),
            ("pythonImportsCheck".to_string(), strings(&["pyfiglet"])),
        ],
        meta: meta(
            "FIGlet in pure Python",
            "https://github.com/pwaller/pyfiglet",
            &["mit"],
            Some("pyfiglet"),
            None,
        ),
    };
    assert_same(&package, "pyfiglet.nix");
}

//! `render` on the constructs a first draft uses: snapshots of whole files for each kind of
//! package, and exact checks of the layout rules (widths, escaping, version interpolation,
//! argument lists). Every rendered file must parse.

use ai_drv_draft::{render, Builder, Meta, Package, Src, Value};

fn s(text: &str) -> Value {
    Value::Str(text.to_string())
}

fn raw(text: &str) -> Value {
    Value::Raw(text.to_string())
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

fn attr(name: &str, value: Value) -> (String, Value) {
    (name.to_string(), value)
}

fn fetchurl(url: &str) -> Src {
    Src {
        fetcher: "fetchurl".to_string(),
        inherit: vec![],
        attrs: vec![
            attr("url", s(url)),
            attr(
                "hash",
                s("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            ),
        ],
    }
}

fn stdenv(pname: &str, version: &str, src: Src) -> Package {
    Package {
        builder: Builder::Stdenv,
        pname: pname.to_string(),
        version: version.to_string(),
        src,
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![],
        meta: Meta {
            description: Some(format!("The {pname} program")),
            platforms: Some("unix".to_string()),
            ..Meta::default()
        },
    }
}

/// The text, after checking that it parses.
fn rendered(package: &Package) -> String {
    let text = render(package);
    let parse = rnix::Root::parse(&text);
    assert!(parse.errors().is_empty(), "{:?}\n{text}", parse.errors());
    text
}

#[test]
fn autotools_program() {
    let mut p = stdenv(
        "tmux",
        "3.3a",
        fetchurl("mirror://debian/pool/main/t/tmux/tmux_3.3a.orig.tar.gz"),
    );
    p.native_build_inputs = names(&["autoreconfHook", "pkg-config", "bison"]);
    p.build_inputs = names(&["libevent", "ncurses"]);
    p.attrs = vec![
        attr("enableParallelBuilding", Value::Bool(true)),
        attr(
            "configureFlags",
            strings(&["--sysconfdir=/etc", "--enable-utempter"]),
        ),
    ];
    p.meta.homepage = Some("https://tmux.github.io/".to_string());
    p.meta.licenses = names(&["bsd3"]);
    p.meta.main_program = Some("tmux".to_string());
    insta::assert_snapshot!("autotools_program", rendered(&p));
}

#[test]
fn makefile_program_with_install_phase() {
    let mut p = stdenv(
        "cowsay",
        "3.03",
        fetchurl("mirror://debian/pool/main/c/cowsay/cowsay_3.03+dfsg2.orig.tar.gz"),
    );
    p.build_inputs = names(&["ncurses"]);
    p.attrs = vec![
        attr("makeFlags", strings(&["CC:=$(CC)"])),
        attr("dontConfigure", Value::Bool(true)),
        attr(
            "installPhase",
            Value::Multiline(
                "runHook preInstall\n\
                 install -Dm755 -t $out/bin cowsay cowthink\n\
                 install -Dm644 -t $out/share/man/man1 cowsay.1\n\
                 runHook postInstall\n"
                    .to_string(),
            ),
        ),
    ];
    p.meta.licenses = names(&["gpl3Plus"]);
    p.meta.main_program = Some("cowsay".to_string());
    insta::assert_snapshot!("makefile_program_with_install_phase", rendered(&p));
}

#[test]
fn cmake_library() {
    let mut p = stdenv(
        "cjson",
        "1.7.15",
        fetchurl("mirror://debian/pool/main/c/cjson/cjson_1.7.15.orig.tar.gz"),
    );
    p.native_build_inputs = names(&["cmake"]);
    p.attrs = vec![attr("cmakeFlags", strings(&["-DENABLE_CJSON_TEST=OFF"]))];
    p.meta.description = Some("Ultralightweight JSON parser in ANSI C".to_string());
    p.meta.homepage = Some("https://github.com/DaveGamble/cJSON".to_string());
    p.meta.licenses = names(&["mit"]);
    insta::assert_snapshot!("cmake_library", rendered(&p));
}

#[test]
fn rust_crate() {
    let p = Package {
        builder: Builder::RustPackage,
        pname: "ripgrep".to_string(),
        version: "14.1.1".to_string(),
        src: Src {
            fetcher: "fetchCrate".to_string(),
            inherit: names(&["pname", "version"]),
            attrs: vec![attr("hash", s("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))],
        },
        source_root: None,
        native_build_inputs: names(&["pkg-config"]),
        build_inputs: names(&["pcre2"]),
        attrs: vec![attr("cargoHash", s("")), attr("buildFeatures", strings(&["pcre2"]))],
        meta: Meta {
            description: Some("Utility that combines the usability of The Silver Searcher with the raw speed of grep".to_string()),
            homepage: Some("https://github.com/BurntSushi/ripgrep".to_string()),
            licenses: names(&["unlicense", "mit"]),
            main_program: Some("rg".to_string()),
            ..Meta::default()
        },
    };
    let text = rendered(&p);
    assert!(text.starts_with("{ lib, rustPlatform, fetchCrate, pkg-config, pcre2 }:\n"));
    insta::assert_snapshot!("rust_crate", text);
}

#[test]
fn python_application() {
    let p = Package {
        builder: Builder::PythonApplication,
        pname: "httpie".to_string(),
        version: "3.2.2".to_string(),
        src: Src {
            fetcher: "fetchPypi".to_string(),
            inherit: names(&["pname", "version"]),
            attrs: vec![attr(
                "hash",
                s("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            )],
        },
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![
            attr("pyproject", Value::Bool(true)),
            attr(
                "build-system",
                Value::With(
                    "python3Packages".to_string(),
                    Box::new(Value::List(vec![raw("setuptools")])),
                ),
            ),
            attr(
                "dependencies",
                Value::With(
                    "python3Packages".to_string(),
                    Box::new(Value::List(
                        [
                            "charset-normalizer",
                            "defusedxml",
                            "multidict",
                            "pygments",
                            "requests",
                            "requests-toolbelt",
                            "rich",
                        ]
                        .iter()
                        .map(|n| raw(n))
                        .collect(),
                    )),
                ),
            ),
            attr("pythonImportsCheck", strings(&["httpie"])),
        ],
        meta: Meta {
            description: Some("Command-line HTTP client".to_string()),
            homepage: Some("https://httpie.io/".to_string()),
            licenses: names(&["bsd3"]),
            main_program: Some("http".to_string()),
            ..Meta::default()
        },
    };
    let text = rendered(&p);
    assert!(text.starts_with("{ lib, python3Packages, fetchPypi }:\n"));
    insta::assert_snapshot!("python_application", text);
}

#[test]
fn forge_source_with_source_root() {
    let mut p = stdenv(
        "tcl-thing",
        "1.4",
        Src {
            fetcher: "fetchFromGitHub".to_string(),
            inherit: vec![],
            attrs: vec![
                attr("owner", s("someone")),
                attr("repo", s("tcl-thing")),
                attr("rev", s("v1.4")),
                attr(
                    "hash",
                    s("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                ),
            ],
        },
    );
    p.source_root = Some("unix".to_string());
    p.attrs = vec![attr("enableParallelBuilding", Value::Bool(true))];
    insta::assert_snapshot!("forge_source_with_source_root", rendered(&p));
}

#[test]
fn forge_sources_write_their_revision_from_the_version() {
    let forge = |fetcher: &str, rev: &str, builder: Builder| {
        let mut p = stdenv(
            "x",
            "2.0.1",
            Src {
                fetcher: fetcher.to_string(),
                inherit: vec![],
                attrs: vec![
                    attr("domain", s("codeberg.org")),
                    attr("owner", s("o")),
                    attr("repo", s("x")),
                    attr("rev", s(rev)),
                    attr("hash", s("")),
                ],
            },
        );
        p.builder = builder;
        rendered(&p)
    };
    let text = forge("fetchFromGitea", "v2.0.1", Builder::Stdenv);
    assert!(text.contains(
        "  src = fetchFromGitea {\n    domain = \"codeberg.org\";\n    owner = \"o\";\n    repo = \"x\";\n    rev = \"v${finalAttrs.version}\";\n    hash = \"\";\n  };\n"
    ), "{text}");
    let text = forge("fetchFromGitLab", "2.0.1", Builder::Stdenv);
    assert!(text.contains("    rev = finalAttrs.version;\n"), "{text}");
    let text = forge("fetchFromGitHub", "release-2.0.1", Builder::RustPackage);
    assert!(
        text.contains("    rev = \"release-${version}\";\n"),
        "{text}"
    );
    let text = forge("fetchFromGitHub", "0123abc", Builder::Stdenv);
    assert!(text.contains("    rev = \"0123abc\";\n"), "{text}");
}

#[test]
fn long_argument_and_input_lists_break() {
    let mut p = stdenv("big", "1.0", fetchurl("https://example.org/big-1.0.tar.gz"));
    p.native_build_inputs = names(&[
        "autoreconfHook",
        "pkg-config",
        "bison",
        "flex",
        "gettext",
        "python3",
        "perl",
    ]);
    p.build_inputs = names(&[
        "ncurses",
        "openssl",
        "zlib",
        "libevent",
        "python3Packages.setuptools",
    ]);
    p.attrs = vec![attr("enableParallelBuilding", Value::Bool(true))];
    let text = rendered(&p);
    assert!(
        text.starts_with("{\n  lib,\n  stdenv,\n  fetchurl,\n  autoreconfHook,\n"),
        "{text}"
    );
    assert!(text.contains("  python3Packages,\n}:\n"), "{text}");
    insta::assert_snapshot!("long_argument_lists", text);
}

#[test]
fn npm_package() {
    let p = Package {
        builder: Builder::NpmPackage,
        pname: "left-pad".to_string(),
        version: "1.3.0".to_string(),
        src: Src {
            fetcher: "fetchurl".to_string(),
            inherit: vec![],
            attrs: vec![
                attr("url", s("mirror://npm/left-pad/-/left-pad-1.3.0.tgz")),
                attr(
                    "hash",
                    s("sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                ),
            ],
        },
        source_root: None,
        native_build_inputs: vec![],
        build_inputs: vec![],
        attrs: vec![
            attr("npmDepsHash", s("")),
            attr("dontNpmBuild", Value::Bool(true)),
        ],
        meta: Meta {
            description: Some("String left pad".to_string()),
            licenses: names(&["wtfpl"]),
            ..Meta::default()
        },
    };
    insta::assert_snapshot!("npm_package", rendered(&p));
}

#[test]
fn identifier_lists_stay_on_one_line_up_to_80_columns() {
    // "  buildInputs = [ " is 18 columns and " ];" 3: 59 columns of names fit exactly.
    let fits = ["a".repeat(29), "b".repeat(29)]; // 29 + 1 + 29 = 59
    let mut p = stdenv("x", "1", fetchurl("https://example.org/x.tar.gz"));
    p.build_inputs = fits.to_vec();
    let text = rendered(&p);
    let line = format!("  buildInputs = [ {} {} ];\n", fits[0], fits[1]);
    assert_eq!(line.len(), 81, "80 columns and the newline");
    assert!(text.contains(&line), "{text}");

    let too_long = ["a".repeat(30), "b".repeat(29)];
    p.build_inputs = too_long.to_vec();
    let text = rendered(&p);
    assert!(
        text.contains(&format!(
            "  buildInputs = [\n    {}\n    {}\n  ];\n",
            too_long[0], too_long[1]
        )),
        "{text}"
    );
}

#[test]
fn argument_list_is_one_line_up_to_100_columns() {
    // "{ lib, stdenv, fetchurl, " is 25 columns, " }:" 3: one input of 72 fits, 73 does not.
    let mut p = stdenv("x", "1", fetchurl("https://example.org/x.tar.gz"));
    p.build_inputs = vec!["a".repeat(72)];
    let text = rendered(&p);
    assert!(text.starts_with(&format!(
        "{{ lib, stdenv, fetchurl, {} }}:\n\n",
        "a".repeat(72)
    )));
    p.build_inputs = vec!["a".repeat(73)];
    let text = rendered(&p);
    assert!(text.starts_with(&format!(
        "{{\n  lib,\n  stdenv,\n  fetchurl,\n  {},\n}}:\n\n",
        "a".repeat(73)
    )));
}

#[test]
fn arguments_are_the_identifiers_used() {
    let mut p = stdenv("x", "1", fetchurl("https://example.org/x.tar.gz"));
    p.native_build_inputs = names(&["pkg-config", "python3Packages.setuptools"]);
    p.build_inputs = names(&["ncurses", "pkg-config"]);
    p.attrs = vec![
        attr(
            "nativeCheckInputs",
            Value::List(vec![raw("which"), raw("finalAttrs.src")]),
        ),
        attr(
            "env",
            Value::AttrSet(vec![attr("FOO", raw("lib.getDev ncurses"))]),
        ),
        attr(
            "makeFlags",
            Value::List(vec![raw("\"PREFIX=${placeholder \"out\"}\"")]),
        ),
        attr(
            "checkInputs",
            Value::With(
                "perlPackages".to_string(),
                Box::new(Value::List(vec![raw("TestMore")])),
            ),
        ),
    ];
    let text = rendered(&p);
    assert!(
        text.starts_with(
            "{ lib, stdenv, fetchurl, pkg-config, python3Packages, ncurses, which, perlPackages }:\n"
        ),
        "{text}"
    );

    // Without a license or platforms nothing uses `lib`.
    p.meta = Meta::default();
    p.attrs.clear();
    p.native_build_inputs.clear();
    p.build_inputs.clear();
    let text = rendered(&p);
    assert!(text.starts_with("{ stdenv, fetchurl }:\n"), "{text}");
    assert!(text.ends_with("  meta = { };\n})\n"), "{text}");
}

#[test]
fn strings_are_escaped() {
    let mut p = stdenv("x", "1", fetchurl("https://example.org/x.tar.gz"));
    p.meta.description = Some("Says \"hi\" to ${USER} from C:\\ and costs $5\nor $$".to_string());
    p.attrs = vec![attr("postInstall", s("echo ${x} $$y '' \t"))];
    let text = rendered(&p);
    assert!(
        text.contains(
            "    description = \"Says \\\"hi\\\" to \\${USER} from C:\\\\ and costs $5\\nor $$\";\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  postInstall = \"echo \\${x} $$y '' \\t\";\n"),
        "{text}"
    );
}

#[test]
fn multiline_strings_are_indented_and_escaped() {
    let mut p = stdenv("x", "1", fetchurl("https://example.org/x.tar.gz"));
    p.attrs = vec![attr(
        "postPatch",
        Value::Multiline(
            "\n    substituteInPlace Makefile \\\n      --replace-fail '''' \"${out}\"\n\n    echo $HOME\n".to_string(),
        ),
    )];
    let text = rendered(&p);
    assert!(
        text.contains(
            "  postPatch = ''\n    substituteInPlace Makefile \\\n      --replace-fail '''''' \"''${out}\"\n\n    echo $HOME\n  '';\n"
        ),
        "{text}"
    );
}

#[test]
fn version_is_interpolated_only_where_it_stands_alone() {
    let url = |url: &str, version: &str| {
        let mut p = stdenv("x", version, fetchurl(url));
        p.version = version.to_string();
        let text = rendered(&p);
        let start = text.find("    url = ").unwrap_or(0);
        let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
        text[start + "    url = ".len()..end - 1].to_string()
    };
    assert_eq!(
        url(
            "mirror://debian/pool/main/h/htop/htop_3.2.2.orig.tar.gz",
            "3.2.2"
        ),
        "\"mirror://debian/pool/main/h/htop/htop_${finalAttrs.version}.orig.tar.gz\""
    );
    // Not inside a longer version, not in a directory that merely contains it.
    assert_eq!(
        url("https://example.org/1.2.x/x-11.2-1.2.3.tar.gz", "1.2"),
        "\"https://example.org/1.2.x/x-11.2-1.2.3.tar.gz\""
    );
    assert_eq!(
        url("https://example.org/releases/download/v1.2/x-1.2.tar.gz", "1.2"),
        "\"https://example.org/releases/download/v${finalAttrs.version}/x-${finalAttrs.version}.tar.gz\""
    );
    assert_eq!(
        url("https://example.org/${odd}/x-1.2.tar.gz", "1.2"),
        "\"https://example.org/\\${odd}/x-${finalAttrs.version}.tar.gz\""
    );
}

#[test]
fn source_root_follows_the_fetcher() {
    let mut p = stdenv("x", "1", fetchurl("https://example.org/x-1.tar.gz"));
    p.source_root = Some("src".to_string());
    let text = rendered(&p);
    assert!(
        text.contains("  };\n  postUnpack = \"sourceRoot=$sourceRoot/src\";\n\n"),
        "{text}"
    );

    p.src.fetcher = "fetchzip".to_string();
    let text = rendered(&p);
    assert!(
        text.contains("  };\n  sourceRoot = \"${finalAttrs.src.name}/src\";\n\n"),
        "{text}"
    );

    p.builder = Builder::PythonPackage;
    p.source_root = Some("python/${x}".to_string());
    let text = rendered(&p);
    assert!(
        text.contains("  sourceRoot = \"${src.name}/python/\\${x}\";\n"),
        "{text}"
    );
}

#[test]
fn values_of_every_kind() {
    let mut p = stdenv("x", "1", fetchurl("https://example.org/x.tar.gz"));
    p.attrs = vec![
        attr("NIX_CFLAGS_COMPILE", Value::Int(-3)),
        attr("outputs", strings(&["out"])),
        attr(
            "passthru",
            Value::AttrSet(vec![
                attr("tests", Value::AttrSet(vec![])),
                attr("weird name", Value::List(vec![])),
            ]),
        ),
        attr(
            "patches",
            Value::List(vec![
                Value::AttrSet(vec![attr("a", Value::Bool(false))]),
                Value::Int(1),
            ]),
        ),
    ];
    let text = rendered(&p);
    let expected = "  NIX_CFLAGS_COMPILE = -3;\n\n  outputs = [ \"out\" ];\n\n  passthru = {\n    tests = { };\n    \"weird name\" = [ ];\n  };\n\n  patches = [\n    {\n      a = false;\n    }\n    1\n  ];\n\n  meta = {\n";
    assert!(text.contains(expected), "{text}");
}

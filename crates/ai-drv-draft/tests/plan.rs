//! `plan` from a source and an analysis: the builder, fetcher, inputs, attributes and meta each
//! build system gets, checked exactly; trees are the committed fixtures under `fixtures/`.

use std::path::{Path, PathBuf};

use ai_drv_analyse::{Analysis, BuildSystem, Dependency, Kind, Python, Want};
use ai_drv_draft::{plan_pinned, render, Builder, Package, Pinned, Value};
use ai_drv_source::{Fetch, Meta as SourceMeta};

const HASH: &str = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn names(items: &[&str]) -> Vec<String> {
    items.iter().map(|i| i.to_string()).collect()
}

fn debian(pname: &str, version: &str) -> Fetch {
    Fetch::Url {
        url: format!(
            "mirror://debian/pool/main/{}/{pname}/{pname}_{version}.orig.tar.gz",
            &pname[..1]
        ),
    }
}

/// Plans, checks that the rendered file parses, and returns both.
fn planned(
    pname: &str,
    version: &str,
    fetch: &Fetch,
    tree: &Path,
    meta: &SourceMeta,
    analysis: &Analysis,
) -> (Package, String) {
    let pinned = Pinned {
        pname,
        version,
        fetch,
        hash: HASH,
        tree,
        meta,
    };
    let package = plan_pinned(&pinned, analysis);
    let text = render(&package);
    let parse = rnix::Root::parse(&text);
    assert!(parse.errors().is_empty(), "{:?}\n{text}", parse.errors());
    (package, text)
}

fn attr<'a>(package: &'a Package, name: &str) -> Option<&'a Value> {
    package
        .attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

fn strings(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| Value::Str(i.to_string())).collect())
}

#[test]
fn makefile_without_install_gets_an_install_phase() {
    let analysis = Analysis {
        build_system: BuildSystem::Make {
            install: false,
            prefix_var: None,
            destdir: false,
        },
        build_inputs: names(&["ncurses"]),
        programs: names(&["sl"]),
        main_program: Some("sl".to_string()),
        kind: Kind::Program,
        ..Analysis::default()
    };
    let meta = SourceMeta {
        description: Some(
            "steam locomotive runs across your terminal when you type \"sl\".".to_string(),
        ),
        homepage: Some("http://www.tkl.iis.u-tokyo.ac.jp/~toyoda/index_e.html".to_string()),
        license: None,
    };
    let (package, text) = planned(
        "sl",
        "5.02",
        &debian("sl", "5.02"),
        &fixture("make-noinstall"),
        &meta,
        &analysis,
    );
    assert_eq!(package.builder, Builder::Stdenv);
    assert_eq!(
        text,
        r#"{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";

  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  buildInputs = [ ncurses ];
  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [ "CC:=$(CC)" ];

  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/bin sl
    install -Dm644 -t $out/share/man/man1 sl.1
    install -Dm644 -t $out/share/man/man6 doc/sl-extra.6
    runHook postInstall
  '';

  meta = {
    description = "Steam locomotive runs across your terminal when you type \"sl\"";
    homepage = "http://www.tkl.iis.u-tokyo.ac.jp/~toyoda/index_e.html";
    mainProgram = "sl";
    platforms = lib.platforms.unix;
  };
})
"#
    );
}

#[test]
fn makefile_with_install_sets_its_prefix() {
    let make = |prefix_var: Option<&str>| Analysis {
        build_system: BuildSystem::Make {
            install: true,
            prefix_var: prefix_var.map(str::to_string),
            destdir: true,
        },
        licenses: names(&["bsd2", "gpl2Plus"]),
        ..Analysis::default()
    };
    let meta = SourceMeta::default();
    let (package, _) = planned(
        "lz4",
        "1.9.4",
        &debian("lz4", "1.9.4"),
        &fixture("make-install"),
        &meta,
        &make(Some("prefix")),
    );
    assert_eq!(
        package.attrs,
        vec![
            ("enableParallelBuilding".to_string(), Value::Bool(true)),
            ("dontConfigure".to_string(), Value::Bool(true)),
            (
                "makeFlags".to_string(),
                strings(&["prefix=$(out)", "CC:=$(CC)"])
            ),
        ]
    );
    assert_eq!(package.meta.licenses, names(&["bsd2", "gpl2Plus"]));

    // A configure script in the build directory (here a subdirectory) keeps the configure phase.
    let mut analysis = make(None);
    analysis.subdir = Some("unix".to_string());
    let (package, text) = planned(
        "tool",
        "1.0",
        &debian("tool", "1.0"),
        &fixture("make-configure"),
        &meta,
        &analysis,
    );
    assert_eq!(
        package.attrs,
        vec![
            ("enableParallelBuilding".to_string(), Value::Bool(true)),
            (
                "makeFlags".to_string(),
                strings(&["PREFIX=$(out)", "CC:=$(CC)"])
            ),
        ]
    );
    assert_eq!(package.source_root.as_deref(), Some("unix"));
    assert!(
        text.contains("  };\n  postUnpack = \"sourceRoot=$sourceRoot/unix\";\n"),
        "{text}"
    );
}

#[test]
fn autotools_without_configure_gets_autoreconf_and_linux_headers_linux() {
    let analysis = Analysis {
        build_system: BuildSystem::Autotools { configure: false },
        dependencies: vec![
            Dependency {
                want: Want::Header("sys/capability.h".to_string()),
                attr: Some("libcap".to_string()),
                native: false,
                evidence: "configure.ac: AC_CHECK_HEADERS".to_string(),
            },
            Dependency {
                want: Want::PkgConfig("ncursesw".to_string()),
                attr: Some("ncurses".to_string()),
                native: false,
                evidence: "configure.ac: PKG_CHECK_MODULES".to_string(),
            },
        ],
        native_build_inputs: names(&["autoreconfHook", "pkg-config"]),
        build_inputs: names(&["libcap", "ncurses"]),
        licenses: names(&["gpl2Only"]),
        description: Some("Interactive process viewer".to_string()),
        homepage: Some("https://htop.dev".to_string()),
        programs: names(&["htop"]),
        main_program: Some("htop".to_string()),
        kind: Kind::Program,
        ..Analysis::default()
    };
    let meta = SourceMeta {
        description: Some("something else".to_string()),
        homepage: Some("https://example.org/other".to_string()),
        license: Some("MIT".to_string()),
    };
    let (package, text) = planned(
        "htop",
        "3.2.2",
        &debian("htop", "3.2.2"),
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(
        package.native_build_inputs,
        names(&["autoreconfHook", "pkg-config"])
    );
    assert_eq!(package.build_inputs, names(&["libcap", "ncurses"]));
    assert_eq!(
        package.attrs,
        vec![("enableParallelBuilding".to_string(), Value::Bool(true))]
    );
    assert_eq!(package.meta.platforms.as_deref(), Some("linux"));
    // The analysis wins over the registry.
    assert_eq!(package.meta.licenses, names(&["gpl2Only"]));
    assert_eq!(
        package.meta.description.as_deref(),
        Some("Interactive process viewer")
    );
    assert_eq!(package.meta.homepage.as_deref(), Some("https://htop.dev"));
    assert!(text
        .starts_with("{ lib, stdenv, fetchurl, autoreconfHook, pkg-config, libcap, ncurses }:\n"));

    // With a generated configure: no autoreconfHook; without Linux-only headers: unix.
    let analysis = Analysis {
        build_system: BuildSystem::Autotools { configure: true },
        native_build_inputs: names(&["pkg-config"]),
        ..Analysis::default()
    };
    let (package, _) = planned(
        "x",
        "1",
        &debian("x", "1"),
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(package.native_build_inputs, names(&["pkg-config"]));
    assert_eq!(package.meta.platforms.as_deref(), Some("unix"));
    // Nothing from the analysis: the registry's metadata, tidied.
    assert_eq!(package.meta.description.as_deref(), Some("Something else"));
    assert_eq!(
        package.meta.homepage.as_deref(),
        Some("https://example.org/other")
    );
    assert_eq!(package.meta.licenses, names(&["mit"]));
}

#[test]
fn cmake_and_meson_bring_their_tools_first() {
    let meta = SourceMeta::default();
    let cmake = Analysis {
        build_system: BuildSystem::CMake,
        native_build_inputs: names(&["cmake", "pkg-config"]),
        build_inputs: names(&["zlib"]),
        kind: Kind::Library,
        ..Analysis::default()
    };
    let (package, text) = planned(
        "json-c",
        "0.16",
        &debian("json-c", "0.16"),
        &fixture("make-install"),
        &meta,
        &cmake,
    );
    assert_eq!(package.native_build_inputs, names(&["cmake", "pkg-config"]));
    assert!(package.attrs.is_empty(), "{:?}", package.attrs);
    assert!(!text.contains("license"), "{text}");
    assert_eq!(package.meta.main_program, None);

    let meson = Analysis {
        build_system: BuildSystem::Meson,
        native_build_inputs: names(&["bison", "pkg-config"]),
        ..Analysis::default()
    };
    let (package, _) = planned(
        "pixman",
        "0.42.2",
        &debian("pixman", "0.42.2"),
        &fixture("make-install"),
        &meta,
        &meson,
    );
    assert_eq!(
        package.native_build_inputs,
        names(&["meson", "ninja", "bison", "pkg-config"])
    );
    assert!(package.attrs.is_empty());
}

#[test]
fn cargo_is_a_rust_package_from_its_crate() {
    let analysis = Analysis {
        build_system: BuildSystem::Cargo,
        native_build_inputs: names(&["pkg-config"]),
        build_inputs: names(&["openssl"]),
        programs: names(&["hexyl"]),
        main_program: Some("hexyl".to_string()),
        ..Analysis::default()
    };
    let meta = SourceMeta {
        description: Some("A command-line hex viewer".to_string()),
        homepage: Some("https://github.com/sharkdp/hexyl".to_string()),
        license: Some("MIT OR Apache-2.0".to_string()),
    };
    let fetch = Fetch::Crate {
        pname: "hexyl".to_string(),
        version: "0.17.0".to_string(),
    };
    let (package, text) = planned(
        "hexyl",
        "0.17.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(package.builder, Builder::RustPackage);
    assert_eq!(
        text,
        r#"{ lib, rustPlatform, fetchCrate, pkg-config, openssl }:

rustPlatform.buildRustPackage rec {
  pname = "hexyl";
  version = "0.17.0";

  src = fetchCrate {
    inherit pname version;
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  cargoHash = "";

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ openssl ];

  meta = {
    description = "Command-line hex viewer";
    homepage = "https://github.com/sharkdp/hexyl";
    license = with lib.licenses; [ mit asl20 ];
    mainProgram = "hexyl";
  };
}
"#
    );

    // A crate whose name differs from the package's: spelled out.
    let fetch = Fetch::Crate {
        pname: "fd-find".to_string(),
        version: "10.2.0".to_string(),
    };
    let (package, _) = planned(
        "fd",
        "10.2.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(package.src.inherit, names(&["version"]));
    assert_eq!(
        package.src.attrs[0],
        ("pname".to_string(), Value::Str("fd-find".to_string()))
    );
}

#[test]
fn python_with_scripts_is_an_application() {
    let analysis = Analysis {
        build_system: BuildSystem::Python {
            backend: Some("setuptools.build_meta".to_string()),
            pyproject: true,
        },
        native_build_inputs: names(&["python3Packages.wheel"]),
        python: Some(Python {
            build_system: names(&["setuptools", "setuptools-scm"]),
            dependencies: names(&["requests", "typing-extensions"]),
            import_name: Some("tabulate".to_string()),
            scripts: names(&["tabulate"]),
        }),
        licenses: names(&["mit"]),
        ..Analysis::default()
    };
    let fetch = Fetch::Pypi {
        pname: "tabulate".to_string(),
        version: "0.10.0".to_string(),
    };
    let meta = SourceMeta::default();
    let (package, text) = planned(
        "tabulate",
        "0.10.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(package.builder, Builder::PythonApplication);
    assert!(package.native_build_inputs.is_empty());
    assert_eq!(
        text,
        r#"{ lib, python3Packages, fetchPypi }:

python3Packages.buildPythonApplication rec {
  pname = "tabulate";
  version = "0.10.0";
  pyproject = true;

  src = fetchPypi {
    inherit pname version;
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };

  build-system = with python3Packages; [ setuptools setuptools-scm ];

  dependencies = with python3Packages; [ requests typing-extensions ];

  pythonImportsCheck = [ "tabulate" ];

  meta = {
    license = lib.licenses.mit;
    mainProgram = "tabulate";
  };
}
"#
    );
}

#[test]
fn python_without_scripts_is_a_package_with_its_backend() {
    let analysis = Analysis {
        build_system: BuildSystem::Python {
            backend: Some("hatchling.build".to_string()),
            pyproject: true,
        },
        python: Some(Python {
            build_system: vec![],
            dependencies: vec![],
            import_name: None,
            scripts: vec![],
        }),
        ..Analysis::default()
    };
    let fetch = Fetch::Pypi {
        pname: "attrs".to_string(),
        version: "23.1.0".to_string(),
    };
    let meta = SourceMeta::default();
    let (package, _) = planned(
        "attrs",
        "23.1.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(package.builder, Builder::PythonPackage);
    assert_eq!(
        package.attrs,
        vec![
            ("pyproject".to_string(), Value::Bool(true)),
            (
                "build-system".to_string(),
                Value::With(
                    "python3Packages".to_string(),
                    Box::new(Value::List(vec![Value::Raw("hatchling".to_string())]))
                )
            ),
        ]
    );
    assert_eq!(package.meta.main_program, None);
    assert_eq!(package.meta.platforms, None);
}

#[test]
fn forge_sources_and_npm() {
    let analysis = Analysis {
        build_system: BuildSystem::CMake,
        subdir: Some("src".to_string()),
        ..Analysis::default()
    };
    let fetch = Fetch::GitHub {
        owner: "DaveGamble".to_string(),
        repo: "cJSON".to_string(),
        rev: "v1.7.15".to_string(),
    };
    let meta = SourceMeta::default();
    let (package, text) = planned(
        "cjson",
        "1.7.15",
        &fetch,
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(package.src.fetcher, "fetchFromGitHub");
    assert_eq!(
        package.meta.homepage.as_deref(),
        Some("https://github.com/DaveGamble/cJSON")
    );
    assert!(text.contains(
        "  src = fetchFromGitHub {\n    owner = \"DaveGamble\";\n    repo = \"cJSON\";\n    rev = \"v${finalAttrs.version}\";\n    hash = \"sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=\";\n  };\n  sourceRoot = \"${finalAttrs.src.name}/src\";\n"
    ), "{text}");

    let fetch = Fetch::Gitea {
        domain: "codeberg.org".to_string(),
        owner: "o".to_string(),
        repo: "r".to_string(),
        rev: "1.0".to_string(),
    };
    let (package, text) = planned(
        "r",
        "1.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &Analysis::default(),
    );
    assert_eq!(package.src.fetcher, "fetchFromGitea");
    assert_eq!(
        package.meta.homepage.as_deref(),
        Some("https://codeberg.org/o/r")
    );
    assert!(text.contains("    domain = \"codeberg.org\";\n"), "{text}");
    assert!(text.contains("    rev = finalAttrs.version;\n"), "{text}");

    let fetch = Fetch::Zip {
        url: "https://example.org/r-1.0.zip".to_string(),
    };
    let (package, _) = planned(
        "r",
        "1.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &Analysis::default(),
    );
    assert_eq!(package.src.fetcher, "fetchzip");

    let analysis = Analysis {
        build_system: BuildSystem::Npm,
        ..Analysis::default()
    };
    let fetch = Fetch::Npm {
        url: "mirror://npm/left-pad/-/left-pad-1.3.0.tgz".to_string(),
    };
    let (package, text) = planned(
        "left-pad",
        "1.3.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(package.builder, Builder::NpmPackage);
    assert_eq!(
        package.attrs,
        vec![("npmDepsHash".to_string(), Value::Str(String::new()))]
    );
    assert!(
        text.contains("    url = \"mirror://npm/left-pad/-/left-pad-${version}.tgz\";\n"),
        "{text}"
    );
    assert!(
        text.starts_with("{ buildNpmPackage, fetchurl }:\n"),
        "{text}"
    );
}

#[test]
fn attr_lookup_helper_finds_attributes() {
    let analysis = Analysis {
        build_system: BuildSystem::Cargo,
        ..Analysis::default()
    };
    let fetch = Fetch::Crate {
        pname: "sd".to_string(),
        version: "1.0.0".to_string(),
    };
    let meta = SourceMeta::default();
    let (package, _) = planned(
        "sd",
        "1.0.0",
        &fetch,
        &fixture("make-install"),
        &meta,
        &analysis,
    );
    assert_eq!(
        attr(&package, "cargoHash"),
        Some(&Value::Str(String::new()))
    );
    assert_eq!(attr(&package, "makeFlags"), None);
}

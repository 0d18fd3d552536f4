//! Before/after cases for every query and edit, on small files in the shapes nixpkgs uses.

use super::*;

const FINAL_ATTRS: &str = r#"{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "demo";
  version = "1.0";

  src = fetchurl {
    url = "https://example.invalid/demo-${finalAttrs.version}.tar.gz";
    hash = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";
  };

  buildInputs = [ ncurses ];
  strictDeps = true;

  meta = {
    description = "A demo";
    license = lib.licenses.mit;
  };
})
"#;

fn doc(text: &str) -> Document {
    match Document::parse(text) {
        Ok(d) => d,
        Err(e) => panic!("{e}\n{text}"),
    }
}

/// Applies `f` and returns the new text.
fn edited(text: &str, f: impl FnOnce(&mut Document)) -> String {
    let mut d = doc(text);
    f(&mut d);
    d.text().to_string()
}

#[test]
fn parse_errors_have_a_position() {
    let err = Document::parse("{ lib }:\n\nstdenv.mkDerivation {\n  pname = ;\n}\n").unwrap_err();
    assert_eq!(
        err,
        SyntaxError::Parse {
            message: "unexpected TOKEN_SEMICOLON at 42..43, wanted any of [TOKEN_L_PAREN, TOKEN_REC, TOKEN_L_BRACE, TOKEN_L_BRACK, TOKEN_STRING_START, TOKEN_IDENT]".to_string(),
            line: 4,
            column: 11,
        }
    );
    assert!(matches!(
        Document::parse("{ a, b }: {"),
        Err(SyntaxError::Parse { line: 1, .. })
    ));
}

#[test]
fn document_is_send_sync_and_compares_by_text() {
    fn check<T: Send + Sync + Clone + PartialEq + std::fmt::Debug>() {}
    check::<Document>();
    assert_eq!(doc("{ }: 1"), doc("{ }: 1"));
    assert_ne!(doc("{ }: 1"), doc("{ }: 2"));
    assert_eq!(serde_json::to_string(&doc("{ }: 1")).unwrap(), "\"{ }: 1\"");
}

#[test]
fn reads_the_package_attribute_set_of_finalattrs() {
    let d = doc(FINAL_ATTRS);
    assert_eq!(d.formals(), ["lib", "stdenv", "fetchurl", "ncurses"]);
    assert_eq!(d.builder().as_deref(), Some("stdenv.mkDerivation"));
    assert_eq!(d.get("pname").as_deref(), Some("\"demo\""));
    assert_eq!(d.get_string("pname").as_deref(), Some("demo"));
    assert_eq!(
        d.get_string("src.hash").as_deref(),
        Some("sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=")
    );
    // Interpolated strings are not plain.
    assert_eq!(d.get_string("src.url"), None);
    assert_eq!(
        d.get("src.url").as_deref(),
        Some("\"https://example.invalid/demo-${finalAttrs.version}.tar.gz\"")
    );
    assert_eq!(d.get("strictDeps").as_deref(), Some("true"));
    assert_eq!(d.get("meta.license").as_deref(), Some("lib.licenses.mit"));
    assert_eq!(d.get("meta.mainProgram"), None);
    assert_eq!(d.get("nope"), None);
    assert_eq!(d.get("pname.x"), None);
    assert_eq!(d.list_items("buildInputs"), ["ncurses"]);
}

#[test]
fn rec_attrset_and_let_in_body() {
    let text = r#"{ lib, rustPlatform, fetchCrate }:

let
  common = import ./common.nix;
in
rustPlatform.buildRustPackage rec {
  pname = "tool";
  version = "0.1.0";

  src = fetchCrate {
    inherit pname version;
    sha256 = "0000000000000000000000000000000000000000000000000000";
  };

  cargoHash = lib.fakeHash;
}
"#;
    let d = doc(text);
    assert_eq!(
        d.builder().as_deref(),
        Some("rustPlatform.buildRustPackage")
    );
    assert_eq!(d.get("cargoHash").as_deref(), Some("lib.fakeHash"));
    assert_eq!(d.get_string("version").as_deref(), Some("0.1.0"));
    assert_eq!(
        d.hashes(),
        [
            HashSite {
                path: "src.sha256".to_string(),
                value: "0000000000000000000000000000000000000000000000000000".to_string(),
            },
            HashSite {
                path: "cargoHash".to_string(),
                value: FAKE_HASH.to_string(),
            },
        ]
    );
    let after = edited(text, |d| {
        d.set_hash(
            "cargoHash",
            "sha256-NJfj7m+tFRhlbjyy6D2ktlCpjt0bB6+a0TJCwVLwuTU=",
        )
        .unwrap()
    });
    assert_eq!(
        after,
        text.replace(
            "cargoHash = lib.fakeHash;",
            "cargoHash = \"sha256-NJfj7m+tFRhlbjyy6D2ktlCpjt0bB6+a0TJCwVLwuTU=\";"
        )
    );
}

#[test]
fn plain_attrset_under_finalattrs_let() {
    let text = r#"{ stdenv, fetchurl }:
stdenv.mkDerivation (finalAttrs: let v = "2"; in {
  pname = "x";
  version = v;
  src.url = "https://example.invalid/x.tgz";
  src.hash = "";
})
"#;
    let d = doc(text);
    assert_eq!(d.get("version").as_deref(), Some("v"));
    assert_eq!(d.get_string("src.hash").as_deref(), Some(""));
    assert_eq!(
        d.hashes(),
        [HashSite {
            path: "src.hash".to_string(),
            value: String::new()
        }]
    );
    // `src` itself only exists through dotted bindings.
    assert_eq!(d.get("src"), None);
    let after = edited(text, |d| d.set_hash("src.hash", FAKE_HASH).unwrap());
    assert_eq!(
        after,
        text.replace(
            "src.hash = \"\";",
            "src.hash = \"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\";"
        )
    );
}

#[test]
fn plain_call_with_attrset_and_with_body() {
    let text = "{ pkgs }:\nwith pkgs;\nstdenv.mkDerivation {\n  name = \"x\";\n}\n";
    let d = doc(text);
    assert_eq!(d.get_string("name").as_deref(), Some("x"));
    let after = edited(text, |d| d.set("dontUnpack", "true").unwrap());
    assert_eq!(
        after,
        "{ pkgs }:\nwith pkgs;\nstdenv.mkDerivation {\n  name = \"x\";\n  dontUnpack = true;\n}\n"
    );
}

#[test]
fn not_a_package() {
    let mut d = doc("{ lib }: { a = 1; }");
    assert_eq!(d.get("a"), None);
    assert!(matches!(d.set("a", "2"), Err(SyntaxError::NotAPackage(_))));
    assert_eq!(d.text(), "{ lib }: { a = 1; }");
}

#[test]
fn set_replaces_in_place() {
    let after = edited(FINAL_ATTRS, |d| {
        d.set("version", "\"1.1\"").unwrap();
        d.set("src.hash", "lib.fakeHash").unwrap();
        d.set("meta.license", "lib.licenses.gpl3Plus").unwrap();
    });
    assert_eq!(
        after,
        FINAL_ATTRS
            .replace("version = \"1.0\";", "version = \"1.1\";")
            .replace(
                "hash = \"sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=\";",
                "hash = lib.fakeHash;"
            )
            .replace("lib.licenses.mit", "lib.licenses.gpl3Plus")
    );
}

#[test]
fn set_inserts_before_meta() {
    let after = edited(FINAL_ATTRS, |d| {
        d.set("enableParallelBuilding", "false").unwrap()
    });
    assert_eq!(
        after,
        FINAL_ATTRS.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  enableParallelBuilding = false;\n"
        )
    );
}

#[test]
fn set_inserts_into_nested_sets_and_creates_them() {
    let after = edited(FINAL_ATTRS, |d| {
        d.set("meta.mainProgram", "\"demo\"").unwrap();
        d.set("src.postFetch", "\"true\"").unwrap();
        d.set("env.NIX_CFLAGS_COMPILE", "\"-Wno-error\"").unwrap();
    });
    assert_eq!(
        after,
        r#"{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "demo";
  version = "1.0";

  src = fetchurl {
    url = "https://example.invalid/demo-${finalAttrs.version}.tar.gz";
    hash = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";
    postFetch = "true";
  };

  buildInputs = [ ncurses ];
  strictDeps = true;
  env = {
    NIX_CFLAGS_COMPILE = "-Wno-error";
  };

  meta = {
    description = "A demo";
    license = lib.licenses.mit;
    mainProgram = "demo";
  };
})
"#
    );
}

#[test]
fn set_follows_dotted_siblings() {
    let text = "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  env.FOO = \"1\";\n}\n";
    let after = edited(text, |d| {
        d.set("env.BAR", "\"2\"").unwrap();
        d.set("env.FOO", "\"3\"").unwrap();
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  env.FOO = \"3\";\n  env.BAR = \"2\";\n}\n"
    );
}

#[test]
fn set_at_the_end_without_meta_and_in_an_empty_set() {
    let text =
        "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\"; # the name\n  passthru = { };\n}\n";
    let after = edited(text, |d| {
        d.set("version", "\"1\"").unwrap();
        d.set("passthru.tests", "{ }").unwrap();
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\"; # the name\n  passthru = {\n    tests = { };\n  };\n  version = \"1\";\n}\n"
    );
}

#[test]
fn set_meta_first_entry_and_one_line_sets() {
    let text =
        "{ stdenv }:\nstdenv.mkDerivation {\n  # about\n  meta = { description = \"x\"; };\n}\n";
    let after = edited(text, |d| {
        d.set("pname", "\"x\"").unwrap();
        d.set("meta.mainProgram", "\"x\"").unwrap();
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  # about\n  meta = { description = \"x\"; mainProgram = \"x\"; };\n}\n"
    );
}

#[test]
fn set_indents_multi_line_values() {
    let text = "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n\n  meta = { };\n}\n";
    let after = edited(text, |d| {
        d.set(
            "installPhase",
            "''\n  runHook preInstall\n\n  install -Dm755 x $out/bin/x\n  runHook postInstall\n''",
        )
        .unwrap()
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  installPhase = ''\n    runHook preInstall\n\n    install -Dm755 x $out/bin/x\n    runHook postInstall\n  '';\n\n  meta = { };\n}\n"
    );
}

#[test]
fn set_through_inherit_reaches_the_let_binding() {
    let text = r#"{ stdenv, fetchurl }:
let
  pname = "x";
  src = fetchurl {
    url = "https://example.invalid/x.tgz";
    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };
in
stdenv.mkDerivation {
  inherit pname src;
}
"#;
    let d = doc(text);
    assert_eq!(d.get_string("src.hash").as_deref(), Some(FAKE_HASH));
    assert_eq!(d.get("src"), None);
    assert_eq!(
        d.hashes(),
        [HashSite {
            path: "src.hash".to_string(),
            value: FAKE_HASH.to_string()
        }]
    );
    let after = edited(text, |d| {
        d.set_hash(
            "src.hash",
            "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=",
        )
        .unwrap()
    });
    assert_eq!(
        after,
        text.replace(
            FAKE_HASH,
            "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg="
        )
    );
    let mut d = doc(text);
    assert!(matches!(d.set("pname", "\"y\""), Err(SyntaxError::Path(_))));
}

#[test]
fn failed_edits_leave_the_document_unchanged() {
    let mut d = doc(FINAL_ATTRS);
    let err = d.set("pname", "{").unwrap_err();
    assert!(matches!(err, SyntaxError::Parse { .. }), "{err:?}");
    assert_eq!(d.text(), FINAL_ATTRS);
    assert!(matches!(
        d.set("buildInputs.5", "x"),
        Err(SyntaxError::Path(_))
    ));
    assert!(matches!(d.set("", "x"), Err(SyntaxError::Path(_))));
    assert!(matches!(d.set("src.0", "x"), Err(SyntaxError::Path(_))));
    assert!(matches!(d.add_formal("a b"), Err(SyntaxError::Path(_))));
    assert_eq!(d.text(), FINAL_ATTRS);
}

#[test]
fn remove_takes_the_line_and_its_comments() {
    let text = r#"{ stdenv }:
stdenv.mkDerivation {
  pname = "x";

  # Parallel make races in this project.
  enableParallelBuilding = false; # see the log

  doCheck = true;
}
"#;
    let after = edited(text, |d| {
        assert!(d.remove("enableParallelBuilding").unwrap());
        assert!(!d.remove("enableParallelBuilding").unwrap());
        assert!(!d.remove("meta.description").unwrap());
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n\n  doCheck = true;\n}\n"
    );
    let after = edited(text, |d| {
        assert!(d.remove("doCheck").unwrap());
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n\n  # Parallel make races in this project.\n  enableParallelBuilding = false; # see the log\n}\n"
    );
}

#[test]
fn remove_nested_dotted_and_one_line() {
    let after = edited(FINAL_ATTRS, |d| {
        assert!(d.remove("meta.license").unwrap());
        assert!(d.remove("src.url").unwrap());
    });
    assert_eq!(
        after,
        FINAL_ATTRS
            .replace("    license = lib.licenses.mit;\n", "")
            .replace(
                "    url = \"https://example.invalid/demo-${finalAttrs.version}.tar.gz\";\n",
                ""
            )
    );
    let text = "{ stdenv }:\nstdenv.mkDerivation { a = 1; b.c = 2; d = 3; }\n";
    assert_eq!(
        edited(text, |d| assert!(d.remove("b.c").unwrap())),
        "{ stdenv }:\nstdenv.mkDerivation { a = 1; d = 3; }\n"
    );
    assert_eq!(
        edited(text, |d| assert!(d.remove("a").unwrap())),
        "{ stdenv }:\nstdenv.mkDerivation { b.c = 2; d = 3; }\n"
    );
}

#[test]
fn formals_one_line() {
    let text = "{ lib, stdenv, fetchurl }:\nstdenv.mkDerivation { }\n";
    let after = edited(text, |d| {
        assert!(d.add_formal("ncurses").unwrap());
        assert!(!d.add_formal("ncurses").unwrap());
        assert!(!d.add_formal("lib").unwrap());
    });
    assert_eq!(
        after,
        "{ lib, stdenv, fetchurl, ncurses }:\nstdenv.mkDerivation { }\n"
    );
    assert_eq!(
        edited(text, |d| assert!(d.remove_formal("stdenv").unwrap())),
        "{ lib, fetchurl }:\nstdenv.mkDerivation { }\n"
    );
    assert_eq!(
        edited(text, |d| assert!(d.remove_formal("fetchurl").unwrap())),
        "{ lib, stdenv }:\nstdenv.mkDerivation { }\n"
    );
    assert_eq!(
        edited(text, |d| assert!(!d.remove_formal("zlib").unwrap())),
        text
    );
}

#[test]
fn formals_with_ellipsis_and_empty() {
    assert_eq!(
        edited("{ lib, ... }: lib", |d| assert!(d
            .add_formal("zlib")
            .unwrap())),
        "{ lib, zlib, ... }: lib"
    );
    assert_eq!(
        edited("{ ... }: 1", |d| assert!(d.add_formal("zlib").unwrap())),
        "{ zlib, ... }: 1"
    );
    assert_eq!(
        edited("{ }: 1", |d| assert!(d.add_formal("zlib").unwrap())),
        "{ zlib }: 1"
    );
    let mut d = doc("x: x");
    assert!(matches!(
        d.add_formal("zlib"),
        Err(SyntaxError::NotAPackage(_))
    ));
}

#[test]
fn formals_one_per_line_trailing_commas() {
    let text = "{\n  lib,\n  stdenv, # the compiler\n  ...\n}:\nstdenv.mkDerivation { }\n";
    assert_eq!(
        edited(text, |d| assert!(d.add_formal("zlib").unwrap())),
        "{\n  lib,\n  stdenv, # the compiler\n  zlib,\n  ...\n}:\nstdenv.mkDerivation { }\n"
    );
    assert_eq!(
        edited(text, |d| assert!(d.remove_formal("stdenv").unwrap())),
        "{\n  lib,\n  ...\n}:\nstdenv.mkDerivation { }\n"
    );
    let no_trailing = "{\n  lib,\n  stdenv\n}:\nstdenv.mkDerivation { }\n";
    assert_eq!(
        edited(no_trailing, |d| assert!(d.add_formal("zlib").unwrap())),
        "{\n  lib,\n  stdenv,\n  zlib\n}:\nstdenv.mkDerivation { }\n"
    );
    assert_eq!(
        edited(no_trailing, |d| assert!(d.remove_formal("stdenv").unwrap())),
        "{\n  lib,\n}:\nstdenv.mkDerivation { }\n"
    );
}

#[test]
fn formals_one_per_line_leading_commas() {
    let text = "{ lib\n, stdenv\n, fetchurl\n}:\nstdenv.mkDerivation { }\n";
    assert_eq!(
        edited(text, |d| assert!(d.add_formal("zlib").unwrap())),
        "{ lib\n, stdenv\n, fetchurl\n, zlib\n}:\nstdenv.mkDerivation { }\n"
    );
    assert_eq!(
        edited(text, |d| assert!(d.remove_formal("stdenv").unwrap())),
        "{ lib\n, fetchurl\n}:\nstdenv.mkDerivation { }\n"
    );
    assert_eq!(
        edited(text, |d| assert!(d.remove_formal("fetchurl").unwrap())),
        "{ lib\n, stdenv\n}:\nstdenv.mkDerivation { }\n"
    );
}

#[test]
fn list_add_one_line() {
    let after = edited(FINAL_ATTRS, |d| {
        assert!(d.list_add("buildInputs", "zlib").unwrap());
        assert!(!d.list_add("buildInputs", "zlib").unwrap());
        assert!(!d.list_add("buildInputs", "ncurses").unwrap());
    });
    assert_eq!(
        after,
        FINAL_ATTRS.replace("[ ncurses ]", "[ ncurses zlib ]")
    );
}

#[test]
fn list_add_creates_the_attribute() {
    let after = edited(FINAL_ATTRS, |d| {
        assert!(d.list_add("nativeBuildInputs", "pkg-config").unwrap());
        assert!(d.list_add("makeFlags", "\"PREFIX=$(out)\"").unwrap());
    });
    assert_eq!(
        after,
        FINAL_ATTRS.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  nativeBuildInputs = [ pkg-config ];\n  makeFlags = [ \"PREFIX=$(out)\" ];\n"
        )
    );
}

#[test]
fn list_add_strings_go_one_per_line() {
    let text = "{ stdenv }:\nstdenv.mkDerivation {\n  makeFlags = [ \"CC:=$(CC)\" ];\n}\n";
    let after = edited(text, |d| {
        assert!(d.list_add("makeFlags", "\"PREFIX=$(out)\"").unwrap());
        assert!(d.list_add("makeFlags", "\"prefix=$(out)\"").unwrap());
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  makeFlags = [\n    \"CC:=$(CC)\"\n    \"PREFIX=$(out)\"\n    \"prefix=$(out)\"\n  ];\n}\n"
    );
}

#[test]
fn list_add_long_lists_go_one_per_line() {
    let text = "{ stdenv }:\nstdenv.mkDerivation {\n  buildInputs = [ aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbb cccccccccccccccccccc dddddddddddddddddd ];\n}\n";
    let after = edited(text, |d| {
        assert!(d.list_add("buildInputs", "eeeeeeee").unwrap())
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  buildInputs = [\n    aaaaaaaaaaaaaaaa\n    bbbbbbbbbbbbbbbbbbbb\n    cccccccccccccccccccc\n    dddddddddddddddddd\n    eeeeeeee\n  ];\n}\n"
    );
}

#[test]
fn list_add_multi_line_keeps_comments() {
    let text = "{ stdenv }:\nstdenv.mkDerivation {\n  configureFlags = [\n    # keep\n    \"--a\"\n    \"--b\" # why\n  ];\n}\n";
    let after = edited(text, |d| {
        assert!(d.list_add("configureFlags", "\"--c\"").unwrap())
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  configureFlags = [\n    # keep\n    \"--a\"\n    \"--b\" # why\n    \"--c\"\n  ];\n}\n"
    );
    let after = edited(text, |d| {
        assert!(d.list_remove("configureFlags", "\"--b\"").unwrap())
    });
    assert_eq!(
        after,
        "{ stdenv }:\nstdenv.mkDerivation {\n  configureFlags = [\n    # keep\n    \"--a\"\n  ];\n}\n"
    );
}

#[test]
fn with_lists() {
    let text = r#"{ lib, python3Packages }:
python3Packages.buildPythonApplication {
  pname = "x";
  build-system = with python3Packages; [ setuptools ];
  meta.license = with lib.licenses; [ asl20 mit ];
}
"#;
    let d = doc(text);
    assert_eq!(d.list_items("meta.license"), ["asl20", "mit"]);
    assert_eq!(d.list_items("build-system"), ["setuptools"]);
    let after = edited(text, |d| {
        assert!(!d
            .list_add("build-system", "python3Packages.setuptools")
            .unwrap());
        assert!(d.list_add("build-system", "python3Packages.wheel").unwrap());
        assert!(d.list_add("meta.license", "bsd3").unwrap());
        assert!(d.list_remove("meta.license", "lib.licenses.asl20").unwrap());
    });
    assert_eq!(
        after,
        text.replace("[ setuptools ]", "[ setuptools wheel ]")
            .replace("[ asl20 mit ]", "[ mit bsd3 ]")
    );
}

#[test]
fn list_remove_one_line_and_last_item() {
    let text = "{ stdenv, a, b }:\nstdenv.mkDerivation {\n  buildInputs = [ a b ];\n  nativeBuildInputs = [ b ];\n}\n";
    let after = edited(text, |d| {
        assert!(d.list_remove("buildInputs", "a").unwrap());
        assert!(d.list_remove("nativeBuildInputs", "b").unwrap());
        assert!(!d.list_remove("nativeBuildInputs", "b").unwrap());
        assert!(!d.list_remove("checkInputs", "b").unwrap());
    });
    assert_eq!(
        after,
        "{ stdenv, a, b }:\nstdenv.mkDerivation {\n  buildInputs = [ b ];\n  nativeBuildInputs = [ ];\n}\n"
    );
    assert_eq!(
        edited(text, |d| assert!(d
            .list_remove("buildInputs", "b")
            .unwrap())),
        text.replace("[ a b ]", "[ a ]")
    );
    assert_eq!(
        edited(text, |d| d.set("buildInputs.1", "c").unwrap()),
        text.replace("[ a b ]", "[ a c ]")
    );
    assert_eq!(
        edited(text, |d| assert!(d
            .list_add("nativeBuildInputs", "a")
            .unwrap())),
        text.replace("[ b ];\n}", "[ b a ];\n}")
    );
}

#[test]
fn concatenated_lists() {
    let text = "{ lib, stdenv, a, b }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  buildInputs = [ a ] ++ lib.optionals stdenv.isLinux [ b ];\n}\n";
    let d = doc(text);
    assert_eq!(d.list_items("buildInputs"), ["a", "b"]);
    assert_eq!(
        edited(text, |d| assert!(d.list_add("buildInputs", "c").unwrap())),
        text.replace("[ a ]", "[ a c ]")
    );
    let mut d = doc(text);
    assert!(matches!(
        d.list_add("pname", "x"),
        Err(SyntaxError::Path(_))
    ));
}

#[test]
fn add_input_declares_the_formal() {
    let after = edited(FINAL_ATTRS, |d| {
        assert!(d.add_input("buildInputs", "zlib").unwrap());
        assert!(d.add_input("nativeBuildInputs", "pkg-config").unwrap());
        assert!(!d.add_input("buildInputs", "ncurses").unwrap());
    });
    assert_eq!(
        after,
        FINAL_ATTRS
            .replace(
                "{ lib, stdenv, fetchurl, ncurses }:",
                "{ lib, stdenv, fetchurl, ncurses, zlib, pkg-config }:"
            )
            .replace("[ ncurses ]", "[ ncurses zlib ]")
            .replace(
                "  strictDeps = true;\n",
                "  strictDeps = true;\n  nativeBuildInputs = [ pkg-config ];\n"
            )
    );
    let text = "{ lib, python3Packages }:\npython3Packages.buildPythonApplication {\n  pname = \"x\";\n}\n";
    let after = edited(text, |d| {
        assert!(d
            .add_input("dependencies", "python3Packages.click")
            .unwrap());
        assert!(d.add_input("nativeBuildInputs", "ncurses.dev").unwrap());
    });
    assert_eq!(
        after,
        "{ lib, python3Packages, ncurses }:\npython3Packages.buildPythonApplication {\n  pname = \"x\";\n  dependencies = [ python3Packages.click ];\n  nativeBuildInputs = [ ncurses.dev ];\n}\n"
    );
}

#[test]
fn hash_sites_everywhere() {
    let text = r#"{ lib, stdenv, fetchurl, fetchpatch }:
stdenv.mkDerivation (finalAttrs: {
  pname = "x";
  src = fetchurl {
    url = "https://example.invalid/x.tgz";
    sha256 = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";
  };
  patches = [
    ./local.patch
    (fetchpatch {
      url = "https://example.invalid/fix.patch";
      hash = "";
    })
  ];
  vendorHash = null;
  passthru.hash = "sha256-${finalAttrs.pname}";
})
"#;
    let d = doc(text);
    assert_eq!(
        d.hashes(),
        [
            HashSite {
                path: "src.sha256".to_string(),
                value: "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=".to_string()
            },
            HashSite {
                path: "patches.1.hash".to_string(),
                value: String::new()
            },
        ]
    );
    assert_eq!(d.get_string("patches.1.hash").as_deref(), Some(""));
    assert_eq!(d.get("patches.0").as_deref(), Some("./local.patch"));
    let after = edited(text, |d| {
        d.set_hash(
            "patches.1.hash",
            "sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=",
        )
        .unwrap();
        d.set_hash("vendorHash", FAKE_HASH).unwrap();
    });
    assert_eq!(
        after,
        text.replace(
            "hash = \"\";",
            "hash = \"sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=\";"
        )
        .replace(
            "vendorHash = null;",
            &format!("vendorHash = \"{FAKE_HASH}\";")
        )
    );
}

#[test]
fn set_hash_inserts_when_missing() {
    let text = "{ stdenv, fetchurl }:\nstdenv.mkDerivation {\n  src = fetchurl {\n    url = \"https://example.invalid/x.tgz\";\n  };\n}\n";
    assert_eq!(
        edited(text, |d| d.set_hash("src.hash", FAKE_HASH).unwrap()),
        format!("{{ stdenv, fetchurl }}:\nstdenv.mkDerivation {{\n  src = fetchurl {{\n    url = \"https://example.invalid/x.tgz\";\n    hash = \"{FAKE_HASH}\";\n  }};\n}}\n")
    );
}

#[test]
fn nix_strings_are_escaped() {
    assert_eq!(nix_string("a\"b\\c${d}$e\n"), "\"a\\\"b\\\\c\\${d}$e\\n\"");
    let text = format!(
        "{{ stdenv }}:\nstdenv.mkDerivation {{\n  x = {};\n}}\n",
        nix_string("a\"b${c}")
    );
    assert_eq!(doc(&text).get_string("x").as_deref(), Some("a\"b${c}"));
}

#[test]
fn list_strings_and_uses() {
    let text = r#"{ lib, stdenv, zlib, ncurses }:
stdenv.mkDerivation {
  pname = "x";
  makeFlags = [ "PREFIX=$(out)" "CC=${stdenv.cc}/bin/cc" lib.foo ];
  buildInputs = [ zlib ];
  passthru = { inherit zlib; zlib = 1; };
  meta.zlib = zlib.meta;
}
"#;
    let d = doc(text);
    assert_eq!(d.list_strings("makeFlags"), ["PREFIX=$(out)"]);
    assert_eq!(d.list_strings("buildInputs"), Vec::<String>::new());
    assert_eq!(
        d.list_string_items("makeFlags"),
        [
            StringItem {
                source: "\"PREFIX=$(out)\"".to_string(),
                content: "PREFIX=$(out)".to_string()
            },
            StringItem {
                source: "\"CC=${stdenv.cc}/bin/cc\"".to_string(),
                content: "CC=${stdenv.cc}/bin/cc".to_string()
            },
        ]
    );
    assert_eq!(d.uses("zlib"), 3);
    assert_eq!(d.uses("ncurses"), 0);
    assert_eq!(d.uses("stdenv"), 2);
    assert_eq!(d.uses("foo"), 0);
}

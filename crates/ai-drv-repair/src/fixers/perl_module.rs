//! Missing Perl module: a Perl script run during the build (`perl -cw`, a generator, a test) or
//! an installed Perl program cannot load a module (`Can't locate Regexp/Common.pm in @INC`).
//!
//! The module becomes its nixpkgs attribute, `perlPackages.<Name>`: the module's name without
//! the `::` (`Regexp::Common` → `RegexpCommon`), except for the well-known modules that ship in a
//! distribution named otherwise (`LWP::UserAgent` → `LWP`, `Date::Parse` → `TimeDate`). It goes
//! to `buildInputs`, where perl's setup hook puts it on `PERL5LIB` for the build, with `perl` in
//! `nativeBuildInputs` to run the scripts.
//!
//! `PERL5LIB` exists only during the build, so installed programs would not find the module when
//! run: the package also gets `makeWrapper` and a `postFixup` that wraps every program in
//! `$out/bin` whose `#!` line names perl with the build's `PERL5LIB`, and `perl` in `buildInputs`
//! (the wrapped scripts run it; with `strictDeps` patchShebangs looks for interpreters there).
//! The wrapper is left out when the unpacked source is known and has no Perl script, and when the
//! package has a `postFixup` of its own; a `postFixup` this fixer wrote carries [`MARKER`].

use std::io::Read;
use std::path::Path;

use ai_drv_syntax::Document;
use walkdir::WalkDir;

use super::has_item;
use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct PerlModule;

/// The comment that marks a `postFixup` written by this fixer.
pub const MARKER: &str = "# ai-drv: wrap Perl programs";

/// The wrapping loop (shell, as if at column 0). Programs only: the wrappers' hidden originals
/// (`.cloc-wrapped`) are dot files the glob leaves out.
const WRAP: &str = r#"for f in "$out"/bin/*; do
  [ -f "$f" ] && [ -x "$f" ] || continue
  case "$(head -n 1 "$f")" in
    '#!'*perl*) wrapProgram "$f" --prefix PERL5LIB : "$PERL5LIB" ;;
  esac
done"#;

/// Modules whose nixpkgs attribute is not their name without `::`: the distribution they ship in
/// is named otherwise. A key stands for itself and for the modules below it (`LWP` for
/// `LWP::UserAgent`).
const DISTRIBUTIONS: [(&str, &str); 27] = [
    ("LWP", "LWP"),
    ("HTTP::Request", "HTTPMessage"),
    ("HTTP::Response", "HTTPMessage"),
    ("HTTP::Headers", "HTTPMessage"),
    ("HTTP::Status", "HTTPMessage"),
    ("HTTP::Message", "HTTPMessage"),
    ("HTML::Entities", "HTMLParser"),
    ("HTML::Parser", "HTMLParser"),
    ("HTML::HeadParser", "HTMLParser"),
    ("HTML::TreeBuilder", "HTMLTree"),
    ("HTML::Element", "HTMLTree"),
    ("Date::Parse", "TimeDate"),
    ("Date::Format", "TimeDate"),
    ("Mail::Internet", "MailTools"),
    ("Mail::Header", "MailTools"),
    ("Mail::Address", "MailTools"),
    ("YAML::XS", "YAMLLibYAML"),
    ("URI", "URI"),
    ("Template", "TemplateToolkit"),
    ("Moo", "Moo"),
    ("Moose", "Moose"),
    ("Digest::HMAC_SHA1", "DigestHMAC"),
    ("Digest::HMAC_MD5", "DigestHMAC"),
    ("Regexp::Common", "RegexpCommon"),
    ("XML::LibXML", "XMLLibXML"),
    ("DBD::SQLite", "DBDSQLite"),
    ("Net::HTTPS", "NetHTTP"),
];

/// The `perlPackages` attribute for a module (`Regexp::Common` → `RegexpCommon`), or `None` for
/// what is not a module name.
fn attribute(module: &str) -> Option<String> {
    let parts: Vec<&str> = module.split("::").collect();
    let valid = parts.iter().all(|p| {
        let mut chars = p.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if !valid {
        return None;
    }
    for (key, attr) in DISTRIBUTIONS {
        let below = module
            .strip_prefix(key)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"));
        if below {
            return Some(attr.to_string());
        }
    }
    Some(parts.concat())
}

/// Whether a file starts with a `#!` line that names perl.
fn is_perl_script(path: &Path) -> bool {
    let mut head = [0u8; 128];
    let Ok(mut file) = fs_err::File::open(path) else {
        return false;
    };
    let Ok(n) = file.read(&mut head) else {
        return false;
    };
    let first = head[..n].split(|b| *b == b'\n').next().unwrap_or_default();
    first.starts_with(b"#!") && first.windows(4).any(|w| w == b"perl")
}

/// Whether the unpacked source has a Perl script near its top (one that could be installed).
fn has_perl_scripts(tree: &Path) -> bool {
    WalkDir::new(tree)
        .max_depth(3)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .any(|e| e.file_type().is_file() && is_perl_script(e.path()))
}

/// Adds `attr` to `list` unless it is there, saying so in `done`.
fn add(document: &mut Document, list: &str, attr: &str, done: &mut Vec<String>) {
    if !has_item(document, list, attr) && matches!(document.add_input(list, attr), Ok(true)) {
        done.push(format!("add {attr} to {list}"));
    }
}

/// The whole `postFixup` value (Nix text at column 0).
fn post_fixup() -> String {
    let body: Vec<String> = WRAP.lines().map(|l| format!("  {l}")).collect();
    format!(
        "''\n  {MARKER} (their modules are on PERL5LIB only during the build)\n{}\n''",
        body.join("\n")
    )
}

impl Fixer for PerlModule {
    fn name(&self) -> &'static str {
        "perl-module"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let mut document = doc.clone();
        let mut done: Vec<String> = Vec::new();
        let mut any = false;
        for module in cx.problems.iter().filter_map(|p| match p {
            Problem::MissingPerlModule { module } => Some(module),
            _ => None,
        }) {
            let Some(name) = attribute(module) else {
                continue;
            };
            any = true;
            let attr = format!("perlPackages.{name}");
            if !has_item(&document, "buildInputs", &attr)
                && matches!(document.add_input("buildInputs", &attr), Ok(true))
            {
                done.push(format!(
                    "add {attr} to buildInputs (provides the Perl module {module})"
                ));
            }
        }
        if !any {
            return None;
        }
        add(&mut document, "nativeBuildInputs", "perl", &mut done);

        let wrap = cx.tree.is_none_or(has_perl_scripts);
        let own = doc
            .get_string("postFixup")
            .is_some_and(|p| p.contains(MARKER));
        if wrap && (own || document.get("postFixup").is_none()) {
            add(&mut document, "nativeBuildInputs", "makeWrapper", &mut done);
            add(&mut document, "buildInputs", "perl", &mut done);
            if !own && document.set("postFixup", &post_fixup()).is_ok() {
                done.push("wrap the installed Perl programs with PERL5LIB in postFixup".into());
            }
        }
        (document != *doc).then(|| Fix {
            fixer: self.name(),
            summary: done.join("; "),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::index;

    /// The draft `ai-drv new` writes for cloc.
    const CLOC: &str = r#"{ lib, stdenv, fetchurl, perl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cloc";
  version = "1.96";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cloc/cloc_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-Vg4R7Mc8B5KKu5VqNV2FZEgfygySl10kNXNV6wu44W8=";
  };
  postUnpack = "sourceRoot=$sourceRoot/Unix";

  nativeBuildInputs = [ perl ];
  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "prefix=$(out)"
    "CC:=$(CC)"
  ];

  meta = {
    description = "Count physical lines of source code in the given files";
    license = lib.licenses.gpl2Plus;
    platforms = lib.platforms.unix;
  };
})
"#;

    /// The `postFixup` the fixer writes, as it appears in the file.
    const POST_FIXUP: &str = r#"  postFixup = ''
    # ai-drv: wrap Perl programs (their modules are on PERL5LIB only during the build)
    for f in "$out"/bin/*; do
      [ -f "$f" ] && [ -x "$f" ] || continue
      case "$(head -n 1 "$f")" in
        '#!'*perl*) wrapProgram "$f" --prefix PERL5LIB : "$PERL5LIB" ;;
      esac
    done
  '';
"#;

    fn run(text: &str, modules: &[&str], tree: Option<&Path>) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let problems: Vec<Problem> = modules
            .iter()
            .map(|m| Problem::MissingPerlModule {
                module: m.to_string(),
            })
            .collect();
        let cx = Context {
            diagnoses: &[],
            problems: &problems,
            index: &index,
            tree,
        };
        PerlModule.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn names_become_attributes() {
        assert_eq!(attribute("Regexp::Common").as_deref(), Some("RegexpCommon"));
        assert_eq!(
            attribute("Algorithm::Diff").as_deref(),
            Some("AlgorithmDiff")
        );
        assert_eq!(
            attribute("Parallel::ForkManager").as_deref(),
            Some("ParallelForkManager")
        );
        assert_eq!(attribute("JSON").as_deref(), Some("JSON"));
        assert_eq!(attribute("Text::CSV_XS").as_deref(), Some("TextCSV_XS"));
        assert_eq!(attribute("LWP::UserAgent").as_deref(), Some("LWP"));
        assert_eq!(attribute("Date::Parse").as_deref(), Some("TimeDate"));
        assert_eq!(attribute("Moo::Role").as_deref(), Some("Moo"));
        // A key is a whole name: `Moose` is not below `Moo`, `URIx` not below `URI`.
        assert_eq!(attribute("Moose::Role").as_deref(), Some("Moose"));
        assert_eq!(attribute("URIx::Foo").as_deref(), Some("URIxFoo"));
        assert_eq!(
            attribute("Regexp::Common::comment").as_deref(),
            Some("RegexpCommon")
        );
        assert_eq!(attribute("Foo::"), None);
        assert_eq!(attribute("./config.pl"), None);
        assert_eq!(attribute(""), None);
    }

    #[test]
    fn module_perl_and_wrapper_for_the_cloc_draft() {
        let fix = run(CLOC, &["Regexp::Common"], None).unwrap();
        let expected = CLOC
            .replace(
                "{ lib, stdenv, fetchurl, perl }:",
                "{ lib, stdenv, fetchurl, perl, perlPackages, makeWrapper }:",
            )
            .replace(
                "  nativeBuildInputs = [ perl ];\n",
                "  nativeBuildInputs = [ perl makeWrapper ];\n",
            )
            .replace(
                "  ];\n\n  meta",
                &format!(
                    "  ];\n  buildInputs = [ perlPackages.RegexpCommon perl ];\n{POST_FIXUP}\n  meta"
                ),
            );
        assert_eq!(fix.document.text(), expected);
        assert_eq!(
            fix.summary,
            "add perlPackages.RegexpCommon to buildInputs (provides the Perl module Regexp::Common); add makeWrapper to nativeBuildInputs; add perl to buildInputs; wrap the installed Perl programs with PERL5LIB in postFixup"
        );
        // The shell text survives the Nix string unchanged.
        assert_eq!(
            fix.document.get_string("postFixup").unwrap(),
            format!("{MARKER} (their modules are on PERL5LIB only during the build)\n{WRAP}\n")
        );

        // The next module: one more input, the wrapper is already there.
        let next = run(fix.document.text(), &["Algorithm::Diff"], None).unwrap();
        assert_eq!(
            next.document.text(),
            expected.replace(
                "[ perlPackages.RegexpCommon perl ]",
                "[ perlPackages.RegexpCommon perl perlPackages.AlgorithmDiff ]"
            )
        );
        assert_eq!(
            next.summary,
            "add perlPackages.AlgorithmDiff to buildInputs (provides the Perl module Algorithm::Diff)"
        );
        // Everything there: nothing to do.
        assert_eq!(run(next.document.text(), &["Algorithm::Diff"], None), None);
    }

    #[test]
    fn perl_added_when_missing_and_no_wrapper_without_perl_scripts() {
        let c = "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n}\n";
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("gen.c"), "int main(void) { return 0; }\n").unwrap();
        fs_err::write(tree.path().join("README"), "Run it as\n#!/usr/bin/perl\n").unwrap();
        let fix = run(c, &["JSON"], Some(tree.path())).unwrap();
        assert_eq!(
            fix.document.text(),
            "{ stdenv, perlPackages, perl }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  buildInputs = [ perlPackages.JSON ];\n  nativeBuildInputs = [ perl ];\n}\n"
        );
        assert_eq!(
            fix.summary,
            "add perlPackages.JSON to buildInputs (provides the Perl module JSON); add perl to nativeBuildInputs"
        );

        // A Perl script in the tree: wrapped.
        fs_err::create_dir(tree.path().join("scripts")).unwrap();
        fs_err::write(
            tree.path().join("scripts/tool"),
            "#!/usr/bin/env perl\nuse JSON;\n",
        )
        .unwrap();
        let fix = run(c, &["JSON"], Some(tree.path())).unwrap();
        assert_eq!(
            fix.document.text(),
            format!("{{ stdenv, perlPackages, perl, makeWrapper }}:\nstdenv.mkDerivation {{\n  pname = \"x\";\n  buildInputs = [ perlPackages.JSON perl ];\n  nativeBuildInputs = [ perl makeWrapper ];\n{POST_FIXUP}}}\n")
        );
    }

    #[test]
    fn someone_elses_post_fixup_stays() {
        let theirs = CLOC.replace(
            "  dontConfigure = true;\n",
            "  dontConfigure = true;\n  postFixup = \"wrapProgram $out/bin/cloc --set A b\";\n",
        );
        let fix = run(&theirs, &["Regexp::Common"], None).unwrap();
        assert_eq!(
            fix.document.text(),
            theirs
                .replace(
                    "{ lib, stdenv, fetchurl, perl }:",
                    "{ lib, stdenv, fetchurl, perl, perlPackages }:"
                )
                .replace(
                    "  ];\n\n  meta",
                    "  ];\n  buildInputs = [ perlPackages.RegexpCommon ];\n\n  meta"
                )
        );
        // Other problems, or names that are no modules: nothing.
        assert_eq!(run(CLOC, &[], None), None);
        assert_eq!(run(CLOC, &["./x.pl"], None), None);
    }
}

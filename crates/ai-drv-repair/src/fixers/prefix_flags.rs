//! Install outside the prefix: `make install` wrote to `/usr/local/…`, `/usr/…` or `/etc/…`,
//! which the sandbox does not allow. The Makefile must be told where `$out` is.
//!
//! Makefiles spell the install prefix differently, so the alternatives are listed most likely
//! first: `PREFIX=$(out)`; then `prefix=$(out)` as well; then `DESTDIR=$(out)` with `PREFIX=/`
//! for Makefiles that only honour `DESTDIR`. Each try adds to the last, so the engine walks down
//! the list by taking the first new candidate. Files for `/etc` and `/var` get autotools'
//! `sysconfdir`/`localstatedir` at install time instead (nixpkgs' idiom). CMake and Meson builds
//! install below their configured prefix: these flags would not help them.

use ai_drv_syntax::{nix_string, Document};

use super::has_item;
use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct PrefixFlags;

/// A Make variable assignment for `makeFlags` / `installFlags`.
fn flag(doc: &Document, list: &str, name: &str) -> bool {
    doc.list_string_items(list)
        .iter()
        .any(|item| item.content.starts_with(&format!("{name}=")))
}

fn add(doc: &mut Document, list: &str, value: &str) -> bool {
    matches!(doc.list_add(list, &nix_string(value)), Ok(true))
}

/// `doc` with every `NAME=` item of `list` removed.
fn without(doc: &Document, list: &str, names: &[&str]) -> Document {
    let mut out = doc.clone();
    for item in doc.list_string_items(list) {
        if names
            .iter()
            .any(|n| item.content.starts_with(&format!("{n}=")))
        {
            let _ = out.list_remove(list, &item.source);
        }
    }
    out
}

impl PrefixFlags {
    fn fix_with(&self, document: Document, summary: String) -> Fix {
        Fix {
            fixer: self.name(),
            summary,
            document,
        }
    }
}

impl Fixer for PrefixFlags {
    fn name(&self) -> &'static str {
        "prefix-flags"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        self.fixes(doc, cx).into_iter().next()
    }

    fn fixes(&self, doc: &Document, cx: &Context) -> Vec<Fix> {
        let paths: Vec<&str> = cx
            .problems
            .iter()
            .filter_map(|p| match p {
                Problem::InstallOutsidePrefix { path } => Some(path.as_str()),
                _ => None,
            })
            .collect();
        let Some(first) = paths.first() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let under = |root: &str| {
            paths
                .iter()
                .any(|p| *p == root || p.starts_with(&format!("{root}/")))
        };
        for (root, variable, value) in [
            ("/etc", "sysconfdir", "$(out)/etc"),
            ("/var", "localstatedir", "$(out)/var"),
        ] {
            if under(root) && !flag(doc, "installFlags", variable) {
                let mut document = doc.clone();
                if add(
                    &mut document,
                    "installFlags",
                    &format!("{variable}={value}"),
                ) {
                    out.push(self.fix_with(
                        document,
                        format!("add {variable}={value} to installFlags (make install wrote to {first})"),
                    ));
                }
            }
        }
        let system = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/share"]
            .iter()
            .any(|root| under(root));
        let configured = ["cmake", "meson"]
            .iter()
            .any(|tool| has_item(doc, "nativeBuildInputs", tool));
        if !system || configured {
            return out;
        }
        let because = format!("make install wrote to {first}");
        let has_upper = flag(doc, "makeFlags", "PREFIX");
        if !has_upper {
            let mut document = doc.clone();
            if add(&mut document, "makeFlags", "PREFIX=$(out)") {
                out.push(self.fix_with(
                    document,
                    format!("add PREFIX=$(out) to makeFlags ({because})"),
                ));
            }
        }
        if !flag(doc, "makeFlags", "prefix") {
            let mut document = doc.clone();
            let upper = has_upper || add(&mut document, "makeFlags", "PREFIX=$(out)");
            if upper && add(&mut document, "makeFlags", "prefix=$(out)") {
                out.push(self.fix_with(
                    document,
                    format!("add PREFIX=$(out) and prefix=$(out) to makeFlags ({because})"),
                ));
            }
        }
        if !flag(doc, "makeFlags", "DESTDIR") {
            let mut document = without(doc, "makeFlags", &["PREFIX", "prefix"]);
            if add(&mut document, "makeFlags", "DESTDIR=$(out)")
                && add(&mut document, "makeFlags", "PREFIX=/")
            {
                out.push(self.fix_with(
                    document,
                    format!("install with DESTDIR=$(out) and PREFIX=/ in makeFlags ({because})"),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn run(text: &str, paths: &[&str]) -> Vec<Fix> {
        let index = index(&[], &[], &[], &[]);
        let problems: Vec<Problem> = paths
            .iter()
            .map(|p| Problem::InstallOutsidePrefix {
                path: p.to_string(),
            })
            .collect();
        let cx = Context {
            diagnoses: &[],
            problems: &problems,
            index: &index,
            tree: None,
        };
        PrefixFlags.fixes(&Document::parse(text).unwrap(), &cx)
    }

    fn with_make_flags(flags: &str) -> String {
        HELLO.replace(
            "  strictDeps = true;\n",
            &format!("  strictDeps = true;\n  makeFlags = {flags};\n"),
        )
    }

    #[test]
    fn alternatives_most_likely_first() {
        let fixes = run(HELLO, &["/usr/local/bin/x"]);
        let texts: Vec<&str> = fixes.iter().map(|f| f.document.text()).collect();
        assert_eq!(
            texts,
            [
                with_make_flags("[ \"PREFIX=$(out)\" ]"),
                with_make_flags("[\n    \"PREFIX=$(out)\"\n    \"prefix=$(out)\"\n  ]"),
                with_make_flags("[\n    \"DESTDIR=$(out)\"\n    \"PREFIX=/\"\n  ]"),
            ]
        );
        let summaries: Vec<&str> = fixes.iter().map(|f| f.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "add PREFIX=$(out) to makeFlags (make install wrote to /usr/local/bin/x)",
                "add PREFIX=$(out) and prefix=$(out) to makeFlags (make install wrote to /usr/local/bin/x)",
                "install with DESTDIR=$(out) and PREFIX=/ in makeFlags (make install wrote to /usr/local/bin/x)",
            ]
        );
    }

    #[test]
    fn walks_down_the_list() {
        let tried = with_make_flags("[ \"PREFIX=$(out)\" ]");
        let fixes = run(&tried, &["/usr/bin/x"]);
        let texts: Vec<&str> = fixes.iter().map(|f| f.document.text()).collect();
        assert_eq!(
            texts,
            [
                with_make_flags("[\n    \"PREFIX=$(out)\"\n    \"prefix=$(out)\"\n  ]"),
                with_make_flags("[\n    \"DESTDIR=$(out)\"\n    \"PREFIX=/\"\n  ]"),
            ]
        );
        // Interpolated spellings count too.
        let tried = with_make_flags(
            "[\n    \"PREFIX=${placeholder \"out\"}\"\n    \"prefix=$(out)\"\n    \"DESTDIR=$(out)\"\n  ]",
        );
        assert_eq!(run(&tried, &["/usr/bin/x"]), []);
    }

    #[test]
    fn etc_goes_to_sysconfdir() {
        let fixes = run(HELLO, &["/etc/x.conf"]);
        assert_eq!(fixes.len(), 1);
        assert_eq!(
            fixes[0].document.text(),
            HELLO.replace(
                "  strictDeps = true;\n",
                "  strictDeps = true;\n  installFlags = [ \"sysconfdir=$(out)/etc\" ];\n"
            )
        );
        assert_eq!(
            fixes[0].summary,
            "add sysconfdir=$(out)/etc to installFlags (make install wrote to /etc/x.conf)"
        );
    }

    #[test]
    fn not_for_cmake_or_other_paths() {
        let cmake = HELLO.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  nativeBuildInputs = [ cmake ];\n",
        );
        assert_eq!(run(&cmake, &["/usr/local/bin/x"]), []);
        assert_eq!(run(HELLO, &["/home/x"]), []);
        assert_eq!(run(HELLO, &[]), []);
    }
}

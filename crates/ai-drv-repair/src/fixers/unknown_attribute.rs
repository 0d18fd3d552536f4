//! Unknown attribute: an input that the package set does not have (a hallucinated attribute).
//!
//! `undefined variable 'foo'` or `called without required argument 'foo'` for a name that is an
//! item of an input list means the list names a package that does not exist: the item goes, and so
//! does the formal when nothing else uses it. `attribute 'foo' missing` removes a `set.foo` item
//! (`python3Packages.foo`). A name that is no input is left to other fixers (or the model).

use ai_drv_syntax::Document;

use super::INPUT_LISTS;
use crate::{Context, Diagnosis, Fix, Fixer};

pub(crate) struct UnknownAttribute;

/// The items of `list` that stand for the missing `name`.
fn items_naming(doc: &Document, list: &str, name: &str, selected: bool) -> Vec<String> {
    doc.list_items(list)
        .into_iter()
        .filter(|item| {
            if selected {
                // `python3Packages.foo`: the missing attribute is the last name.
                item.contains('.') && item.rsplit('.').next() == Some(name)
            } else {
                // `foo`, or `foo.dev`: the variable is the first name.
                item.split('.').next() == Some(name)
            }
        })
        .collect()
}

impl Fixer for UnknownAttribute {
    fn name(&self) -> &'static str {
        "unknown-attribute"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        for diagnosis in cx.diagnoses {
            let (name, selected) = match diagnosis {
                Diagnosis::UndefinedVariable { name, .. }
                | Diagnosis::MissingArgument { name, .. } => (name, false),
                Diagnosis::MissingAttribute { name, .. } => (name, true),
                _ => continue,
            };
            let mut document = doc.clone();
            let mut lists = Vec::new();
            for list in INPUT_LISTS {
                let items = items_naming(&document, list, name, selected);
                for item in &items {
                    if matches!(document.list_remove(list, item), Ok(true))
                        && !lists.contains(&list)
                    {
                        lists.push(list);
                    }
                }
            }
            if lists.is_empty() {
                continue;
            }
            let mut summary = format!(
                "remove `{name}`, which the package set does not have, from {}",
                lists.join(" and ")
            );
            if !selected
                && document.uses(name) == 0
                && matches!(document.remove_formal(name), Ok(true))
            {
                summary.push_str(" and the formals");
            }
            return Some(Fix {
                fixer: self.name(),
                summary,
                document,
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::index;

    const BEFORE: &str = r#"{ lib, stdenv, fetchurl, pkg-config, ncurses, libfoo }:

stdenv.mkDerivation {
  pname = "x";
  nativeBuildInputs = [ pkg-config ];
  buildInputs = [
    ncurses
    libfoo
    libfoo.dev
  ];
}
"#;

    fn run(text: &str, diagnosis: Diagnosis) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let diagnoses = [diagnosis];
        let cx = Context {
            diagnoses: &diagnoses,
            problems: &[],
            index: &index,
            tree: None,
        };
        UnknownAttribute.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn missing_argument_removes_item_and_formal() {
        let fix = run(
            BEFORE,
            Diagnosis::MissingArgument {
                name: "libfoo".to_string(),
                location: None,
            },
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            r#"{ lib, stdenv, fetchurl, pkg-config, ncurses }:

stdenv.mkDerivation {
  pname = "x";
  nativeBuildInputs = [ pkg-config ];
  buildInputs = [
    ncurses
  ];
}
"#
        );
        assert_eq!(
            fix.summary,
            "remove `libfoo`, which the package set does not have, from buildInputs and the formals"
        );
    }

    #[test]
    fn undefined_variable_without_formal() {
        let before = "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  nativeBuildInputs = [ cmake ];\n  buildInputs = [ cmake ];\n}\n";
        let fix = run(
            before,
            Diagnosis::UndefinedVariable {
                name: "cmake".to_string(),
                location: None,
            },
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  nativeBuildInputs = [ ];\n  buildInputs = [ ];\n}\n"
        );
        assert_eq!(
            fix.summary,
            "remove `cmake`, which the package set does not have, from nativeBuildInputs and buildInputs"
        );
    }

    #[test]
    fn formal_still_used_elsewhere_stays() {
        let before = "{ stdenv, foo }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  buildInputs = [ foo ];\n  FOO = \"${foo}/share\";\n}\n";
        let fix = run(
            before,
            Diagnosis::MissingArgument {
                name: "foo".to_string(),
                location: None,
            },
        )
        .unwrap();
        assert_eq!(fix.document.text(), before.replace("[ foo ]", "[ ]"));
    }

    #[test]
    fn missing_attribute_of_a_package_set() {
        let before = "{ python3Packages }:\npython3Packages.buildPythonApplication {\n  pname = \"x\";\n  dependencies = [ python3Packages.click python3Packages.nosuch ];\n}\n";
        let fix = run(
            before,
            Diagnosis::MissingAttribute {
                name: "nosuch".to_string(),
                location: None,
            },
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            before.replace(" python3Packages.nosuch", "")
        );
    }

    #[test]
    fn a_name_that_is_no_input() {
        assert_eq!(
            run(
                BEFORE,
                Diagnosis::UndefinedVariable {
                    name: "finalAttrs".to_string(),
                    location: None,
                },
            ),
            None
        );
    }
}

//! Tools offered to models that support tool calls: attribute lookups in the resolver index
//! (header, library, pkg-config module or command → attribute), "does attribute X exist?" in the
//! package set, and submitting the derivation. Models without tools get the same facts
//! pre-resolved in the prompt.

use ai_drv_hostpkgs::resolver::Index;
use ai_drv_llm::{ToolCall, ToolSpec};
use serde_json::json;

use crate::assist::reply::SUBMIT;

pub(crate) const FIND: &str = "find_attribute";
pub(crate) const EXISTS: &str = "attribute_exists";

pub(crate) fn specs() -> Vec<ToolSpec> {
    vec![
        ToolSpec {
            name: FIND.into(),
            description: "Find the package-set attribute that provides a header (as in #include <…>), a library (as in -lNAME), a pkg-config module, or a command.".into(),
            parameters: json!({
                "type": "object",
                "properties": {
                    "kind": { "type": "string", "enum": ["header", "library", "pkg-config", "command"] },
                    "name": { "type": "string", "description": "e.g. curses.h, ncursesw, libcurl, bison" }
                },
                "required": ["kind", "name"]
            }),
        },
        ToolSpec {
            name: EXISTS.into(),
            description: "Check whether an attribute exists in the package set (e.g. ncurses, python3Packages.requests).".into(),
            parameters: json!({
                "type": "object",
                "properties": { "name": { "type": "string" } },
                "required": ["name"]
            }),
        },
        ToolSpec {
            name: SUBMIT.into(),
            description: "Submit the complete derivation (a callPackage function) to be built.".into(),
            parameters: json!({
                "type": "object",
                "properties": { "nix": { "type": "string", "description": "the whole derivation file" } },
                "required": ["nix"]
            }),
        },
    ]
}

/// The answer to one lookup call. `exists` asks the package set (None when it cannot tell).
pub(crate) fn answer(
    call: &ToolCall,
    index: &Index,
    exists: &dyn Fn(&str) -> Option<bool>,
) -> String {
    let arg = |name: &str| {
        call.arguments
            .get(name)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .unwrap_or("")
    };
    match call.name.as_str() {
        FIND => {
            let (kind, name) = (arg("kind"), arg("name"));
            if name.is_empty() {
                return "error: give `name`".into();
            }
            let found = match kind {
                "header" => index.header(name.trim_start_matches('<').trim_end_matches('>')),
                "library" => index.library(
                    name.trim_start_matches("-l")
                        .trim_start_matches("lib")
                        .trim_end_matches(".so"),
                ),
                "pkg-config" => index.pkgconfig(name),
                "command" => index.command(name),
                other => {
                    return format!(
                        "error: unknown kind '{other}'; use header, library, pkg-config or command"
                    )
                }
            };
            match found {
                Some(attr) => format!("{kind} {name} is provided by the attribute `{attr}`"),
                None => format!("no attribute in this package set provides the {kind} {name}"),
            }
        }
        EXISTS => {
            let name = arg("name");
            if name.is_empty() {
                return "error: give `name`".into();
            }
            match exists(name) {
                Some(true) => format!("`{name}` exists"),
                Some(false) => format!("`{name}` does not exist in this package set"),
                None => format!("cannot tell whether `{name}` exists"),
            }
        }
        other => format!("error: there is no tool named '{other}'"),
    }
}

/// Whether `name` is a plain attribute path (`a.b-c.d_2`), safe to put into a Nix expression.
pub(crate) fn is_attr_path(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.split('.').all(|part| {
            let mut chars = part.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn index() -> Index {
        let map = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Index::from_maps(
            map(&[("libcurl", "curl")]),
            map(&[("curses.h", "ncurses")]),
            map(&[("ncursesw", "ncurses")]),
            map(&[("bison", "bison")]),
        )
    }

    fn call(name: &str, args: serde_json::Value) -> ToolCall {
        ToolCall {
            id: "1".into(),
            name: name.into(),
            arguments: args,
        }
    }

    #[test]
    fn lookups_answer_from_the_index() {
        let none = |_: &str| None;
        let i = index();
        assert_eq!(
            answer(
                &call(FIND, json!({"kind": "header", "name": "<curses.h>"})),
                &i,
                &none
            ),
            "header <curses.h> is provided by the attribute `ncurses`"
        );
        assert_eq!(
            answer(
                &call(FIND, json!({"kind": "library", "name": "-lncursesw"})),
                &i,
                &none
            ),
            "library -lncursesw is provided by the attribute `ncurses`"
        );
        assert!(answer(
            &call(FIND, json!({"kind": "command", "name": "yacc"})),
            &i,
            &none
        )
        .starts_with("no attribute"));
        assert!(
            answer(&call(FIND, json!({"kind": "rpm", "name": "x"})), &i, &none)
                .starts_with("error: unknown kind")
        );
        let exists = |n: &str| Some(n == "ncurses");
        assert_eq!(
            answer(&call(EXISTS, json!({"name": "ncurses"})), &i, &exists),
            "`ncurses` exists"
        );
        assert!(
            answer(&call(EXISTS, json!({"name": "ncursesw"})), &i, &exists)
                .contains("does not exist")
        );
    }

    #[test]
    fn only_plain_attribute_paths_reach_nix() {
        assert!(is_attr_path("python3Packages.requests"));
        assert!(is_attr_path("gtk3-x11"));
        assert!(!is_attr_path("a; builtins.exec"));
        assert!(!is_attr_path("x.\"y\""));
        assert!(!is_attr_path(""));
    }
}

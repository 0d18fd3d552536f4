//! `-Werror`: the project turns warnings into errors, and this compiler warns about something the
//! authors' did not. The package keeps building with `-Wno-error=<flag>` when the log names the
//! warning, `-Wno-error` otherwise, added to `env.NIX_CFLAGS_COMPILE` (or to a top-level
//! `NIX_CFLAGS_COMPILE` the package already sets, the older spelling).

use ai_drv_syntax::{nix_string, Document};

use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct Werror;

/// The warning's name from what the log said (`format-security`, `-Werror=format-security`).
fn warning(flag: &str) -> &str {
    let flag = flag.trim();
    flag.strip_prefix("-Werror=")
        .or_else(|| flag.strip_prefix("-W"))
        .unwrap_or(flag)
}

impl Fixer for Werror {
    fn name(&self) -> &'static str {
        "werror"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let flags: Vec<Option<&str>> = cx
            .problems
            .iter()
            .filter_map(|p| match p {
                Problem::Werror { flag } => Some(flag.as_deref().map(warning)),
                _ => None,
            })
            .collect();
        if flags.is_empty() {
            return None;
        }
        let path = if doc.get("NIX_CFLAGS_COMPILE").is_some() {
            "NIX_CFLAGS_COMPILE"
        } else {
            "env.NIX_CFLAGS_COMPILE"
        };
        let current = match doc.get(path) {
            Some(_) => doc.get_string(path)?,
            None => String::new(),
        };
        let mut words: Vec<String> = current.split_whitespace().map(str::to_string).collect();
        if words.iter().any(|w| w == "-Wno-error") {
            return None;
        }
        let mut added = Vec::new();
        for flag in flags {
            let specific = flag
                .filter(|f| !f.is_empty())
                .map(|f| format!("-Wno-error={f}"));
            let new = match specific {
                // A warning already allowed fails again: allow them all.
                Some(s) if words.contains(&s) => "-Wno-error".to_string(),
                Some(s) => s,
                None => "-Wno-error".to_string(),
            };
            if !words.contains(&new) {
                words.push(new.clone());
                added.push(new);
            }
        }
        if added.is_empty() {
            return None;
        }
        let mut document = doc.clone();
        document.set(path, &nix_string(&words.join(" "))).ok()?;
        Some(Fix {
            fixer: self.name(),
            summary: format!(
                "add {} to {path} (warnings are errors in this build)",
                added.join(" ")
            ),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn run(text: &str, flags: &[Option<&str>]) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let problems: Vec<Problem> = flags
            .iter()
            .map(|f| Problem::Werror {
                flag: f.map(str::to_string),
            })
            .collect();
        let cx = Context {
            diagnoses: &[],
            problems: &problems,
            index: &index,
            tree: None,
        };
        Werror.fix(&Document::parse(text).unwrap(), &cx)
    }

    fn with_env(value: &str) -> String {
        HELLO.replace(
            "  strictDeps = true;\n",
            &format!(
                "  strictDeps = true;\n  env = {{\n    NIX_CFLAGS_COMPILE = \"{value}\";\n  }};\n"
            ),
        )
    }

    #[test]
    fn named_warning() {
        let fix = run(HELLO, &[Some("format-security")]).unwrap();
        assert_eq!(fix.document.text(), with_env("-Wno-error=format-security"));
        assert_eq!(
            fix.summary,
            "add -Wno-error=format-security to env.NIX_CFLAGS_COMPILE (warnings are errors in this build)"
        );
    }

    #[test]
    fn unnamed_and_repeated_warnings() {
        let fix = run(HELLO, &[None]).unwrap();
        assert_eq!(fix.document.text(), with_env("-Wno-error"));
        let before = with_env("-O2 -Wno-error=format-security");
        let fix = run(
            &before,
            &[Some("-Werror=format-security"), Some("unused-result")],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            with_env("-O2 -Wno-error=format-security -Wno-error -Wno-error=unused-result")
        );
        assert_eq!(run(&with_env("-Wno-error"), &[Some("x")]), None);
    }

    #[test]
    fn top_level_spelling_and_nothing_to_do() {
        let before = HELLO.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  NIX_CFLAGS_COMPILE = \"-O1\";\n",
        );
        let fix = run(&before, &[Some("array-bounds")]).unwrap();
        assert_eq!(
            fix.document.text(),
            before.replace("\"-O1\"", "\"-O1 -Wno-error=array-bounds\"")
        );
        assert_eq!(run(HELLO, &[]), None);
        // A value that is not a plain string is left alone.
        let computed = HELLO.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  env.NIX_CFLAGS_COMPILE = toString [ \"-O1\" ];\n",
        );
        assert_eq!(run(&computed, &[None]), None);
    }
}

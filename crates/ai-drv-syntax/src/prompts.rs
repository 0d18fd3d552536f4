//! Finding the prompts of `mkAIDerivation` calls in a Nix file, for `ai-drv lock`.
//!
//! A prompt is found on the syntax tree, never by searching the text: an application whose
//! function is the identifier `mkAIDerivation` or a selection ending in `.mkAIDerivation`
//! (`ai.mkAIDerivation`, `pkgs.mkAIDerivation`), applied to a string literal or to an attribute
//! set with `prompt = <string literal>`. Strings are decoded as Nix decodes them (escapes, the
//! indentation of `''…''`). A call whose prompt cannot be known without evaluating — a string
//! with `${…}`, a variable, `inherit prompt` — is reported as [`UnlockablePrompt`] so the caller
//! can say why it was skipped; a `mkAIDerivation` that is only mentioned (passed to `map`, bound,
//! inherited) is not a call and is ignored.

use rnix::ast::{self, Expr, HasEntry};
use rowan::ast::AstNode;
use serde::Serialize;

use crate::{nav, Document, SyntaxError};

/// The name of the library function whose calls carry prompts.
const FUNCTION: &str = "mkAIDerivation";

/// A prompt given literally to a `mkAIDerivation` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundPrompt {
    /// The string's value as Nix sees it (escapes decoded, `''` indentation stripped); not
    /// normalised.
    pub prompt: String,
    /// 1-based line of the prompt string.
    pub line: usize,
}

/// A `mkAIDerivation` call whose prompt cannot be read without evaluating the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnlockablePrompt {
    /// 1-based line of the argument (the string, or the call's argument when there is no string).
    pub line: usize,
    /// Why, as a phrase that follows "cannot lock …": `a prompt with ${…}`.
    pub reason: String,
}

/// Every `mkAIDerivation` call of a file, in the order they appear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PromptScan {
    pub found: Vec<FoundPrompt>,
    pub unlockable: Vec<UnlockablePrompt>,
}

/// The literal prompts of the `mkAIDerivation` calls in `text`, in source order. Calls whose
/// prompt is not a literal are left out; [`scan_prompts`] reports them too.
pub fn find_prompts(text: &str) -> Result<Vec<FoundPrompt>, SyntaxError> {
    Ok(scan_prompts(text)?.found)
}

/// Every `mkAIDerivation` call in `text`: the literal prompts and the calls that cannot be
/// locked, each in source order. A file that does not parse is an error (its line and column).
pub fn scan_prompts(text: &str) -> Result<PromptScan, SyntaxError> {
    let document = Document::parse(text)?;
    let root = document.root();
    let mut scan = PromptScan::default();
    for apply in root.descendants().filter_map(ast::Apply::cast) {
        if !apply.lambda().is_some_and(|f| is_mk_ai_derivation(&f)) {
            continue;
        }
        let Some(argument) = apply.argument() else {
            continue;
        };
        match prompt_of(&argument) {
            Ok(string) => match literal(&string) {
                Some(prompt) => scan.found.push(FoundPrompt {
                    prompt,
                    line: line_of(text, string.syntax()),
                }),
                None => scan.unlockable.push(UnlockablePrompt {
                    line: line_of(text, string.syntax()),
                    reason: "a prompt with ${…}".to_string(),
                }),
            },
            Err((node, reason)) => scan.unlockable.push(UnlockablePrompt {
                line: line_of(text, &node),
                reason,
            }),
        }
    }
    Ok(scan)
}

/// Whether a function expression names `mkAIDerivation`: the identifier itself, or a selection
/// whose last attribute is it, possibly in parentheses.
fn is_mk_ai_derivation(function: &Expr) -> bool {
    match function {
        Expr::Ident(ident) => ident.syntax().text() == FUNCTION,
        Expr::Select(select) => {
            // `a.mkAIDerivation or fallback` selects something else when the attribute is
            // missing, but when it is there it is the library function; treat it as a call.
            select
                .attrpath()
                .and_then(|path| path.attrs().last())
                .and_then(|attr| nav::attr_name(&attr))
                .is_some_and(|name| name == FUNCTION)
        }
        Expr::Paren(paren) => paren.expr().is_some_and(|e| is_mk_ai_derivation(&e)),
        _ => false,
    }
}

/// The string that holds the prompt of a call's argument, or the node to blame and why there
/// is none.
fn prompt_of(argument: &Expr) -> Result<ast::Str, (rnix::SyntaxNode, String)> {
    match argument {
        Expr::Str(s) => Ok(s.clone()),
        Expr::Paren(paren) => match paren.expr() {
            Some(inner) => prompt_of(&inner),
            None => Err((paren.syntax().clone(), not_literal())),
        },
        Expr::AttrSet(set) => {
            for entry in set.attrpath_values() {
                if nav::entry_keys(&entry).as_deref() != Some(&["prompt".to_string()][..]) {
                    continue;
                }
                return match entry.value() {
                    Some(Expr::Str(s)) => Ok(s),
                    Some(Expr::Paren(p)) => prompt_of(&Expr::Paren(p)),
                    Some(other) => Err((other.syntax().clone(), not_literal())),
                    None => Err((entry.syntax().clone(), not_literal())),
                };
            }
            // `inherit prompt;` and `inherit (x) prompt;` name a value elsewhere.
            let inherited = set.inherits().any(|inherit| {
                inherit
                    .attrs()
                    .any(|attr| nav::attr_name(&attr).as_deref() == Some("prompt"))
            });
            let reason = if inherited {
                "an inherited prompt (write `prompt = \"…\";`)".to_string()
            } else {
                "a call without `prompt = \"…\";`".to_string()
            };
            Err((set.syntax().clone(), reason))
        }
        other => Err((other.syntax().clone(), not_literal())),
    }
}

fn not_literal() -> String {
    "a prompt that is not a string literal".to_string()
}

/// The value of a string literal without interpolation, decoded as Nix does.
fn literal(s: &ast::Str) -> Option<String> {
    nav::plain_string(s)
}

fn line_of(text: &str, node: &rnix::SyntaxNode) -> usize {
    let offset = usize::from(node.text_range().start());
    let (line, _) = crate::line_column(text, offset);
    line as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, usize)> {
        find_prompts(text)
            .unwrap()
            .into_iter()
            .map(|p| (p.prompt, p.line))
            .collect()
    }

    fn p(prompt: &str, line: usize) -> (String, usize) {
        (prompt.to_string(), line)
    }

    #[test]
    fn plain_string_argument() {
        assert_eq!(
            found(r#"mkAIDerivation "Generate a derivation for building `sl`""#),
            vec![p("Generate a derivation for building `sl`", 1)]
        );
    }

    #[test]
    fn selections_and_parentheses() {
        let text = r#"{ ai, pkgs }:
[
  (ai.mkAIDerivation "one")
  (pkgs.mkAIDerivation "two")
  (pkgs.lib.ai."mkAIDerivation" "three")
  ((ai.mkAIDerivation) ("four"))
  (x.notMkAIDerivation "not this")
  (mkAIDerivationX "nor this")
]
"#;
        assert_eq!(
            found(text),
            vec![p("one", 3), p("two", 4), p("three", 5), p("four", 6)]
        );
    }

    #[test]
    fn attribute_set_argument() {
        let text = r#"let ai = import ./nix { }; in
ai.mkAIDerivation {
  pname = "sl";
  version = "5.02";
  prompt =
    "Generate a derivation for building sl";
  meta.description = "Steam locomotive";
}
"#;
        assert_eq!(
            found(text),
            vec![p("Generate a derivation for building sl", 6)]
        );
    }

    #[test]
    fn nested_in_let_with_lists_and_call_package() {
        let text = r#"
# mkAIDerivation "in a comment is not a call"
{ pkgs ? import <nixpkgs> { } }:
let
  ai = pkgs.callPackage ./nix/lib { };
  /* mkAIDerivation "nor in a block comment" */
  hello = ai.mkAIDerivation "hello";
in
with ai; {
  inherit hello;
  tools = [ (mkAIDerivation "tool one") (mkAIDerivation { prompt = "tool two"; }) ];
  wrapped = pkgs.callPackage (mkAIDerivation "wrapped") { };
  text = "mkAIDerivation \"in a string is not a call\"";
  deep = let x = { y = [ (ai.mkAIDerivation ''deep'') ]; }; in x;
}
"#;
        assert_eq!(
            found(text),
            vec![
                p("hello", 7),
                p("tool one", 11),
                p("tool two", 11),
                p("wrapped", 12),
                p("deep", 14),
            ]
        );
    }

    // Expected values were taken from `nix-instantiate --eval` (Nix 2.8) on the same strings.
    #[test]
    fn indented_strings_are_stripped_like_nix() {
        let text = "mkAIDerivation ''\n    Generate a derivation\n      for building sl,\n    with its man page.\n  ''\n";
        assert_eq!(
            found(text),
            vec![p(
                "Generate a derivation\n  for building sl,\nwith its man page.\n",
                1
            )]
        );
        // Lines of only spaces do not count towards the indentation; the first line break
        // after the opening quotes is dropped.
        let text = "mkAIDerivation ''\n\n      a\n\n    b\n    ''";
        assert_eq!(found(text), vec![p("\n  a\n\nb\n", 1)]);
        // Text on the first line counts as unindented.
        let text = "mkAIDerivation ''first\n    second''";
        assert_eq!(found(text), vec![p("first\n    second", 1)]);
    }

    #[test]
    fn escapes_are_decoded_like_nix() {
        assert_eq!(
            found(r#"mkAIDerivation "tab\there \"quoted\" back\\slash \${not} $${x} \n end""#),
            vec![p("tab\there \"quoted\" back\\slash ${not} $${x} \n end", 1)]
        );
        assert_eq!(
            found("mkAIDerivation ''a ''${not} b '''quotes''' c ''\\t d $${x}''"),
            vec![p("a ${not} b ''quotes'' c \t d $${x}", 1)]
        );
    }

    #[test]
    fn interpolation_is_reported_not_found() {
        let text = r#"let name = "sl"; in [
  (mkAIDerivation "build ${name}")
  (mkAIDerivation {
    prompt = ''
      build ${name}
    '';
  })
  (mkAIDerivation "fine")
]"#;
        let scan = scan_prompts(text).unwrap();
        assert_eq!(
            scan.found,
            vec![FoundPrompt {
                prompt: "fine".into(),
                line: 8
            }]
        );
        assert_eq!(
            scan.unlockable,
            vec![
                UnlockablePrompt {
                    line: 2,
                    reason: "a prompt with ${…}".into()
                },
                UnlockablePrompt {
                    line: 4,
                    reason: "a prompt with ${…}".into()
                },
            ]
        );
    }

    #[test]
    fn non_literal_prompts_are_reported() {
        let text = r#"{ prompt, args }: [
  (mkAIDerivation prompt)
  (mkAIDerivation { inherit prompt; })
  (mkAIDerivation { pname = "x"; })
  (mkAIDerivation { prompt = prompt + "!"; })
  (mkAIDerivation args)
]"#;
        let scan = scan_prompts(text).unwrap();
        assert_eq!(scan.found, vec![]);
        let lines: Vec<(usize, &str)> = scan
            .unlockable
            .iter()
            .map(|u| (u.line, u.reason.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (2, "a prompt that is not a string literal"),
                (3, "an inherited prompt (write `prompt = \"…\";`)"),
                (4, "a call without `prompt = \"…\";`"),
                (5, "a prompt that is not a string literal"),
                (6, "a prompt that is not a string literal"),
            ]
        );
    }

    #[test]
    fn mentioned_but_not_applied_is_ignored() {
        let text = r#"{ ai }:
let
  inherit (ai) mkAIDerivation;
  f = mkAIDerivation;
  g = ai.mkAIDerivation;
in
  map mkAIDerivation [ "a" "b" ] ++ [ { mkAIDerivation = "c"; } ]
"#;
        let scan = scan_prompts(text).unwrap();
        assert_eq!(scan, PromptScan::default());
    }

    #[test]
    fn curried_and_merged_calls() {
        let text = r#"[
  ((mkAIDerivation "curried") { extra = 1; })
  (mkAIDerivation "merged" // { meta.x = 1; })
  (mkAIDerivation "overridden").overrideAttrs (_: { })
]"#;
        assert_eq!(
            found(text),
            vec![p("curried", 2), p("merged", 3), p("overridden", 4)]
        );
    }

    #[test]
    fn parse_errors_are_errors() {
        let err = find_prompts("mkAIDerivation \"unterminated").unwrap_err();
        assert!(matches!(err, SyntaxError::Parse { line: 1, .. }), "{err:?}");
    }
}

//! Reading a model's reply: the derivation comes as a `submit_derivation` tool call or inside a
//! fenced code block (the common case for local models), with or without prose around it. It must
//! parse (rnix) and be a callPackage function. Hashes in it are not trusted: every hash the model
//! wrote is replaced by the fake hash unless it is exactly the one ai-drv computed for the same
//! fetcher call, so the build computes it.

use ai_drv_llm::Reply;
use ai_drv_syntax::{Document, SyntaxError, FAKE_HASH};

/// The name of the tool a model may answer through.
pub(crate) const SUBMIT: &str = "submit_derivation";

/// The derivation text a reply carries, or why there is none (to be fed back to the model).
pub(crate) fn extract(reply: &Reply) -> Result<String, String> {
    for call in &reply.tool_calls {
        if call.name == SUBMIT {
            return match call.arguments.get("nix").and_then(|v| v.as_str()) {
                Some(text) => Ok(text.to_string()),
                None => Err(format!(
                    "the {SUBMIT} call has no string argument `nix`; pass the whole derivation as `nix`"
                )),
            };
        }
    }
    let blocks = fenced_blocks(&reply.text);
    // A block marked nix first; among several, the longest (prose often quotes small snippets).
    let best = blocks
        .iter()
        .filter(|(lang, _)| lang == "nix")
        .max_by_key(|(_, body)| body.len())
        .or_else(|| {
            blocks
                .iter()
                .filter(|(lang, _)| lang.is_empty())
                .max_by_key(|(_, body)| body.len())
        });
    if let Some((_, body)) = best {
        return Ok(body.clone());
    }
    let trimmed = reply.text.trim();
    if trimmed.starts_with('{') && trimmed.contains("mkDerivation")
        || trimmed.starts_with('{') && trimmed.contains("buildRustPackage")
        || trimmed.starts_with('{') && trimmed.contains("buildPythonApplication")
    {
        return Ok(format!("{trimmed}\n"));
    }
    Err("the reply has no derivation: put the whole derivation in one ```nix fenced block".into())
}

/// Fenced code blocks as (language, body). A block left open runs to the end of the text
/// (replies cut off by the token limit).
fn fenced_blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                if let Some(rest) = trimmed.strip_prefix("```") {
                    let ticks = 3 + rest.chars().take_while(|c| *c == '`').count();
                    let lang = rest.trim_start_matches('`').trim().to_ascii_lowercase();
                    open = Some((lang, String::new(), ticks));
                }
            }
            Some((lang, body, ticks)) => {
                let closing = trimmed.trim_end();
                if closing.len() >= *ticks && closing.chars().all(|c| c == '`') {
                    out.push((std::mem::take(lang), std::mem::take(body)));
                    open = None;
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    if let Some((lang, body, _)) = open {
        out.push((lang, body));
    }
    out
}

/// Parses a candidate; the error is feedback for the model.
pub(crate) fn parse(text: &str) -> Result<Document, String> {
    let doc = Document::parse(text).map_err(|e| match e {
        SyntaxError::Parse {
            message,
            line,
            column,
        } => format!(
            "the derivation does not parse: line {line}, column {column}: {message}; reply with the whole corrected derivation"
        ),
        other => format!("the derivation does not parse: {other}"),
    })?;
    if doc.formals().is_empty() || doc.builder().is_none() {
        return Err("the reply is not a callPackage function: write `{ lib, stdenv, fetchurl, … }: stdenv.mkDerivation (finalAttrs: { … })`".into());
    }
    Ok(doc)
}

/// Replaces every hash of `doc` by the fake hash, except those equal to the hash at the same
/// site of `reference` (a text ai-drv made or already verified) with the same fetcher
/// arguments. Returns the new document and how many hashes were replaced.
pub(crate) fn distrust_hashes(reference: Option<&Document>, doc: &Document) -> (Document, usize) {
    let mut out = match reference {
        Some(reference) => ai_drv_repair::reset_hashes_for_changed_fetchers(reference, doc),
        None => doc.clone(),
    };
    let trusted: Vec<(String, String)> = reference
        .map(|r| r.hashes().into_iter().map(|s| (s.path, s.value)).collect())
        .unwrap_or_default();
    let mut replaced = 0;
    for site in out.clone().hashes() {
        if site.value == FAKE_HASH || site.value.is_empty() {
            continue;
        }
        let known = trusted
            .iter()
            .any(|(path, value)| *path == site.path && *value == site.value);
        if !known && out.set_hash(&site.path, FAKE_HASH).is_ok() {
            replaced += 1;
        }
    }
    let before = doc.hashes();
    let after = out.hashes();
    replaced = replaced.max(
        before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b.value != a.value)
            .count(),
    );
    (out, replaced)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_drv_llm::Scripted;

    const DRV: &str = r#"{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "sl";
  version = "5.02";
  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz";
    hash = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
  };
  buildInputs = [ ncurses ];
})
"#;

    #[test]
    fn takes_the_nix_block_out_of_prose() {
        let reply = Scripted::text(format!(
            "Sure! Here is `sl`:\n\n```nix\n{DRV}```\n\nIt uses `ncurses`, e.g. ```buildInputs```."
        ));
        assert_eq!(extract(&reply).unwrap(), DRV);
    }

    #[test]
    fn takes_an_unlabelled_block_and_an_unterminated_one() {
        let reply = Scripted::text(format!("```\n{DRV}```"));
        assert_eq!(extract(&reply).unwrap(), DRV);
        let reply = Scripted::text(format!("```nix\n{DRV}"));
        assert_eq!(extract(&reply).unwrap(), DRV);
    }

    #[test]
    fn takes_a_bare_function_and_a_tool_call() {
        let reply = Scripted::text(DRV);
        assert_eq!(extract(&reply).unwrap(), DRV);
        let reply = Scripted::tool_call(SUBMIT, serde_json::json!({ "nix": DRV }));
        assert_eq!(extract(&reply).unwrap(), DRV);
        let reply = Scripted::tool_call(SUBMIT, serde_json::json!({ "code": DRV }));
        assert!(extract(&reply).unwrap_err().contains("`nix`"));
    }

    #[test]
    fn prose_without_code_is_sent_back() {
        let reply = Scripted::text("You should use stdenv.mkDerivation with ncurses.");
        assert!(extract(&reply).unwrap_err().contains("```nix"));
    }

    #[test]
    fn parse_errors_say_where() {
        let broken = DRV.replace("buildInputs = [ ncurses ];", "buildInputs = [ ncurses ;");
        let err = parse(&broken).unwrap_err();
        assert!(
            err.starts_with("the derivation does not parse: line "),
            "{err}"
        );
        assert!(parse("{ a = 1; }").unwrap_err().contains("callPackage"));
        assert!(parse(DRV).is_ok());
    }

    #[test]
    fn model_hashes_are_replaced_unless_ai_drv_made_them() {
        let doc = parse(DRV).unwrap();
        let (out, n) = distrust_hashes(None, &doc);
        assert_eq!(n, 1);
        assert_eq!(out.hashes()[0].value, FAKE_HASH);
        // The same fetcher call with the hash ai-drv computed: kept.
        let (out, n) = distrust_hashes(Some(&doc), &doc);
        assert_eq!(n, 0);
        assert_eq!(out.text(), DRV);
        // A different URL with the old hash would silently reuse the old store path: replaced.
        let moved = parse(&DRV.replace("sl_5.02.orig", "sl_5.03.orig")).unwrap();
        let (out, n) = distrust_hashes(Some(&doc), &moved);
        assert_eq!(n, 1);
        assert_eq!(out.hashes()[0].value, FAKE_HASH);
        // A made-up hash at an unchanged fetcher: replaced.
        let made_up = parse(&DRV.replace("HlmWdX", "XXXXXX")).unwrap();
        let (out, _) = distrust_hashes(Some(&doc), &made_up);
        assert_eq!(out.hashes()[0].value, FAKE_HASH);
    }
}

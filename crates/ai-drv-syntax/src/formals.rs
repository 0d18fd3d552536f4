//! The function's formals: `{ lib, stdenv, fetchurl }:` at the top of a callPackage file.
//!
//! Three layouts occur in nixpkgs and all are kept: one line (`{ a, b }:`), one per line with
//! trailing commas (nixfmt's), and one per line with leading commas (the older style).

use rnix::ast;
use rnix::{SyntaxKind, SyntaxNode, SyntaxToken, TextRange};
use rowan::ast::AstNode;

use crate::layout::{line_end_after, line_indent, span_removal};
use crate::{Edit, SyntaxError};

/// The `{ … }` pattern of the file's function.
fn pattern(root: &SyntaxNode) -> Option<ast::Pattern> {
    let root = ast::Root::cast(root.clone())?;
    let ast::Expr::Lambda(lambda) = root.expr()? else {
        return None;
    };
    match lambda.param()? {
        ast::Param::Pattern(p) => Some(p),
        ast::Param::IdentParam(_) => None,
    }
}

fn entry_name(entry: &ast::PatEntry) -> Option<String> {
    entry.ident().map(|i| i.syntax().to_string())
}

/// The formals' names in order.
pub(crate) fn names(root: &SyntaxNode) -> Vec<String> {
    pattern(root)
        .map(|p| p.pat_entries().filter_map(|e| entry_name(&e)).collect())
        .unwrap_or_default()
}

fn is_trivia(t: &SyntaxToken) -> bool {
    matches!(
        t.kind(),
        SyntaxKind::TOKEN_WHITESPACE | SyntaxKind::TOKEN_COMMENT
    )
}

/// The next token that is not whitespace or a comment, and whether a line break lies between.
fn next_significant(token: &SyntaxToken) -> (Option<SyntaxToken>, bool) {
    let mut newline = false;
    let mut next = token.next_token();
    while let Some(t) = next {
        if !is_trivia(&t) {
            return (Some(t), newline);
        }
        newline |= t.text().contains('\n');
        next = t.next_token();
    }
    (None, newline)
}

/// The previous token that is not whitespace or a comment, and whether a line break lies between.
fn prev_significant(token: &SyntaxToken) -> (Option<SyntaxToken>, bool) {
    let mut newline = false;
    let mut prev = token.prev_token();
    while let Some(t) = prev {
        if !is_trivia(&t) {
            return (Some(t), newline);
        }
        newline |= t.text().contains('\n');
        prev = t.prev_token();
    }
    (None, newline)
}

fn is_comma(t: &Option<SyntaxToken>) -> bool {
    t.as_ref()
        .is_some_and(|t| t.kind() == SyntaxKind::TOKEN_COMMA)
}

fn not_a_function() -> SyntaxError {
    SyntaxError::NotAPackage("the file is not a function of an attribute set { … }:".to_string())
}

/// The edit adding `name` after the last formal (before `...`), or `None` if it is there.
pub(crate) fn add(root: &SyntaxNode, name: &str) -> Result<Option<Edit>, SyntaxError> {
    let pattern = pattern(root).ok_or_else(not_a_function)?;
    if names(root).iter().any(|n| n == name) {
        return Ok(None);
    }
    let syntax = pattern.syntax();
    let multiline = syntax.text().contains_char('\n');
    let Some(last) = pattern.pat_entries().last() else {
        return Ok(Some(add_to_empty(&pattern, name)?));
    };
    let (Some(first_token), Some(last_token)) =
        (last.syntax().first_token(), last.syntax().last_token())
    else {
        return Err(not_a_function());
    };
    let end = last.syntax().text_range().end();
    if !multiline {
        return Ok(Some(Edit::insert(end, format!(", {name}"))));
    }
    let indent = line_indent(&last.syntax().clone().into());
    let (next, newline_before_next) = next_significant(&last_token);
    if is_comma(&next) && !newline_before_next {
        // `  stdenv,` — one per line with trailing commas.
        let comma = next.ok_or_else(not_a_function)?;
        let (at, _) = line_end_after(comma);
        return Ok(Some(Edit::insert(at, format!("\n{indent}{name},"))));
    }
    let (prev, _) = prev_significant(&first_token);
    if let Some(comma) = prev.filter(|p| p.kind() == SyntaxKind::TOKEN_COMMA) {
        let (_, comma_starts_line) = prev_significant(&comma);
        if comma_starts_line {
            // `, stdenv` — one per line with leading commas.
            let comma_indent = line_indent(&comma.clone().into());
            let (at, _) = line_end_after(last_token);
            return Ok(Some(Edit::insert(at, format!("\n{comma_indent}, {name}"))));
        }
    }
    Ok(Some(Edit::insert(end, format!(",\n{indent}{name}"))))
}

fn add_to_empty(pattern: &ast::Pattern, name: &str) -> Result<Edit, SyntaxError> {
    if let Some(ellipsis) = pattern.ellipsis_token() {
        return Ok(Edit::insert(
            ellipsis.text_range().start(),
            format!("{name}, "),
        ));
    }
    let braces: Vec<SyntaxToken> = pattern
        .syntax()
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| {
            matches!(
                t.kind(),
                SyntaxKind::TOKEN_L_BRACE | SyntaxKind::TOKEN_R_BRACE
            )
        })
        .collect();
    match braces.as_slice() {
        [open, close] => Ok(Edit::replace(
            TextRange::new(open.text_range().end(), close.text_range().start()),
            format!(" {name} "),
        )),
        _ => Err(not_a_function()),
    }
}

/// The edit removing the formal `name` with its comma, or `None` if there is no such formal.
pub(crate) fn remove(root: &SyntaxNode, name: &str) -> Result<Option<Edit>, SyntaxError> {
    let pattern = pattern(root).ok_or_else(not_a_function)?;
    let Some(entry) = pattern
        .pat_entries()
        .find(|e| entry_name(e).as_deref() == Some(name))
    else {
        return Ok(None);
    };
    let (Some(first), Some(last)) = (entry.syntax().first_token(), entry.syntax().last_token())
    else {
        return Ok(None);
    };
    let (next, newline_before_next) = next_significant(&last);
    let (prev, newline_before_prev) = prev_significant(&first);
    let multiline = pattern.syntax().text().contains_char('\n');
    let range = match (next, prev) {
        (Some(comma), _) if comma.kind() == SyntaxKind::TOKEN_COMMA && !newline_before_next => {
            if multiline {
                span_removal(first, comma, false)
            } else {
                // `name, ` — up to the next formal.
                let end = comma
                    .next_token()
                    .filter(|t| t.kind() == SyntaxKind::TOKEN_WHITESPACE)
                    .map(|t| t.text_range().end())
                    .unwrap_or(comma.text_range().end());
                TextRange::new(first.text_range().start(), end)
            }
        }
        (_, Some(comma)) if comma.kind() == SyntaxKind::TOKEN_COMMA => {
            if multiline && newline_before_prev {
                // `lib,\n  name\n}`: the comma stays with the formal before.
                span_removal(first, last, false)
            } else if multiline {
                // `, name` on its own line.
                span_removal(comma, last, false)
            } else {
                TextRange::new(comma.text_range().start(), last.text_range().end())
            }
        }
        _ => span_removal(first, last, false),
    };
    Ok(Some(Edit::delete(range)))
}

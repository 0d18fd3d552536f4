//! Layout around nodes: indentation, line ends, whole-line removals and new bindings.
//!
//! Everything here works from the tokens next to a node (the whitespace and comment tokens the
//! parser keeps), so inserted text lines up with its neighbours in nixpkgs style (two-space
//! indentation, `name = value;`), and removals take their line with them instead of leaving
//! holes.

use rnix::ast;
use rnix::{SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};
use rowan::ast::AstNode;

use crate::{is_identifier, nav, nix_string, Edit, SyntaxError};

fn first_token(element: &SyntaxElement) -> Option<SyntaxToken> {
    match element {
        SyntaxElement::Node(n) => n.first_token(),
        SyntaxElement::Token(t) => Some(t.clone()),
    }
}

fn size(n: usize) -> TextSize {
    TextSize::try_from(n).unwrap_or(TextSize::from(u32::MAX))
}

/// The text between the start of the line holding `element` and `element`.
fn line_prefix(element: &SyntaxElement) -> String {
    let mut parts = Vec::new();
    let mut token = first_token(element).and_then(|t| t.prev_token());
    while let Some(t) = token {
        let text = t.text();
        if let Some(nl) = text.rfind('\n') {
            parts.push(text[nl + 1..].to_string());
            break;
        }
        parts.push(text.to_string());
        token = t.prev_token();
    }
    parts.reverse();
    parts.concat()
}

/// The indentation of the line holding `element`.
pub(crate) fn line_indent(element: &SyntaxElement) -> String {
    line_prefix(element)
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// The column (in characters, 0-based) at which `element` starts.
pub(crate) fn column(element: &SyntaxElement) -> usize {
    line_prefix(element).chars().count()
}

/// Indents every line of `text` but the first by `indent` (blank lines stay empty): `text` is
/// written as if at column 0 and is being placed at a line indented by `indent`.
pub(crate) fn reindent(text: &str, indent: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(indent);
            }
        }
        out.push_str(line);
    }
    out
}

fn is_newline_space(token: &SyntaxToken) -> bool {
    token.kind() == SyntaxKind::TOKEN_WHITESPACE && token.text().contains('\n')
}

fn newlines(token: &SyntaxToken) -> usize {
    token.text().matches('\n').count()
}

/// The end of `node`'s last line: after a comment that follows it on the same line, if any.
/// Returns that offset and the last token it covers.
pub(crate) fn line_end(node: &SyntaxNode) -> Option<(TextSize, SyntaxToken)> {
    Some(line_end_after(node.last_token()?))
}

/// [`line_end`] for a span ending with `last`.
pub(crate) fn line_end_after(mut last: SyntaxToken) -> (TextSize, SyntaxToken) {
    let mut next = last.next_token();
    while let Some(t) = next {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE if !t.text().contains('\n') => next = t.next_token(),
            SyntaxKind::TOKEN_COMMENT if !t.text().contains('\n') => {
                last = t;
                break;
            }
            _ => break,
        }
    }
    (last.text_range().end(), last)
}

/// Offset of the start of the line that `token` (a whitespace token ending in a line's
/// indentation) leads into; `None` when there is no token before (start of the file).
fn after_last_newline(token: &Option<SyntaxToken>) -> TextSize {
    match token {
        None => TextSize::from(0),
        Some(t) => {
            let nl = t.text().rfind('\n').map(|i| i + 1).unwrap_or(0);
            t.text_range().start() + size(nl)
        }
    }
}

/// Where the comment lines directly above `node` (no blank line between) begin, with the token
/// before them; `node` itself when there are none.
fn leading_comments(node: &SyntaxNode) -> Option<(SyntaxToken, Option<SyntaxToken>)> {
    Some(leading_comments_of(node.first_token()?))
}

fn leading_comments_of(mut first: SyntaxToken) -> (SyntaxToken, Option<SyntaxToken>) {
    loop {
        let Some(space) = first.prev_token() else {
            break;
        };
        if !(is_newline_space(&space) && newlines(&space) == 1) {
            break;
        }
        let Some(comment) = space.prev_token() else {
            break;
        };
        if comment.kind() != SyntaxKind::TOKEN_COMMENT {
            break;
        }
        let own_line = comment
            .prev_token()
            .is_none_or(|before| is_newline_space(&before));
        if !own_line {
            break;
        }
        first = comment;
    }
    let before = first.prev_token();
    (first, before)
}

fn is_closing(token: &Option<SyntaxToken>) -> bool {
    token.as_ref().is_some_and(|t| {
        matches!(
            t.kind(),
            SyntaxKind::TOKEN_R_BRACE | SyntaxKind::TOKEN_R_BRACK | SyntaxKind::TOKEN_R_PAREN
        )
    })
}

fn is_opening(token: &Option<SyntaxToken>) -> bool {
    token.as_ref().is_some_and(|t| {
        matches!(
            t.kind(),
            SyntaxKind::TOKEN_L_BRACE | SyntaxKind::TOKEN_L_BRACK | SyntaxKind::TOKEN_L_PAREN
        )
    })
}

/// The range to delete to remove `node`: its whole line(s) (with a same-line trailing comment,
/// and with the comment lines above when `with_comments` is set) when it has them to itself,
/// else the node with the space before it. Does not leave two blank lines in a row, nor a blank
/// line against a bracket.
pub(crate) fn removal_range(node: &SyntaxNode, with_comments: bool) -> TextRange {
    match (node.first_token(), node.last_token()) {
        (Some(first), Some(last)) => span_removal(first, last, with_comments),
        _ => node.text_range(),
    }
}

/// [`removal_range`] for the tokens from `first` to `last`.
pub(crate) fn span_removal(
    first: SyntaxToken,
    last: SyntaxToken,
    with_comments: bool,
) -> TextRange {
    let range = TextRange::new(first.text_range().start(), last.text_range().end());
    let (end, last) = line_end_after(last);
    let prev = first.prev_token();
    let next = last.next_token();
    let alone_before = prev.as_ref().is_none_or(is_newline_space);
    let alone_after = next.as_ref().is_none_or(is_newline_space);
    if !(alone_before && alone_after) {
        // Within a line: take the space before (or after, for a first item) with it.
        return match (&prev, &next) {
            (Some(p), _) if p.kind() == SyntaxKind::TOKEN_WHITESPACE => {
                TextRange::new(p.text_range().start(), end)
            }
            (_, Some(n)) if n.kind() == SyntaxKind::TOKEN_WHITESPACE => {
                TextRange::new(range.start(), n.text_range().end())
            }
            _ => TextRange::new(range.start(), end),
        };
    }
    let before = if with_comments {
        leading_comments_of(first.clone()).1
    } else {
        prev
    };
    let mut start = after_last_newline(&before);
    let mut stop = match &next {
        None => end,
        Some(n) => {
            let nl = n.text().find('\n').map(|i| i + 1).unwrap_or(0);
            n.text_range().start() + size(nl)
        }
    };
    let blank_above = before.as_ref().is_some_and(|b| newlines(b) >= 2);
    let blank_below = next.as_ref().is_some_and(|n| newlines(n) >= 2);
    let after_next = next.as_ref().and_then(|n| n.next_token());
    let before_before = before.as_ref().and_then(|b| b.prev_token());
    if let (Some(b), true) = (
        &before,
        blank_above && (blank_below || is_closing(&after_next)),
    ) {
        if blank_below {
            // Keep one of the two blank lines.
            if let Some(n) = &next {
                let nl = n.text().rfind('\n').map(|i| i + 1).unwrap_or(0);
                stop = n.text_range().start() + size(nl);
            }
        } else {
            // A blank line would be left against the closing bracket.
            let nl = b.text().find('\n').map(|i| i + 1).unwrap_or(0);
            start = b.text_range().start() + size(nl);
        }
    } else if blank_below && is_opening(&before_before) {
        if let Some(n) = &next {
            let nl = n.text().rfind('\n').map(|i| i + 1).unwrap_or(0);
            stop = n.text_range().start() + size(nl);
        }
    }
    TextRange::new(start, stop)
}

/// An attribute name as written in a binding.
fn attr_text(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        nix_string(name)
    }
}

/// `a = { b = { c = value; }; };` for `[a, b, c]` (written at column 0), or `a.b.c = value;`.
fn binding_text(rest: &[String], value: &str, dotted: bool) -> String {
    match rest {
        [] => value.to_string(),
        [name] => format!("{} = {value};", attr_text(name)),
        _ if dotted => {
            let path: Vec<String> = rest.iter().map(|n| attr_text(n)).collect();
            format!("{} = {value};", path.join("."))
        }
        [name, tail @ ..] => {
            let inner = binding_text(tail, value, false);
            format!(
                "{} = {{\n  {}\n}};",
                attr_text(name),
                reindent(&inner, "  ")
            )
        }
    }
}

/// The edit that adds a binding for `rest` with `value` to `container`: before `meta` in the
/// package attribute set, else after the last binding, at the bindings' indentation.
pub(crate) fn insert_entry(
    container: &ast::AttrSet,
    rest: &[String],
    dotted: bool,
    is_package: bool,
    value: &str,
) -> Result<Edit, SyntaxError> {
    let text = binding_text(rest, value, dotted);
    let set = container.syntax();
    let entries: Vec<SyntaxNode> = set
        .children()
        .filter(|n| ast::Entry::can_cast(n.kind()))
        .collect();
    let meta = if is_package {
        entries.iter().position(|e| {
            ast::AttrpathValue::cast(e.clone())
                .and_then(|apv| nav::entry_keys(&apv))
                .is_some_and(|keys| keys.first().map(String::as_str) == Some("meta"))
        })
    } else {
        None
    };
    let multiline = set
        .children_with_tokens()
        .filter_map(SyntaxElement::into_token)
        .any(|t| is_newline_space(&t) || t.kind() == SyntaxKind::TOKEN_COMMENT)
        || entries.is_empty();
    let unbalanced = || SyntaxError::Path("attribute set without braces".to_string());
    if !multiline {
        // `{ a = 1; }` stays on one line.
        return Ok(match meta {
            Some(i) => Edit::insert(entries[i].text_range().start(), format!("{text} ")),
            None => {
                let last = entries.last().ok_or_else(unbalanced)?;
                Edit::insert(last.text_range().end(), format!(" {text}"))
            }
        });
    }
    let anchor = match meta {
        Some(0) => None,
        Some(i) => Some(&entries[i - 1]),
        None => entries.last(),
    };
    if let Some(anchor) = anchor {
        let (end, _) = line_end(anchor).ok_or_else(unbalanced)?;
        let indent = line_indent(&anchor.clone().into());
        return Ok(Edit::insert(
            end,
            format!("\n{indent}{}", reindent(&text, &indent)),
        ));
    }
    if let Some(i) = meta {
        let (first, _) = leading_comments(&entries[i]).ok_or_else(unbalanced)?;
        let indent = line_indent(&first.clone().into());
        return Ok(Edit::insert(
            first.text_range().start(),
            format!("{}\n{indent}", reindent(&text, &indent)),
        ));
    }
    // No bindings yet: open the braces onto lines of their own.
    let open = container.l_curly_token().ok_or_else(unbalanced)?;
    let close = container.r_curly_token().ok_or_else(unbalanced)?;
    let base = line_indent(&open.clone().into());
    let indent = format!("{base}  ");
    Ok(Edit::replace(
        TextRange::new(open.text_range().end(), close.text_range().start()),
        format!("\n{indent}{}\n{base}", reindent(&text, &indent)),
    ))
}

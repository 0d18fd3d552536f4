//! List values: `[ a b ]`, `with x; [ a b ]`, `[ a ] ++ lib.optional c b`.
//!
//! Items are compared by their source text; in a `with x;` list, an item given as `x.name` is the
//! same as `name` there. New items follow the list's layout: one line while the list is short and
//! holds no more than one string (nixfmt's rule), one item per line otherwise.

use rnix::ast::{self, Expr};
use rnix::SyntaxKind;
use rowan::ast::AstNode;

use crate::layout::{column, line_end, line_indent, span_removal};
use crate::{Edit, SyntaxError};

/// The widest line a one-line list may make (nixfmt's default width).
const WIDTH: usize = 100;

/// The list literals of a value, and the namespace of a `with` around them.
fn lists(value: &Expr) -> (Vec<ast::List>, Option<String>) {
    let mut found = Vec::new();
    let mut namespace = None;
    collect(value, &mut found, &mut namespace);
    (found, namespace)
}

fn collect(value: &Expr, found: &mut Vec<ast::List>, namespace: &mut Option<String>) {
    match value {
        Expr::List(list) => found.push(list.clone()),
        Expr::Paren(p) => {
            if let Some(inner) = p.expr() {
                collect(&inner, found, namespace);
            }
        }
        Expr::With(w) => {
            if namespace.is_none() {
                *namespace = w.namespace().map(|n| n.syntax().to_string());
            }
            if let Some(body) = w.body() {
                collect(&body, found, namespace);
            }
        }
        // `lib.optionals cond [ … ]`
        Expr::Apply(a) => {
            if let Some(argument) = a.argument() {
                collect(&argument, found, namespace);
            }
        }
        Expr::BinOp(op) if op.operator() == Some(ast::BinOpKind::Concat) => {
            for side in [op.lhs(), op.rhs()].into_iter().flatten() {
                collect(&side, found, namespace);
            }
        }
        _ => {}
    }
}

/// The items of every list literal in `value`.
pub(crate) fn items(value: &Expr) -> Vec<Expr> {
    lists(value).0.iter().flat_map(|l| l.items()).collect()
}

/// `item` as it is written in a list under `with namespace;`.
fn local_name<'a>(item: &'a str, namespace: Option<&str>) -> &'a str {
    namespace
        .and_then(|ns| item.strip_prefix(ns))
        .and_then(|rest| rest.strip_prefix('.'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(item)
}

fn find(value: &Expr, item: &str) -> Option<(ast::List, Expr)> {
    let (lists, namespace) = lists(value);
    let wanted = local_name(item, namespace.as_deref());
    lists.into_iter().find_map(|list| {
        list.items()
            .find(|i| i.syntax().to_string() == wanted)
            .map(|i| (list.clone(), i))
    })
}

/// The edit appending `item` to the first list literal in `value`, or `None` if it is there.
pub(crate) fn add(value: &Expr, item: &str) -> Result<Option<Edit>, SyntaxError> {
    if find(value, item).is_some() {
        return Ok(None);
    }
    let (lists, namespace) = lists(value);
    let item = local_name(item, namespace.as_deref());
    let Some(list) = lists.first() else {
        return Err(SyntaxError::Path(format!(
            "`{}` is not a list",
            value.syntax()
        )));
    };
    let existing: Vec<Expr> = list.items().collect();
    let Some(last) = existing.last() else {
        return Ok(Some(Edit::replace(
            list.syntax().text_range(),
            format!("[ {item} ]"),
        )));
    };
    let list_syntax = list.syntax();
    let one_line = !list_syntax.text().contains_char('\n');
    if !one_line {
        let indent = line_indent(&last.syntax().clone().into());
        let (at, _) = line_end(last.syntax())
            .ok_or_else(|| SyntaxError::Path("empty list item".to_string()))?;
        return Ok(Some(Edit::insert(at, format!("\n{indent}{item}"))));
    }
    let strings = existing
        .iter()
        .filter(|e| matches!(e, Expr::Str(_)))
        .count()
        + usize::from(item.starts_with('"') || item.starts_with("''"));
    let width = column(&list_syntax.clone().into())
        + usize::from(list_syntax.text().len())
        + 1
        + item.len()
        + 1;
    let has_comments = list_syntax
        .descendants_with_tokens()
        .any(|e| e.kind() == SyntaxKind::TOKEN_COMMENT);
    // The new list has at least two items: nixfmt keeps it on one line only without strings.
    if has_comments || (width <= WIDTH && strings == 0) {
        return Ok(Some(Edit::insert(
            last.syntax().text_range().end(),
            format!(" {item}"),
        )));
    }
    // Too long, or several items with a string among them: one item per line.
    let base = line_indent(&list_syntax.clone().into());
    let mut text = String::from("[\n");
    for existing in existing.iter().map(|e| e.syntax().to_string()) {
        text.push_str(&format!("{base}  {existing}\n"));
    }
    text.push_str(&format!("{base}  {item}\n{base}]"));
    Ok(Some(Edit::replace(list_syntax.text_range(), text)))
}

/// The edit removing `item` from the lists in `value`, or `None` if it is not there.
pub(crate) fn remove(value: &Expr, item: &str) -> Option<Edit> {
    let (list, found) = find(value, item)?;
    if list.items().count() == 1 {
        return Some(Edit::replace(list.syntax().text_range(), "[ ]"));
    }
    let syntax = found.syntax();
    let range = match (syntax.first_token(), syntax.last_token()) {
        (Some(first), Some(last)) => span_removal(first, last, false),
        _ => syntax.text_range(),
    };
    Some(Edit::delete(range))
}

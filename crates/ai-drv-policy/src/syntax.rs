//! Small reads on the rnix syntax tree that every check needs: spans, names of identifiers and
//! attributes, the head and arguments of a curried call, the keys an attribute set defines.

use std::collections::BTreeSet;

use rnix::{SyntaxKind, SyntaxNode};

use crate::strings;

/// The byte span of a node.
pub(crate) fn node_range(node: &SyntaxNode) -> (usize, usize) {
    let range = node.text_range();
    (usize::from(range.start()), usize::from(range.end()))
}

/// The node inside any number of parentheses.
pub(crate) fn unparen(node: &SyntaxNode) -> SyntaxNode {
    let mut node = node.clone();
    while node.kind() == SyntaxKind::NODE_PAREN {
        match node.children().next() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The name of a `NODE_IDENT`.
pub(crate) fn ident(node: &SyntaxNode) -> Option<String> {
    (node.kind() == SyntaxKind::NODE_IDENT).then(|| node.text().to_string())
}

/// The name one attribute-path segment spells: `exec`, `"exec"`, `${"exec"}`.
pub(crate) fn segment_name(node: &SyntaxNode) -> Option<String> {
    match node.kind() {
        SyntaxKind::NODE_IDENT => ident(node),
        SyntaxKind::NODE_STRING => strings::constant(node),
        SyntaxKind::NODE_DYNAMIC => node
            .children()
            .next()
            .and_then(|inner| strings::constant(&unparen(&inner))),
        _ => None,
    }
}

/// The segments of a `NODE_ATTRPATH` (`None` for a segment whose name is computed).
pub(crate) fn attrpath_names(attrpath: &SyntaxNode) -> Vec<Option<String>> {
    attrpath
        .children()
        .map(|segment| segment_name(&segment))
        .collect()
}

/// The attribute path and value of a `NODE_ATTRPATH_VALUE`.
pub(crate) fn entry(node: &SyntaxNode) -> Option<(Vec<Option<String>>, SyntaxNode)> {
    let mut children = node.children();
    let attrpath = children.next()?;
    if attrpath.kind() != SyntaxKind::NODE_ATTRPATH {
        return None;
    }
    let value = children.next()?;
    Some((attrpath_names(&attrpath), value))
}

/// The function and arguments of a curried call, `f a b` → (`f`, [`a`, `b`]).
pub(crate) fn flatten_apply(apply: &SyntaxNode) -> (SyntaxNode, Vec<SyntaxNode>) {
    let mut args = Vec::new();
    let mut head = apply.clone();
    while head.kind() == SyntaxKind::NODE_APPLY {
        let mut children = head.children();
        let (Some(function), argument) = (children.next(), children.next()) else {
            break;
        };
        args.extend(argument);
        head = unparen(&function);
    }
    args.reverse();
    (head, args)
}

/// Whether an apply is the outermost of its curried chain (`f a b` is checked once).
pub(crate) fn is_outermost_apply(apply: &SyntaxNode) -> bool {
    match apply.parent() {
        Some(parent) if parent.kind() == SyntaxKind::NODE_APPLY => {
            parent.children().next().as_ref() != Some(apply)
        }
        _ => true,
    }
}

/// What a called function is named: the identifier, or the last attribute of a selection
/// (`python3Packages.fetchPypi` → `fetchPypi`), with the selected-from expression.
pub(crate) struct Callee {
    pub name: String,
    pub base: Option<SyntaxNode>,
}

pub(crate) fn callee(head: &SyntaxNode) -> Option<Callee> {
    let head = unparen(head);
    match head.kind() {
        SyntaxKind::NODE_IDENT => Some(Callee {
            name: ident(&head)?,
            base: None,
        }),
        SyntaxKind::NODE_SELECT => {
            let mut children = head.children();
            let base = children.next()?;
            let attrpath = children.find(|node| node.kind() == SyntaxKind::NODE_ATTRPATH)?;
            let name = attrpath_names(&attrpath).into_iter().last()??;
            Some(Callee {
                name,
                base: Some(base),
            })
        }
        _ => None,
    }
}

/// The keys an attribute-set expression defines, and whether that list is complete.
/// Sees through parentheses, `finalAttrs: { … }`, `let … in { … }` and `a // b`; an
/// expression it cannot read contributes nothing and makes the list incomplete.
pub(crate) fn keys(node: &SyntaxNode) -> (BTreeSet<String>, bool) {
    let node = unparen(node);
    match node.kind() {
        SyntaxKind::NODE_ATTR_SET => {
            let mut found = BTreeSet::new();
            let mut complete = true;
            for child in node.children() {
                match child.kind() {
                    SyntaxKind::NODE_ATTRPATH_VALUE => {
                        match entry(&child).and_then(|(path, _)| path.into_iter().next().flatten())
                        {
                            Some(name) => {
                                found.insert(name);
                            }
                            None => complete = false,
                        }
                    }
                    SyntaxKind::NODE_INHERIT => {
                        found.extend(child.children().filter_map(|name| ident(&name)));
                    }
                    _ => {}
                }
            }
            (found, complete)
        }
        SyntaxKind::NODE_LAMBDA | SyntaxKind::NODE_LET_IN | SyntaxKind::NODE_WITH => {
            match node.children().last() {
                Some(body) => keys(&body),
                None => (BTreeSet::new(), false),
            }
        }
        SyntaxKind::NODE_BIN_OP if is_update(&node) => {
            let mut found = BTreeSet::new();
            let mut complete = true;
            for side in node.children() {
                let (side_keys, side_complete) = keys(&side);
                found.extend(side_keys);
                complete &= side_complete;
            }
            (found, complete)
        }
        _ => (BTreeSet::new(), false),
    }
}

/// Whether the expression defines one of `wanted`: `Some(false)` only when it certainly does not.
pub(crate) fn defines_any(node: &SyntaxNode, wanted: &[&str]) -> Option<bool> {
    let (found, complete) = keys(node);
    if wanted.iter().any(|key| found.contains(*key)) {
        Some(true)
    } else if complete {
        Some(false)
    } else {
        None
    }
}

/// Whether a `NODE_BIN_OP` is `//`.
pub(crate) fn is_update(node: &SyntaxNode) -> bool {
    node.children_with_tokens()
        .any(|child| child.kind() == SyntaxKind::TOKEN_UPDATE)
}

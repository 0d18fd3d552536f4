//! Fixed-output hash sites: every `hash`, `sha256`, `cargoHash`, … binding in the file.
//!
//! A site's path is read off its ancestors (binding names, list positions) up to the package
//! attribute set, so `src = fetchurl { hash = …; }` gives `src.hash` and a hash inside a `let`
//! binding gives the binding's names. Setting a hash goes back through the same list, so a path
//! that [`sites`] printed always finds its site again.

use rnix::ast::{self, Expr};
use rnix::{SyntaxKind, SyntaxNode, TextRange};
use rowan::ast::AstNode;

use crate::nav::{self, entry_keys, plain_string};
use crate::FAKE_HASH;

/// The attribute names that hold a fixed-output hash.
pub const HASH_ATTRIBUTES: [&str; 8] = [
    "hash",
    "sha256",
    "sha512",
    "outputHash",
    "cargoHash",
    "cargoSha256",
    "vendorHash",
    "npmDepsHash",
];

/// `lib.fakeSha256`: fifty-two nix32 zeros.
const FAKE_SHA256: &str = "0000000000000000000000000000000000000000000000000000";

/// One site: its path, its value, and the range of the value's expression.
pub(crate) struct Site {
    pub path: String,
    pub value: String,
    pub range: TextRange,
}

/// Every hash site, in text order.
pub(crate) fn sites(root: &SyntaxNode) -> Vec<Site> {
    let package = nav::package(root).ok().map(|p| p.attrset.syntax().clone());
    root.descendants()
        .filter_map(ast::AttrpathValue::cast)
        .filter_map(|entry| {
            let keys = entry_keys(&entry)?;
            if !HASH_ATTRIBUTES.contains(&keys.last()?.as_str()) {
                return None;
            }
            let value = entry.value()?;
            let text = match &value {
                Expr::Str(s) => plain_string(s)?,
                Expr::Select(_) => match value.syntax().to_string().as_str() {
                    "lib.fakeHash" => FAKE_HASH.to_string(),
                    "lib.fakeSha256" => FAKE_SHA256.to_string(),
                    _ => return None,
                },
                _ => return None,
            };
            Some(Site {
                path: path_of(&entry, package.as_ref())?,
                value: text,
                range: value.syntax().text_range(),
            })
        })
        .collect()
}

/// The attribute path of `entry`: binding names and list positions up to `package` (or the top).
fn path_of(entry: &ast::AttrpathValue, package: Option<&SyntaxNode>) -> Option<String> {
    let mut segments: Vec<String> = entry_keys(entry)?.into_iter().rev().collect();
    let mut child = entry.syntax().clone();
    for ancestor in entry.syntax().ancestors().skip(1) {
        if Some(&ancestor) == package {
            break;
        }
        match ancestor.kind() {
            SyntaxKind::NODE_ATTRPATH_VALUE => {
                let outer = ast::AttrpathValue::cast(ancestor.clone())?;
                segments.extend(entry_keys(&outer)?.into_iter().rev());
            }
            SyntaxKind::NODE_LIST => {
                let list = ast::List::cast(ancestor.clone())?;
                let index = list.items().position(|item| item.syntax() == &child)?;
                segments.push(index.to_string());
            }
            _ => {}
        }
        child = ancestor;
    }
    segments.reverse();
    Some(segments.join("."))
}

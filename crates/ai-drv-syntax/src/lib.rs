//! Edits on a nixpkgs-style callPackage file, made through its rnix syntax tree.
//!
//! A [`Document`] is the text of one file plus its parsed tree. Every query finds nodes on the
//! tree (the function's formals, the package attribute set given to `mkDerivation` and friends,
//! attributes by path, list items, fixed-output hash sites); every edit splices text at a node's
//! range, re-parses, and keeps the result only if it still parses, so a failed edit leaves the
//! document as it was. Nothing here searches the Nix text itself: the repair stage depends on
//! edits that cannot land inside a string or a comment by accident.
//!
//! Paths are dot-separated attribute names relative to the package attribute set (`"src.hash"`,
//! `"meta.mainProgram"`, `"env.NIX_CFLAGS_COMPILE"`); a numeric segment selects a list item
//! (`"patches.0.hash"`). A path passes through function calls to their attribute-set argument
//! (`src = fetchurl { hash = …; }`), through `with x;`, parentheses and `let … in`, and through
//! `inherit x;` to the `let` binding it names.

mod formals;
mod hashes;
mod layout;
mod lists;
mod nav;
pub mod prompts;

use rnix::{SyntaxNode, TextRange, TextSize};
use rowan::ast::AstNode;
use serde::Serialize;

pub use hashes::HASH_ATTRIBUTES;
use nav::Located;
pub use prompts::{find_prompts, scan_prompts, FoundPrompt, PromptScan, UnlockablePrompt};

/// The hash Nix assumes for an empty one (`lib.fakeHash`): a fixed-output derivation with it
/// always fails, and the failure prints the hash it should have been.
pub const FAKE_HASH: &str = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/// Why a query or an edit could not be carried out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    /// The text (given, or produced by an edit) is not valid Nix. `line` and `column` are 1-based.
    #[error("not valid Nix at {line}:{column}: {message}")]
    Parse {
        message: String,
        line: u32,
        column: u32,
    },
    /// The file is not a function returning a builder call on an attribute set.
    #[error("not a callPackage file: {0}")]
    NotAPackage(String),
    /// An attribute path that cannot be read or written as asked.
    #[error("attribute path: {0}")]
    Path(String),
}

/// One fixed-output hash in the file: where it is and what it says now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HashSite {
    /// The attribute path (`"src.hash"`, `"cargoHash"`); relative to the package attribute set,
    /// or to the `let` bindings for a hash outside it.
    pub path: String,
    /// The string value (`""` when empty); [`FAKE_HASH`] for `lib.fakeHash`.
    pub value: String,
}

/// A string item of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StringItem {
    /// The item as written (`"PREFIX=$(out)"`), for [`Document::list_remove`].
    pub source: String,
    /// The string's value, interpolations shown as written.
    pub content: String,
}

/// The text of a callPackage file and its syntax tree.
#[derive(Clone)]
pub struct Document {
    text: String,
    // The green tree is immutable and shared (Arc), so a Document is Send + Sync and cheap to
    // clone; a SyntaxNode view is built from it for each query.
    green: rowan::GreenNode,
}

/// One replacement of a range of the current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub range: TextRange,
    pub text: String,
}

impl Edit {
    pub fn replace(range: TextRange, text: impl Into<String>) -> Edit {
        Edit {
            range,
            text: text.into(),
        }
    }

    pub fn insert(at: TextSize, text: impl Into<String>) -> Edit {
        Edit::replace(TextRange::empty(at), text)
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit::replace(range, String::new())
    }
}

impl Document {
    /// Parses `text`; any parse error is an error here.
    pub fn parse(text: &str) -> Result<Document, SyntaxError> {
        let parse = rnix::Root::parse(text);
        if let Some(error) = parse.errors().first() {
            let offset = error_offset(error, text);
            let (line, column) = line_column(text, offset);
            return Err(SyntaxError::Parse {
                message: error.to_string(),
                line,
                column,
            });
        }
        Ok(Document {
            text: text.to_string(),
            green: parse.syntax().green().into_owned(),
        })
    }

    /// The current text.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub(crate) fn root(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The names in the function's `{ lib, stdenv, … }:` pattern, in order.
    pub fn formals(&self) -> Vec<String> {
        formals::names(&self.root())
    }

    /// Adds `name` to the formals; `false` if it is already there. Keeps a one-line pattern on
    /// one line and a one-per-line pattern one per line (either comma style).
    pub fn add_formal(&mut self, name: &str) -> Result<bool, SyntaxError> {
        check_identifier(name)?;
        match formals::add(&self.root(), name)? {
            Some(edit) => self.apply(vec![edit]).map(|()| true),
            None => Ok(false),
        }
    }

    /// Removes `name` from the formals, with its comma (and its line when it has one to itself);
    /// `false` if it is not there.
    pub fn remove_formal(&mut self, name: &str) -> Result<bool, SyntaxError> {
        match formals::remove(&self.root(), name)? {
            Some(edit) => self.apply(vec![edit]).map(|()| true),
            None => Ok(false),
        }
    }

    /// The builder the package attribute set is given to, as written (`stdenv.mkDerivation`,
    /// `rustPlatform.buildRustPackage`, `python3Packages.buildPythonApplication`).
    pub fn builder(&self) -> Option<String> {
        let package = nav::package(&self.root()).ok()?;
        let function = package.apply.lambda()?;
        Some(function.syntax().to_string())
    }

    /// The source text of the value at `path`, if there is one.
    pub fn get(&self, path: &str) -> Option<String> {
        match self.locate(path).ok()? {
            Located::Value { value, .. } => Some(value.syntax().to_string()),
            _ => None,
        }
    }

    /// The value at `path` if it is a string literal without interpolation.
    pub fn get_string(&self, path: &str) -> Option<String> {
        match self.locate(path).ok()? {
            Located::Value {
                value: rnix::ast::Expr::Str(s),
                ..
            } => nav::plain_string(&s),
            _ => None,
        }
    }

    /// Sets the value at `path` to the Nix expression `value`: replaces an existing value, or
    /// inserts `name = value;` (before `meta` in the package attribute set, else at the end),
    /// creating nested attribute sets for the missing part of the path. A multi-line `value` is
    /// written as if at column 0; its later lines are indented to the attribute's level.
    pub fn set(&mut self, path: &str, value: &str) -> Result<(), SyntaxError> {
        let root = self.root();
        let edit = match nav::locate(&root, &nav::parse_path(path)?)? {
            Located::Value { value: old, .. } => {
                let indent = layout::line_indent(&old.syntax().clone().into());
                Edit::replace(old.syntax().text_range(), layout::reindent(value, &indent))
            }
            Located::Missing {
                container,
                rest,
                dotted,
                is_package,
            } => layout::insert_entry(&container, &rest, dotted, is_package, value)?,
            Located::Inherited { name } => {
                return Err(SyntaxError::Path(format!(
                    "`{path}`: `{name}` is inherited here; set it where it is defined"
                )))
            }
        };
        self.apply(vec![edit])
    }

    /// Removes the attribute at `path` (its whole line, and comment lines directly above it, when
    /// it has lines to itself); `false` if there is none.
    pub fn remove(&mut self, path: &str) -> Result<bool, SyntaxError> {
        let root = self.root();
        match nav::locate(&root, &nav::parse_path(path)?) {
            Ok(Located::Value {
                entry: Some(entry), ..
            }) => {
                let range = layout::removal_range(entry.syntax(), true);
                self.apply(vec![Edit::delete(range)]).map(|()| true)
            }
            Ok(_) => Ok(false),
            // A path through something that is not an attribute set holds nothing to remove.
            Err(SyntaxError::Path(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The items of the list at `path`, as source text. A `with x; [ a b ]` list gives `a`, `b`;
    /// for `[ a ] ++ lib.optional c b`, the items of the list literals.
    pub fn list_items(&self, path: &str) -> Vec<String> {
        match self.locate(path) {
            Ok(Located::Value { value, .. }) => lists::items(&value)
                .iter()
                .map(|item| item.syntax().to_string())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The values of the plain string items of the list at `path` (`makeFlags`, `configureFlags`).
    pub fn list_strings(&self, path: &str) -> Vec<String> {
        match self.locate(path) {
            Ok(Located::Value { value, .. }) => lists::items(&value)
                .iter()
                .filter_map(|item| match item {
                    rnix::ast::Expr::Str(s) => nav::plain_string(s),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The string items of the list at `path`: their source text and their content, with any
    /// interpolation shown as written (`PREFIX=${placeholder "out"}`).
    pub fn list_string_items(&self, path: &str) -> Vec<StringItem> {
        match self.locate(path) {
            Ok(Located::Value { value, .. }) => lists::items(&value)
                .iter()
                .filter_map(|item| match item {
                    rnix::ast::Expr::Str(s) => Some(StringItem {
                        source: s.syntax().to_string(),
                        content: nav::string_content(s),
                    }),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// How many times the variable `name` is used in the file: identifiers in expressions and in
    /// `inherit`, not attribute names nor the formals that declare it.
    pub fn uses(&self, name: &str) -> usize {
        self.root()
            .descendants()
            .filter_map(rnix::ast::Ident::cast)
            .filter(|ident| ident.syntax().text() == name)
            .filter(|ident| {
                !ident.syntax().parent().is_some_and(|p| {
                    matches!(
                        p.kind(),
                        rnix::SyntaxKind::NODE_ATTRPATH
                            | rnix::SyntaxKind::NODE_PAT_ENTRY
                            | rnix::SyntaxKind::NODE_PAT_BIND
                            | rnix::SyntaxKind::NODE_IDENT_PARAM
                    )
                })
            })
            .count()
    }

    /// Appends `item` to the list at `path` unless it is already there (`false`), creating
    /// `path = [ item ];` when there is no such attribute. In a `with x;` list an item written
    /// `x.name` is added as `name`.
    pub fn list_add(&mut self, path: &str, item: &str) -> Result<bool, SyntaxError> {
        let root = self.root();
        match nav::locate(&root, &nav::parse_path(path)?)? {
            Located::Value { value, .. } => match lists::add(&value, item)? {
                Some(edit) => self.apply(vec![edit]).map(|()| true),
                None => Ok(false),
            },
            Located::Missing { .. } => self.set(path, &format!("[ {item} ]")).map(|()| true),
            Located::Inherited { name } => Err(SyntaxError::Path(format!(
                "`{path}`: `{name}` is inherited here, not a list"
            ))),
        }
    }

    /// Removes `item` from the list at `path`; `false` if it is not there.
    pub fn list_remove(&mut self, path: &str, item: &str) -> Result<bool, SyntaxError> {
        let root = self.root();
        match nav::locate(&root, &nav::parse_path(path)?) {
            Ok(Located::Value { value, .. }) => match lists::remove(&value, item) {
                Some(edit) => self.apply(vec![edit]).map(|()| true),
                None => Ok(false),
            },
            Ok(_) | Err(SyntaxError::Path(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Adds `attr` to the input list `list` and, when its first name (`ncurses`, or
    /// `python3Packages` for `python3Packages.setuptools`) is not a formal yet, to the formals.
    /// `false` if neither changed.
    pub fn add_input(&mut self, list: &str, attr: &str) -> Result<bool, SyntaxError> {
        let head = attr.split('.').next().unwrap_or(attr);
        check_identifier(head)?;
        let mut next = self.clone();
        let added = next.list_add(list, attr)?;
        let declared = if next.formals().iter().any(|f| f == head) {
            false
        } else {
            next.add_formal(head)?
        };
        *self = next;
        Ok(added || declared)
    }

    /// Every fixed-output hash site (`hash`, `sha256`, `sha512`, `outputHash`, `cargoHash`,
    /// `cargoSha256`, `vendorHash`, `npmDepsHash`) whose value is a string or `lib.fakeHash`,
    /// anywhere in the file, in text order.
    pub fn hashes(&self) -> Vec<HashSite> {
        hashes::sites(&self.root())
            .into_iter()
            .map(|s| HashSite {
                path: s.path,
                value: s.value,
            })
            .collect()
    }

    /// Sets the hash at `path` (a [`HashSite::path`]) to the string `sri`; inserts it as
    /// [`Document::set`] does when there is no hash there yet.
    pub fn set_hash(&mut self, path: &str, sri: &str) -> Result<(), SyntaxError> {
        let literal = nix_string(sri);
        let site = hashes::sites(&self.root())
            .into_iter()
            .find(|s| s.path == path);
        match site {
            Some(site) => self.apply(vec![Edit::replace(site.range, literal)]),
            None => self.set(path, &literal),
        }
    }

    fn locate(&self, path: &str) -> Result<Located, SyntaxError> {
        nav::locate(&self.root(), &nav::parse_path(path)?)
    }

    /// Applies non-overlapping edits to the text, re-parses, and keeps the result only if it
    /// parses.
    pub(crate) fn apply(&mut self, mut edits: Vec<Edit>) -> Result<(), SyntaxError> {
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start()));
        let mut text = self.text.clone();
        for edit in &edits {
            let range = std::ops::Range::<usize>::from(edit.range);
            if range.end > text.len() {
                return Err(SyntaxError::Path("edit outside the text".to_string()));
            }
            text.replace_range(range, &edit.text);
        }
        *self = Document::parse(&text)?;
        Ok(())
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("text", &self.text)
            .finish()
    }
}

impl std::fmt::Display for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Two documents are equal when their texts are: the tree follows from the text.
impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Document {}

impl Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl std::str::FromStr for Document {
    type Err = SyntaxError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Document::parse(s)
    }
}

/// `s` as a double-quoted Nix string.
pub fn nix_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // `${` would start an interpolation.
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `name` can be written as a bare identifier (formals, attribute names).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''))
        && !matches!(
            name,
            "if" | "then" | "else" | "assert" | "with" | "let" | "in" | "rec" | "inherit" | "or"
        )
}

fn check_identifier(name: &str) -> Result<(), SyntaxError> {
    if is_identifier(name) {
        Ok(())
    } else {
        Err(SyntaxError::Path(format!(
            "`{name}` is not a Nix identifier"
        )))
    }
}

fn error_offset(error: &rnix::ParseError, text: &str) -> usize {
    use rnix::ParseError as E;
    match error {
        E::Unexpected(r)
        | E::UnexpectedExtra(r)
        | E::UnexpectedWanted(_, r, _)
        | E::UnexpectedDoubleBind(r)
        | E::DuplicatedArgs(r, _) => usize::from(r.start()),
        _ => text.len(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

#[cfg(test)]
mod tests;

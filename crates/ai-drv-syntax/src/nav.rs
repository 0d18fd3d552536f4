//! Finding things on the tree: the package attribute set, and the value an attribute path names.
//!
//! The package attribute set is the argument of the builder call that the file's function returns
//! (possibly under `let … in`, `with`, `assert`): `stdenv.mkDerivation (finalAttrs: { … })`,
//! `buildRustPackage rec { … }`, `buildPythonApplication { … }`. A path is looked up entry by
//! entry, matching both nested (`src = { hash = …; }`) and dotted (`src.hash = …;`) forms.

use rnix::ast::{self, Expr};
use rnix::SyntaxNode;
use rowan::ast::AstNode;

use crate::SyntaxError;

/// One segment of an attribute path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Name(String),
    Index(usize),
}

/// Splits `"src.hash"` / `"patches.0.hash"` into segments.
pub(crate) fn parse_path(path: &str) -> Result<Vec<Seg>, SyntaxError> {
    if path.is_empty() {
        return Err(SyntaxError::Path("empty attribute path".to_string()));
    }
    path.split('.')
        .map(|part| {
            if part.is_empty() {
                Err(SyntaxError::Path(format!("`{path}` has an empty segment")))
            } else if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse()
                    .map(Seg::Index)
                    .map_err(|_| SyntaxError::Path(format!("`{part}` is not a list index")))
            } else {
                Ok(Seg::Name(part.to_string()))
            }
        })
        .collect()
}

/// The builder call and the attribute set it is given.
pub(crate) struct Package {
    pub attrset: ast::AttrSet,
    pub apply: ast::Apply,
    /// The `let … in` blocks around the call and around the attribute set, outermost first.
    pub lets: Vec<ast::LetIn>,
}

fn not_a_package(what: &str) -> SyntaxError {
    SyntaxError::NotAPackage(what.to_string())
}

/// Finds the package attribute set.
pub(crate) fn package(root: &SyntaxNode) -> Result<Package, SyntaxError> {
    let root = ast::Root::cast(root.clone()).ok_or_else(|| not_a_package("no root"))?;
    let mut expr = root
        .expr()
        .ok_or_else(|| not_a_package("the file is empty"))?;
    let mut lets = Vec::new();
    // The callPackage function itself.
    if let Expr::Lambda(lambda) = &expr {
        expr = lambda
            .body()
            .ok_or_else(|| not_a_package("the function has no body"))?;
    }
    let apply = loop {
        expr = match expr {
            Expr::LetIn(l) => {
                let body = l.body();
                lets.push(l);
                body
            }
            Expr::With(w) => w.body(),
            Expr::Assert(a) => a.body(),
            Expr::Paren(p) => p.expr(),
            Expr::Apply(a) => break a,
            _ => None,
        }
        .ok_or_else(|| not_a_package("the file's body is not a builder call"))?;
    };
    let mut arg = apply
        .argument()
        .ok_or_else(|| not_a_package("the builder call has no argument"))?;
    loop {
        arg = match arg {
            Expr::AttrSet(attrset) => {
                return Ok(Package {
                    attrset,
                    apply,
                    lets,
                })
            }
            Expr::Paren(p) => p.expr(),
            Expr::Lambda(l) => l.body(),
            Expr::With(w) => w.body(),
            Expr::LetIn(l) => {
                let body = l.body();
                lets.push(l);
                body
            }
            _ => None,
        }
        .ok_or_else(|| not_a_package("the builder is not given an attribute set"))?;
    }
}

/// What a path names.
pub(crate) enum Located {
    /// An existing value; `entry` is the `name = value;` binding it is the value of (none for a
    /// list item).
    Value {
        entry: Option<ast::AttrpathValue>,
        value: Expr,
    },
    /// Nothing yet: `container` is the deepest attribute set on the path, `rest` the names still
    /// missing below it. `dotted` when the container already has dotted entries sharing the
    /// first missing name (`env.FOO = …;`), so the new one should be dotted too.
    Missing {
        container: ast::AttrSet,
        rest: Vec<String>,
        dotted: bool,
        is_package: bool,
    },
    /// `inherit name;` (or `inherit (x) name;`) with nothing to follow it to.
    Inherited { name: String },
}

/// Looks `path` up from the package attribute set.
pub(crate) fn locate(root: &SyntaxNode, path: &[Seg]) -> Result<Located, SyntaxError> {
    let package = package(root)?;
    locate_in(package.attrset.syntax(), path, &package, true)
}

/// The plain value of a string literal without interpolations.
pub(crate) fn plain_string(s: &ast::Str) -> Option<String> {
    let mut out = String::new();
    for part in s.normalized_parts() {
        match part {
            ast::InterpolPart::Literal(text) => out.push_str(&text),
            ast::InterpolPart::Interpolation(_) => return None,
        }
    }
    Some(out)
}

/// The value of a string literal, with interpolations shown as written (`${x}`).
pub(crate) fn string_content(s: &ast::Str) -> String {
    let mut out = String::new();
    for part in s.normalized_parts() {
        match part {
            ast::InterpolPart::Literal(text) => out.push_str(&text),
            ast::InterpolPart::Interpolation(i) => out.push_str(&i.syntax().to_string()),
        }
    }
    out
}

/// The name an attribute stands for, when it is static.
pub(crate) fn attr_name(attr: &ast::Attr) -> Option<String> {
    match attr {
        ast::Attr::Ident(ident) => Some(ident.syntax().to_string()),
        ast::Attr::Str(s) => plain_string(s),
        ast::Attr::Dynamic(d) => match d.expr()? {
            Expr::Str(s) => plain_string(&s),
            _ => None,
        },
    }
}

/// The names of a binding's attribute path (`src.hash` → `["src", "hash"]`).
pub(crate) fn entry_keys(entry: &ast::AttrpathValue) -> Option<Vec<String>> {
    entry
        .attrpath()?
        .attrs()
        .map(|a| attr_name(&a))
        .collect::<Option<Vec<_>>>()
}

fn path_text(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Name(n) => n.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// How many leading names of `keys` and `path` agree.
fn common(keys: &[String], path: &[Seg]) -> usize {
    keys.iter()
        .zip(path)
        .take_while(|(k, s)| matches!(s, Seg::Name(n) if n == *k))
        .count()
}

/// Looks `path` up among the bindings of `container` (an attribute set or a `let`).
fn locate_in(
    container: &SyntaxNode,
    path: &[Seg],
    package: &Package,
    is_package: bool,
) -> Result<Located, SyntaxError> {
    let Some(Seg::Name(first)) = path.first() else {
        return Err(SyntaxError::Path(format!(
            "`{}`: a list index where an attribute set is",
            path_text(path)
        )));
    };
    let mut dotted = false;
    for entry in container.children().filter_map(ast::AttrpathValue::cast) {
        let Some(keys) = entry_keys(&entry) else {
            continue;
        };
        let n = common(&keys, path);
        if n == keys.len() {
            let value = entry
                .value()
                .ok_or_else(|| SyntaxError::Path(format!("`{}` has no value", keys.join("."))))?;
            if n == path.len() {
                return Ok(Located::Value {
                    entry: Some(entry),
                    value,
                });
            }
            return descend(value, &path[n..], package);
        }
        if n > 0 {
            if n == path.len() {
                // `src.hash = …;` exists and `src` itself is asked for: there is no one value.
                return Err(SyntaxError::Path(format!(
                    "`{}` is only defined through dotted bindings",
                    path_text(path)
                )));
            }
            dotted = true;
        }
    }
    let inherited = container
        .children()
        .filter_map(ast::Inherit::cast)
        .find(|inherit| {
            inherit
                .attrs()
                .any(|a| attr_name(&a).as_deref() == Some(first.as_str()))
        });
    if let Some(inherit) = inherited {
        if inherit.from().is_none() && path.len() > 1 {
            // `inherit src;` in the package: the value is the `let` binding of that name.
            for scope in package.lets.iter().rev() {
                if let Ok(found @ (Located::Value { .. } | Located::Missing { .. })) =
                    locate_in(scope.syntax(), path, package, false)
                {
                    return Ok(found);
                }
            }
        }
        return Ok(Located::Inherited {
            name: first.clone(),
        });
    }
    let Some(attrset) = ast::AttrSet::cast(container.clone()) else {
        return Err(SyntaxError::Path(format!(
            "`{}` is not bound here",
            path_text(path)
        )));
    };
    let rest = path
        .iter()
        .map(|s| match s {
            Seg::Name(n) => Ok(n.clone()),
            Seg::Index(i) => Err(SyntaxError::Path(format!(
                "cannot create list item {i} of `{}`",
                path_text(path)
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Located::Missing {
        container: attrset,
        rest,
        dotted,
        is_package,
    })
}

/// Follows `path` into a value: through calls to their argument, `with`, parentheses, functions'
/// bodies and `let`, into attribute sets and list items.
fn descend(mut value: Expr, mut path: &[Seg], package: &Package) -> Result<Located, SyntaxError> {
    fn broken() -> SyntaxError {
        SyntaxError::Path("the path goes through an incomplete expression".to_string())
    }
    loop {
        value = match value {
            Expr::AttrSet(set) => return locate_in(set.syntax(), path, package, false),
            Expr::Paren(p) => p.expr().ok_or_else(broken)?,
            Expr::With(w) => w.body().ok_or_else(broken)?,
            Expr::Apply(a) => a.argument().ok_or_else(broken)?,
            Expr::Lambda(l) => l.body().ok_or_else(broken)?,
            Expr::LetIn(l) => l.body().ok_or_else(broken)?,
            Expr::Assert(a) => a.body().ok_or_else(broken)?,
            Expr::List(list) => {
                let Some(Seg::Index(i)) = path.first() else {
                    return Err(SyntaxError::Path(format!(
                        "`{}` goes into a list without an index",
                        path_text(path)
                    )));
                };
                let item = list
                    .items()
                    .nth(*i)
                    .ok_or_else(|| SyntaxError::Path(format!("the list has no item {i}")))?;
                if path.len() == 1 {
                    return Ok(Located::Value {
                        entry: None,
                        value: item,
                    });
                }
                path = &path[1..];
                item
            }
            other => {
                return Err(SyntaxError::Path(format!(
                    "`{}` goes through `{}`, which is not an attribute set",
                    path_text(path),
                    other.syntax()
                )))
            }
        };
    }
}

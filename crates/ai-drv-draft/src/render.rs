//! Writes a `Package` as a nixpkgs callPackage file, laid out the way nixpkgs' formatter lays
//! it out (so the text is final without a formatter on the machine), with the older nixpkgs
//! habit of keeping short identifier lists on one line.

use crate::model::{Builder, Package, Src, Value};

/// nixfmt's line width: argument lists and single-element lists longer than this break.
const LINE_WIDTH: usize = 100;
/// Identifier lists (`[ pkg-config ncurses ]`) stay on one line up to this width.
const SHORT_LIST_WIDTH: usize = 80;

/// Attributes written together with the inputs: they say how the build is set up rather than
/// what it does, which is where nixpkgs files keep them.
const SETUP_ATTRS: &[&str] = &[
    "enableParallelBuilding",
    "dontConfigure",
    "dontBuild",
    "dontInstall",
];

/// Fetchers whose result is an unpacked directory named after the fetch (`src.name`), so a
/// subdirectory can be named as `"${src.name}/sub"`. Archives fetched as files are unpacked by
/// the build instead, into a directory whose name only the archive knows.
const UNPACKED_FETCHERS: &[&str] = &[
    "fetchzip",
    "fetchFromGitHub",
    "fetchFromGitLab",
    "fetchFromGitea",
    "fetchFromCodeberg",
    "fetchFromSourcehut",
    "fetchCrate",
    "fetchgit",
];

/// Names that are never callPackage arguments even when they look like free identifiers.
const NOT_ARGUMENTS: &[&str] = &[
    "builtins",
    "finalAttrs",
    "true",
    "false",
    "null",
    "placeholder",
    "import",
    "toString",
    "baseNameOf",
    "dirOf",
    "throw",
    "abort",
];

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or",
];

/// The callPackage file for `package`, formatted.
pub fn render(package: &Package) -> String {
    let builder = package.builder;
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut rest: Vec<&(String, Value)> = Vec::new();
    let mut pyproject = None;
    let mut hashes = Vec::new();
    let mut strict_deps = None;
    let mut setup = Vec::new();
    for attr in &package.attrs {
        match attr.0.as_str() {
            "pyproject" if pyproject.is_none() => pyproject = Some(attr),
            "strictDeps" if strict_deps.is_none() => strict_deps = Some(attr),
            name if SETUP_ATTRS.contains(&name) => setup.push(attr),
            name if name.ends_with("Hash") => hashes.push(attr),
            _ => rest.push(attr),
        }
    }

    let mut head = vec![
        binding("pname", &Value::Str(package.pname.clone()), 2),
        binding("version", &Value::Str(package.version.clone()), 2),
    ];
    if let Some((name, value)) = pyproject {
        head.push(binding(name, value, 2));
    }
    paragraphs.push(head);

    let mut src = vec![src_binding(&package.src, package)];
    if let Some(root) = &package.source_root {
        src.push(source_root_binding(root, &package.src, builder));
    }
    paragraphs.push(src);

    if !hashes.is_empty() {
        paragraphs.push(hashes.iter().map(|(n, v)| binding(n, v, 2)).collect());
    }

    let mut inputs = Vec::new();
    if !package.native_build_inputs.is_empty() {
        inputs.push(binding(
            "nativeBuildInputs",
            &identifier_list(&package.native_build_inputs),
            2,
        ));
    }
    if !package.build_inputs.is_empty() {
        inputs.push(binding(
            "buildInputs",
            &identifier_list(&package.build_inputs),
            2,
        ));
    }
    match strict_deps {
        Some((name, value)) => inputs.push(binding(name, value, 2)),
        None if builder == Builder::Stdenv => {
            inputs.push(binding("strictDeps", &Value::Bool(true), 2));
        }
        None => {}
    }
    inputs.extend(setup.iter().map(|(n, v)| binding(n, v, 2)));
    if !inputs.is_empty() {
        paragraphs.push(inputs);
    }

    paragraphs.extend(group_attrs(&rest));
    paragraphs.push(vec![binding(
        "meta",
        &Value::AttrSet(meta_entries(package)),
        2,
    )]);

    let mut out = header(&arguments(package));
    out.push_str("\n\n");
    if builder.uses_final_attrs() {
        out.push_str(&format!("{} (finalAttrs: {{\n", builder.function()));
    } else {
        out.push_str(&format!("{} rec {{\n", builder.function()));
    }
    let body: Vec<String> = paragraphs.iter().map(|p| p.concat()).collect();
    out.push_str(&body.join("\n"));
    out.push_str(if builder.uses_final_attrs() {
        "})\n"
    } else {
        "}\n"
    });
    out
}

/// Splits the remaining attributes into paragraphs: each on its own, except that one-line
/// flag lists (`cargoBuildFlags`, `cargoTestFlags`) and one-line switches stay together.
fn group_attrs(attrs: &[&(String, Value)]) -> Vec<Vec<String>> {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let mut previous: Option<(&str, &Value, bool)> = None;
    for (name, value) in attrs.iter().map(|a| (&a.0, &a.1)) {
        let text = binding(name, value, 2);
        let one_line = text.matches('\n').count() == 1;
        let joins = match previous {
            Some((prev_name, prev_value, prev_one_line)) => {
                prev_one_line
                    && one_line
                    && ((prev_name.ends_with("Flags") && name.ends_with("Flags"))
                        || (matches!(prev_value, Value::Bool(_))
                            && matches!(value, Value::Bool(_))))
            }
            None => false,
        };
        match paragraphs.last_mut() {
            Some(last) if joins => last.push(text),
            _ => paragraphs.push(vec![text]),
        }
        previous = Some((name, value, one_line));
    }
    paragraphs
}

fn meta_entries(package: &Package) -> Vec<(String, Value)> {
    let meta = &package.meta;
    let mut entries = Vec::new();
    if let Some(d) = &meta.description {
        entries.push(("description".to_string(), Value::Str(d.clone())));
    }
    if let Some(d) = &meta.long_description {
        entries.push(("longDescription".to_string(), Value::Multiline(d.clone())));
    }
    if let Some(h) = &meta.homepage {
        entries.push(("homepage".to_string(), Value::Str(h.clone())));
    }
    match meta.licenses.as_slice() {
        [] => {}
        [one] => entries.push((
            "license".to_string(),
            Value::Raw(format!("lib.licenses.{}", license_attr(one))),
        )),
        several => entries.push((
            "license".to_string(),
            Value::With(
                "lib.licenses".to_string(),
                Box::new(Value::List(
                    several
                        .iter()
                        .map(|l| Value::Raw(license_attr(l)))
                        .collect(),
                )),
            ),
        )),
    }
    if let Some(p) = &meta.main_program {
        entries.push(("mainProgram".to_string(), Value::Str(p.clone())));
    }
    if let Some(p) = &meta.platforms {
        entries.push((
            "platforms".to_string(),
            Value::Raw(format!("lib.platforms.{}", attr_name(p))),
        ));
    }
    entries
}

/// A license name as an attribute of `lib.licenses` (quoted if it is not an identifier).
fn license_attr(name: &str) -> String {
    attr_name(name)
}

/// `[ a b c ]` of attribute names.
fn identifier_list(names: &[String]) -> Value {
    Value::List(names.iter().map(|n| Value::Raw(n.clone())).collect())
}

fn src_binding(src: &Src, package: &Package) -> String {
    let builder = package.builder;
    let version_expr = if builder.uses_final_attrs() {
        "finalAttrs.version"
    } else {
        "version"
    };
    let mut text = format!("  src = {} {{\n", src.fetcher);
    if src.inherit.is_empty() && src.attrs.is_empty() {
        return format!("  src = {} {{ }};\n", src.fetcher);
    }
    if !src.inherit.is_empty() {
        let from = if builder.uses_final_attrs() {
            "(finalAttrs) "
        } else {
            ""
        };
        text.push_str(&format!("    inherit {from}{};\n", src.inherit.join(" ")));
    }
    for (name, value) in &src.attrs {
        let value = match (name.as_str(), value) {
            ("url", Value::Str(url)) => {
                Value::Raw(url_with_version(url, &package.version, version_expr))
            }
            ("rev" | "tag", Value::Str(rev)) => {
                rev_with_version(rev, &package.version, version_expr)
            }
            _ => value.clone(),
        };
        text.push_str(&binding(name, &value, 4));
    }
    text.push_str("  };\n");
    text
}

fn source_root_binding(root: &str, src: &Src, builder: Builder) -> String {
    let root = root.trim_matches('/');
    if UNPACKED_FETCHERS.contains(&src.fetcher.as_str()) {
        let name = if builder.uses_final_attrs() {
            "finalAttrs.src.name"
        } else {
            "src.name"
        };
        let literal = quote(&format!("/{root}"));
        let value = format!("\"${{{name}}}{}", &literal[1..]);
        binding("sourceRoot", &Value::Raw(value), 2)
    } else {
        // The unpacked directory's name is only known once the archive is unpacked: step
        // into the subdirectory after unpacking, before the build changes into it.
        let command = if root
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/+-".contains(c))
        {
            format!("sourceRoot=$sourceRoot/{root}")
        } else {
            format!(
                "sourceRoot=\"$sourceRoot/{}\"",
                root.replace(['"', '\\', '$', '`'], "_")
            )
        };
        binding("postUnpack", &Value::Str(command), 2)
    }
}

/// A URL as a Nix string, the version written as `${version_expr}` where it appears verbatim
/// in the file name or as a whole path segment (`…/v1.2/…`).
fn url_with_version(url: &str, version: &str, version_expr: &str) -> String {
    if version.is_empty() {
        return quote(url);
    }
    let (dirs, file) = match url.rfind('/') {
        Some(i) => (&url[..=i], &url[i + 1..]),
        None => ("", url),
    };
    let mut parts: Vec<Part> = Vec::new();
    // Directory segments are replaced only when they are exactly the version (or "v" + it).
    for (i, segment) in dirs.split('/').enumerate() {
        if i > 0 {
            parts.push(Part::Text("/".to_string()));
        }
        if segment == version {
            parts.push(Part::Version);
        } else if segment.strip_prefix('v') == Some(version) {
            parts.push(Part::Text("v".to_string()));
            parts.push(Part::Version);
        } else {
            parts.push(Part::Text(segment.to_string()));
        }
    }
    if dirs.is_empty() {
        parts.clear();
    }
    parts.extend(replace_version(file, version));
    interpolate(&parts, version_expr)
}

/// `rev`/`tag`: `finalAttrs.version` when it is the version, `"v${finalAttrs.version}"` when
/// it is "v" + version, the version interpolated where it appears verbatim otherwise.
fn rev_with_version(rev: &str, version: &str, version_expr: &str) -> Value {
    if version.is_empty() {
        return Value::Str(rev.to_string());
    }
    if rev == version {
        return Value::Raw(version_expr.to_string());
    }
    Value::Raw(interpolate(&replace_version(rev, version), version_expr))
}

enum Part {
    Text(String),
    Version,
}

/// Splits `text` at each occurrence of `version` that is not part of a longer number
/// ("1.2" is not replaced inside "11.2" or "1.2.3").
fn replace_version(text: &str, version: &str) -> Vec<Part> {
    if version.is_empty() {
        return vec![Part::Text(text.to_string())];
    }
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    let mut parts = Vec::new();
    let mut start = 0;
    let mut search = 0;
    while let Some(found) = text[search..].find(version) {
        let i = search + found;
        let end = i + version.len();
        let mut before = text[..i].chars().rev();
        let (prev, prev2) = (before.next(), before.next());
        let mut after = text[end..].chars();
        let (next, next2) = (after.next(), after.next());
        let bounded_before = !(digit(prev) || (prev == Some('.') && digit(prev2)));
        let bounded_after = !(digit(next) || (next == Some('.') && digit(next2)));
        if bounded_before && bounded_after {
            parts.push(Part::Text(text[start..i].to_string()));
            parts.push(Part::Version);
            start = end;
            search = end;
        } else {
            search = i + text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    parts.push(Part::Text(text[start..].to_string()));
    parts
}

fn interpolate(parts: &[Part], version_expr: &str) -> String {
    let mut out = String::from("\"");
    for part in parts {
        match part {
            Part::Text(t) => out.push_str(&escape(t)),
            Part::Version => out.push_str(&format!("${{{version_expr}}}")),
        }
    }
    out.push('"');
    out
}

/// The callPackage arguments: `lib` (when used), the builder's, the fetcher, then the head of
/// every identifier the file uses, in order of appearance.
fn arguments(package: &Package) -> Vec<String> {
    let mut own: Vec<&str> = vec!["pname", "version", "src"];
    own.extend(package.attrs.iter().map(|(n, _)| n.as_str()));
    let mut used: Vec<String> = Vec::new();
    for input in package
        .native_build_inputs
        .iter()
        .chain(&package.build_inputs)
    {
        used.push(head(input).to_string());
    }
    for (_, value) in package.src.attrs.iter().chain(&package.attrs) {
        collect_heads(value, &mut used);
    }
    let lib_used = !package.meta.licenses.is_empty()
        || package.meta.platforms.is_some()
        || used.iter().any(|u| u == "lib");

    let mut args: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if !args.iter().any(|a| a == name) {
            args.push(name.to_string());
        }
    };
    if lib_used {
        add("lib");
    }
    add(package.builder.argument());
    add(&package.src.fetcher);
    for name in &used {
        if !NOT_ARGUMENTS.contains(&name.as_str()) && !own.contains(&name.as_str()) {
            add(name);
        }
    }
    args
}

fn head(path: &str) -> &str {
    path.split('.').next().unwrap_or(path)
}

/// Heads of the identifiers a value refers to: `Raw` values that are attribute paths, and the
/// scope of `with` (whose list items come from that scope, not from the arguments).
fn collect_heads(value: &Value, used: &mut Vec<String>) {
    match value {
        Value::Raw(text) if is_attr_path(text) => used.push(head(text).to_string()),
        Value::List(items) => items.iter().for_each(|v| collect_heads(v, used)),
        Value::AttrSet(entries) => entries.iter().for_each(|(_, v)| collect_heads(v, used)),
        Value::With(scope, _) if is_attr_path(scope) => used.push(head(scope).to_string()),
        _ => {}
    }
}

/// `{ lib, stdenv, fetchurl }:` on one line when it fits, else one argument per line.
fn header(args: &[String]) -> String {
    let one_line = format!("{{ {} }}:", args.join(", "));
    if one_line.chars().count() <= LINE_WIDTH {
        one_line
    } else {
        let mut text = String::from("{\n");
        for arg in args {
            text.push_str(&format!("  {arg},\n"));
        }
        text.push_str("}:");
        text
    }
}

/// `name = value;` at `indent`, with a trailing newline.
pub(crate) fn binding(name: &str, value: &Value, indent: usize) -> String {
    let prefix = format!("{}{} = ", " ".repeat(indent), attr_name(name));
    let column = prefix.chars().count();
    format!("{prefix}{};\n", value_text(value, indent, column, 1))
}

/// A value's text, starting at `column` on a line indented by `indent`, followed on the same
/// line by `suffix` more characters.
fn value_text(value: &Value, indent: usize, column: usize, suffix: usize) -> String {
    match value {
        Value::Str(s) => quote(s),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Raw(text) => reindent(text, indent),
        Value::Multiline(text) => multiline(text, indent),
        Value::List(items) => list(items, indent, column, suffix),
        Value::AttrSet(entries) => {
            if entries.is_empty() {
                return "{ }".to_string();
            }
            let mut text = String::from("{\n");
            for (name, value) in entries {
                text.push_str(&binding(name, value, indent + 2));
            }
            text.push_str(&" ".repeat(indent));
            text.push('}');
            text
        }
        Value::With(scope, inner) => {
            let lead = format!("with {scope}; ");
            let column = column + lead.chars().count();
            format!("{lead}{}", value_text(inner, indent, column, suffix))
        }
    }
}

fn list(items: &[Value], indent: usize, column: usize, suffix: usize) -> String {
    if items.is_empty() {
        return "[ ]".to_string();
    }
    let identifiers = items
        .iter()
        .all(|v| matches!(v, Value::Raw(t) if is_attr_path(t)));
    let single_simple = items.len() == 1
        && match &items[0] {
            Value::Str(_) | Value::Bool(_) | Value::Int(_) => true,
            Value::Raw(t) => !t.contains('\n'),
            _ => false,
        };
    if identifiers || single_simple {
        let inline: Vec<String> = items
            .iter()
            .map(|v| value_text(v, indent, column, 0))
            .collect();
        let inline = format!("[ {} ]", inline.join(" "));
        let width = if identifiers {
            SHORT_LIST_WIDTH
        } else {
            LINE_WIDTH
        };
        if column + inline.chars().count() + suffix <= width {
            return inline;
        }
    }
    let inner = indent + 2;
    let mut text = String::from("[\n");
    for item in items {
        text.push_str(&" ".repeat(inner));
        text.push_str(&value_text(item, inner, inner, 0));
        text.push('\n');
    }
    text.push_str(&" ".repeat(indent));
    text.push(']');
    text
}

/// Continuation lines of a raw expression follow the binding's indentation.
fn reindent(text: &str, indent: usize) -> String {
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or("").to_string();
    for line in lines {
        out.push('\n');
        if !line.trim().is_empty() {
            out.push_str(&" ".repeat(indent));
            out.push_str(line);
        }
    }
    out
}

/// An indented string: its lines (common indentation removed, as Nix would remove it anyway)
/// two spaces deeper than the binding, closed on a line of its own.
fn multiline(text: &str, indent: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return "\"\"".to_string();
    }
    let common = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    // Leading and trailing blank lines would only add newlines Nix keeps; drop them.
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .unwrap_or(0);
    let mut out = String::from("''\n");
    for line in &lines[first..=last] {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str(&" ".repeat(indent + 2));
            out.push_str(&escape_indented(&line[common..]));
            out.push('\n');
        }
    }
    out.push_str(&" ".repeat(indent));
    out.push_str("''");
    out
}

fn escape_indented(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push_str("'''");
            }
            '$' if chars.peek() == Some(&'{') => out.push_str("''$"),
            c => out.push(c),
        }
    }
    out
}

/// A double-quoted Nix string.
pub fn quote(text: &str) -> String {
    format!("\"{}\"", escape(text))
}

/// The inside of a double-quoted Nix string.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out
}

/// An attribute name as written: bare when it is an identifier (or a dotted path of them),
/// quoted otherwise.
fn attr_name(name: &str) -> String {
    if is_attr_path(name) {
        name.to_string()
    } else {
        quote(name)
    }
}

/// Whether `text` is a Nix identifier.
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || "_'-".contains(c)) && !KEYWORDS.contains(&text)
}

/// Whether `text` is a dotted path of identifiers (`python3Packages.setuptools`).
fn is_attr_path(text: &str) -> bool {
    text.split('.').all(is_identifier)
}

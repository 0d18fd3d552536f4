//! Small lexical helpers shared by the build-system rules: stripping comments and finding calls
//! `NAME(…)` with their arguments in m4 (autoconf), CMake and Meson text. These are not parsers
//! of those languages — just enough structure (quotes, brackets, nesting) that an argument list
//! spanning lines, or containing a `)` inside a string, is read as the author meant.

/// The quoting rules of the language being scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// autoconf: `[`…`]` quote, `dnl` and line-leading `#` comment.
    M4,
    /// CMake: `"`…`"` strings, `#` comments, command names case-insensitive.
    CMake,
    /// Meson: `'`…`'` strings, `#` comments, `[`…`]` lists.
    Meson,
}

/// `text` with comments blanked out (replaced by spaces, so offsets keep their meaning for
/// error-free slicing; newlines are kept).
pub fn strip_comments(text: &str, syntax: Syntax) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let cut = match syntax {
            Syntax::M4 => m4_comment_start(body),
            Syntax::CMake => comment_outside(body, b'"'),
            Syntax::Meson => comment_outside(body, b'\''),
        };
        match cut {
            Some(i) => out.push_str(&body[..i]),
            None => out.push_str(body),
        }
        out.push_str(newline);
    }
    out
}

/// Where an m4 comment starts on this line: `dnl` as a word, or `#` as the first non-blank.
fn m4_comment_start(line: &str) -> Option<usize> {
    if line.trim_start().starts_with('#') {
        return Some(0);
    }
    let bytes = line.as_bytes();
    let mut from = 0;
    while let Some(pos) = line[from..].find("dnl") {
        let i = from + pos;
        let before_ok = i == 0 || !is_ident(bytes[i - 1]);
        let after_ok = bytes.get(i + 3).is_none_or(|b| !is_ident(*b));
        if before_ok && after_ok {
            return Some(i);
        }
        from = i + 3;
    }
    None
}

/// The first `#` not inside a string delimited by `quote`.
fn comment_outside(line: &str, quote: u8) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in line.bytes().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' if in_string => escaped = true,
            b if b == quote => in_string = !in_string,
            b'#' if !in_string => return Some(i),
            _ => {}
        }
    }
    None
}

pub fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The raw argument text of every call `name(…)` in `text` (comments already stripped).
/// m4 needs the `(` right after the name; CMake and Meson allow blanks, and CMake matches the
/// name case-insensitively.
pub fn calls<'a>(text: &'a str, name: &str, syntax: Syntax) -> Vec<&'a str> {
    let hay_lower;
    let hay: &str = if syntax == Syntax::CMake {
        hay_lower = text.to_ascii_lowercase();
        &hay_lower
    } else {
        text
    };
    let needle = if syntax == Syntax::CMake {
        name.to_ascii_lowercase()
    } else {
        name.to_string()
    };
    let bytes = hay.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(&needle) {
        let start = from + pos;
        from = start + needle.len();
        if start > 0 && (is_ident(bytes[start - 1]) || bytes[start - 1] == b'.') {
            // Part of a longer name, or a method call (`cc.find_library`) handled elsewhere.
            if !(syntax == Syntax::Meson && needle.contains('.')) {
                continue;
            }
        }
        let mut open = from;
        if syntax != Syntax::M4 {
            while open < bytes.len() && (bytes[open] == b' ' || bytes[open] == b'\t') {
                open += 1;
            }
        }
        if bytes.get(open) != Some(&b'(') {
            continue;
        }
        if let Some(close) = matching_paren(text, open, syntax) {
            out.push(&text[open + 1..close]);
            from = close;
        }
    }
    out
}

/// The index of the `)` closing the `(` at `open`.
fn matching_paren(text: &str, open: usize, syntax: Syntax) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote_depth = 0usize; // m4 `[` nesting
    let mut in_string = false;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        match syntax {
            Syntax::M4 => match b {
                b'[' => quote_depth += 1,
                b']' => quote_depth = quote_depth.saturating_sub(1),
                b'(' if quote_depth == 0 => depth += 1,
                b')' if quote_depth == 0 => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
            Syntax::CMake | Syntax::Meson => {
                let quote = if syntax == Syntax::CMake { b'"' } else { b'\'' };
                if in_string {
                    if b == b'\\' {
                        i += 1;
                    } else if b == quote {
                        in_string = false;
                    }
                } else if b == quote {
                    in_string = true;
                } else if b == b'(' {
                    depth += 1;
                } else if b == b')' {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
            }
        }
        i += 1;
    }
    None
}

/// Splits m4 arguments at top-level commas and removes one layer of `[ ]` quotes.
pub fn m4_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut quote = 0usize;
    let mut current = String::new();
    for c in args.chars() {
        match c {
            '[' => quote += 1,
            ']' => quote = quote.saturating_sub(1),
            '(' if quote == 0 => depth += 1,
            ')' if quote == 0 => depth = depth.saturating_sub(1),
            ',' if quote == 0 && depth == 0 => {
                out.push(unquote_m4(&current));
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(unquote_m4(&current));
    out
}

fn unquote_m4(arg: &str) -> String {
    let t = arg.trim();
    match t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        Some(inner) => inner.trim().to_string(),
        None => t.to_string(),
    }
}

/// Whitespace-separated words of an m4 argument, without `\` line continuations.
pub fn words(arg: &str) -> Vec<String> {
    arg.split(|c: char| c.is_whitespace() || c == '\\' || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// CMake arguments: whitespace-separated, `"…"` strings as one (unquoted) argument.
pub fn cmake_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_string = false;
    let mut chars = args.chars().peekable();
    let mut had_quote = false;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    if let Some(n) = chars.next() {
                        current.push(n);
                    }
                }
                '"' => in_string = false,
                _ => current.push(c),
            }
        } else if c == '"' {
            in_string = true;
            had_quote = true;
        } else if c.is_whitespace() {
            if !current.is_empty() || had_quote {
                out.push(std::mem::take(&mut current));
            }
            had_quote = false;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() || had_quote {
        out.push(current);
    }
    out
}

/// One Meson argument: positional (`key` is `None`) or `key: value`; `value` is raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MesonArg {
    pub key: Option<String>,
    pub value: String,
}

/// Splits Meson arguments at top-level commas.
pub fn meson_args(args: &str) -> Vec<MesonArg> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut current = String::new();
    let mut chars = args.chars();
    while let Some(c) = chars.next() {
        if in_string {
            current.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    current.push(n);
                }
            } else if c == '\'' {
                in_string = false;
            }
            continue;
        }
        match c {
            '\'' => in_string = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .map(|p| {
            // `key : value` where key is an identifier and the colon is outside strings.
            let key_len = p.bytes().take_while(|b| is_ident(*b)).count();
            let rest = p[key_len..].trim_start();
            if key_len > 0 && rest.starts_with(':') {
                MesonArg {
                    key: Some(p[..key_len].to_string()),
                    value: rest[1..].trim().to_string(),
                }
            } else {
                MesonArg {
                    key: None,
                    value: p,
                }
            }
        })
        .collect()
}

/// The strings of a Meson value: `'x'` → `[x]`, `['a', 'b']` → `[a, b]`; other values → `[]`.
pub fn meson_strings(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut s = String::new();
            while let Some(n) = chars.next() {
                match n {
                    '\\' => {
                        if let Some(e) = chars.next() {
                            s.push(e);
                        }
                    }
                    '\'' => break,
                    _ => s.push(n),
                }
            }
            out.push(s);
        }
    }
    out
}

/// A single Meson string literal (`'x'`), not an expression.
pub fn meson_string(value: &str) -> Option<String> {
    let t = value.trim();
    let inner = t.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.contains('\'')).then(|| inner.to_string())
}

/// Whether a name is literal (no variable references or globs), so it can be looked up.
pub fn is_literal(name: &str) -> bool {
    !name.is_empty()
        && !name.contains([
            '$', '@', '*', '?', '(', ')', '{', '}', '[', ']', '`', '"', '\'',
        ])
}

/// Drops version constraints from a pkg-config module list: `glib-2.0 >= 2.40 gio-2.0` →
/// `[glib-2.0, gio-2.0]`; also handles `mod>=1` written without blanks.
pub fn pkgconfig_modules(spec: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip_next = false;
    for word in words(spec) {
        if skip_next {
            skip_next = false;
            continue;
        }
        if matches!(word.as_str(), ">=" | "<=" | "=" | "==" | ">" | "<" | "!=") {
            skip_next = true;
            continue;
        }
        let name = word
            .split(['>', '<', '=', '!'])
            .next()
            .unwrap_or_default()
            .to_string();
        if is_literal(&name)
            && !name.starts_with('-')
            && !name.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            out.push(name);
        }
    }
    out
}

/// Joins lines ending in `\` (make and shell continuation lines).
pub fn join_continuations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match line.strip_suffix('\\') {
            Some(body) => {
                out.push_str(body);
                out.push(' ');
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn m4_calls_span_lines_and_respect_quotes() {
        let text = "AC_CHECK_LIB([ncurses], [initscr], [LIBS=\"-lncurses $LIBS\"],\n  [AC_MSG_ERROR([no (n)curses])])\nXAC_CHECK_LIB(no)\n";
        let calls = calls(text, "AC_CHECK_LIB", Syntax::M4);
        assert_eq!(calls.len(), 1);
        let args = m4_args(calls[0]);
        assert_eq!(args[0], "ncurses");
        assert_eq!(args[1], "initscr");
        assert_eq!(args[3], "AC_MSG_ERROR([no (n)curses])");
    }

    #[test]
    fn m4_comments() {
        let stripped = strip_comments(
            "# AC_CHECK_LIB(a)\nAC_CHECK_LIB(b) dnl AC_CHECK_LIB(c)\nfoodnl\n",
            Syntax::M4,
        );
        assert_eq!(stripped, "\nAC_CHECK_LIB(b) \nfoodnl\n");
    }

    #[test]
    fn cmake_calls_are_case_insensitive_and_strings_group() {
        let text = strip_comments(
            "FIND_PACKAGE (ZLIB REQUIRED) # find_package(Nope)\nfind_package(X \"a b\")\n",
            Syntax::CMake,
        );
        let calls = calls(&text, "find_package", Syntax::CMake);
        assert_eq!(calls, ["ZLIB REQUIRED", "X \"a b\""]);
        assert_eq!(cmake_args(calls[1]), ["X", "a b"]);
    }

    #[test]
    fn meson_args_split_keywords() {
        let text =
            "executable('foo', ['a.c', 'b(1).c'],\n  dependencies: [dep],\n  install : true)\n";
        let calls = calls(text, "executable", Syntax::Meson);
        let args = meson_args(calls[0]);
        assert_eq!(args.len(), 4);
        assert_eq!(meson_string(&args[0].value).as_deref(), Some("foo"));
        assert_eq!(meson_strings(&args[1].value), ["a.c", "b(1).c"]);
        assert_eq!(args[3].key.as_deref(), Some("install"));
        assert_eq!(args[3].value, "true");
    }

    #[test]
    fn pkgconfig_module_lists() {
        assert_eq!(
            pkgconfig_modules("glib-2.0 >= 2.40 gio-2.0, x11 libfoo>=1.2 $EXTRA"),
            ["glib-2.0", "gio-2.0", "x11", "libfoo"]
        );
    }
}

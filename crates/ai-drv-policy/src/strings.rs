//! Nix string literals as the text they evaluate to, one character at a time, each character
//! carrying the source span it came from — so a shell word found in a `''…''` phase can be
//! reported at its line. Interpolations stand as one marker character each: `${placeholder
//! "out"}` as [`OUTPUT`] (it is an output path), anything else as [`INTERPOLATION`].

use rnix::{NodeOrToken, SyntaxKind, SyntaxNode};

use crate::syntax::{callee, node_range, unparen};

/// Stands for an interpolation whose value the policy cannot know (`${lib.getBin foo}`).
pub(crate) const INTERPOLATION: char = '\u{E000}';
/// Stands for an interpolation that is an output path (`${placeholder "out"}`).
pub(crate) const OUTPUT: char = '\u{E001}';

/// One character of a string's value and the byte span of the source text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ch {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

/// The value of a `NODE_STRING`, with interpolations as marker characters.
pub(crate) fn decode(string: &SyntaxNode) -> Vec<Ch> {
    let multiline = string.first_token().is_some_and(|token| {
        token.kind() == SyntaxKind::TOKEN_STRING_START && token.text() == "''"
    });
    let mut out = Vec::new();
    for child in string.children_with_tokens() {
        match child {
            NodeOrToken::Token(token) if token.kind() == SyntaxKind::TOKEN_STRING_CONTENT => {
                let base = usize::from(token.text_range().start());
                decode_content(token.text(), base, multiline, &mut out);
            }
            NodeOrToken::Node(node) if node.kind() == SyntaxKind::NODE_INTERPOL => {
                let (start, end) = node_range(&node);
                let c = if is_output_placeholder(&node) {
                    OUTPUT
                } else {
                    INTERPOLATION
                };
                out.push(Ch { c, start, end });
            }
            _ => {}
        }
    }
    out
}

/// The value of a string without interpolations (`"exec"`, `"recursive-nix"`), else `None`.
pub(crate) fn constant(string: &SyntaxNode) -> Option<String> {
    if string.kind() != SyntaxKind::NODE_STRING {
        return None;
    }
    let chars = decode(string);
    if chars
        .iter()
        .any(|ch| ch.c == INTERPOLATION || ch.c == OUTPUT)
    {
        return None;
    }
    Some(chars.iter().map(|ch| ch.c).collect())
}

/// Undoes Nix's escapes: `\x` in `"…"`; `''$`, `'''` and `''\x` in `''…''`.
fn decode_content(text: &str, base: usize, multiline: bool, out: &mut Vec<Ch>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| {
        chars
            .get(i)
            .map_or(base + text.len(), |&(at, c)| base + at + c.len_utf8())
    };
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        let start = base + at;
        let next = chars.get(i + 1).map(|&(_, c)| c);
        if multiline && c == '\'' && next == Some('\'') {
            match chars.get(i + 2).map(|&(_, c)| c) {
                Some('$') => {
                    out.push(Ch {
                        c: '$',
                        start,
                        end: end_of(i + 2),
                    });
                    i += 3;
                }
                Some('\'') => {
                    let end = end_of(i + 2);
                    out.push(Ch {
                        c: '\'',
                        start,
                        end,
                    });
                    out.push(Ch {
                        c: '\'',
                        start,
                        end,
                    });
                    i += 3;
                }
                Some('\\') => {
                    if let Some(&(_, escaped)) = chars.get(i + 3) {
                        out.push(Ch {
                            c: unescape(escaped),
                            start,
                            end: end_of(i + 3),
                        });
                    }
                    i += 4;
                }
                _ => {
                    out.push(Ch {
                        c,
                        start,
                        end: end_of(i),
                    });
                    i += 1;
                }
            }
        } else if !multiline && c == '\\' {
            if let Some(escaped) = next {
                out.push(Ch {
                    c: unescape(escaped),
                    start,
                    end: end_of(i + 1),
                });
            }
            i += 2;
        } else {
            out.push(Ch {
                c,
                start,
                end: end_of(i),
            });
            i += 1;
        }
    }
}

fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        other => other,
    }
}

/// `${placeholder "out"}` (or `builtins.placeholder`): the interpolation is an output path.
fn is_output_placeholder(interpolation: &SyntaxNode) -> bool {
    let Some(inner) = interpolation.children().next().map(|node| unparen(&node)) else {
        return false;
    };
    if inner.kind() != SyntaxKind::NODE_APPLY {
        return false;
    }
    let (head, args) = crate::syntax::flatten_apply(&inner);
    callee(&head).is_some_and(|call| call.name == "placeholder")
        && args.len() == 1
        && args
            .first()
            .is_some_and(|arg| unparen(arg).kind() == SyntaxKind::NODE_STRING)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_string(text: &str) -> SyntaxNode {
        let root = rnix::Root::parse(text).syntax();
        root.descendants()
            .find(|node| node.kind() == SyntaxKind::NODE_STRING)
            .expect("a string")
    }

    fn value(text: &str) -> String {
        decode(&first_string(text)).iter().map(|ch| ch.c).collect()
    }

    #[test]
    fn indented_strings_undo_their_escapes() {
        assert_eq!(value("''a ''${b} '''c ''\\n''"), "a ${b} ''c \n");
    }

    #[test]
    fn plain_strings_undo_their_escapes() {
        assert_eq!(value(r#""a\"b\n\${c}""#), "a\"b\n${c}");
    }

    #[test]
    fn interpolations_become_markers_and_keep_their_span() {
        let text = r#"''cp ${foo} ${placeholder "out"}/bin''"#;
        let chars = decode(&first_string(text));
        let s: String = chars.iter().map(|ch| ch.c).collect();
        assert_eq!(s, format!("cp {INTERPOLATION} {OUTPUT}/bin"));
        let marker = chars
            .iter()
            .find(|ch| ch.c == INTERPOLATION)
            .expect("marker");
        assert_eq!(&text[marker.start..marker.end], "${foo}");
    }

    #[test]
    fn constants_have_no_interpolation() {
        assert_eq!(
            constant(&first_string(r#""exec""#)).as_deref(),
            Some("exec")
        );
        assert_eq!(constant(&first_string(r#""a${b}""#)), None);
    }
}

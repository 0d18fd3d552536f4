//! Positions and excerpts in the derivation text: byte offsets become 1-based line numbers,
//! and spans become the short one-line snippet a violation quotes.

/// The derivation text with its line starts, so offsets turn into lines in O(log n).
pub(crate) struct Source<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

/// The longest snippet a violation carries, in characters.
const SNIPPET_CHARS: usize = 80;

impl<'a> Source<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Source { text, line_starts }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let line = self.line_starts.partition_point(|&start| start <= offset);
        u32::try_from(line.max(1)).unwrap_or(u32::MAX)
    }

    /// The text between two byte offsets, on one line and at most 80 characters long.
    pub(crate) fn snippet(&self, start: usize, end: usize) -> String {
        one_line(self.text.get(start..end).unwrap_or_default())
    }
}

/// `text` with shell line continuations and every run of whitespace turned into one space.
pub(crate) fn collapse(text: &str) -> String {
    let joined = text.replace("\\\n", " ");
    let mut out = String::with_capacity(joined.len());
    for word in joined.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`collapse`]d, and cut to 80 characters (the last one an ellipsis when something was cut).
pub(crate) fn one_line(text: &str) -> String {
    let out = collapse(text);
    if out.chars().count() > SNIPPET_CHARS {
        let mut cut: String = out.chars().take(SNIPPET_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_count_newlines_before_the_offset() {
        let source = Source::new("a\nbc\n\nd");
        assert_eq!(source.line(0), 1);
        assert_eq!(source.line(1), 1);
        assert_eq!(source.line(2), 2);
        assert_eq!(source.line(5), 3);
        assert_eq!(source.line(6), 4);
    }

    #[test]
    fn snippets_are_one_line_and_at_most_80_characters() {
        assert_eq!(one_line("  cp a \\\n   /usr/bin\n"), "cp a /usr/bin");
        let long = "x ".repeat(100);
        let cut = one_line(&long);
        assert_eq!(cut.chars().count(), 80);
        assert!(cut.ends_with('…'));
    }
}

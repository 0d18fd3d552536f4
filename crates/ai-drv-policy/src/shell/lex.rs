//! A small shell tokenizer: the text of a phase becomes a flat list of simple commands
//! (words and redirections), commands inside `$(…)` and backticks included.
//!
//! Why not a shell parser crate: the maintained one (`brush-parser`) needs Rust 1.87+ from
//! 0.3 on (this workspace builds with 1.85), and it rejects a whole script on one syntax error,
//! while the policy must still look at every command of whatever text a model wrote. It would
//! also lose the source span of each word, which a violation needs, through Nix's string
//! escapes. What the checks need is only "which commands run, with which words, writing where",
//! and that is what this tokenizer gives: quotes, backslash-newline, comments, `;` `&&` `||`
//! `|` `&`, subshells, `case` patterns, here-documents and command substitution.

use crate::strings::Ch;

/// Stands for the output of a command substitution inside a word.
pub(crate) const SUBSTITUTION: char = '\u{E002}';

/// One shell word after quote removal; `$var` and `${…}` are kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Whether a redirection writes to its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedirectKind {
    Write,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redirect {
    pub kind: RedirectKind,
    pub op: String,
    pub target: Word,
}

/// A simple command: its words in order and its redirections, with its source span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Command {
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub start: usize,
    pub end: usize,
}

impl Command {
    fn cover(&mut self, start: usize, end: usize) {
        if self.words.is_empty() && self.redirects.is_empty() {
            self.start = start;
            self.end = end;
        } else {
            self.start = self.start.min(start);
            self.end = self.end.max(end);
        }
    }
}

/// The simple commands of a script, in the order they start.
pub(crate) fn commands(chars: &[Ch]) -> Vec<Command> {
    let mut lexer = Lexer {
        chars,
        pos: 0,
        found: Vec::new(),
        heredocs: Vec::new(),
        backticks: 0,
    };
    lexer.sequence(Stop::End);
    lexer.found.sort_by_key(|command| command.start);
    lexer.found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    End,
    Paren,
    Backtick,
}

/// Where we are in `case … in pattern) … ;; esac`.
#[derive(Default)]
struct Case {
    depth: usize,
    in_pattern: bool,
}

struct Lexer<'a> {
    chars: &'a [Ch],
    pos: usize,
    found: Vec<Command>,
    /// Delimiters of here-documents whose bodies start after the current line.
    heredocs: Vec<String>,
    backticks: usize,
}

fn breaks_word(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).map(|ch| ch.c)
    }

    fn start_of(&self, index: usize) -> usize {
        self.chars.get(index).map_or(0, |ch| ch.start)
    }

    fn end_of(&self, index: usize) -> usize {
        self.chars.get(index).map_or(0, |ch| ch.end)
    }

    fn finish(&mut self, command: &mut Command) {
        let done = std::mem::take(command);
        if !done.words.is_empty() || !done.redirects.is_empty() {
            self.found.push(done);
        }
    }

    /// Reads commands until the end of the text, or the `)` / backtick that closes `stop`.
    fn sequence(&mut self, stop: Stop) {
        let mut command = Command::default();
        let mut case = Case::default();
        while let Some(c) = self.peek() {
            if case.in_pattern {
                match c {
                    ')' => {
                        self.pos += 1;
                        case.in_pattern = false;
                    }
                    '#' => self.skip_comment(),
                    c if breaks_word(c) => self.pos += 1,
                    _ => {
                        if self.word().text == "esac" {
                            case.depth = case.depth.saturating_sub(1);
                            case.in_pattern = false;
                        }
                    }
                }
                continue;
            }
            match c {
                ' ' | '\t' | '\r' => self.pos += 1,
                '\\' if self.peek_at(1) == Some('\n') => self.pos += 2,
                '\n' => {
                    self.pos += 1;
                    self.finish(&mut command);
                    self.skip_heredocs();
                }
                '#' => self.skip_comment(),
                ';' => {
                    self.pos += 1;
                    let ends_item = matches!(self.peek(), Some(';' | '&'));
                    if ends_item {
                        self.pos += 1;
                        if self.peek() == Some('&') {
                            self.pos += 1;
                        }
                    }
                    self.finish(&mut command);
                    if ends_item && case.depth > 0 {
                        case.in_pattern = true;
                    }
                }
                '&' if self.peek_at(1) == Some('>') => self.redirect(&mut command),
                '&' | '|' => {
                    self.pos += 1;
                    if matches!(self.peek(), Some('&' | '|')) {
                        self.pos += 1;
                    }
                    self.finish(&mut command);
                }
                '(' => {
                    self.pos += 1;
                    self.finish(&mut command);
                }
                ')' => {
                    self.pos += 1;
                    self.finish(&mut command);
                    if stop == Stop::Paren {
                        return;
                    }
                }
                '`' if self.backticks > 0 => {
                    self.pos += 1;
                    self.finish(&mut command);
                    if stop == Stop::Backtick {
                        return;
                    }
                }
                '<' | '>' => self.redirect(&mut command),
                _ => {
                    let word = self.word();
                    let is_fd =
                        !word.text.is_empty() && word.text.bytes().all(|b| b.is_ascii_digit());
                    if is_fd && matches!(self.peek(), Some('<' | '>')) {
                        continue;
                    }
                    if command.words.is_empty() && word.text == "esac" {
                        case.depth = case.depth.saturating_sub(1);
                    }
                    command.cover(word.start, word.end);
                    command.words.push(word);
                    let n = command.words.len();
                    let opens_case = n >= 3
                        && command.words[n - 3].text == "case"
                        && command.words[n - 1].text == "in";
                    if opens_case {
                        case.depth += 1;
                        case.in_pattern = true;
                        self.finish(&mut command);
                    }
                }
            }
        }
        self.finish(&mut command);
    }

    fn skip_comment(&mut self) {
        while self.peek().is_some_and(|c| c != '\n') {
            self.pos += 1;
        }
    }

    /// After a newline: the bodies of the here-documents opened on the line just ended.
    fn skip_heredocs(&mut self) {
        for delimiter in std::mem::take(&mut self.heredocs) {
            while self.pos < self.chars.len() {
                let mut line = String::new();
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                if line.trim() == delimiter {
                    break;
                }
            }
        }
    }

    fn redirect(&mut self, command: &mut Command) {
        let first = self.pos;
        let mut op = String::new();
        if self.peek() == Some('&') {
            op.push('&');
            self.pos += 1;
        }
        let Some(direction) = self.peek() else { return };
        op.push(direction);
        self.pos += 1;
        match (direction, self.peek()) {
            ('>', Some(c @ ('>' | '|' | '&'))) | ('<', Some(c @ ('&' | '>'))) => {
                op.push(c);
                self.pos += 1;
            }
            ('<', Some('<')) => {
                op.push('<');
                self.pos += 1;
                if let Some(c @ ('<' | '-')) = self.peek() {
                    op.push(c);
                    self.pos += 1;
                }
            }
            _ => {}
        }
        // `>>` after `&>` (`&>>`)
        if op == "&>" && self.peek() == Some('>') {
            op.push('>');
            self.pos += 1;
        }
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
        let target = match self.peek() {
            Some(c) if !breaks_word(c) => self.word(),
            _ => Word {
                text: String::new(),
                start: self.start_of(first),
                end: self.end_of(self.pos.saturating_sub(1)),
            },
        };
        let kind = match op.as_str() {
            ">" | ">>" | ">|" | "&>" | "&>>" | "<>" => RedirectKind::Write,
            ">&" if !(target.text == "-" || target.text.bytes().all(|b| b.is_ascii_digit())) => {
                RedirectKind::Write
            }
            _ => RedirectKind::Other,
        };
        if op == "<<" || op == "<<-" {
            self.heredocs.push(target.text.clone());
        }
        command.cover(self.start_of(first), target.end.max(self.end_of(first)));
        command.redirects.push(Redirect { kind, op, target });
    }

    fn word(&mut self) -> Word {
        let first = self.pos;
        let mut text = String::new();
        while let Some(c) = self.peek() {
            match c {
                '(' if text.ends_with('=') => self.array(&mut text),
                c if breaks_word(c) => break,
                '`' => {
                    if self.backticks > 0 {
                        break;
                    }
                    self.pos += 1;
                    self.substitution(Stop::Backtick);
                    text.push(SUBSTITUTION);
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(escaped) => {
                            text.push(escaped);
                            self.pos += 1;
                        }
                        None => {}
                    }
                }
                '\'' => {
                    self.pos += 1;
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == '\'' {
                            break;
                        }
                        text.push(c);
                    }
                }
                '"' => self.double_quoted(&mut text),
                '$' => self.dollar(&mut text),
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        if self.pos == first {
            // Never stall on a character no rule consumed.
            self.pos += 1;
        }
        Word {
            text,
            start: self.start_of(first),
            end: self.end_of(self.pos - 1),
        }
    }

    fn substitution(&mut self, stop: Stop) {
        if stop == Stop::Backtick {
            self.backticks += 1;
            self.sequence(stop);
            self.backticks -= 1;
        } else {
            self.sequence(stop);
        }
    }

    /// `name=( … )`: the array is part of the assignment word, not a subshell.
    fn array(&mut self, text: &mut String) {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        while let Some(c) = self.peek() {
            self.pos += 1;
            text.push(c);
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '(') => depth += 1,
                (None, ')') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }

    fn double_quoted(&mut self, text: &mut String) {
        self.pos += 1;
        while let Some(c) = self.peek() {
            match c {
                '"' => {
                    self.pos += 1;
                    return;
                }
                '\\' => match self.peek_at(1) {
                    Some('\n') => self.pos += 2,
                    Some(escaped @ ('$' | '`' | '"' | '\\')) => {
                        text.push(escaped);
                        self.pos += 2;
                    }
                    _ => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                '$' => self.dollar(text),
                '`' if self.backticks == 0 => {
                    self.pos += 1;
                    self.substitution(Stop::Backtick);
                    text.push(SUBSTITUTION);
                }
                '`' => return,
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn dollar(&mut self, text: &mut String) {
        match (self.peek_at(1), self.peek_at(2)) {
            (Some('('), Some('(')) => {
                // Arithmetic: no commands inside.
                self.pos += 3;
                text.push_str("$((");
                let mut depth = 2usize;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    text.push(c);
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            (Some('('), _) => {
                self.pos += 2;
                self.substitution(Stop::Paren);
                text.push(SUBSTITUTION);
            }
            (Some('{'), _) => {
                self.pos += 2;
                text.push_str("${");
                let mut depth = 1usize;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    text.push(c);
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            (Some('\''), _) => {
                self.pos += 2;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    match c {
                        '\\' => {
                            if let Some(escaped) = self.peek() {
                                text.push(escaped);
                                self.pos += 1;
                            }
                        }
                        '\'' => break,
                        _ => text.push(c),
                    }
                }
            }
            _ => {
                text.push('$');
                self.pos += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(script: &str) -> Vec<Vec<String>> {
        let chars: Vec<Ch> = script
            .char_indices()
            .map(|(at, c)| Ch {
                c,
                start: at,
                end: at + c.len_utf8(),
            })
            .collect();
        commands(&chars)
            .into_iter()
            .map(|command| command.words.into_iter().map(|word| word.text).collect())
            .collect()
    }

    fn words(list: &[&[&str]]) -> Vec<Vec<String>> {
        list.iter()
            .map(|command| command.iter().map(|word| word.to_string()).collect())
            .collect()
    }

    #[test]
    fn separators_split_commands() {
        assert_eq!(
            lex("a 1; b 2 && c || d | e & f\ng"),
            words(&[
                &["a", "1"],
                &["b", "2"],
                &["c"],
                &["d"],
                &["e"],
                &["f"],
                &["g"]
            ])
        );
    }

    #[test]
    fn quotes_and_continuations_join_words() {
        assert_eq!(
            lex("cp 'a b' \"$out/x y\" c\\ d \\\n  e"),
            words(&[&["cp", "a b", "$out/x y", "c d", "e"]])
        );
    }

    #[test]
    fn comments_are_skipped_but_hashes_inside_words_kept() {
        assert_eq!(lex("# curl x\nmake a#b # wget"), words(&[&["make", "a#b"]]));
    }

    #[test]
    fn substitutions_are_commands_of_their_own() {
        assert_eq!(
            lex("x=\"$(curl -s u | head)\" `wget v`"),
            words(&[
                &["x=\u{E002}", "\u{E002}"],
                &["curl", "-s", "u"],
                &["head"],
                &["wget", "v"]
            ])
        );
    }

    #[test]
    fn heredoc_bodies_are_data() {
        assert_eq!(
            lex("cat > f <<EOF\ncurl x\n  EOF\nmake"),
            words(&[&["cat"], &["make"]])
        );
    }

    #[test]
    fn case_patterns_are_not_commands() {
        assert_eq!(
            lex("case \"$x\" in\n  curl|wget) echo net ;;\n  *) true ;;\nesac\nls"),
            words(&[&["case", "$x", "in"], &["echo", "net"], &["true"], &["ls"]])
        );
    }

    #[test]
    fn redirections_are_kept_with_their_kind() {
        let chars: Vec<Ch> = "echo x 2>&1 >> /etc/a < in"
            .char_indices()
            .map(|(at, c)| Ch {
                c,
                start: at,
                end: at + 1,
            })
            .collect();
        let found = commands(&chars);
        let redirects: Vec<(&str, RedirectKind, &str)> = found[0]
            .redirects
            .iter()
            .map(|r| (r.op.as_str(), r.kind, r.target.text.as_str()))
            .collect();
        assert_eq!(
            redirects,
            vec![
                (">&", RedirectKind::Other, "1"),
                (">>", RedirectKind::Write, "/etc/a"),
                ("<", RedirectKind::Other, "in"),
            ]
        );
        assert_eq!(found[0].words.len(), 2);
    }

    #[test]
    fn arrays_stay_in_their_assignment() {
        assert_eq!(
            lex("flags=(curl \"a b\") make"),
            words(&[&["flags=(curl \"a b\")", "make"]])
        );
    }
}

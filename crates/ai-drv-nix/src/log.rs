//! A log kept bounded in memory: the first lines (where configure says what it found) and the last
//! lines (where the error is), with a count of what was dropped between them.

use std::collections::VecDeque;

use serde::Serialize;

/// Lines longer than this are cut (a minified file echoed by a build can be megabytes on one line).
const MAX_LINE: usize = 4096;

#[derive(Debug, Clone, Serialize)]
pub struct BoundedLog {
    head: Vec<String>,
    tail: VecDeque<String>,
    head_limit: usize,
    tail_limit: usize,
    dropped: usize,
}

impl Default for BoundedLog {
    fn default() -> Self {
        BoundedLog::new(200, 800)
    }
}

impl BoundedLog {
    pub fn new(head_limit: usize, tail_limit: usize) -> BoundedLog {
        BoundedLog {
            head: Vec::new(),
            tail: VecDeque::new(),
            head_limit,
            tail_limit,
            dropped: 0,
        }
    }

    /// Adds one line (without its newline); ANSI escapes are removed here.
    pub fn push(&mut self, raw: &[u8]) {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        // A progress bar redraws with carriage returns: keep what was drawn last.
        let raw = match raw.iter().rposition(|b| *b == b'\r') {
            Some(i) => &raw[i + 1..],
            None => raw,
        };
        let mut line = String::from_utf8_lossy(&strip_ansi_escapes::strip(raw)).into_owned();
        if line.len() > MAX_LINE {
            let mut cut = MAX_LINE;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line.truncate(cut);
            line.push_str(" …[line cut]");
        }
        if self.head.len() < self.head_limit {
            self.head.push(line);
            return;
        }
        self.tail.push_back(line);
        if self.tail.len() > self.tail_limit {
            self.tail.pop_front();
            self.dropped += 1;
        }
    }

    /// How many lines were seen in all.
    pub fn total_lines(&self) -> usize {
        self.head.len() + self.tail.len() + self.dropped
    }

    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The kept lines, with one marker line where lines were dropped.
    pub fn lines(&self) -> Vec<String> {
        let mut out = self.head.clone();
        if self.dropped > 0 {
            out.push(format!("… {} lines omitted …", self.dropped));
        }
        out.extend(self.tail.iter().cloned());
        out
    }

    pub fn text(&self) -> String {
        let mut s = self.lines().join("\n");
        if !s.is_empty() {
            s.push('\n');
        }
        s
    }

    /// The last `n` kept lines.
    pub fn last(&self, n: usize) -> Vec<String> {
        let all = self.lines();
        all[all.len().saturating_sub(n)..].to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_head_and_tail_and_counts_the_rest() {
        let mut log = BoundedLog::new(2, 3);
        for i in 0..10 {
            log.push(format!("line {i}").as_bytes());
        }
        assert_eq!(
            log.lines(),
            [
                "line 0",
                "line 1",
                "… 5 lines omitted …",
                "line 7",
                "line 8",
                "line 9"
            ]
        );
        assert_eq!(log.total_lines(), 10);
        assert_eq!(log.last(2), ["line 8", "line 9"]);
    }

    #[test]
    fn strips_ansi_and_progress_redraws_and_cuts_long_lines() {
        let mut log = BoundedLog::new(10, 10);
        log.push(b"\x1b[31;1merror:\x1b[0m boom");
        log.push(b" 10%\r 50%\r100%\r");
        log.push("é".repeat(5000).as_bytes());
        let lines = log.lines();
        assert_eq!(lines[0], "error: boom");
        assert_eq!(lines[1], "100%");
        assert!(lines[2].len() < 4200 && lines[2].ends_with("[line cut]"));
    }
}

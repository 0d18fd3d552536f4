//! All user-facing output goes through here: data to stdout (JSON with `--json`), messages for
//! people to stderr, colour only when stderr is a terminal and `NO_COLOR` is unset.

use std::io::Write;

use anstyle::{AnsiColor, Style};

use crate::error::CliError;

pub struct Printer {
    json: bool,
    verbosity: i8,
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default().bold();
const OK: Style = AnsiColor::Green.on_default().bold();
const DIM: Style = Style::new().dimmed();

impl Printer {
    pub fn new(json: bool, verbosity: i8) -> Printer {
        Printer { json, verbosity }
    }

    pub fn json(&self) -> bool {
        self.json
    }

    /// The command's result: `human` as a line on stdout, or `value` as JSON with `--json`.
    pub fn data(&self, human: &str, value: &serde_json::Value) {
        let mut out = std::io::stdout().lock();
        // Write errors (a closed pipe) end output quietly.
        let _ = if self.json {
            writeln!(out, "{value:#}")
        } else {
            writeln!(out, "{human}")
        };
    }

    /// A progress or status line for people (stderr), hidden with -q.
    pub fn status(&self, message: &str) {
        if self.verbosity >= 0 {
            let _ = writeln!(anstream::stderr(), "{message}");
        }
    }

    pub fn warn(&self, message: &str) {
        if self.verbosity >= 0 {
            let _ = writeln!(anstream::stderr(), "{WARN}warning:{WARN:#} {message}");
        }
    }

    /// One check line for `doctor`-style reports.
    pub fn check(&self, state: CheckState, name: &str, detail: &str, hint: Option<&str>) {
        if self.verbosity < 0 && state != CheckState::Error {
            return;
        }
        let (style, label) = match state {
            CheckState::Ok => (OK, "ok"),
            CheckState::Warn => (WARN, "warn"),
            CheckState::Error => (ERROR, "error"),
        };
        let mut err = anstream::stderr();
        let _ = writeln!(err, "{style}{label:>5}{style:#}  {name}: {detail}");
        if let Some(h) = hint {
            let _ = writeln!(err, "       {DIM}→ {h}{DIM:#}");
        }
    }

    /// The final error: one line, plus a hint line when there is one.
    pub fn error(&self, e: &CliError) {
        let mut err = anstream::stderr();
        let _ = writeln!(err, "{ERROR}error:{ERROR:#} {}", e.message);
        if let Some(h) = &e.hint {
            let _ = writeln!(err, "{DIM}hint:{DIM:#} {h}");
        }
    }

    /// Whether a progress bar may be drawn (a terminal on stderr, not quiet).
    pub fn progress_allowed(&self) -> bool {
        use std::io::IsTerminal;
        self.verbosity >= 0 && std::io::stderr().is_terminal()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckState {
    Ok,
    Warn,
    Error,
}

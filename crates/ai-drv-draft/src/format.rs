//! Formatting of Nix text: nixpkgs' formatter (`nixfmt`) when the machine has it, else the text
//! as it is, since `render` already writes the formatter's layout.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Stdio};

/// `text` formatted by `nixfmt` from `PATH`; `text` unchanged when `nixfmt` is missing or
/// fails (a draft that does not parse is still worth building: the build says what is wrong).
pub fn format(text: &str) -> String {
    format_with(OsStr::new("nixfmt"), text)
}

/// `text` formatted by the formatter `program` (reading stdin, writing stdout); `text`
/// unchanged when the program cannot run, fails, or prints nothing.
pub fn format_with(program: &OsStr, text: &str) -> String {
    match run(program, text) {
        Some(formatted) if !formatted.trim().is_empty() => formatted,
        _ => text.to_string(),
    }
}

fn run(program: &OsStr, text: &str) -> Option<String> {
    let mut child = Command::new(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = text.to_string();
    // Written from another thread so a formatter that prints while it reads cannot block on a
    // full pipe while we block on writing.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().ok()?;
    let written = writer.join().ok()?;
    if written.is_err() || !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

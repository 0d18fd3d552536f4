//! The static safety policy (placeholder signature; being implemented).

use std::path::Path;

/// Which rule a derivation broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// `builtins.exec`, `builtins.importNative`.
    EvalExec,
}

/// One rejection, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    pub rule: Rule,
    pub line: u32,
    pub snippet: String,
    pub reason: String,
}

/// Checks a derivation text. `dir` is the directory the file will live in (relative paths
/// resolve against it).
pub fn check(_text: &str, _dir: Option<&Path>) -> Vec<Violation> {
    Vec::new()
}

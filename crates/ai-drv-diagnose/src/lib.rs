//! Diagnose: read what Nix printed and say, in typed form, what went wrong.
//!
//! The repair stage never looks at raw text; it looks at [`Diagnosis`] values carrying the facts a
//! fixer needs (the `got:` hash, the failing derivation, the missing variable, the log tail). The
//! parser knows the output of Nix 2.3, 2.4–2.28 and 2.29+, from both `nix-build` (which streams
//! build logs) and `nix build` (which quotes their last lines); see the fixtures next to the tests.
//!
//! A builder failure has a second level: [`problems`] reads its build log into [`Problem`] values
//! (a missing header, library, pkg-config module, command, …).

/// A lazily compiled regex with a literal pattern, shared by both parsers (a bad pattern is a
/// bug the tests catch, hence `expect`).
macro_rules! re {
    ($name:ident, $pattern:expr) => {
        static $name: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new($pattern).expect("patterns are literals, checked by the tests")
        });
    };
}

mod parse;
mod problem;

pub use parse::parse;
pub use problem::{problems, Problem};

use serde::Serialize;

/// A position in a Nix file (`file` is `«string»` for `-E` expressions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// Why evaluation could not build a derivation it imports from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IfdCause {
    /// `allow-import-from-derivation = false`.
    Disabled,
    /// Nix 2.8's read-only `nix-instantiate --eval` (needs `--read-write-mode`).
    ReadOnlyEvaluation,
}

/// One thing that went wrong, with the facts a fixer needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Diagnosis {
    /// A fixed-output hash did not match. `derivation` for fixed-output derivations, `url` for
    /// `builtins.fetchurl`; `specified`/`got` exactly as Nix printed them (SRI or `sha256:<nix32>`).
    HashMismatch {
        derivation: Option<String>,
        url: Option<String>,
        specified: String,
        got: String,
    },
    /// A builder exited non-zero.
    BuilderFailed {
        derivation: String,
        exit_code: Option<i32>,
        log_tail: Vec<String>,
    },
    /// A derivation could not be built because its inputs failed.
    DependenciesFailed { derivation: String, count: u32 },
    /// `syntax error, …`.
    SyntaxError {
        message: String,
        location: Option<Location>,
    },
    /// `undefined variable 'name'`.
    UndefinedVariable {
        name: String,
        location: Option<Location>,
    },
    /// `attribute 'name' missing`, or an attribute path that selects nothing.
    MissingAttribute {
        name: String,
        location: Option<Location>,
    },
    /// A function (typically a callPackage file) called without an argument it requires.
    MissingArgument {
        name: String,
        location: Option<Location>,
    },
    /// `infinite recursion encountered`.
    InfiniteRecursion { location: Option<Location> },
    /// Import from derivation was needed but not possible.
    IfdDisabled { derivation: String, cause: IfdCause },
    /// A download failed; `status` is the HTTP status when there was one.
    DownloadFailed {
        url: String,
        status: Option<u16>,
        reason: String,
    },
    /// Any other evaluation error (`throw`, `abort`, type errors, assertions…).
    EvalError {
        message: String,
        location: Option<Location>,
    },
}

impl Diagnosis {
    /// The kind, as it appears in JSON (`hash-mismatch`, `builder-failed`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Diagnosis::HashMismatch { .. } => "hash-mismatch",
            Diagnosis::BuilderFailed { .. } => "builder-failed",
            Diagnosis::DependenciesFailed { .. } => "dependencies-failed",
            Diagnosis::SyntaxError { .. } => "syntax-error",
            Diagnosis::UndefinedVariable { .. } => "undefined-variable",
            Diagnosis::MissingAttribute { .. } => "missing-attribute",
            Diagnosis::MissingArgument { .. } => "missing-argument",
            Diagnosis::InfiniteRecursion { .. } => "infinite-recursion",
            Diagnosis::IfdDisabled { .. } => "ifd-disabled",
            Diagnosis::DownloadFailed { .. } => "download-failed",
            Diagnosis::EvalError { .. } => "eval-error",
        }
    }

    /// How close this is to the root cause: lower is more specific. A failed download explains the
    /// builder failure it causes, which explains the dependency failure above it.
    fn rank(&self) -> u8 {
        match self {
            Diagnosis::HashMismatch { .. } | Diagnosis::DownloadFailed { .. } => 0,
            Diagnosis::SyntaxError { .. }
            | Diagnosis::UndefinedVariable { .. }
            | Diagnosis::MissingAttribute { .. }
            | Diagnosis::MissingArgument { .. }
            | Diagnosis::InfiniteRecursion { .. }
            | Diagnosis::IfdDisabled { .. } => 1,
            Diagnosis::EvalError { .. } => 2,
            Diagnosis::BuilderFailed { .. } => 3,
            Diagnosis::DependenciesFailed { .. } => 4,
        }
    }
}

/// The build log of the first builder failure among `diagnoses`, for [`problems`]: the lines
/// Nix streamed or quoted (at most the last 25; a caller that has the full log should prefer it).
pub fn failed_log(diagnoses: &[Diagnosis]) -> Option<&[String]> {
    diagnoses.iter().find_map(|d| match d {
        Diagnosis::BuilderFailed { log_tail, .. } => Some(log_tail.as_slice()),
        _ => None,
    })
}

/// The diagnosis to act on first: the most specific one, earliest among equals.
pub fn primary(diagnoses: &[Diagnosis]) -> Option<&Diagnosis> {
    diagnoses.iter().min_by_key(|d| d.rank())
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

fn at(location: &Option<Location>) -> String {
    location
        .as_ref()
        .map(|l| format!(" at {l}"))
        .unwrap_or_default()
}

impl std::fmt::Display for Diagnosis {
    /// One line, for people.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Diagnosis::HashMismatch {
                derivation,
                url,
                specified,
                got,
            } => {
                let what = derivation.as_deref().or(url.as_deref()).unwrap_or("?");
                write!(
                    f,
                    "hash mismatch in {what}: specified {specified}, got {got}"
                )
            }
            Diagnosis::BuilderFailed {
                derivation,
                exit_code,
                ..
            } => match exit_code {
                Some(code) => write!(f, "builder for {derivation} failed with exit code {code}"),
                None => write!(f, "builder for {derivation} failed"),
            },
            Diagnosis::DependenciesFailed { derivation, count } => {
                write!(f, "{count} dependencies of {derivation} failed to build")
            }
            Diagnosis::SyntaxError { message, location } => {
                write!(f, "syntax error: {message}{}", at(location))
            }
            Diagnosis::UndefinedVariable { name, location } => {
                write!(f, "undefined variable '{name}'{}", at(location))
            }
            Diagnosis::MissingAttribute { name, location } => {
                write!(f, "attribute '{name}' missing{}", at(location))
            }
            Diagnosis::MissingArgument { name, location } => {
                write!(
                    f,
                    "called without required argument '{name}'{}",
                    at(location)
                )
            }
            Diagnosis::InfiniteRecursion { location } => {
                write!(f, "infinite recursion{}", at(location))
            }
            Diagnosis::IfdDisabled { derivation, cause } => match cause {
                IfdCause::Disabled => write!(
                    f,
                    "import from derivation {derivation} is disabled (allow-import-from-derivation)"
                ),
                IfdCause::ReadOnlyEvaluation => write!(
                    f,
                    "import from derivation {derivation} needs a read-write evaluation"
                ),
            },
            Diagnosis::DownloadFailed {
                url,
                status,
                reason,
            } => match status {
                Some(s) => write!(f, "download of {url} failed: HTTP {s}"),
                None => write!(f, "download of {url} failed: {reason}"),
            },
            Diagnosis::EvalError { message, location } => {
                write!(f, "evaluation error: {message}{}", at(location))
            }
        }
    }
}

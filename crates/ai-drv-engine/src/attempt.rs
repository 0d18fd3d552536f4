//! One attempt: the derivation text that was built and everything learnt from building it.

use std::time::Duration;

use ai_drv_diagnose::{Diagnosis, Problem};
use serde::Serialize;

use crate::check::CheckResult;

/// How far an attempt got. Ordered: a later variant is further along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The policy rejected it; it was not built.
    Rejected,
    /// Nix could not evaluate it (syntax error, unknown attribute…).
    EvalFailed,
    /// A fixed-output hash was wrong; the source itself is fine.
    HashMismatch,
    /// The builder failed.
    BuildFailed,
    /// It built, but the check failed.
    CheckFailed,
    /// It built and the check passed.
    Success,
}

/// The record of one build of one derivation text.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    pub number: u32,
    pub text: String,
    pub outcome: Outcome,
    pub diagnoses: Vec<Diagnosis>,
    pub problems: Vec<Problem>,
    /// The fix applied to this attempt's text to make the next one (`fixer: summary`).
    pub fix: Option<String>,
    /// The end of the build log (ANSI stripped), for people.
    pub log_excerpt: Vec<String>,
    /// The lines around the first error in the log (for the model: the cause often precedes the
    /// end by hundreds of lines).
    pub error_region: Vec<String>,
    /// The last stdenv phase the build entered (`configurePhase`).
    pub phase: Option<String>,
    /// Why the policy rejected the text (then it was not built).
    pub violations: Vec<ai_drv_policy::Violation>,
    pub out_paths: Vec<String>,
    pub check: Option<CheckResult>,
    #[serde(serialize_with = "seconds")]
    pub build_time: Duration,
    #[serde(serialize_with = "seconds")]
    pub check_time: Duration,
}

pub(crate) fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

/// How far into stdenv's phases a build got; later phases rank higher.
pub(crate) fn phase_rank(phase: Option<&str>) -> u8 {
    match phase {
        None => 0,
        Some("unpackPhase") => 1,
        Some("patchPhase") => 2,
        Some("autoreconfPhase") => 3,
        Some("configurePhase") => 4,
        Some("buildPhase") => 5,
        Some("checkPhase") => 6,
        Some("installPhase") => 7,
        Some("fixupPhase") => 8,
        Some("installCheckPhase") => 9,
        Some(_) => 5,
    }
}

impl Attempt {
    /// How far it got: the outcome, then the phase a failed build reached.
    pub fn progress(&self) -> (Outcome, u8) {
        (self.outcome, phase_rank(self.phase.as_deref()))
    }
}

/// The last `Running phase: X` of a log.
pub(crate) fn last_phase(log: &[String]) -> Option<String> {
    log.iter()
        .rev()
        .find_map(|l| l.trim().strip_prefix("Running phase: "))
        .map(|p| p.trim().to_string())
}

/// The lines around the first line that looks like an error: a few before (the command that
/// failed), more after (the rest of the message).
pub(crate) fn error_region(log: &[String]) -> Vec<String> {
    const MARKERS: [&str; 12] = [
        "error:",
        "Error:",
        "ERROR",
        "fatal",
        "undefined reference",
        "No such file or directory",
        "not found",
        "No rule to make target",
        "cannot find",
        "Traceback",
        "*** [",
        "Error 1",
    ];
    let Some(first) = log
        .iter()
        .position(|l| MARKERS.iter().any(|m| l.contains(m)))
    else {
        return Vec::new();
    };
    let from = first.saturating_sub(5);
    let to = (first + 15).min(log.len());
    log[from..to].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn finds_the_phase_and_the_first_error() {
        let log = lines(
            "Running phase: unpackPhase\nunpacking source archive\nRunning phase: buildPhase\ngcc -c sl.c\nsl.c:1:10: fatal error: curses.h: No such file or directory\ncompilation terminated.\nmake: *** [Makefile:3: sl] Error 1",
        );
        assert_eq!(last_phase(&log).as_deref(), Some("buildPhase"));
        let region = error_region(&log);
        assert_eq!(region.len(), 7);
        assert!(region.iter().any(|l| l.contains("curses.h")));
        assert!(phase_rank(Some("installPhase")) > phase_rank(Some("buildPhase")));
    }
}

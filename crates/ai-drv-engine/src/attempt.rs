//! One attempt: the derivation text that was built and everything learnt from building it.

use std::time::Duration;

use ai_drv_diagnose::{Diagnosis, Problem};
use serde::Serialize;

use crate::check::CheckResult;

/// How far an attempt got. Ordered: a later variant is further along.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
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

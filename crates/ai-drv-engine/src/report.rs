//! The report: how the run ended, which attempt is best, and what a human should try next.

use std::time::Duration;

use ai_drv_diagnose::{Diagnosis, Problem};
use serde::Serialize;

use crate::assist::ModelReport;
use crate::attempt::{seconds, Attempt, Outcome};
use crate::check::CheckResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Built, and the check passed.
    Success,
    Failed,
}

/// Time spent in Nix builds and in checks, over all attempts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    #[serde(serialize_with = "seconds")]
    pub build: Duration,
    #[serde(serialize_with = "seconds")]
    pub check: Duration,
    /// Of `check`, the part spent building the library link test with Nix.
    #[serde(serialize_with = "seconds")]
    pub check_builds: Duration,
    /// Waiting for the model (drafts and repairs, tool rounds included).
    #[serde(serialize_with = "seconds")]
    pub model: Duration,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub status: Status,
    pub attempts: Vec<Attempt>,
    /// Index into `attempts` of the best one (the one to keep).
    pub best: usize,
    /// Why the loop stopped.
    pub stopped: String,
    /// What is still wrong, one line (None on success).
    pub diagnosis: Option<String>,
    /// What a human should try next.
    pub advice: Vec<String>,
    pub timings: Timings,
    /// What the model did and cost (None when no model took part).
    pub model: Option<ModelReport>,
}

impl Report {
    /// A run that built nothing (the model gave no draft).
    pub(crate) fn nothing(why: String) -> Report {
        Report {
            status: Status::Failed,
            attempts: Vec::new(),
            best: 0,
            diagnosis: Some(why.clone()),
            stopped: why,
            advice: vec![
                "write a first draft by hand and run `ai-drv build FILE`, or try another model"
                    .into(),
            ],
            timings: Timings::default(),
            model: None,
        }
    }

    /// The report of a run that made `attempts`.
    pub(crate) fn finish(attempts: Vec<Attempt>, stopped: String, timings: Timings) -> Report {
        let best = best_index(&attempts);
        let status = if attempts.get(best).map(|a| a.outcome) == Some(Outcome::Success) {
            Status::Success
        } else {
            Status::Failed
        };
        let (diagnosis, advice) = match attempts.get(best) {
            Some(a) if status == Status::Failed => {
                let last = attempts.last().unwrap_or(a);
                (diagnosis_line(last), advice(last))
            }
            _ => (None, Vec::new()),
        };
        Report {
            status,
            attempts,
            best,
            stopped,
            diagnosis,
            advice,
            timings,
            model: None,
        }
    }

    pub fn best(&self) -> Option<&Attempt> {
        self.attempts.get(self.best)
    }

    /// The text to keep: the best attempt's.
    pub fn best_text(&self) -> Option<&str> {
        self.best().map(|a| a.text.as_str())
    }

    pub fn out_paths(&self) -> &[String] {
        self.best().map(|a| a.out_paths.as_slice()).unwrap_or(&[])
    }

    pub fn check(&self) -> Option<&CheckResult> {
        self.best().and_then(|a| a.check.as_ref())
    }
}

/// The best attempt: the one that got furthest (outcome, then the phase a failed build
/// reached); among equals, the latest (it carries more fixes).
pub(crate) fn best_index(attempts: &[Attempt]) -> usize {
    attempts
        .iter()
        .enumerate()
        .max_by_key(|(i, a)| (a.progress(), *i))
        .map(|(i, _)| i)
        .unwrap_or(0)
}

/// One line saying what is wrong with an attempt.
pub(crate) fn diagnosis_line(attempt: &Attempt) -> Option<String> {
    if attempt.outcome == Outcome::Success {
        return None;
    }
    if let Some(check) = &attempt.check {
        if !check.passed {
            return Some(format!(
                "it builds, but the check failed: {}",
                check.failures.join("; ")
            ));
        }
    }
    if let Some(v) = attempt.violations.first() {
        return Some(format!(
            "the policy rejected it: {}",
            crate::assist::violation_line(v)
        ));
    }
    if let Some(problem) = attempt.problems.first() {
        return Some(problem_line(problem));
    }
    if let Some(d) = ai_drv_diagnose::primary(&attempt.diagnoses) {
        return Some(d.to_string());
    }
    attempt.log_excerpt.last().cloned()
}

fn problem_line(p: &Problem) -> String {
    match p {
        Problem::MissingHeader { header } => format!("the header {header} is missing"),
        Problem::MissingLibrary { library } => format!("the library -l{library} is missing"),
        Problem::MissingPkgConfig { module } => {
            format!("the pkg-config module {module} is missing")
        }
        Problem::MissingCMakePackage { package } => {
            format!("the CMake package {package} is missing")
        }
        Problem::MissingCommand { command } => format!("the command {command} is missing"),
        Problem::MissingPythonModule { module } => format!("the Python module {module} is missing"),
        Problem::MissingPerlModule { module } => format!("the Perl module {module} is missing"),
        Problem::NoConfigure => "there is no configure script".into(),
        Problem::NoMakefile => "there is no Makefile".into(),
        Problem::NoInstallTarget => "the Makefile has no install target".into(),
        Problem::InstallOutsidePrefix { path } => {
            format!("the install step writes to {path}, outside $out")
        }
        Problem::Werror { flag } => format!(
            "a warning is treated as an error{}",
            flag.as_ref()
                .map(|f| format!(" (-Werror={f})"))
                .unwrap_or_default()
        ),
        Problem::ParallelMakeRace => "the parallel build races".into(),
        Problem::BadInterpreter { interpreter } => {
            format!("the interpreter {interpreter} is missing")
        }
        Problem::UnpackMultipleDirs => "the source unpacks into several directories".into(),
        Problem::NoExecutablesInstalled => "no program was installed in $out/bin".into(),
        Problem::OtherBuildError { line } => line.clone(),
    }
}

/// What a human should try, from what the last attempt says.
pub fn advice(attempt: &Attempt) -> Vec<String> {
    let mut out = Vec::new();
    for p in &attempt.problems {
        let line = match p {
            Problem::MissingHeader { header } => format!(
                "find the library that ships {header} and add it to buildInputs (no package in the set provides it under that name)"
            ),
            Problem::MissingLibrary { library } => format!(
                "add the package that provides lib{library} to buildInputs"
            ),
            Problem::MissingPkgConfig { module } => format!(
                "add the package that provides the pkg-config module {module} to buildInputs, and pkg-config to nativeBuildInputs"
            ),
            Problem::MissingCMakePackage { package } => format!(
                "add the package that provides CMake's {package} to buildInputs, or disable the feature with a cmakeFlags option"
            ),
            Problem::MissingCommand { command } => format!(
                "add the package that provides the command {command} to nativeBuildInputs"
            ),
            Problem::MissingPythonModule { module } => format!(
                "add the Python package providing {module} to dependencies (or build-system)"
            ),
            Problem::MissingPerlModule { module } => format!(
                "add the package that provides the Perl module {module} (perlPackages.{}) to buildInputs, and wrap the installed scripts with PERL5LIB",
                module.replace("::", "")
            ),
            Problem::NoInstallTarget | Problem::NoExecutablesInstalled => {
                "write an installPhase that copies the built programs to $out/bin".into()
            }
            Problem::InstallOutsidePrefix { .. } => {
                "pass the install prefix the Makefile expects (PREFIX, prefix or DESTDIR) in makeFlags".into()
            }
            _ => continue,
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    if let Some(check) = &attempt.check {
        if !check.passed {
            out.push(format!(
                "it builds; run {} by hand to see why the check fails",
                check.command.as_deref().unwrap_or("the program")
            ));
        }
    }
    if attempt.diagnoses.iter().any(|d| {
        matches!(
            d,
            Diagnosis::SyntaxError { .. } | Diagnosis::EvalError { .. }
        )
    }) {
        out.push(
            "fix the Nix error shown above; `ai-drv build FILE --no-repair` shows it again".into(),
        );
    }
    if !attempt.violations.is_empty() {
        out.push("remove what the policy rejected (each reason says what to do instead), then run `ai-drv build FILE`".into());
    }
    if out.is_empty() {
        out.push("read the end of the build log above and adjust the derivation; `ai-drv build FILE` repairs again from there".into());
    }
    out
}

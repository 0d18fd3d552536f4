//! The loop: build → diagnose → repair → build … → check, until the package works or the budget
//! is spent.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use ai_drv_diagnose::Diagnosis;
use ai_drv_hostpkgs::package_set::{nix_path_literal, PackageSet};
use ai_drv_hostpkgs::resolver::Index;
use ai_drv_nix::{BuildOptions, EvalOptions, Nix, NixError, Target};
use ai_drv_repair::Context;
use ai_drv_syntax::Document;

use crate::assist::{Assistant, Failure, StepInput};
use crate::attempt::{error_region, last_phase, Attempt, Outcome};
use crate::build::{attempt_file, build, Build};
use crate::check::{check_programs, link_test_command, link_test_expr, CheckPlan, CheckResult};
use crate::report::{best_index, diagnosis_line, Report, Status, Timings};

/// Budgets and limits.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Builds at most this many derivation texts (`--max-attempts`, default 8).
    pub max_attempts: u32,
    /// Kill a build that runs longer than this.
    pub build_timeout: Duration,
    /// Kill a build that prints nothing for this long.
    pub max_silent: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            max_attempts: 8,
            build_timeout: Duration::from_secs(30 * 60),
            max_silent: Duration::from_secs(10 * 60),
        }
    }
}

/// What the loop is doing, for progress displays.
#[derive(Debug)]
pub enum Event<'a> {
    Attempt {
        number: u32,
        max: u32,
    },
    LogLine(&'a str),
    Checking,
    /// An attempt ended (its fix, if any, comes with the next `Fix` event).
    Attempted(&'a Attempt),
    Fix {
        summary: &'a str,
    },
    /// The model is asked for a draft or a repair.
    Model {
        step: &'a str,
    },
    Done {
        status: Status,
    },
}

pub trait Observer {
    fn event(&self, event: Event<'_>);
}

impl Observer for () {
    fn event(&self, _: Event<'_>) {}
}

/// Where the loop starts.
#[derive(Debug, Clone, Copy)]
pub enum Start<'a> {
    /// A derivation text (a rule-made draft, or a user's file).
    Text(&'a str),
    /// The model drafts first. `reference` is a text ai-drv made for the same source, whose
    /// hashes the model may keep (the `src` it was given).
    ModelDraft { reference: Option<&'a str> },
}

pub struct Engine {
    nix: Nix,
    set: PackageSet,
    index: Index,
    options: EngineOptions,
}

impl Engine {
    pub fn new(nix: Nix, set: PackageSet, index: Index, options: EngineOptions) -> Engine {
        Engine {
            nix,
            set,
            index,
            options,
        }
    }

    pub fn package_set(&self) -> &PackageSet {
        &self.set
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Runs the loop on `text`. Attempts are written next to where the file will live (`dir`),
    /// so that relative paths in it resolve; `tree` is the unpacked source when known.
    pub fn run(
        &self,
        text: &str,
        dir: &Path,
        tree: Option<&Path>,
        plan: &CheckPlan,
        observer: &dyn Observer,
    ) -> Report {
        self.run_with(Start::Text(text), dir, tree, plan, observer, None)
    }

    /// Runs the loop with a model: it drafts when asked to, and repairs whenever no
    /// deterministic fixer applies, within its budget.
    pub fn run_assisted(
        &self,
        start: Start<'_>,
        dir: &Path,
        tree: Option<&Path>,
        plan: &CheckPlan,
        observer: &dyn Observer,
        assistant: &mut Assistant,
    ) -> Report {
        self.run_with(start, dir, tree, plan, observer, Some(assistant))
    }

    fn run_with(
        &self,
        start: Start<'_>,
        dir: &Path,
        tree: Option<&Path>,
        plan: &CheckPlan,
        observer: &dyn Observer,
        mut assistant: Option<&mut Assistant>,
    ) -> Report {
        let file = attempt_file(dir);
        let mut report = self.run_in(
            start,
            dir,
            &file,
            tree,
            plan,
            observer,
            assistant.as_deref_mut(),
        );
        let _ = fs_err::remove_file(&file);
        report.model = assistant.map(|a| a.report().clone());
        observer.event(Event::Done {
            status: report.status,
        });
        report
    }

    /// Whether `name` is an attribute of the package set (None when Nix cannot tell).
    fn attribute_exists(&self, name: &str) -> Option<bool> {
        if !crate::assist::is_attr_path(name) {
            return Some(false);
        }
        if self.index.provides(name) {
            return Some(true);
        }
        let expr = format!(
            "let pkgs = {}; in pkgs ? {}",
            self.set.import_expr(),
            name.split('.')
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(".")
        );
        let options = EvalOptions {
            common: self.set.options(),
            strict: false,
            json: false,
            allow_ifd: false,
        };
        match self.nix.eval(&Target::expr(expr), &options) {
            Ok(out) => Some(out.trim() == "true"),
            Err(_) => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn run_in(
        &self,
        start: Start<'_>,
        dir: &Path,
        file: &Path,
        tree: Option<&Path>,
        plan: &CheckPlan,
        observer: &dyn Observer,
        mut assistant: Option<&mut Assistant>,
    ) -> Report {
        let mut attempts: Vec<Attempt> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut timings = Timings::default();
        let options = self.build_options();
        let exists = |name: &str| self.attribute_exists(name);
        let mut current = match start {
            Start::Text(text) => text.to_string(),
            Start::ModelDraft { reference } => {
                let Some(a) = assistant.as_deref_mut() else {
                    return Report::nothing("no model to draft with".into());
                };
                observer.event(Event::Model { step: "draft" });
                let input = StepInput {
                    index: &self.index,
                    dir,
                    seen: &seen,
                    exists: &exists,
                };
                let reference = reference.and_then(|r| Document::parse(r).ok());
                let start = Instant::now();
                let drafted = a.draft(&input, reference.as_ref());
                timings.model += start.elapsed();
                match drafted {
                    Ok(p) => {
                        observer.event(Event::Fix {
                            summary: &p.summary,
                        });
                        p.text
                    }
                    Err(why) => return Report::nothing(why),
                }
            }
        };
        let stopped;
        loop {
            let number = attempts.len() as u32 + 1;
            observer.event(Event::Attempt {
                number,
                max: self.options.max_attempts,
            });
            seen.insert(current.clone());
            let violations = ai_drv_policy::check(&current, Some(dir));
            let mut attempt;
            if !violations.is_empty() {
                attempt = rejected(number, &current, violations);
            } else {
                let mut on_line = |line: &str| observer.event(Event::LogLine(line));
                let built = build(&self.nix, &self.set, &options, file, &current, &mut on_line);
                timings.build += built.duration;
                if let Some(fatal) = built.fatal {
                    stopped = fatal;
                    attempts.push(record(
                        number,
                        &current,
                        Outcome::EvalFailed,
                        Build {
                            fatal: None,
                            ..built
                        },
                    ));
                    break;
                }
                if built.out_paths.is_empty() {
                    let outcome = outcome_of(&built.diagnoses);
                    attempt = record(number, &current, outcome, built);
                } else {
                    observer.event(Event::Checking);
                    let start = Instant::now();
                    let (check, check_build) = self.check(&built.out_paths, file, plan);
                    timings.check += start.elapsed();
                    timings.check_builds += check_build;
                    let outcome = if check.passed {
                        Outcome::Success
                    } else {
                        Outcome::CheckFailed
                    };
                    attempt = record(number, &current, outcome, built);
                    attempt.check_time = start.elapsed();
                    attempt.problems.extend(check.problems.iter().cloned());
                    attempt.check = Some(check);
                }
            }
            let outcome = attempt.outcome;
            observer.event(Event::Attempted(&attempt));
            attempts.push(attempt);
            if outcome == Outcome::Success {
                stopped = "built, and the check passed".into();
                break;
            }
            if number >= self.options.max_attempts {
                stopped = format!("stopped after {number} attempts (--max-attempts)");
                break;
            }
            let Some(last) = attempts.last() else {
                stopped = "nothing was attempted".into();
                break;
            };
            if let Some((summary, next)) = self.next(&current, last, tree, &seen) {
                observer.event(Event::Fix { summary: &summary });
                if let Some(last) = attempts.last_mut() {
                    last.fix = Some(summary);
                }
                current = next;
                continue;
            }
            let Some(a) = assistant.as_deref_mut() else {
                stopped = if outcome == Outcome::Rejected {
                    "the policy rejected the derivation".into()
                } else {
                    "no fixer applies to what went wrong".into()
                };
                break;
            };
            // No rule applies: the model repairs, from the best attempt if the last one was a
            // step back.
            let best = best_index(&attempts);
            let last_index = attempts.len() - 1;
            let (base, rolled_back) = if attempts[best].progress() > attempts[last_index].progress()
            {
                let note = format!(
                    "attempt {} got less far than attempt {} ({}); the repair starts again from attempt {}",
                    attempts[last_index].number,
                    attempts[best].number,
                    crate::assist::outcome_words(attempts[best].outcome),
                    attempts[best].number
                );
                (attempts[best].text.clone(), Some(note))
            } else {
                (current.clone(), None)
            };
            let history: Vec<String> = attempts
                .iter()
                .map(|x| crate::assist::attempt_line(x, diagnosis_line(x).as_deref()))
                .collect();
            let about = if rolled_back.is_some() {
                &attempts[best]
            } else {
                &attempts[last_index]
            };
            let failure = Failure {
                attempt: about,
                diagnosis: diagnosis_line(about),
                history,
                rolled_back: rolled_back.clone(),
            };
            observer.event(Event::Model { step: "repair" });
            let input = StepInput {
                index: &self.index,
                dir,
                seen: &seen,
                exists: &exists,
            };
            let start = Instant::now();
            let proposal = a.repair(&input, &base, &failure);
            timings.model += start.elapsed();
            match proposal {
                Ok(p) => {
                    let summary = match &rolled_back {
                        Some(_) => format!(
                            "rolled back to attempt {}; {}",
                            attempts[best].number, p.summary
                        ),
                        None => p.summary,
                    };
                    observer.event(Event::Fix { summary: &summary });
                    attempts[last_index].fix = Some(summary);
                    current = p.text;
                }
                Err(why) => {
                    stopped = why;
                    break;
                }
            }
        }
        Report::finish(attempts, stopped, timings)
    }

    fn build_options(&self) -> BuildOptions {
        let mut options = self.set.build_options();
        options.build_timeout = Some(self.options.build_timeout.as_secs());
        options.max_silent_time = Some(self.options.max_silent.as_secs());
        options.no_substitutes = true;
        options
    }

    /// The first candidate fix whose text has not been built yet.
    fn next(
        &self,
        current: &str,
        attempt: &Attempt,
        tree: Option<&Path>,
        seen: &HashSet<String>,
    ) -> Option<(String, String)> {
        let doc = Document::parse(current).ok()?;
        let cx = Context {
            diagnoses: &attempt.diagnoses,
            problems: &attempt.problems,
            index: &self.index,
            tree,
        };
        for fix in ai_drv_repair::candidates(&doc, &cx) {
            let fixed = ai_drv_repair::reset_hashes_for_changed_fetchers(&doc, &fix.document);
            let text = fixed.text().to_string();
            if !seen.contains(&text) {
                return Some((format!("{}: {}", fix.fixer, fix.summary), text));
            }
        }
        None
    }

    /// The engine's check of a built output; returns it and the time spent in Nix builds for it.
    fn check(
        &self,
        out_paths: &[String],
        file: &Path,
        plan: &CheckPlan,
    ) -> (CheckResult, Duration) {
        let Some(out) = out_paths.first() else {
            return (
                CheckResult {
                    passed: false,
                    command: None,
                    output: String::new(),
                    failures: vec!["the build produced no output path".into()],
                    problems: Vec::new(),
                },
                Duration::ZERO,
            );
        };
        let (mut result, library) = check_programs(Path::new(out), plan);
        let mut spent = Duration::ZERO;
        if let Some(surface) = library {
            let package = format!("pkgs.callPackage {} {{ }}", nix_path_literal(file));
            let expr = link_test_expr(&package, &self.set.import_expr(), &surface);
            let command = link_test_command(&surface);
            let start = Instant::now();
            let outcome = self
                .nix
                .build(&Target::expr(expr), &self.build_options(), None);
            spent = start.elapsed();
            match outcome {
                Ok(_) => {
                    if result.command.is_none() {
                        result.command = Some(command);
                    }
                }
                Err(NixError::Failed { log, .. }) => {
                    let tail = log.last(5).join("\n");
                    result
                        .failures
                        .push(format!("the link test `{command}` failed: {tail}"));
                    if result.command.is_none() {
                        result.command = Some(command);
                        result.output = tail;
                    }
                }
                Err(e) => result
                    .failures
                    .push(format!("the link test could not run: {e}")),
            }
            result.passed = result.failures.is_empty();
        }
        (result, spent)
    }
}

fn outcome_of(diagnoses: &[Diagnosis]) -> Outcome {
    match ai_drv_diagnose::primary(diagnoses) {
        Some(Diagnosis::HashMismatch { .. }) => Outcome::HashMismatch,
        Some(Diagnosis::BuilderFailed { .. })
        | Some(Diagnosis::DependenciesFailed { .. })
        | Some(Diagnosis::DownloadFailed { .. }) => Outcome::BuildFailed,
        Some(_) => Outcome::EvalFailed,
        None => Outcome::BuildFailed,
    }
}

fn record(number: u32, text: &str, outcome: Outcome, built: Build) -> Attempt {
    let excerpt_from = built.log.len().saturating_sub(30);
    Attempt {
        number,
        text: text.to_string(),
        outcome,
        diagnoses: built.diagnoses,
        problems: built.problems,
        fix: None,
        error_region: error_region(&built.log),
        phase: last_phase(&built.log),
        violations: Vec::new(),
        log_excerpt: built.log[excerpt_from..].to_vec(),
        out_paths: built.out_paths,
        check: None,
        build_time: built.duration,
        check_time: Duration::ZERO,
    }
}

fn rejected(number: u32, text: &str, violations: Vec<ai_drv_policy::Violation>) -> Attempt {
    Attempt {
        number,
        text: text.to_string(),
        outcome: Outcome::Rejected,
        diagnoses: Vec::new(),
        problems: Vec::new(),
        fix: None,
        log_excerpt: Vec::new(),
        error_region: Vec::new(),
        phase: None,
        violations,
        out_paths: Vec::new(),
        check: None,
        build_time: Duration::ZERO,
        check_time: Duration::ZERO,
    }
}

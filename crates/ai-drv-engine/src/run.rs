//! The loop: build → diagnose → repair → build … → check, until the package works or the budget
//! is spent.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use ai_drv_diagnose::Diagnosis;
use ai_drv_hostpkgs::package_set::{nix_path_literal, PackageSet};
use ai_drv_hostpkgs::resolver::Index;
use ai_drv_nix::{BuildOptions, Nix, NixError, Target};
use ai_drv_repair::Context;
use ai_drv_syntax::Document;

use crate::attempt::{Attempt, Outcome};
use crate::build::{attempt_file, build, Build};
use crate::check::{check_programs, link_test_command, link_test_expr, CheckPlan, CheckResult};
use crate::report::{advice, best_index, diagnosis_line, Report, Status, Timings};

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
    Attempt { number: u32, max: u32 },
    LogLine(&'a str),
    Checking,
    Fix { summary: &'a str },
    Done { status: Status },
}

pub trait Observer {
    fn event(&self, event: Event<'_>);
}

impl Observer for () {
    fn event(&self, _: Event<'_>) {}
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
        let file = attempt_file(dir);
        let report = self.run_in(text, &file, tree, plan, observer);
        let _ = fs_err::remove_file(&file);
        observer.event(Event::Done {
            status: report.status,
        });
        report
    }

    fn run_in(
        &self,
        text: &str,
        file: &Path,
        tree: Option<&Path>,
        plan: &CheckPlan,
        observer: &dyn Observer,
    ) -> Report {
        let mut attempts: Vec<Attempt> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut timings = Timings::default();
        let mut current = text.to_string();
        let options = self.build_options();
        let stopped;
        loop {
            let number = attempts.len() as u32 + 1;
            observer.event(Event::Attempt {
                number,
                max: self.options.max_attempts,
            });
            seen.insert(current.clone());
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
            let mut attempt;
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
            let outcome = attempt.outcome;
            attempts.push(attempt);
            if outcome == Outcome::Success {
                stopped = "built, and the check passed".into();
                break;
            }
            if number >= self.options.max_attempts {
                stopped = format!("stopped after {number} attempts (--max-attempts)");
                break;
            }
            let last = attempts.last_mut();
            let Some(last) = last else {
                stopped = "nothing was attempted".into();
                break;
            };
            match self.next(&current, last, tree, &seen) {
                Some((summary, next)) => {
                    observer.event(Event::Fix { summary: &summary });
                    last.fix = Some(summary);
                    current = next;
                }
                None => {
                    stopped = "no fixer applies to what went wrong".into();
                    break;
                }
            }
        }
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
        }
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
        log_excerpt: built.log[excerpt_from..].to_vec(),
        out_paths: built.out_paths,
        check: None,
        build_time: built.duration,
        check_time: Duration::ZERO,
    }
}

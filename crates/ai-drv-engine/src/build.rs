//! Building one derivation text against the package set, and turning a failure into
//! diagnoses (Nix level) and problems (build-log level).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ai_drv_diagnose::{Diagnosis, Problem};
use ai_drv_hostpkgs::package_set::PackageSet;
use ai_drv_nix::{BuildOptions, Nix, NixError, Target};

/// What one `nix-build` of a text gave.
pub(crate) struct Build {
    pub out_paths: Vec<String>,
    pub diagnoses: Vec<Diagnosis>,
    pub problems: Vec<Problem>,
    /// The whole (bounded) log, ANSI stripped.
    pub log: Vec<String>,
    pub duration: Duration,
    /// Nix itself could not be run (not a property of the derivation).
    pub fatal: Option<String>,
}

/// Writes `text` to `file` and builds it with `set`.
pub(crate) fn build(
    nix: &Nix,
    set: &PackageSet,
    options: &BuildOptions,
    file: &Path,
    text: &str,
    on_line: &mut dyn FnMut(&str),
) -> Build {
    let start = Instant::now();
    if let Err(e) = fs_err::write(file, text) {
        return fatal(format!("cannot write the derivation: {e}"), start);
    }
    let expr = set.call_package_expr(file, "{ }");
    let mut sink = |line: &str| on_line(line);
    match nix.build(&Target::expr(expr), options, Some(&mut sink)) {
        Ok(built) => Build {
            out_paths: built.out_paths,
            diagnoses: Vec::new(),
            problems: Vec::new(),
            log: clean(built.log.lines()),
            duration: built.duration,
            fatal: None,
        },
        Err(NixError::Failed { diagnoses, log, .. }) => {
            let lines = clean(log.lines());
            Build {
                out_paths: Vec::new(),
                problems: ai_drv_diagnose::problems(&lines),
                diagnoses,
                log: lines,
                duration: start.elapsed(),
                fatal: None,
            }
        }
        Err(NixError::TimedOut { after, log, .. }) => {
            let lines = clean(log.lines());
            Build {
                out_paths: Vec::new(),
                diagnoses: Vec::new(),
                problems: vec![Problem::OtherBuildError {
                    line: format!("the build did not finish within {} s", after.as_secs()),
                }],
                log: lines,
                duration: start.elapsed(),
                fatal: None,
            }
        }
        Err(e) => fatal(e.to_string(), start),
    }
}

fn fatal(message: String, start: Instant) -> Build {
    Build {
        out_paths: Vec::new(),
        diagnoses: Vec::new(),
        problems: Vec::new(),
        log: Vec::new(),
        duration: start.elapsed(),
        fatal: Some(message),
    }
}

fn clean(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .map(|l| String::from_utf8_lossy(&strip_ansi_escapes::strip(l.as_bytes())).into_owned())
        .collect()
}

/// Where attempts are written: a hidden file next to the derivation, so that relative paths in
/// it (patches, other files) resolve as they will in the final file.
pub(crate) fn attempt_file(dir: &Path) -> PathBuf {
    dir.join(".ai-drv-attempt.nix")
}

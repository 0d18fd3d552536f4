//! Running a [`Check`] against an output directory.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;
use serde::Deserialize;

/// What must hold of a built output. Every field is optional; the library-resolution check
/// always runs.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Check {
    /// A shell command, run with PATH=OUT/bin:/usr/bin:/bin, TERM=dumb, stdin closed.
    pub run: Option<String>,
    /// A regex that stdout+stderr of `run` must match.
    pub expect: Option<String>,
    /// Paths relative to OUT that must exist.
    #[serde(default)]
    pub files: Vec<String>,
    /// A module `pkg-config --exists` must find in OUT's pkgconfig directories.
    pub pkg_config: Option<String>,
}

/// One way the output failed its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const RUN_TIMEOUT: Duration = Duration::from_secs(10);

/// Checks `out` and returns every failure (empty: it works).
pub fn verify(out: &Path, check: &Check) -> Vec<Failure> {
    let mut failures = Vec::new();
    for file in &check.files {
        if !out.join(file).exists() && out.join(file).symlink_metadata().is_err() {
            failures.push(Failure(format!("{file} does not exist in the output")));
        }
    }
    if let Some(run) = &check.run {
        match run_command(out, run) {
            Ok(text) => {
                if let Some(expect) = &check.expect {
                    match Regex::new(expect) {
                        Ok(re) if re.is_match(&text) => {}
                        Ok(_) => failures.push(Failure(format!(
                            "`{run}` printed {:?}, which does not match /{expect}/",
                            excerpt(&text)
                        ))),
                        Err(e) => {
                            failures.push(Failure(format!("bad expect regex /{expect}/: {e}")))
                        }
                    }
                }
            }
            Err(e) => failures.push(Failure(format!("`{run}`: {e}"))),
        }
    }
    if let Some(module) = &check.pkg_config {
        let path = format!(
            "{}:{}",
            out.join("lib/pkgconfig").display(),
            out.join("share/pkgconfig").display()
        );
        let found = Command::new("pkg-config")
            .args(["--exists", module])
            .env("PKG_CONFIG_PATH", path)
            .status()
            .map(|s| s.success());
        match found {
            Ok(true) => {}
            Ok(false) => failures.push(Failure(format!("pkg-config does not find {module}"))),
            Err(e) => failures.push(Failure(format!("cannot run pkg-config: {e}"))),
        }
    }
    failures.extend(unresolved_libraries(out));
    failures
}

fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    if t.len() < text.len() {
        format!("{t}…")
    } else {
        t
    }
}

fn run_command(out: &Path, run: &str) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a scratch directory: {e}"))?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1; {run}"))
        .env(
            "PATH",
            format!("{}:/usr/bin:/bin", out.join("bin").display()),
        )
        .env("TERM", "dumb")
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start sh: {e}"))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let start = Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if start.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not finish within {} s", RUN_TIMEOUT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let bytes = reader.join().unwrap_or_default();
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Every ELF file in OUT/bin must have all its shared libraries resolved (`ldd` prints no
/// "not found").
fn unresolved_libraries(out: &Path) -> Vec<Failure> {
    let mut failures = Vec::new();
    let Ok(entries) = fs_err::read_dir(out.join("bin")) else {
        return failures;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let is_elf = std::fs::read(&path)
            .map(|b| b.starts_with(b"\x7fELF"))
            .unwrap_or(false);
        if !is_elf {
            continue;
        }
        if let Ok(output) = Command::new("ldd").arg(&path).output() {
            let text = String::from_utf8_lossy(&output.stdout);
            for line in text.lines().filter(|l| l.contains("not found")) {
                failures.push(Failure(format!(
                    "{}: {}",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    line.trim()
                )));
            }
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn out_with_script(body: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        fs_err::create_dir_all(&bin).unwrap();
        let prog = bin.join("prog");
        fs_err::write(&prog, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs_err::set_permissions(&prog, std::fs::Permissions::from_mode(0o755)).unwrap();
        dir
    }

    #[test]
    fn a_matching_program_passes_and_a_wrong_one_fails() {
        let out = out_with_script("echo 'prog 1.2.3'");
        let check = Check {
            run: Some("prog --version".into()),
            expect: Some(r"prog 1\.2\.3".into()),
            files: vec!["bin/prog".into()],
            pkg_config: None,
        };
        assert_eq!(verify(out.path(), &check), vec![]);
        let wrong = Check {
            expect: Some(r"prog 2\.0".into()),
            files: vec!["bin/missing".into()],
            ..check
        };
        let failures = verify(out.path(), &wrong);
        assert_eq!(failures.len(), 2, "{failures:?}");
        assert!(failures[0].0.contains("bin/missing does not exist"));
        assert!(failures[1].0.contains("does not match"));
    }

    #[test]
    fn a_hanging_program_times_out() {
        let out = out_with_script("sleep 30");
        let check = Check {
            run: Some("prog".into()),
            expect: Some("x".into()),
            ..Check::default()
        };
        let failures = verify(out.path(), &check);
        assert!(failures[0].0.contains("did not finish"), "{failures:?}");
    }

    #[test]
    fn the_dev_corpus_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/dev.toml");
        let corpus = crate::Corpus::load(&path).unwrap();
        assert!(corpus.packages.len() >= 38);
        let hello = corpus.get("hello").unwrap();
        assert_eq!(hello.check.run.as_deref(), Some("hello --version"));
    }
}

//! The engine's own check: does what was built work? Programs are run with a version or help
//! flag in a clean environment, offline, stdin closed, with a timeout; every ELF program must find
//! its shared libraries; a library must be usable — a one-line C program compiles and links
//! against its headers and pkg-config module (that part is a Nix build, made by the engine).

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ai_drv_diagnose::Problem;
use serde::Serialize;

/// What the package is meant to be, as far as the check is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Program,
    Library,
    Both,
    Unknown,
}

/// What to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckPlan {
    pub kind: Kind,
    /// The program to run, when known (`meta.mainProgram`).
    pub main_program: Option<String>,
    /// The package name: the program to run when there is no main program.
    pub pname: Option<String>,
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    pub passed: bool,
    /// What was run (a program with its flag, or the link test).
    pub command: Option<String>,
    /// What it printed (trimmed).
    pub output: String,
    /// Why it failed, one line each.
    pub failures: Vec<String>,
    /// The same as typed problems the fixers act on.
    #[serde(skip)]
    pub problems: Vec<Problem>,
}

/// What a library exposes for the link test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LibrarySurface {
    pub modules: Vec<String>,
    pub header: Option<String>,
    pub libraries: Vec<String>,
}

const RUN_TIMEOUT: Duration = Duration::from_secs(5);
const FLAGS: [&str; 5] = ["--version", "-V", "--help", "-h", "-v"];

/// Checks the programs of `out`; the library part is returned as a surface for the caller to
/// build the link test from (None when `out` installs no library).
pub(crate) fn check_programs(
    out: &Path,
    plan: &CheckPlan,
) -> (CheckResult, Option<LibrarySurface>) {
    let mut result = CheckResult {
        passed: true,
        command: None,
        output: String::new(),
        failures: Vec::new(),
        problems: Vec::new(),
    };
    for failure in ai_drv_check::verify(out, &ai_drv_check::Check::default()) {
        result.failures.push(failure.0);
    }
    let programs = executables(&out.join("bin"));
    let library = library_surface(out);
    // What the package is meant to be decides what must be there; an unknown kind with nothing
    // to run and no library passes on the library-resolution check alone.
    let wants_program = matches!(plan.kind, Kind::Program | Kind::Both);
    if programs.is_empty() {
        if wants_program {
            result
                .failures
                .push("no executable was installed in $out/bin".into());
            result.problems.push(Problem::NoExecutablesInstalled);
        }
    } else if let Some(program) = pick(&programs, plan) {
        match run_program(&program) {
            Ok((command, output)) => {
                result.command = Some(command);
                result.output = output;
            }
            Err((command, output, why)) => {
                result.command = Some(command);
                result.output = output;
                result.failures.push(why);
            }
        }
    }
    if matches!(plan.kind, Kind::Library) && library.is_none() {
        result
            .failures
            .push("no library (lib*.so, lib*.a or a pkg-config module) was installed".into());
    }
    result.passed = result.failures.is_empty();
    (result, library)
}

fn executables(bin: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs_err::read_dir(bin) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::metadata(p)
                .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false)
        })
        .collect();
    found.sort();
    found
}

fn pick(programs: &[PathBuf], plan: &CheckPlan) -> Option<PathBuf> {
    let named = |name: &str| {
        programs
            .iter()
            .find(|p| p.file_name().is_some_and(|f| f == name))
            .cloned()
    };
    plan.main_program
        .as_deref()
        .and_then(named)
        .or_else(|| plan.pname.as_deref().and_then(named))
        .or_else(|| programs.first().cloned())
}

/// Runs the program with each flag until one answers. A program that exits 0, or prints
/// something and exits normally, works; one that cannot start (missing interpreter or library),
/// dies of a signal, or says nothing at all does not.
fn run_program(program: &Path) -> Result<(String, String), (String, String, String)> {
    let name = program
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = (String::new(), String::new(), String::new());
    for flag in FLAGS {
        let command = format!("{name} {flag}");
        match run_once(program, flag) {
            Ok(run) => {
                let broken = run.output.contains("error while loading shared libraries")
                    || run.output.contains("bad interpreter")
                    || matches!(run.code, Some(126) | Some(127));
                if broken {
                    let why = format!("`{command}` could not start: {}", first_line(&run.output));
                    return Err((command, run.output, why));
                }
                if run.code == Some(0) || (run.signal.is_none() && !run.output.trim().is_empty()) {
                    return Ok((command, run.output));
                }
                if run.timed_out && !run.output.trim().is_empty() {
                    return Ok((command, run.output));
                }
                let why = match (run.signal, run.timed_out) {
                    (_, true) => format!(
                        "`{command}` printed nothing within {} s",
                        RUN_TIMEOUT.as_secs()
                    ),
                    (Some(sig), _) => format!("`{command}` was killed by signal {sig}"),
                    _ => format!("`{command}` exited with {:?} and printed nothing", run.code),
                };
                last = (command, run.output, why);
            }
            Err(e) => {
                let why = format!("`{command}`: {e}");
                return Err((command, String::new(), why));
            }
        }
    }
    Err(last)
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

struct RunOnce {
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    output: String,
}

fn run_once(program: &Path, flag: &str) -> std::io::Result<RunOnce> {
    let scratch = tempfile::tempdir()?;
    let bin = program.parent().unwrap_or(Path::new("/"));
    // Offline: a fresh network namespace when the kernel lets us make one; otherwise as is.
    let mut cmd = if unshare_works() {
        let mut c = Command::new("unshare");
        c.args(["--net", "--map-root-user", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.arg(flag)
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("HOME", scratch.path())
        .env("TMPDIR", scratch.path())
        .env("TERM", "dumb")
        .env("LANG", "C")
        .current_dir(scratch.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let mut stdout = child.stdout.take();
    let mut stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(64 * 1024).read_to_end(&mut buf);
        }
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.take(64 * 1024).read_to_end(&mut buf);
        }
        buf
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > RUN_TIMEOUT {
            timed_out = true;
            let _ = child.kill();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut output = out_reader.join().unwrap_or_default();
    output.extend(err_reader.join().unwrap_or_default());
    let text = String::from_utf8_lossy(&strip_ansi_escapes::strip(&output)).into_owned();
    Ok(RunOnce {
        code: if timed_out { None } else { status.code() },
        signal: if timed_out { None } else { status.signal() },
        timed_out,
        output: text.chars().take(2000).collect(),
    })
}

fn unshare_works() -> bool {
    static WORKS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WORKS.get_or_init(|| {
        Command::new("unshare")
            .args(["--net", "--map-root-user", "--", "true"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    })
}

/// The headers, pkg-config modules and libraries `out` installs, if it installs a library.
fn library_surface(out: &Path) -> Option<LibrarySurface> {
    let mut modules = Vec::new();
    for dir in ["lib/pkgconfig", "share/pkgconfig"] {
        for name in names_in(&out.join(dir)) {
            if let Some(module) = name.strip_suffix(".pc") {
                modules.push(module.to_string());
            }
        }
    }
    let mut libraries = Vec::new();
    for name in names_in(&out.join("lib")) {
        let stem = name.strip_prefix("lib").and_then(|n| {
            n.split_once(".so")
                .map(|(a, _)| a)
                .or_else(|| n.strip_suffix(".a"))
        });
        if let Some(stem) = stem {
            if !libraries.iter().any(|l| l == stem) {
                libraries.push(stem.to_string());
            }
        }
    }
    if modules.is_empty() && libraries.is_empty() {
        return None;
    }
    Some(LibrarySurface {
        header: pick_header(&out.join("include"), &modules, &libraries),
        modules,
        libraries,
    })
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs_err::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// One public header to include: one named like the library or module, at the top of include/
/// or one level down; else the first one.
fn pick_header(include: &Path, modules: &[String], libraries: &[String]) -> Option<String> {
    let mut headers = Vec::new();
    for name in names_in(include) {
        if name.ends_with(".h") {
            headers.push(name);
        } else if include.join(&name).is_dir() {
            for inner in names_in(&include.join(&name)) {
                if inner.ends_with(".h") {
                    headers.push(format!("{name}/{inner}"));
                }
            }
        }
    }
    let stems: Vec<String> = modules
        .iter()
        .chain(libraries)
        .map(|s| s.to_lowercase().replace('-', ""))
        .collect();
    headers
        .iter()
        .find(|h| {
            let base = h.rsplit('/').next().unwrap_or(h);
            let base = base.trim_end_matches(".h").to_lowercase().replace('-', "");
            stems.contains(&base)
        })
        .or_else(|| headers.first())
        .cloned()
}

/// The Nix expression of the link test: compile a one-line program that includes the header and
/// links with the module (or the libraries), then run it.
pub(crate) fn link_test_expr(
    package_expr: &str,
    import_expr: &str,
    surface: &LibrarySurface,
) -> String {
    let include = surface
        .header
        .as_ref()
        .map(|h| format!("#include <{h}>\n"))
        .unwrap_or_default();
    let flags = if surface.modules.is_empty() {
        surface
            .libraries
            .iter()
            .map(|l| format!("-l{l}"))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        format!(
            "$(pkg-config --cflags --libs {})",
            surface.modules.join(" ")
        )
    };
    format!(
        "let pkgs = {import_expr}; pkg = {package_expr}; in\n\
         pkgs.runCommandCC \"ai-drv-link-check\" {{\n  \
           nativeBuildInputs = [ pkgs.pkg-config ];\n  \
           buildInputs = [ pkg ];\n  \
           strictDeps = true;\n\
         }} ''\n  \
           printf '%s' {program} > t.c\n  \
           $CC t.c -o t {flags}\n  \
           ./t\n  \
           touch $out\n\
         ''\n",
        program = shell_quote(&format!("{include}int main(void) {{ return 0; }}\n")),
    )
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The command the link test stands for, for the report.
pub(crate) fn link_test_command(surface: &LibrarySurface) -> String {
    let header = surface.header.as_deref().unwrap_or("(no header)");
    if surface.modules.is_empty() {
        format!("cc -include {header} -l{}", surface.libraries.join(" -l"))
    } else {
        format!(
            "cc -include {header} $(pkg-config --cflags --libs {})",
            surface.modules.join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn out_with(files: &[(&str, &str, u32)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, body, mode) in files {
            let p = dir.path().join(path);
            fs_err::create_dir_all(p.parent().unwrap()).unwrap();
            fs_err::write(&p, body).unwrap();
            fs_err::set_permissions(&p, std::fs::Permissions::from_mode(*mode)).unwrap();
        }
        dir
    }

    fn plan(kind: Kind, main: Option<&str>) -> CheckPlan {
        CheckPlan {
            kind,
            main_program: main.map(Into::into),
            pname: None,
        }
    }

    #[test]
    fn a_program_that_answers_passes() {
        let out = out_with(&[("bin/x", "#!/bin/sh\necho x 1.0\n", 0o755)]);
        let (r, lib) = check_programs(out.path(), &plan(Kind::Program, Some("x")));
        assert!(r.passed, "{r:?}");
        assert_eq!(r.command.as_deref(), Some("x --version"));
        assert!(r.output.contains("x 1.0"));
        assert_eq!(lib, None);
    }

    #[test]
    fn a_program_that_fails_silently_or_cannot_start_fails() {
        let out = out_with(&[("bin/x", "#!/bin/sh\nexit 3\n", 0o755)]);
        let (r, _) = check_programs(out.path(), &plan(Kind::Program, None));
        assert!(!r.passed);
        assert!(r.failures[0].contains("printed nothing"), "{r:?}");

        let out = out_with(&[("bin/y", "#!/nonexistent/python\n", 0o755)]);
        let (r, _) = check_programs(out.path(), &plan(Kind::Program, None));
        assert!(!r.passed, "{r:?}");
    }

    #[test]
    fn a_program_package_without_programs_is_a_problem() {
        let out = out_with(&[("share/doc/x/README", "hi", 0o644)]);
        let (r, _) = check_programs(out.path(), &plan(Kind::Program, Some("x")));
        assert!(!r.passed);
        assert_eq!(r.problems, vec![Problem::NoExecutablesInstalled]);
    }

    #[test]
    fn a_library_surface_names_module_header_and_library() {
        let out = out_with(&[
            ("lib/libyaml-0.so.2", "", 0o644),
            ("lib/libyaml.so", "", 0o644),
            ("lib/pkgconfig/yaml-0.1.pc", "", 0o644),
            ("include/yaml.h", "", 0o644),
        ]);
        let (r, lib) = check_programs(out.path(), &plan(Kind::Library, None));
        assert!(r.passed, "{r:?}");
        let lib = lib.unwrap();
        assert_eq!(lib.modules, vec!["yaml-0.1"]);
        assert_eq!(lib.header.as_deref(), Some("yaml.h"));
        assert_eq!(lib.libraries, vec!["yaml-0", "yaml"]);
        let expr = link_test_expr("P", "I", &lib);
        assert!(
            expr.contains("pkg-config --cflags --libs yaml-0.1"),
            "{expr}"
        );
        assert!(expr.contains("#include <yaml.h>"), "{expr}");
    }

    #[test]
    fn headers_one_level_down_are_found() {
        let out = out_with(&[
            ("lib/libcjson.so", "", 0o644),
            ("include/cjson/cJSON.h", "", 0o644),
        ]);
        let lib = library_surface(out.path()).unwrap();
        assert_eq!(lib.header.as_deref(), Some("cjson/cJSON.h"));
    }
}

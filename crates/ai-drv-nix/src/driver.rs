//! The operations ai-drv asks of Nix: evaluate, instantiate, build, read a log, add to the store.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use ai_drv_diagnose::Diagnosis;

use crate::process::{run, Run, RunOptions};
use crate::{BoundedLog, NixVersion};

/// What went wrong driving Nix.
#[derive(Debug, thiserror::Error)]
pub enum NixError {
    #[error("Nix is not installed (no `{0}` on PATH): run scripts/setup, or install Nix (Debian: apt-get install nix-bin)")]
    NotInstalled(String),
    #[error("could not run `{command}`: {source}")]
    Spawn {
        command: String,
        source: std::io::Error,
    },
    #[error("could not read the Nix version from `{0}`")]
    UnknownVersion(String),
    #[error("`{command}` timed out after {after:?}")]
    TimedOut {
        command: String,
        after: Duration,
        log: Box<BoundedLog>,
    },
    #[error("`{command}` failed{}: {}", exit_code.map(|c| format!(" (exit {c})")).unwrap_or_default(), summary(diagnoses, log))]
    Failed {
        command: String,
        exit_code: Option<i32>,
        diagnoses: Vec<Diagnosis>,
        log: Box<BoundedLog>,
    },
    #[error("`{command}` printed something unexpected: {detail}")]
    Unexpected { command: String, detail: String },
}

fn summary(diagnoses: &[Diagnosis], log: &BoundedLog) -> String {
    match ai_drv_diagnose::primary(diagnoses) {
        Some(d) => d.to_string(),
        None => log
            .last(1)
            .into_iter()
            .next()
            .unwrap_or_else(|| "no output".into()),
    }
}

impl NixError {
    /// The typed diagnoses, when Nix ran and failed.
    pub fn diagnoses(&self) -> &[Diagnosis] {
        match self {
            NixError::Failed { diagnoses, .. } => diagnoses,
            _ => &[],
        }
    }
}

/// What to evaluate or build.
#[derive(Debug, Clone)]
pub enum Target {
    /// A Nix file, optionally an attribute path within it.
    File { path: PathBuf, attr: Option<String> },
    /// A Nix expression, optionally an attribute path within it.
    Expr { expr: String, attr: Option<String> },
}

impl Target {
    pub fn file(path: impl Into<PathBuf>) -> Target {
        Target::File {
            path: path.into(),
            attr: None,
        }
    }

    pub fn expr(expr: impl Into<String>) -> Target {
        Target::Expr {
            expr: expr.into(),
            attr: None,
        }
    }

    pub fn attr(self, attr: impl Into<String>) -> Target {
        let attr = Some(attr.into());
        match self {
            Target::File { path, .. } => Target::File { path, attr },
            Target::Expr { expr, .. } => Target::Expr { expr, attr },
        }
    }

    fn push_args(&self, argv: &mut Vec<OsString>) {
        let attr = match self {
            Target::File { path, attr } => {
                argv.push(path.clone().into());
                attr
            }
            Target::Expr { expr, attr } => {
                argv.push("--expr".into());
                argv.push(expr.into());
                attr
            }
        };
        if let Some(a) = attr {
            argv.push("--attr".into());
            argv.push(a.into());
        }
    }
}

/// Options every Nix call takes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--option NAME VALUE` pairs.
    pub options: Vec<(String, String)>,
    /// `-I` search path entries (`nixpkgs=/path`).
    pub include: Vec<String>,
    /// `--arg NAME EXPR`.
    pub args: Vec<(String, String)>,
    /// `--argstr NAME VALUE`.
    pub argstrs: Vec<(String, String)>,
    /// Wall-clock limit for the whole call; the process group is killed when it passes.
    pub timeout: Option<Duration>,
    /// Set `CI=1 TERM=dumb NO_COLOR=1` for Nix and what it runs.
    pub non_interactive: bool,
    /// Extra environment for the Nix process.
    pub env: Vec<(String, String)>,
}

/// Options for evaluation.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    pub common: Options,
    /// Evaluate deeply (`--strict`).
    pub strict: bool,
    /// Print the result as JSON (`--json`).
    pub json: bool,
    /// Allow import from derivation. On Nix 2.8 this needs `--read-write-mode`.
    pub allow_ifd: bool,
}

/// Options for building.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub common: Options,
    /// `--max-jobs`.
    pub max_jobs: Option<u32>,
    /// `--cores` for each builder.
    pub cores: Option<u32>,
    /// Nix's own per-build timeout, in seconds (`--timeout`).
    pub build_timeout: Option<u64>,
    /// Seconds of silence after which Nix kills a builder (`--max-silent-time`).
    pub max_silent_time: Option<u64>,
    /// Do not try any binary cache (there is none here).
    pub no_substitutes: bool,
    /// `--keep-going`.
    pub keep_going: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            common: Options::default(),
            max_jobs: None,
            cores: None,
            build_timeout: None,
            max_silent_time: None,
            no_substitutes: true,
            keep_going: false,
        }
    }
}

/// A successful build.
#[derive(Debug)]
pub struct Built {
    pub out_paths: Vec<String>,
    pub log: BoundedLog,
    pub duration: Duration,
}

/// The installed Nix.
#[derive(Debug, Clone)]
pub struct Nix {
    /// Directory holding `nix`, `nix-build`…; `None` = found on PATH.
    bin_dir: Option<PathBuf>,
    version: NixVersion,
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

impl Nix {
    /// Finds Nix on PATH and reads its version.
    pub fn detect() -> Result<Nix, NixError> {
        let nix = which("nix").ok_or_else(|| NixError::NotInstalled("nix".into()))?;
        Nix::at(nix.parent().unwrap_or(Path::new("/")))
    }

    /// Uses the Nix whose programs are in `bin_dir`.
    pub fn at(bin_dir: &Path) -> Result<Nix, NixError> {
        let program = bin_dir.join("nix");
        let output = Command::new(&program)
            .arg("--version")
            .output()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => {
                    NixError::NotInstalled(program.display().to_string())
                }
                _ => NixError::Spawn {
                    command: format!("{} --version", program.display()),
                    source: e,
                },
            })?;
        let text = String::from_utf8_lossy(&output.stdout);
        let version = NixVersion::parse(&text)
            .ok_or_else(|| NixError::UnknownVersion(text.trim().to_string()))?;
        Ok(Nix {
            bin_dir: Some(bin_dir.to_path_buf()),
            version,
        })
    }

    /// A driver for a given version without running anything (for argument-vector tests).
    pub fn assume(version: NixVersion) -> Nix {
        Nix {
            bin_dir: None,
            version,
        }
    }

    pub fn version(&self) -> &NixVersion {
        &self.version
    }

    /// Path of one of Nix's programs.
    pub fn program(&self, name: &str) -> PathBuf {
        match &self.bin_dir {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        }
    }

    fn common_args(&self, argv: &mut Vec<OsString>, o: &Options) {
        for (name, value) in &o.options {
            argv.extend(["--option".into(), name.into(), value.into()]);
        }
        for i in &o.include {
            argv.extend(["-I".into(), i.into()]);
        }
        for (name, expr) in &o.args {
            argv.extend(["--arg".into(), name.into(), expr.into()]);
        }
        for (name, value) in &o.argstrs {
            argv.extend(["--argstr".into(), name.into(), value.into()]);
        }
    }

    /// Arguments for `nix <subcommand>`, which needs its experimental feature switched on (2.4+).
    fn nix_command_prefix(&self, argv: &mut Vec<OsString>, flakes: bool) {
        if self.version.capabilities().experimental_features_option {
            let features = if flakes {
                "nix-command flakes"
            } else {
                "nix-command"
            };
            argv.extend(["--extra-experimental-features".into(), features.into()]);
        }
    }

    /// `nix-instantiate --eval` argument vector.
    pub fn eval_argv(&self, target: &Target, o: &EvalOptions) -> Vec<OsString> {
        let mut argv: Vec<OsString> = vec!["--eval".into()];
        if o.strict {
            argv.push("--strict".into());
        }
        if o.json {
            argv.push("--json".into());
        }
        if o.allow_ifd {
            // Read-only evaluation cannot realise the derivations it imports from (Nix 2.8:
            // "path '…drv' is not valid"); the flag is accepted by every version.
            argv.push("--read-write-mode".into());
            argv.extend([
                "--option".into(),
                "allow-import-from-derivation".into(),
                "true".into(),
            ]);
        }
        self.common_args(&mut argv, &o.common);
        target.push_args(&mut argv);
        argv
    }

    fn build_flags(&self, argv: &mut Vec<OsString>, o: &BuildOptions) {
        if let Some(j) = o.max_jobs {
            argv.extend(["--max-jobs".into(), j.to_string().into()]);
        }
        if let Some(c) = o.cores {
            argv.extend(["--cores".into(), c.to_string().into()]);
        }
        if let Some(t) = o.build_timeout {
            argv.extend(["--timeout".into(), t.to_string().into()]);
        }
        if let Some(t) = o.max_silent_time {
            argv.extend(["--max-silent-time".into(), t.to_string().into()]);
        }
        if o.keep_going {
            argv.push("--keep-going".into());
        }
        if o.no_substitutes {
            argv.extend(["--option".into(), "substituters".into(), "".into()]);
        }
        self.common_args(argv, &o.common);
    }

    /// `nix-build` argument vector; `nix-build` prints out paths on stdout in every version.
    pub fn build_argv(&self, target: &Target, o: &BuildOptions) -> Vec<OsString> {
        let mut argv: Vec<OsString> = vec!["--no-out-link".into()];
        self.build_flags(&mut argv, o);
        target.push_args(&mut argv);
        argv
    }

    /// `nix build` argument vector for an installable (`path#attr`, `/nix/store/…drv^*`…): prints
    /// out paths with `--print-out-paths` (2.9+) or as `--json` before.
    pub fn build_installable_argv(&self, installable: &str, o: &BuildOptions) -> Vec<OsString> {
        let mut argv: Vec<OsString> = Vec::new();
        self.nix_command_prefix(&mut argv, installable.contains('#'));
        argv.extend(["build".into(), "--no-link".into()]);
        if self.version.capabilities().print_out_paths {
            argv.push("--print-out-paths".into());
        } else {
            argv.push("--json".into());
        }
        self.build_flags(&mut argv, o);
        argv.push(installable.into());
        argv
    }

    fn run(&self, program: &str, argv: Vec<OsString>, o: &Options) -> Result<Run, NixError> {
        self.run_streaming(program, argv, o, None)
    }

    fn run_streaming(
        &self,
        program: &str,
        argv: Vec<OsString>,
        o: &Options,
        on_line: Option<&mut dyn FnMut(&str)>,
    ) -> Result<Run, NixError> {
        let path = self.program(program);
        let command_text = describe(program, &argv);
        let mut cmd = Command::new(&path);
        cmd.args(&argv);
        if o.non_interactive {
            cmd.env("CI", "1").env("TERM", "dumb").env("NO_COLOR", "1");
        }
        for (k, v) in &o.env {
            cmd.env(k, v);
        }
        tracing::debug!(command = %command_text, "running nix");
        let r = run(
            cmd,
            RunOptions {
                timeout: o.timeout,
                log: BoundedLog::default(),
                on_line,
            },
        )
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => NixError::NotInstalled(path.display().to_string()),
            _ => NixError::Spawn {
                command: command_text.clone(),
                source: e,
            },
        })?;
        if r.timed_out {
            return Err(NixError::TimedOut {
                command: command_text,
                after: r.duration,
                log: Box::new(r.log),
            });
        }
        if !r.success() {
            let diagnoses = ai_drv_diagnose::parse(&r.log.text());
            return Err(NixError::Failed {
                command: command_text,
                exit_code: r.exit_code,
                diagnoses,
                log: Box::new(r.log),
            });
        }
        Ok(r)
    }

    /// Evaluates and returns what Nix printed (JSON with `json: true`).
    pub fn eval(&self, target: &Target, o: &EvalOptions) -> Result<String, NixError> {
        let r = self.run("nix-instantiate", self.eval_argv(target, o), &o.common)?;
        Ok(r.stdout_text().trim_end().to_string())
    }

    /// Evaluates to JSON and decodes it.
    pub fn eval_json<T: serde::de::DeserializeOwned>(
        &self,
        target: &Target,
        o: &EvalOptions,
    ) -> Result<T, NixError> {
        let o = EvalOptions {
            json: true,
            ..o.clone()
        };
        let text = self.eval(target, &o)?;
        serde_json::from_str(&text).map_err(|e| NixError::Unexpected {
            command: "nix-instantiate --eval --json".into(),
            detail: e.to_string(),
        })
    }

    /// Instantiates to `.drv` paths.
    pub fn instantiate(&self, target: &Target, o: &Options) -> Result<Vec<String>, NixError> {
        let mut argv = Vec::new();
        self.common_args(&mut argv, o);
        target.push_args(&mut argv);
        let r = self.run("nix-instantiate", argv, o)?;
        Ok(lines(&r.stdout))
    }

    /// Builds and returns the out paths; `on_line` sees the log as it streams.
    pub fn build(
        &self,
        target: &Target,
        o: &BuildOptions,
        on_line: Option<&mut dyn FnMut(&str)>,
    ) -> Result<Built, NixError> {
        let r = self.run_streaming("nix-build", self.build_argv(target, o), &o.common, on_line)?;
        Ok(Built {
            out_paths: lines(&r.stdout),
            log: r.log,
            duration: r.duration,
        })
    }

    /// Builds an installable with `nix build`, on any version.
    pub fn build_installable(
        &self,
        installable: &str,
        o: &BuildOptions,
    ) -> Result<Built, NixError> {
        let r = self.run(
            "nix",
            self.build_installable_argv(installable, o),
            &o.common,
        )?;
        let out_paths = if self.version.capabilities().print_out_paths {
            lines(&r.stdout)
        } else {
            parse_build_json(&r.stdout).map_err(|detail| NixError::Unexpected {
                command: "nix build --json".into(),
                detail,
            })?
        };
        Ok(Built {
            out_paths,
            log: r.log,
            duration: r.duration,
        })
    }

    /// Realises store derivations (`nix-store --realise`).
    pub fn realise(&self, drvs: &[String], o: &BuildOptions) -> Result<Built, NixError> {
        let mut argv: Vec<OsString> = vec!["--realise".into()];
        self.build_flags(&mut argv, o);
        argv.extend(drvs.iter().map(OsString::from));
        let r = self.run("nix-store", argv, &o.common)?;
        Ok(Built {
            out_paths: lines(&r.stdout),
            log: r.log,
            duration: r.duration,
        })
    }

    /// The stored build log of a derivation (`nix-store --read-log`).
    pub fn read_log(&self, drv: &str) -> Result<String, NixError> {
        let r = self.run(
            "nix-store",
            vec!["--read-log".into(), drv.into()],
            &Options::default(),
        )?;
        Ok(r.stdout_text())
    }

    /// Adds a file or tree to the store as a fixed-output path (what `fetchurl`/`fetchzip` would
    /// produce for it) and returns its store path.
    pub fn add_fixed(
        &self,
        path: &Path,
        recursive: bool,
        algorithm: &str,
    ) -> Result<String, NixError> {
        let mut argv: Vec<OsString> = vec!["--add-fixed".into()];
        if recursive {
            argv.push("--recursive".into());
        }
        argv.push(algorithm.into());
        argv.push(path.into());
        let r = self.run("nix-store", argv, &Options::default())?;
        single_line(r, "nix-store --add-fixed")
    }

    /// Adds a file or tree to the store by content (`nix-store --add`).
    pub fn add(&self, path: &Path) -> Result<String, NixError> {
        let r = self.run(
            "nix-store",
            vec!["--add".into(), path.into()],
            &Options::default(),
        )?;
        single_line(r, "nix-store --add")
    }

    /// The value of a Nix setting as this Nix sees it (`nix show-config`).
    pub fn setting(&self, name: &str) -> Result<Option<String>, NixError> {
        let mut argv = Vec::new();
        self.nix_command_prefix(&mut argv, false);
        argv.push("show-config".into());
        let r = self.run("nix", argv, &Options::default())?;
        Ok(r.stdout_text().lines().find_map(|l| {
            let (k, v) = l.split_once(" = ")?;
            (k.trim() == name).then(|| v.trim().to_string())
        }))
    }
}

fn lines(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn single_line(r: Run, command: &str) -> Result<String, NixError> {
    lines(&r.stdout).pop().ok_or_else(|| NixError::Unexpected {
        command: command.into(),
        detail: "no store path printed".into(),
    })
}

/// Out paths from `nix build --json` (Nix 2.8: `[{"drvPath": …, "outputs": {"out": …}}]`).
fn parse_build_json(stdout: &[u8]) -> Result<Vec<String>, String> {
    let value: serde_json::Value = serde_json::from_slice(stdout).map_err(|e| e.to_string())?;
    let items = value.as_array().ok_or("not a JSON list")?;
    let mut out = Vec::new();
    for item in items {
        let outputs = item
            .get("outputs")
            .and_then(|o| o.as_object())
            .ok_or("an entry without outputs")?;
        for path in outputs.values() {
            out.push(
                path.as_str()
                    .ok_or("an output that is not a path")?
                    .to_string(),
            );
        }
    }
    Ok(out)
}

/// The command line, for messages (quoted only where needed).
fn describe(program: &str, argv: &[OsString]) -> String {
    let mut s = program.to_string();
    for a in argv {
        let a = a.to_string_lossy();
        s.push(' ');
        if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
            s.push_str(&format!("'{}'", a.replace('\'', "'\\''")));
        } else {
            s.push_str(&a);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: Vec<OsString>) -> Vec<String> {
        v.into_iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn nix_build_out_paths_adapt_to_the_version() {
        let o = BuildOptions::default();
        let old =
            strings(Nix::assume(NixVersion::new(2, 8, 0)).build_installable_argv("/x.drv^*", &o));
        assert!(old.contains(&"--json".to_string()));
        assert!(!old.contains(&"--print-out-paths".to_string()));
        assert_eq!(old[..2], ["--extra-experimental-features", "nix-command"]);

        let new =
            strings(Nix::assume(NixVersion::new(2, 24, 0)).build_installable_argv("/x.drv^*", &o));
        assert!(new.contains(&"--print-out-paths".to_string()));

        let v23 = strings(Nix::assume(NixVersion::new(2, 3, 17)).build_installable_argv("x", &o));
        assert_eq!(
            v23[0], "build",
            "Nix 2.3 has no --extra-experimental-features"
        );

        let flake =
            strings(Nix::assume(NixVersion::new(2, 24, 0)).build_installable_argv(".#hello", &o));
        assert_eq!(flake[1], "nix-command flakes");
    }

    #[test]
    fn eval_with_ifd_uses_read_write_mode() {
        let nix = Nix::assume(NixVersion::new(2, 8, 0));
        let argv = strings(nix.eval_argv(
            &Target::file("/tmp/x.nix").attr("a.b"),
            &EvalOptions {
                allow_ifd: true,
                strict: true,
                ..EvalOptions::default()
            },
        ));
        assert_eq!(
            argv,
            [
                "--eval",
                "--strict",
                "--read-write-mode",
                "--option",
                "allow-import-from-derivation",
                "true",
                "/tmp/x.nix",
                "--attr",
                "a.b"
            ]
        );
    }

    #[test]
    fn build_options_become_flags_without_a_shell() {
        let nix = Nix::assume(NixVersion::new(2, 8, 0));
        let o = BuildOptions {
            max_jobs: Some(2),
            build_timeout: Some(600),
            common: Options {
                options: vec![("sandbox".into(), "true".into())],
                argstrs: vec![("name".into(), "a b; rm -rf /".into())],
                ..Options::default()
            },
            ..BuildOptions::default()
        };
        let argv = strings(nix.build_argv(&Target::expr("1").attr("x"), &o));
        assert_eq!(
            argv,
            [
                "--no-out-link",
                "--max-jobs",
                "2",
                "--timeout",
                "600",
                "--option",
                "substituters",
                "",
                "--option",
                "sandbox",
                "true",
                "--argstr",
                "name",
                "a b; rm -rf /",
                "--expr",
                "1",
                "--attr",
                "x"
            ]
        );
    }

    #[test]
    fn build_json_of_nix_2_8() {
        let json = br#"[{"drvPath":"/nix/store/a-x.drv","outputs":{"out":"/nix/store/b-x","dev":"/nix/store/c-x-dev"}}]"#;
        let mut paths = parse_build_json(json).unwrap();
        paths.sort();
        assert_eq!(paths, ["/nix/store/b-x", "/nix/store/c-x-dev"]);
        assert!(parse_build_json(b"{}").is_err());
    }
}

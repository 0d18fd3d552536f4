//! `ai-drv doctor`: what ai-drv will use on this machine, and what to do about each problem.

use std::path::PathBuf;

use ai_drv_config::{Config, Registry};
use ai_drv_hostpkgs::buildroot::BuildRoot;
use ai_drv_hostpkgs::package_set::PackageSet;
use ai_drv_nix::Nix;
use clap::Args;
use serde::Serialize;
use serde_json::json;

use crate::error::{CliError, Result};
use crate::printer::{CheckState, Printer};

/// Check this machine: Nix and its store, the sandbox, the package set builds will use, LLM
/// providers and registry endpoints. Exits 2 when something ai-drv needs is missing.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check this nixpkgs as the package set (as `ai-drv new --nixpkgs` would use it).
    #[arg(long)]
    pub nixpkgs: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Check {
    name: String,
    state: CheckState,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
}

fn check(name: &str, state: CheckState, detail: impl Into<String>, hint: Option<&str>) -> Check {
    Check {
        name: name.into(),
        state,
        detail: detail.into(),
        hint: hint.map(String::from),
    }
}

pub fn run(args: DoctorArgs, printer: &Printer) -> Result<()> {
    let mut checks = Vec::new();
    let config = match Config::load() {
        Ok(c) => {
            let exists = c.file_path().exists();
            checks.push(check(
                "config",
                CheckState::Ok,
                if exists {
                    format!("{}", c.file_path().display())
                } else {
                    format!("{} (not present; defaults apply)", c.file_path().display())
                },
                None,
            ));
            Some(c)
        }
        Err(e) => {
            checks.push(check(
                "config",
                CheckState::Error,
                e.to_string(),
                Some("fix the file, or point AI_DRV_CONFIG at another one"),
            ));
            None
        }
    };

    let nix = match Nix::detect() {
        Ok(n) => {
            checks.push(check(
                "nix",
                CheckState::Ok,
                format!("{} at {}", n.version(), n.program("nix").display()),
                None,
            ));
            Some(n)
        }
        Err(e) => {
            checks.push(check(
                "nix",
                CheckState::Error,
                e.to_string(),
                Some("run scripts/setup (it installs Debian's nix-bin)"),
            ));
            None
        }
    };
    if let Some(nix) = &nix {
        checks.push(store_check(nix));
        checks.push(sandbox_check(nix, config.as_ref()));
    }
    if let Some(config) = &config {
        checks.push(package_set_check(config, args.nixpkgs.as_ref()));
        let providers = config.llm_providers();
        checks.push(check(
            "llm",
            CheckState::Ok,
            if providers.is_empty() {
                "no provider configured: the deterministic engine is used".to_string()
            } else {
                format!("configured: {}", providers.join(", "))
            },
            None,
        ));
        for registry in Registry::ALL {
            checks.push(match config.endpoint(registry) {
                Ok(e) => check(
                    &format!("endpoint {registry}"),
                    CheckState::Ok,
                    format!("{} (from {})", e.url, e.origin),
                    None,
                ),
                Err(e) => check(
                    &format!("endpoint {registry}"),
                    CheckState::Warn,
                    e.to_string(),
                    None,
                ),
            });
        }
    }

    let errors = checks
        .iter()
        .filter(|c| c.state == CheckState::Error)
        .count();
    for c in &checks {
        printer.check(c.state, &c.name, &c.detail, c.hint.as_deref());
    }
    if printer.json() {
        printer.data("", &json!({ "ok": errors == 0, "checks": checks }));
    }
    if errors > 0 {
        return Err(CliError::usage(format!(
            "{errors} problem{} found; see the hints above",
            if errors == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

fn store_check(nix: &Nix) -> Check {
    let probe = (|| -> std::io::Result<PathBuf> {
        let dir = tempfile::Builder::new().prefix("ai-drv-doctor").tempdir()?;
        let file = dir.path().join("ai-drv-doctor-probe");
        std::fs::write(&file, b"ai-drv doctor\n")?;
        Ok(dir.keep().join("ai-drv-doctor-probe"))
    })();
    let result = probe.map_err(|e| e.to_string()).and_then(|file| {
        let r = nix.add(&file).map_err(|e| e.to_string());
        if let Some(dir) = file.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
        r
    });
    match result {
        Ok(path) => check(
            "store",
            CheckState::Ok,
            format!(
                "writable ({})",
                std::path::Path::new(&path)
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or(path)
            ),
            None,
        ),
        Err(e) => check(
            "store",
            CheckState::Error,
            format!("cannot add to the Nix store: {e}"),
            Some("run as a user who may write the store (root for Debian's single-user Nix), or start nix-daemon"),
        ),
    }
}

fn sandbox_check(nix: &Nix, config: Option<&Config>) -> Check {
    let setting = nix
        .setting("sandbox")
        .ok()
        .flatten()
        .unwrap_or_else(|| "unknown".into());
    let Some(config) = config else {
        return check(
            "sandbox",
            CheckState::Ok,
            format!("sandbox = {setting} in nix.conf"),
            None,
        );
    };
    let root = BuildRoot::locate(config);
    match root.missing() {
        None => check(
            "sandbox",
            CheckState::Ok,
            format!(
                "sandbox = {setting} in nix.conf; ai-drv builds with the sandbox on and the build root {} mapped in (--option sandbox true --option sandbox-paths '{}')",
                root.path.display(),
                root.sandbox_paths()
            ),
            None,
        ),
        Some(missing) => check(
            "sandbox",
            CheckState::Warn,
            format!(
                "sandbox = {setting} in nix.conf and the build root {} is incomplete ({} is missing): hostpkgs builds cannot run",
                root.path.display(),
                missing.display()
            ),
            Some("run scripts/setup, which creates the build root with debootstrap"),
        ),
    }
}

fn package_set_check(config: &Config, flag: Option<&PathBuf>) -> Check {
    let flag = flag.map(|p| p.display().to_string());
    let set = PackageSet::select(config, flag.as_deref());
    if let PackageSet::Nixpkgs { path, .. } = &set {
        let p = std::path::Path::new(path);
        if path.starts_with('/') && !p.join("default.nix").exists() && !p.is_file() {
            return check(
                "package set",
                CheckState::Error,
                format!("{} has no default.nix", set.describe()),
                Some("point --nixpkgs or NIX_PATH at a nixpkgs checkout"),
            );
        }
    }
    match set.problem() {
        None => check("package set", CheckState::Ok, set.describe(), None),
        Some(problem) => check(
            "package set",
            CheckState::Warn,
            format!("{}: {problem}", set.describe()),
            Some("run scripts/setup, or pass --nixpkgs PATH to build with a nixpkgs"),
        ),
    }
}

//! An install script and nothing else: `install.sh` (or `install`) at the top of a tree with no
//! other build files, the way small script projects ship (`sh install.sh PREFIX`). The script is
//! read for the interpreters it looks for, which the build needs on PATH.

use super::{Context, Findings, Rule};
use crate::tree::{self, Tree};
use crate::{BuildSystem, Want};

pub struct InstallScript;

const NAMES: [&str; 2] = ["install.sh", "install"];

/// Interpreters an install script may search for or write into shebangs.
const INTERPRETERS: [&str; 3] = ["perl", "python3", "ruby"];

impl Rule for InstallScript {
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem> {
        let script = NAMES.iter().find(|n| {
            let path = tree::join(dir, n);
            tree.exists(&path) && tree.read(&path).is_some_and(|t| t.starts_with("#!"))
        })?;
        Some(BuildSystem::InstallScript {
            script: script.to_string(),
        })
    }

    fn infer(&self, ctx: &Context, out: &mut Findings) {
        let BuildSystem::InstallScript { script } = ctx.build_system else {
            return;
        };
        let Some(text) = ctx.read(script) else {
            return;
        };
        for interpreter in INTERPRETERS {
            let mentioned = text
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .any(|word| word == interpreter);
            if mentioned {
                out.want(
                    Want::Command(interpreter.to_string()),
                    format!("{script}: uses {interpreter}"),
                );
            }
        }
        // The programs are the executables next to the script that it installs by name.
        for entry in ctx.tree.files_in(ctx.dir) {
            let name = tree::file_name(&entry.rel).to_string();
            if NAMES.contains(&name.as_str()) || name.contains('.') {
                continue;
            }
            let mentioned = text
                .split(|c: char| c.is_whitespace() || "/$\"'".contains(c))
                .any(|word| word == name);
            let script_like = ctx.read(&name).is_some_and(|t| {
                t.starts_with("#!") || t.lines().next().is_some_and(|l| l.contains("BANG"))
            });
            if mentioned && script_like {
                out.programs.push(name);
            }
        }
    }
}

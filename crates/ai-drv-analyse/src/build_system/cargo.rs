//! Cargo: `Cargo.toml` (with workspace members) and `Cargo.lock`. Metadata comes from
//! `[package]` (or `[workspace.package]` for inherited fields), programs from `[[bin]]`,
//! `src/main.rs` and `src/bin/`, and system libraries from the `*-sys` crates in the lock file
//! (or, without one, the manifests' dependency tables).

use toml::Value;

use super::{Context, Findings, Rule};
use crate::tree::{self, Tree};
use crate::{BuildSystem, Want};

pub struct Cargo;

impl Rule for Cargo {
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem> {
        tree.exists(&tree::join(dir, "Cargo.toml"))
            .then_some(BuildSystem::Cargo)
    }

    fn infer(&self, ctx: &Context, out: &mut Findings) {
        let Some(root) = ctx
            .read("Cargo.toml")
            .and_then(|t| t.parse::<toml::Table>().ok())
        else {
            return;
        };
        let workspace_package = root
            .get("workspace")
            .and_then(|w| w.get("package"))
            .and_then(Value::as_table)
            .cloned()
            .unwrap_or_default();
        let field = |package: &toml::Table, key: &str| -> Option<String> {
            match package.get(key)? {
                Value::String(s) => Some(s.clone()),
                // `key.workspace = true` inherits from `[workspace.package]`.
                Value::Table(t) if t.get("workspace").and_then(Value::as_bool) == Some(true) => {
                    workspace_package.get(key)?.as_str().map(str::to_string)
                }
                _ => None,
            }
        };

        let mut manifests: Vec<(String, toml::Table)> = vec![(String::new(), root.clone())];
        for member in workspace_members(ctx, &root) {
            if let Some(table) = ctx
                .read(&tree::join(&member, "Cargo.toml"))
                .and_then(|t| t.parse::<toml::Table>().ok())
            {
                manifests.push((member, table));
            }
        }

        // A virtual workspace's main crate is the first member that builds a program.
        let builds_program = |dir: &str, m: &toml::Table| {
            m.contains_key("bin") || ctx.exists(&tree::join(dir, "src/main.rs"))
        };
        let root_package = root.get("package").and_then(Value::as_table);
        let main_package = root_package
            .or_else(|| {
                manifests
                    .iter()
                    .skip(1)
                    .filter(|(dir, m)| builds_program(dir, m))
                    .find_map(|(_, m)| m.get("package").and_then(Value::as_table))
            })
            .or_else(|| {
                manifests
                    .iter()
                    .skip(1)
                    .find_map(|(_, m)| m.get("package").and_then(Value::as_table))
            });
        if let Some(package) = main_package {
            Findings::meta(&mut out.name, field(package, "name"));
            Findings::meta(&mut out.version, field(package, "version"));
            Findings::meta(&mut out.description, field(package, "description"));
            Findings::meta(
                &mut out.homepage,
                field(package, "homepage").or_else(|| field(package, "repository")),
            );
            if let Some(license) = field(package, "license") {
                out.spdx_licenses.push(license);
            }
        }

        let mut has_lib = false;
        for (dir, manifest) in &manifests {
            let Some(package) = manifest.get("package").and_then(Value::as_table) else {
                continue;
            };
            let Some(name) = field(package, "name") else {
                continue;
            };
            let at = |rel: &str| ctx.exists(&tree::join(dir, rel));
            let bins: Vec<&Value> = manifest
                .get("bin")
                .and_then(Value::as_array)
                .map(|b| b.iter().collect())
                .unwrap_or_default();
            let explicit: Vec<String> = bins
                .iter()
                .filter_map(|b| b.get("name").and_then(Value::as_str).map(str::to_string))
                .collect();
            // An explicit `[[bin]]` built from src/main.rs replaces the implicit one.
            let main_claimed = bins
                .iter()
                .any(|b| b.get("path").and_then(Value::as_str) == Some("src/main.rs"));
            let autobins = package.get("autobins").and_then(Value::as_bool) != Some(false);
            if at("src/main.rs") && autobins && !main_claimed && !explicit.contains(&name) {
                out.programs.push(name.clone());
            }
            out.programs.extend(explicit);
            if autobins {
                let bin_dir = ctx.path(&tree::join(dir, "src/bin"));
                for entry in ctx.tree.files_under(&bin_dir) {
                    let rest = &entry.rel[bin_dir.len() + 1..];
                    let bin = match rest.split_once('/') {
                        Some((sub, "main.rs")) => Some(sub),
                        Some(_) => None,
                        None => rest.strip_suffix(".rs"),
                    };
                    if let Some(bin) = bin {
                        out.programs.push(bin.to_string());
                    }
                }
            }
            has_lib |= at("src/lib.rs") || manifest.contains_key("lib");
        }
        // Rust libraries are not packaged on their own; a crate with binaries is a program.
        if out.programs.is_empty() && has_lib {
            out.library = true;
        }

        let lock = ctx
            .read("Cargo.lock")
            .and_then(|t| t.parse::<toml::Table>().ok());
        let mut crates: Vec<(String, &str)> = Vec::new();
        if let Some(packages) = lock
            .as_ref()
            .and_then(|l| l.get("package"))
            .and_then(Value::as_array)
        {
            for package in packages {
                if let Some(name) = package.get("name").and_then(Value::as_str) {
                    crates.push((name.to_string(), "Cargo.lock"));
                }
            }
        } else {
            for (_, manifest) in &manifests {
                for table in ["dependencies", "build-dependencies"] {
                    if let Some(deps) = manifest.get(table).and_then(Value::as_table) {
                        crates.extend(deps.keys().map(|k| (k.clone(), "Cargo.toml")));
                    }
                }
            }
        }
        for (name, file) in crates {
            if is_sys_crate(&name) {
                out.want(Want::CrateSys(name.clone()), format!("{file}: {name}"));
            }
        }
    }
}

/// `*-sys` crates, and the few binding crates that link a system library under another name.
fn is_sys_crate(name: &str) -> bool {
    name.ends_with("-sys")
        || name.ends_with("_sys")
        || name.ends_with("-sys-rs")
        || name == "x11-dl"
}

/// Member directories of `[workspace] members` (`crates/*` globs over one level).
fn workspace_members(ctx: &Context, root: &toml::Table) -> Vec<String> {
    let Some(members) = root
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for member in members.iter().filter_map(Value::as_str) {
        let member = member.trim_end_matches('/');
        match member.strip_suffix("/*") {
            Some(parent) => {
                for sub in ctx.tree.subdirs(&ctx.path(parent)) {
                    out.push(tree::join(parent, &sub));
                }
            }
            None if member != "." => out.push(member.to_string()),
            None => {}
        }
    }
    out
}

//! npm: `package.json`. Metadata (name without its scope, version, description, homepage,
//! license) and the programs its `bin` field installs; a package without `bin` is a library.
//! Dependencies are not listed here: `buildNpmPackage` takes them from the lock file.

use serde_json::Value;

use super::{Context, Findings, Rule};
use crate::tree::{self, Tree};
use crate::{BuildSystem, Want};

pub struct Npm;

impl Rule for Npm {
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem> {
        tree.exists(&tree::join(dir, "package.json"))
            .then_some(BuildSystem::Npm)
    }

    fn infer(&self, ctx: &Context, out: &mut Findings) {
        let Some(json) = ctx
            .read("package.json")
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        else {
            return;
        };
        let s = |k: &str| json.get(k).and_then(Value::as_str).map(str::to_string);
        let full_name = s("name");
        let name = full_name
            .as_deref()
            .map(|n| n.rsplit('/').next().unwrap_or(n).to_string());
        Findings::meta(&mut out.name, name.clone());
        Findings::meta(&mut out.version, s("version"));
        Findings::meta(&mut out.description, s("description"));
        Findings::meta(&mut out.homepage, s("homepage"));
        match json.get("license") {
            Some(Value::String(l)) => out.spdx_licenses.push(l.clone()),
            Some(Value::Object(o)) => {
                if let Some(l) = o.get("type").and_then(Value::as_str) {
                    out.spdx_licenses.push(l.to_string());
                }
            }
            _ => {}
        }
        match json.get("bin") {
            Some(Value::String(_)) => out.programs.extend(name),
            Some(Value::Object(bins)) => out.programs.extend(bins.keys().cloned()),
            _ => out.library = true,
        }
        // Native addons are built by node-gyp, which runs Python.
        if json.get("gypfile").and_then(Value::as_bool) == Some(true) || ctx.exists("binding.gyp") {
            out.want(
                Want::Command("python3".into()),
                "package.json: node-gyp addon",
            );
        }
    }
}

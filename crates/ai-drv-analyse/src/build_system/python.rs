//! Python: `pyproject.toml` (PEP 517/621 and Poetry), `setup.cfg`, `setup.py` and an sdist's
//! `PKG-INFO`. The build backend and its requirements become the `build-system` attributes,
//! `[project] dependencies` (or their setuptools/Poetry spellings) the runtime dependencies,
//! entry points the installed scripts; the import name is the package directory.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use toml::Value;

use super::{Context, Findings, Rule};
use crate::meta::normalise_python_name;
use crate::tree::{self, Tree};
use crate::{BuildSystem, Python, Want};

pub struct PythonRule;

impl Rule for PythonRule {
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem> {
        let pyproject = tree.exists(&tree::join(dir, "pyproject.toml"));
        let setup_py = tree.exists(&tree::join(dir, "setup.py"));
        let setup_cfg = tree.exists(&tree::join(dir, "setup.cfg"))
            && tree
                .read(&tree::join(dir, "setup.cfg"))
                .is_some_and(|t| t.contains("[metadata]") || t.contains("[options]"));
        if !(pyproject || setup_py || setup_cfg) {
            return None;
        }
        let backend = pyproject
            .then(|| tree.read(&tree::join(dir, "pyproject.toml")))
            .flatten()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .and_then(|t| {
                t.get("build-system")?
                    .get("build-backend")?
                    .as_str()
                    .map(str::to_string)
            })
            .or_else(|| (setup_py || setup_cfg).then(|| "setuptools".to_string()));
        Some(BuildSystem::Python { backend, pyproject })
    }

    fn infer(&self, ctx: &Context, out: &mut Findings) {
        let mut python = Python::default();
        let pyproject = ctx
            .read("pyproject.toml")
            .and_then(|t| t.parse::<toml::Table>().ok());
        let cfg = ctx
            .read("setup.cfg")
            .map(|t| parse_ini(&t))
            .unwrap_or_default();
        let setup_py = ctx.read("setup.py").unwrap_or_default();
        let pkg_info = ctx.read("PKG-INFO").map(|t| parse_pkg_info(&t));

        // Build system.
        let requires: Vec<String> = pyproject
            .as_ref()
            .and_then(|p| p.get("build-system")?.get("requires")?.as_array().cloned())
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .filter_map(requirement_name)
                    .collect()
            })
            .unwrap_or_default();
        python.build_system = if requires.is_empty() {
            vec!["setuptools".to_string()]
        } else {
            requires
        };

        // Metadata: [project], then [tool.poetry], then setup.cfg, setup.py, PKG-INFO.
        let project = pyproject
            .as_ref()
            .and_then(|p| p.get("project"))
            .and_then(Value::as_table);
        let poetry = pyproject
            .as_ref()
            .and_then(|p| p.get("tool")?.get("poetry"))
            .and_then(Value::as_table);
        let metadata = cfg.get("metadata");
        for table in [project, poetry].into_iter().flatten() {
            let s = |k: &str| table.get(k).and_then(Value::as_str).map(str::to_string);
            Findings::meta(&mut out.name, s("name"));
            Findings::meta(&mut out.version, s("version"));
            Findings::meta(&mut out.description, s("description"));
            Findings::meta(&mut out.homepage, s("homepage"));
            let urls = table.get("urls").and_then(Value::as_table);
            Findings::meta(&mut out.homepage, urls.and_then(homepage_of));
            match table.get("license") {
                Some(Value::String(l)) => out.spdx_licenses.push(l.clone()),
                Some(Value::Table(t)) => {
                    if let Some(text) = t.get("text").and_then(Value::as_str) {
                        if text.len() < 60 {
                            out.spdx_licenses.push(text.to_string());
                        }
                    }
                }
                _ => {}
            }
            if let Some(expr) = table.get("license-expression").and_then(Value::as_str) {
                out.spdx_licenses.push(expr.to_string());
            }
            for classifier in table
                .get("classifiers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if let Some(l) = classifier.strip_prefix("License :: ") {
                    out.spdx_licenses.push(l.to_string());
                }
            }
        }
        if let Some(md) = metadata {
            Findings::meta(&mut out.name, md.get("name").cloned());
            Findings::meta(
                &mut out.version,
                md.get("version")
                    .cloned()
                    .filter(|v| !v.starts_with("attr:")),
            );
            Findings::meta(&mut out.description, md.get("description").cloned());
            Findings::meta(
                &mut out.homepage,
                md.get("url")
                    .cloned()
                    .or_else(|| md.get("home_page").cloned()),
            );
            if let Some(l) = md.get("license") {
                out.spdx_licenses.push(l.clone());
            }
        }
        for key in ["name", "version", "description", "url", "license"] {
            let value = setup_py_string(&setup_py, key);
            match key {
                "name" => Findings::meta(&mut out.name, value),
                "version" => Findings::meta(&mut out.version, value),
                "description" => Findings::meta(&mut out.description, value),
                "url" => Findings::meta(&mut out.homepage, value),
                _ => out.spdx_licenses.extend(value),
            }
        }
        if let Some(info) = &pkg_info {
            let get = |k: &str| info.get(k).and_then(|v| v.first()).cloned();
            Findings::meta(&mut out.name, get("Name"));
            Findings::meta(&mut out.version, get("Version"));
            Findings::meta(&mut out.description, get("Summary"));
            Findings::meta(
                &mut out.homepage,
                get("Home-page").filter(|u| u != "UNKNOWN"),
            );
            let project_urls = info.get("Project-URL").cloned().unwrap_or_default();
            Findings::meta(
                &mut out.homepage,
                project_urls.iter().find_map(|u| {
                    let (label, url) = u.split_once(',')?;
                    let label = label.trim().to_ascii_lowercase();
                    ["homepage", "home", "source", "repository", "source code"]
                        .contains(&label.as_str())
                        .then(|| url.trim().to_string())
                }),
            );
            if out.spdx_licenses.is_empty() {
                for key in ["License-Expression", "License"] {
                    if let Some(l) = get(key).filter(|l| l != "UNKNOWN" && l.len() < 60) {
                        out.spdx_licenses.push(l);
                    }
                }
                for classifier in info.get("Classifier").into_iter().flatten() {
                    if let Some(l) = classifier.strip_prefix("License :: ") {
                        out.spdx_licenses.push(l.to_string());
                    }
                }
            }
        }

        // Runtime dependencies.
        let mut deps: Vec<(String, &str)> = Vec::new();
        if let Some(list) = project
            .and_then(|p| p.get("dependencies"))
            .and_then(Value::as_array)
        {
            deps.extend(
                list.iter()
                    .filter_map(Value::as_str)
                    .filter(|r| marker_applies(r))
                    .filter_map(requirement_name)
                    .map(|n| (n, "pyproject.toml: project.dependencies")),
            );
        }
        if let Some(table) = poetry
            .and_then(|p| p.get("dependencies"))
            .and_then(Value::as_table)
        {
            deps.extend(table.keys().filter(|k| *k != "python").map(|k| {
                (
                    normalise_python_name(k),
                    "pyproject.toml: tool.poetry.dependencies",
                )
            }));
        }
        if deps.is_empty() {
            if let Some(list) = cfg.get("options").and_then(|o| o.get("install_requires")) {
                deps.extend(
                    list.lines()
                        .map(str::trim)
                        .filter(|r| marker_applies(r))
                        .filter_map(requirement_name)
                        .map(|n| (n, "setup.cfg: install_requires")),
                );
            }
        }
        if deps.is_empty() {
            deps.extend(
                setup_py_list(&setup_py, "install_requires")
                    .into_iter()
                    .filter(|r| marker_applies(r))
                    .filter_map(|r| requirement_name(&r))
                    .map(|n| (n, "setup.py: install_requires")),
            );
        }
        if deps.is_empty() {
            if let Some(info) = &pkg_info {
                deps.extend(
                    info.get("Requires-Dist")
                        .into_iter()
                        .flatten()
                        .filter(|r| marker_applies(r))
                        .filter_map(|r| requirement_name(r))
                        .map(|n| (n, "PKG-INFO: Requires-Dist")),
                );
            }
        }
        for (name, evidence) in deps {
            if !python.dependencies.contains(&name) {
                python.dependencies.push(name.clone());
                out.want(Want::Python(name), evidence);
            }
        }

        // Scripts.
        let mut scripts: Vec<String> = Vec::new();
        for table in [
            project.and_then(|p| p.get("scripts")),
            project.and_then(|p| p.get("gui-scripts")),
            poetry.and_then(|p| p.get("scripts")),
        ]
        .into_iter()
        .flatten()
        .filter_map(Value::as_table)
        {
            scripts.extend(table.keys().cloned());
        }
        if let Some(ep) = cfg
            .get("options.entry_points")
            .and_then(|e| e.get("console_scripts"))
        {
            scripts.extend(
                ep.lines()
                    .filter_map(|l| l.split_once('=').map(|(n, _)| n.trim().to_string()))
                    .filter(|n| !n.is_empty()),
            );
        }
        scripts.extend(setup_py_console_scripts(&setup_py));
        for script in setup_py_list(&setup_py, "scripts") {
            scripts.push(tree::file_name(&script).to_string());
        }
        if scripts.is_empty() {
            scripts.extend(egg_info_scripts(ctx));
        }
        scripts.dedup();
        python.scripts = scripts.clone();
        out.programs.extend(scripts);

        python.import_name = import_name(ctx, out.name.as_deref());
        if python.import_name.is_some() {
            out.library = true;
        }
        out.python = Some(python);
    }
}

/// The URL a `[project.urls]` table calls the homepage (or the repository).
fn homepage_of(urls: &toml::Table) -> Option<String> {
    for wanted in [
        "homepage",
        "home",
        "repository",
        "source",
        "source code",
        "github",
    ] {
        for (label, url) in urls {
            if label.to_ascii_lowercase() == wanted {
                if let Some(url) = url.as_str() {
                    return Some(url.to_string());
                }
            }
        }
    }
    None
}

/// The distribution name of a PEP 508 requirement, normalised.
pub(crate) fn requirement_name(requirement: &str) -> Option<String> {
    let name: String = requirement
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    (!name.is_empty()).then(|| normalise_python_name(&name))
}

/// Whether a requirement's environment marker holds for CPython 3.11 on Linux (the versions
/// and platform the package set has). Markers this cannot evaluate count as true.
pub(crate) fn marker_applies(requirement: &str) -> bool {
    static CMP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"^\s*(python_version|python_full_version|sys_platform|platform_system|os_name|extra|implementation_name|platform_python_implementation)\s*(==|!=|<=|>=|<|>)\s*["']([^"']*)["']\s*$"#)
            .unwrap_or_else(|e| unreachable!("static regex: {e}"))
    });
    let Some((_, marker)) = requirement.split_once(';') else {
        return true;
    };
    if marker.contains(" or ") {
        return true;
    }
    marker.split(" and ").all(|clause| {
        let clause = clause.trim().trim_start_matches('(').trim_end_matches(')');
        let Some(c) = CMP.captures(clause) else {
            return true;
        };
        let (var, op, value) = (&c[1], &c[2], &c[3]);
        let ord = match var {
            "python_version" | "python_full_version" => compare_versions("3.11", value),
            _ => {
                let actual = match var {
                    "sys_platform" => "linux",
                    "platform_system" => "Linux",
                    "os_name" => "posix",
                    "implementation_name" => "cpython",
                    "platform_python_implementation" => "CPython",
                    // `extra == "x"`: optional dependencies are not installed.
                    _ => return op == "!=",
                };
                actual.cmp(value)
            }
        };
        match op {
            "==" => ord.is_eq(),
            "!=" => ord.is_ne(),
            "<" => ord.is_lt(),
            "<=" => ord.is_le(),
            ">" => ord.is_gt(),
            _ => ord.is_ge(),
        }
    })
}

/// Compares dotted versions numerically over the components `b` gives (`3.11` vs `3.8`).
fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let (a, b) = (parts(a), parts(b));
    let n = b.len();
    a.iter().chain(std::iter::repeat(&0)).take(n).cmp(b.iter())
}

/// `setup.cfg`: section → key → value (continuation lines joined with newlines).
fn parse_ini(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut section = String::new();
    let mut key: Option<String> = None;
    for line in text.lines() {
        if line.trim_start().starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let Some(k) = &key {
                let entry = out
                    .entry(section.clone())
                    .or_default()
                    .entry(k.clone())
                    .or_default();
                if !line.trim().is_empty() {
                    entry.push('\n');
                    entry.push_str(line.trim());
                }
            }
            continue;
        }
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = name.trim().to_string();
            key = None;
        } else if let Some((k, v)) = t.split_once('=').or_else(|| t.split_once(':')) {
            let k = k.trim().to_string();
            out.entry(section.clone())
                .or_default()
                .insert(k.clone(), v.trim().to_string());
            key = Some(k);
        }
    }
    out
}

/// `PKG-INFO` headers (repeated ones collected), up to the description body.
fn parse_pkg_info(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.entry(k.trim().to_string())
                .or_default()
                .push(v.trim().to_string());
        }
    }
    out
}

/// `key="literal"` in a `setup(...)` call.
fn setup_py_string(text: &str, key: &str) -> Option<String> {
    let re = Regex::new(&format!(r#"\b{key}\s*=\s*(?:"([^"]*)"|'([^']*)')"#)).ok()?;
    let c = re.captures(text)?;
    c.get(1)
        .or_else(|| c.get(2))
        .map(|m| m.as_str().to_string())
}

/// String literals of `key=[...]` in a `setup(...)` call.
fn setup_py_list(text: &str, key: &str) -> Vec<String> {
    let Ok(re) = Regex::new(&format!(r"\b{key}\s*=\s*\[([^\]]*)\]")) else {
        return Vec::new();
    };
    let Some(c) = re.captures(text) else {
        return Vec::new();
    };
    string_literals(&c[1])
}

fn string_literals(text: &str) -> Vec<String> {
    static LIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#""([^"]*)"|'([^']*)'"#).unwrap_or_else(|e| unreachable!("static regex: {e}"))
    });
    LIT.captures_iter(text)
        .filter_map(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .map(|m| m.as_str().to_string())
        })
        .collect()
}

/// `console_scripts` entry points in `setup.py`.
fn setup_py_console_scripts(text: &str) -> Vec<String> {
    let Some(start) = text.find("console_scripts") else {
        return Vec::new();
    };
    let rest = &text[start..];
    let Some(open) = rest.find('[') else {
        return Vec::new();
    };
    let Some(close) = rest[open..].find(']') else {
        return Vec::new();
    };
    string_literals(&rest[open + 1..open + close])
        .iter()
        .filter_map(|s| s.split_once('=').map(|(n, _)| n.trim().to_string()))
        .filter(|n| !n.is_empty())
        .collect()
}

/// `console_scripts` of an sdist's `*.egg-info/entry_points.txt`.
fn egg_info_scripts(ctx: &Context) -> Vec<String> {
    let Some(entry) = ctx
        .tree
        .files_under(ctx.dir)
        .find(|e| e.rel.ends_with(".egg-info/entry_points.txt"))
    else {
        return Vec::new();
    };
    let Some(text) = ctx.tree.read(&entry.rel) else {
        return Vec::new();
    };
    let ini = parse_ini(&text);
    ini.get("console_scripts")
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

/// The top-level import package: a directory with `__init__.py` (at the root or under `src/`)
/// matching the project name, else the only one; else a single matching module file.
fn import_name(ctx: &Context, name: Option<&str>) -> Option<String> {
    let wanted = name.map(|n| n.replace(['-', '.'], "_").to_ascii_lowercase());
    let mut packages = Vec::new();
    for base in ["", "src"] {
        let dir = ctx.path(base);
        for sub in ctx.tree.subdirs(&dir) {
            let init = tree::join(&tree::join(&dir, &sub), "__init__.py");
            if ctx.tree.exists(&init)
                && !matches!(
                    sub.as_str(),
                    "tests" | "test" | "docs" | "doc" | "examples" | "benchmarks"
                )
            {
                packages.push(sub);
            }
        }
    }
    if let Some(w) = &wanted {
        if let Some(p) = packages.iter().find(|p| p.to_ascii_lowercase() == *w) {
            return Some(p.clone());
        }
    }
    if packages.len() == 1 {
        return packages.pop();
    }
    let w = wanted?;
    for base in ["", "src"] {
        let module = tree::join(&ctx.path(base), &format!("{w}.py"));
        if ctx.tree.exists(&module) {
            return Some(w);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_and_markers() {
        assert_eq!(
            requirement_name("Requests[socks]>=2.0").as_deref(),
            Some("requests")
        );
        assert_eq!(
            requirement_name("typing_extensions ; python_version < '3.8'").as_deref(),
            Some("typing-extensions")
        );
        assert!(!marker_applies(
            "typing_extensions ; python_version < \"3.8\""
        ));
        assert!(marker_applies("tomli; python_version < \"3.12\""));
        assert!(!marker_applies("pywin32; sys_platform == 'win32'"));
        assert!(!marker_applies("pytest; extra == 'test'"));
        assert!(marker_applies(
            "colorama; platform_system == 'Windows' or os_name == 'nt'"
        ));
        assert!(marker_applies("six"));
    }

    #[test]
    fn setup_py_scraping() {
        let text = "setup(name='foo', version=\"1.0\",\n install_requires=['six>=1', \"wcwidth\"],\n entry_points={'console_scripts': ['foo = foo.cli:main', 'foo-x=foo:x']})\n";
        assert_eq!(setup_py_string(text, "name").as_deref(), Some("foo"));
        assert_eq!(
            setup_py_list(text, "install_requires"),
            ["six>=1", "wcwidth"]
        );
        assert_eq!(setup_py_console_scripts(text), ["foo", "foo-x"]);
    }
}

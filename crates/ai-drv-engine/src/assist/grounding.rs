//! Grounding: the facts a model gets besides the request — the resolved source with the hash
//! computed here, the detected build system, the inferred dependencies with their attributes, a
//! bounded listing of the source tree and excerpts of its README/INSTALL/build files. Facts are
//! collected generously here and cut to the prompt budget in `prompt.rs`.

use std::path::Path;

use ai_drv_analyse::{Analysis, BuildSystem, Want};
use ai_drv_source::Source;
use ai_drv_syntax::Document;
use serde::Serialize;

/// At most this many entries of the source tree are listed.
const TREE_ENTRIES: usize = 80;
/// Each excerpt is cut to this many lines and characters when read.
const EXCERPT_LINES: usize = 80;
const EXCERPT_CHARS: usize = 4000;

/// A file of the source tree, shortened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excerpt {
    pub file: String,
    pub text: String,
}

/// Everything known about what is being packaged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// What the user asked for, as typed.
    pub request: String,
    pub pname: Option<String>,
    pub version: Option<String>,
    /// How the source was found (`debian:sl@5.02 → mirror://…`).
    pub source: Option<String>,
    /// The `src = …;` binding with the hash computed by ai-drv, to be used as it is.
    pub src: Option<String>,
    /// Formal arguments the `src` binding needs (`fetchurl`).
    pub src_formals: Vec<String>,
    pub build_system: Option<String>,
    /// `attr (buildInputs): why` lines.
    pub dependencies: Vec<String>,
    /// Things the source needs that no attribute was found for.
    pub unresolved: Vec<String>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub licenses: Vec<String>,
    pub main_program: Option<String>,
    /// Paths relative to the source root; directories end in `/`.
    pub tree: Vec<String>,
    pub excerpts: Vec<Excerpt>,
    /// The package set builds run against.
    pub package_set: String,
}

impl Facts {
    /// Facts from nothing but the request (no source could be resolved).
    pub fn from_request(request: &str, package_set: &str) -> Facts {
        Facts {
            request: request.to_string(),
            package_set: package_set.to_string(),
            ..Facts::default()
        }
    }

    /// Facts from a resolved and analysed source. `rule_draft` (the deterministic draft, when
    /// there is one) supplies the pinned `src` binding.
    pub fn from_source(
        request: &str,
        source: &Source,
        analysis: &Analysis,
        rule_draft: Option<&str>,
        package_set: &str,
    ) -> Facts {
        let (src, src_formals) = rule_draft
            .and_then(|text| Document::parse(text).ok())
            .and_then(|doc| {
                let src = doc.get("src")?;
                let formals = doc
                    .formals()
                    .into_iter()
                    .filter(|f| src.contains(f.as_str()))
                    .collect();
                Some((Some(format!("src = {src};")), formals))
            })
            .unwrap_or_default();
        let mut dependencies = Vec::new();
        let mut unresolved = Vec::new();
        for dep in &analysis.dependencies {
            let what = want_line(&dep.want);
            match &dep.attr {
                Some(attr) => {
                    let list = if dep.native {
                        "nativeBuildInputs"
                    } else {
                        "buildInputs"
                    };
                    let line = format!("{attr} ({list}): {what}, from {}", dep.evidence);
                    if !dependencies.contains(&line) {
                        dependencies.push(line);
                    }
                }
                None => unresolved.push(format!("{what}, from {}", dep.evidence)),
            }
        }
        Facts {
            request: request.to_string(),
            pname: Some(source.pname.clone()),
            version: Some(source.version.clone()),
            source: Some(source.chosen.clone()),
            src,
            src_formals,
            build_system: Some(build_system_line(&analysis.build_system, &analysis.subdir)),
            dependencies,
            unresolved,
            description: analysis.description.clone(),
            homepage: analysis.homepage.clone(),
            licenses: analysis.licenses.clone(),
            main_program: analysis.main_program.clone(),
            tree: listing(&source.tree),
            excerpts: excerpts(&source.tree, &analysis.build_system),
            package_set: package_set.to_string(),
        }
    }

    /// Facts for repairing an existing file (`ai-drv build`): its name, and the source tree when
    /// one is known.
    pub fn from_file(file: &Path, tree: Option<&Path>, package_set: &str) -> Facts {
        Facts {
            request: format!("make the derivation in {} build and work", file.display()),
            tree: tree.map(listing).unwrap_or_default(),
            excerpts: tree
                .map(|t| excerpts(t, &BuildSystem::Unknown))
                .unwrap_or_default(),
            package_set: package_set.to_string(),
            ..Facts::default()
        }
    }
}

fn want_line(want: &Want) -> String {
    match want {
        Want::PkgConfig(m) => format!("pkg-config module {m}"),
        Want::Header(h) => format!("header <{h}>"),
        Want::Library(l) => format!("library -l{l}"),
        Want::Command(c) => format!("command {c}"),
        Want::CrateSys(c) => format!("Rust crate {c}"),
        Want::Python(p) => format!("Python package {p}"),
    }
}

fn build_system_line(bs: &BuildSystem, subdir: &Option<String>) -> String {
    let base = match bs {
        BuildSystem::Autotools { configure: true } => {
            "GNU autotools (configure script shipped)".into()
        }
        BuildSystem::Autotools { configure: false } => {
            "GNU autotools (configure.ac only: needs autoreconfHook)".into()
        }
        BuildSystem::Configure => "a hand-written ./configure script".into(),
        BuildSystem::CMake => "CMake".into(),
        BuildSystem::Meson => "Meson".into(),
        BuildSystem::Make {
            install,
            prefix_var,
            destdir,
        } => format!(
            "plain Makefile ({}{}{})",
            if *install {
                "has an install target"
            } else {
                "no install target: write installPhase"
            },
            prefix_var
                .as_ref()
                .map(|v| format!(", prefix variable {v}"))
                .unwrap_or_default(),
            if *destdir { ", honours DESTDIR" } else { "" }
        ),
        BuildSystem::Cargo => "Cargo (rustPlatform.buildRustPackage)".into(),
        BuildSystem::Python { backend, pyproject } => format!(
            "Python ({}{})",
            if *pyproject { "pyproject" } else { "setup.py" },
            backend
                .as_ref()
                .map(|b| format!(", backend {b}"))
                .unwrap_or_default()
        ),
        BuildSystem::Npm => "npm (package.json)".into(),
        BuildSystem::InstallScript { script } => format!("an install script ({script})"),
        BuildSystem::Unknown => "not recognised".into(),
    };
    match subdir {
        Some(dir) => format!("{base}, in the subdirectory {dir}"),
        None => base,
    }
}

/// Up to [`TREE_ENTRIES`] paths, breadth first to depth 2, sorted, without VCS directories.
fn listing(tree: &Path) -> Vec<String> {
    let mut entries: Vec<(usize, String)> = walkdir::WalkDir::new(tree)
        .min_depth(1)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !matches!(name.as_ref(), ".git" | ".hg" | ".svn" | "node_modules")
        })
        .filter_map(Result::ok)
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(tree)
                .ok()?
                .to_string_lossy()
                .into_owned();
            let rel = if e.file_type().is_dir() {
                format!("{rel}/")
            } else {
                rel
            };
            Some((e.depth(), rel))
        })
        .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let total = entries.len();
    let mut out: Vec<String> = entries
        .into_iter()
        .take(TREE_ENTRIES)
        .map(|(_, p)| p)
        .collect();
    out.sort();
    if total > TREE_ENTRIES {
        out.push(format!("… and {} more", total - TREE_ENTRIES));
    }
    out
}

/// README and INSTALL first, then the build files the build system reads.
fn excerpts(tree: &Path, bs: &BuildSystem) -> Vec<Excerpt> {
    let mut names: Vec<String> = Vec::new();
    if let Ok(dir) = fs_err::read_dir(tree) {
        let mut top: Vec<String> = dir
            .filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        top.sort();
        for prefix in ["README", "INSTALL", "BUILDING"] {
            names.extend(
                top.iter()
                    .filter(|n| n.to_ascii_uppercase().starts_with(prefix))
                    .take(1)
                    .cloned(),
            );
        }
    }
    let build_files: &[&str] = match bs {
        BuildSystem::CMake => &["CMakeLists.txt"],
        BuildSystem::Meson => &["meson.build", "meson_options.txt"],
        BuildSystem::Cargo => &["Cargo.toml"],
        BuildSystem::Python { .. } => &["pyproject.toml", "setup.py", "setup.cfg"],
        BuildSystem::Npm => &["package.json"],
        BuildSystem::Autotools { .. } => &["configure.ac", "Makefile.am"],
        _ => &[
            "Makefile",
            "GNUmakefile",
            "makefile",
            "configure.ac",
            "CMakeLists.txt",
            "meson.build",
            "Cargo.toml",
            "pyproject.toml",
            "setup.py",
            "package.json",
            "configure",
        ],
    };
    names.extend(build_files.iter().map(|s| s.to_string()));
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let bytes = fs_err::read(tree.join(&name)).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let mut cut: String = text
                .lines()
                .take(EXCERPT_LINES)
                .collect::<Vec<_>>()
                .join("\n");
            if cut.len() > EXCERPT_CHARS {
                let mut end = EXCERPT_CHARS;
                while !cut.is_char_boundary(end) {
                    end -= 1;
                }
                cut.truncate(end);
            }
            (!cut.trim().is_empty()).then_some(Excerpt {
                file: name,
                text: cut,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_is_bounded_and_skips_vcs() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(dir.path().join(".git/objects")).unwrap();
        fs_err::create_dir_all(dir.path().join("src")).unwrap();
        for i in 0..100 {
            fs_err::write(dir.path().join(format!("src/f{i:03}.c")), "").unwrap();
        }
        fs_err::write(dir.path().join("Makefile"), "all:\n").unwrap();
        let list = listing(dir.path());
        assert!(list.contains(&"Makefile".to_string()));
        assert!(list.contains(&"src/".to_string()));
        assert!(!list.iter().any(|p| p.starts_with(".git")));
        assert_eq!(list.len(), TREE_ENTRIES + 1);
        assert_eq!(list.last().unwrap(), "… and 22 more");
    }

    #[test]
    fn excerpts_take_readme_then_build_files() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("README.md"), "# tool\nBuild with make.\n").unwrap();
        fs_err::write(dir.path().join("CMakeLists.txt"), "project(x C)\n").unwrap();
        fs_err::write(dir.path().join("Makefile"), "all:\n").unwrap();
        let ex = excerpts(dir.path(), &BuildSystem::CMake);
        let files: Vec<&str> = ex.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(files, ["README.md", "CMakeLists.txt"]);
        assert_eq!(ex[0].text, "# tool\nBuild with make.");
    }
}

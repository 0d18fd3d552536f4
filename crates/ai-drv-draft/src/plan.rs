//! `plan`: what the first derivation says, decided from the pinned source and the analysis of
//! its tree — the builder for the build system, the fetcher call, inputs, the attributes that
//! build system needs in nixpkgs practice, and meta.

use std::path::{Path, PathBuf};

use ai_drv_analyse::{Analysis, BuildSystem, Want};
use ai_drv_source::{Fetch, Source};

use crate::model::{Builder, Meta, Package, Src, Value};
use crate::render::is_identifier;

/// The parts of a pinned source a plan reads (a `Source` lends them; tests build them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned<'a> {
    pub pname: &'a str,
    pub version: &'a str,
    pub fetch: &'a Fetch,
    /// SRI hash, as the fetcher expects it.
    pub hash: &'a str,
    /// The unpacked tree (top directory stripped).
    pub tree: &'a Path,
    pub meta: &'a ai_drv_source::Meta,
}

impl<'a> From<&'a Source> for Pinned<'a> {
    fn from(source: &'a Source) -> Pinned<'a> {
        Pinned {
            pname: &source.pname,
            version: &source.version,
            fetch: &source.fetch,
            hash: &source.hash,
            tree: &source.tree,
            meta: &source.meta,
        }
    }
}

/// The first derivation for `source` as `analysis` describes its tree.
pub fn plan(source: &Source, analysis: &Analysis) -> Package {
    plan_pinned(&Pinned::from(source), analysis)
}

/// `plan` on the parts of a source.
pub fn plan_pinned(source: &Pinned<'_>, analysis: &Analysis) -> Package {
    let builder = builder_for(analysis);
    let build_root = match &analysis.subdir {
        Some(dir) => source.tree.join(dir),
        None => source.tree.to_path_buf(),
    };

    let mut native = Vec::new();
    let mut attrs = Vec::new();
    match builder {
        Builder::Stdenv => {
            stdenv_attrs(source, analysis, &build_root, &mut native, &mut attrs);
        }
        Builder::RustPackage => {
            // Unknown until the vendored dependencies are fetched: the build reports it.
            attrs.push(attr("cargoHash", Value::Str(String::new())));
        }
        Builder::PythonApplication | Builder::PythonPackage => python_attrs(analysis, &mut attrs),
        Builder::NpmPackage => attrs.push(attr("npmDepsHash", Value::Str(String::new()))),
    }

    let python = matches!(builder, Builder::PythonApplication | Builder::PythonPackage);
    // Python distributions are `build-system`/`dependencies` of a Python package, not inputs.
    let keep = |a: &String| !(python && a.starts_with("python3Packages."));
    native.extend(
        analysis
            .native_build_inputs
            .iter()
            .filter(|a| keep(a))
            .cloned(),
    );
    let native = dedup(native);
    let build_inputs = dedup(
        analysis
            .build_inputs
            .iter()
            .filter(|a| keep(a))
            .cloned()
            .collect(),
    );

    Package {
        builder,
        pname: source.pname.to_string(),
        version: source.version.to_string(),
        src: src_for(source),
        source_root: analysis.subdir.clone(),
        native_build_inputs: native,
        build_inputs,
        attrs,
        meta: meta_for(source, analysis, builder),
    }
}

fn builder_for(analysis: &Analysis) -> Builder {
    match &analysis.build_system {
        BuildSystem::Cargo => Builder::RustPackage,
        BuildSystem::Python { .. } => {
            let scripts = analysis
                .python
                .as_ref()
                .is_some_and(|p| !p.scripts.is_empty());
            if scripts || !analysis.programs.is_empty() {
                Builder::PythonApplication
            } else {
                Builder::PythonPackage
            }
        }
        BuildSystem::Npm => Builder::NpmPackage,
        _ => Builder::Stdenv,
    }
}

fn attr(name: &str, value: Value) -> (String, Value) {
    (name.to_string(), value)
}

fn strings(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::Str(s.clone())).collect())
}

fn stdenv_attrs(
    source: &Pinned<'_>,
    analysis: &Analysis,
    build_root: &Path,
    native: &mut Vec<String>,
    attrs: &mut Vec<(String, Value)>,
) {
    let cc = "CC:=$(CC)".to_string();
    match &analysis.build_system {
        BuildSystem::Autotools { configure } => {
            if !configure {
                native.push("autoreconfHook".to_string());
            }
            attrs.push(attr("enableParallelBuilding", Value::Bool(true)));
        }
        BuildSystem::CMake => native.push("cmake".to_string()),
        BuildSystem::Meson => {
            native.push("meson".to_string());
            native.push("ninja".to_string());
        }
        BuildSystem::Make {
            install,
            prefix_var,
            ..
        } => {
            attrs.push(attr("enableParallelBuilding", Value::Bool(true)));
            if !build_root.join("configure").is_file() {
                attrs.push(attr("dontConfigure", Value::Bool(true)));
            }
            if *install {
                // Make syntax (`$(out)`), expanded by make from the environment, as lz4.nix
                // does; a Makefile that does not assign a prefix may still read `PREFIX`.
                let var = prefix_var.as_deref().unwrap_or("PREFIX");
                attrs.push(attr("makeFlags", strings(&[format!("{var}=$(out)"), cc])));
            } else {
                attrs.push(attr("makeFlags", strings(&[cc])));
                attrs.push(attr(
                    "installPhase",
                    Value::Multiline(install_phase(source, analysis, build_root)),
                ));
            }
        }
        BuildSystem::InstallScript { script } => {
            attrs.push(attr("dontConfigure", Value::Bool(true)));
            attrs.push(attr("dontBuild", Value::Bool(true)));
            attrs.push(attr(
                "installPhase",
                Value::Multiline(format!(
                    "runHook preInstall\nsh {} $out </dev/null\nrunHook postInstall\n",
                    shell_words(std::slice::from_ref(script))
                )),
            ));
        }
        BuildSystem::Configure
        | BuildSystem::Cargo
        | BuildSystem::Python { .. }
        | BuildSystem::Npm
        | BuildSystem::Unknown => {}
    }
}

/// An installPhase for a Makefile without `install:`: the programs it builds into `bin`, the
/// man pages in the tree into their sections.
fn install_phase(source: &Pinned<'_>, analysis: &Analysis, build_root: &Path) -> String {
    let mut programs = analysis.programs.clone();
    if programs.is_empty() {
        programs.push(source.pname.to_string());
    }
    let mut lines = vec!["runHook preInstall".to_string()];
    lines.push(format!(
        "install -Dm755 -t $out/bin {}",
        shell_words(&programs)
    ));
    for (section, pages) in man_pages(build_root) {
        lines.push(format!(
            "install -Dm644 -t $out/share/man/man{section} {}",
            shell_words(&pages)
        ));
    }
    lines.push("runHook postInstall".to_string());
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

fn shell_words(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._/+-,=@%:".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Man pages (`name.N`, N in 1–8, starting like roff) within two levels of `root`, by
/// section, as paths relative to `root`, sorted.
fn man_pages(root: &Path) -> Vec<(char, Vec<String>)> {
    let mut found: Vec<(char, String)> = Vec::new();
    let mut dirs: Vec<(PathBuf, usize)> = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = dirs.pop() {
        let Ok(entries) = fs_err::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < 1 {
                    dirs.push((path, depth + 1));
                }
                continue;
            }
            if !kind.is_file() {
                continue;
            }
            let Some(section) = man_section(&name) else {
                continue;
            };
            if !looks_like_roff(&path) {
                continue;
            }
            if let Ok(relative) = path.strip_prefix(root) {
                found.push((section, relative.to_string_lossy().into_owned()));
            }
        }
    }
    found.sort();
    let mut sections: Vec<(char, Vec<String>)> = Vec::new();
    for (section, page) in found {
        match sections.last_mut() {
            Some((s, pages)) if *s == section => pages.push(page),
            _ => sections.push((section, vec![page])),
        }
    }
    sections
}

fn man_section(name: &str) -> Option<char> {
    let (stem, ext) = name.rsplit_once('.')?;
    let mut chars = ext.chars();
    let section = chars.next()?;
    if stem.is_empty() || chars.next().is_some() || !('1'..='8').contains(&section) {
        return None;
    }
    Some(section)
}

/// Whether the file starts like a man page (a roff request or comment line).
fn looks_like_roff(path: &Path) -> bool {
    let Ok(bytes) = fs_err::read(path) else {
        return false;
    };
    let head = &bytes[..bytes.len().min(4096)];
    String::from_utf8_lossy(head)
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with('.') || l.starts_with('\''))
}

fn python_attrs(analysis: &Analysis, attrs: &mut Vec<(String, Value)>) {
    let python = analysis.python.clone().unwrap_or_default();
    attrs.push(attr("pyproject", Value::Bool(true)));
    let mut build_system = python.build_system.clone();
    if build_system.is_empty() {
        let backend = match &analysis.build_system {
            BuildSystem::Python { backend, .. } => backend.as_deref(),
            _ => None,
        };
        build_system.push(backend_attr(backend).to_string());
    }
    attrs.push(attr("build-system", python_list(&build_system)));
    if !python.dependencies.is_empty() {
        attrs.push(attr("dependencies", python_list(&python.dependencies)));
    }
    if let Some(module) = &python.import_name {
        attrs.push(attr(
            "pythonImportsCheck",
            Value::List(vec![Value::Str(module.clone())]),
        ));
    }
}

/// The `python3Packages` attribute providing a PEP 517 backend.
fn backend_attr(backend: Option<&str>) -> &'static str {
    let backend = backend.unwrap_or("setuptools");
    let module = backend.split(['.', ':']).next().unwrap_or(backend);
    match module {
        "hatchling" => "hatchling",
        "flit_core" => "flit-core",
        "poetry" => "poetry-core",
        "pdm" => "pdm-backend",
        "maturin" => "maturin",
        "scikit_build_core" => "scikit-build-core",
        "mesonpy" => "meson-python",
        "whey" => "whey",
        _ => "setuptools",
    }
}

/// `with python3Packages; [ … ]`.
fn python_list(names: &[String]) -> Value {
    let items = names
        .iter()
        .map(|n| {
            let name = n.strip_prefix("python3Packages.").unwrap_or(n);
            if is_identifier(name) {
                Value::Raw(name.to_string())
            } else {
                Value::Raw(format!("python3Packages.{}", crate::render::quote(name)))
            }
        })
        .collect();
    Value::With("python3Packages".to_string(), Box::new(Value::List(items)))
}

fn src_for(source: &Pinned<'_>) -> Src {
    let s = |v: &str| Value::Str(v.to_string());
    let hash = attr("hash", s(source.hash));
    let (fetcher, inherit, mut attrs) = match source.fetch {
        Fetch::Url { url } | Fetch::Npm { url } => ("fetchurl", vec![], vec![attr("url", s(url))]),
        Fetch::Zip { url } => ("fetchzip", vec![], vec![attr("url", s(url))]),
        Fetch::GitHub { owner, repo, rev } => (
            "fetchFromGitHub",
            vec![],
            vec![
                attr("owner", s(owner)),
                attr("repo", s(repo)),
                attr("rev", s(rev)),
            ],
        ),
        Fetch::GitLab { owner, repo, rev } => (
            "fetchFromGitLab",
            vec![],
            vec![
                attr("owner", s(owner)),
                attr("repo", s(repo)),
                attr("rev", s(rev)),
            ],
        ),
        Fetch::Gitea {
            domain,
            owner,
            repo,
            rev,
        } => (
            "fetchFromGitea",
            vec![],
            vec![
                attr("domain", s(domain)),
                attr("owner", s(owner)),
                attr("repo", s(repo)),
                attr("rev", s(rev)),
            ],
        ),
        Fetch::Crate { pname, version } => {
            let (inherit, attrs) = registry_names(source, pname, version);
            ("fetchCrate", inherit, attrs)
        }
        Fetch::Pypi { pname, version } => {
            let (inherit, attrs) = registry_names(source, pname, version);
            ("fetchPypi", inherit, attrs)
        }
    };
    attrs.push(hash);
    Src {
        fetcher: fetcher.to_string(),
        inherit,
        attrs,
    }
}

/// `inherit pname version;` for what the registry names as the package does, the rest spelled
/// out (a registry name that differs from the package's).
fn registry_names(
    source: &Pinned<'_>,
    pname: &str,
    version: &str,
) -> (Vec<String>, Vec<(String, Value)>) {
    let mut inherit = Vec::new();
    let mut attrs = Vec::new();
    for (name, value, own) in [
        ("pname", pname, source.pname),
        ("version", version, source.version),
    ] {
        if value == own {
            inherit.push(name.to_string());
        } else {
            attrs.push(attr(name, Value::Str(value.to_string())));
        }
    }
    (inherit, attrs)
}

fn meta_for(source: &Pinned<'_>, analysis: &Analysis, builder: Builder) -> Meta {
    // The analysis tidies what it reads; registry descriptions get the same treatment.
    let description = analysis.description.clone().or_else(|| {
        source
            .meta
            .description
            .as_deref()
            .and_then(|d| ai_drv_analyse::meta::tidy_description(d, Some(source.pname)))
    });
    let homepage = analysis
        .homepage
        .clone()
        .or_else(|| source.meta.homepage.clone())
        .or_else(|| forge_homepage(source.fetch));
    let licenses = if analysis.licenses.is_empty() {
        source
            .meta
            .license
            .as_deref()
            .map(ai_drv_analyse::license::from_declared)
            .unwrap_or_default()
    } else {
        analysis.licenses.clone()
    };
    let main_program = analysis.main_program.clone().or_else(|| {
        analysis
            .python
            .as_ref()
            .and_then(|p| p.scripts.first().cloned())
            .filter(|_| builder == Builder::PythonApplication)
    });
    let platforms = (builder == Builder::Stdenv).then(|| {
        if linux_only(analysis) {
            "linux".to_string()
        } else {
            "unix".to_string()
        }
    });
    Meta {
        description,
        long_description: None,
        homepage,
        licenses,
        main_program,
        platforms,
    }
}

fn forge_homepage(fetch: &Fetch) -> Option<String> {
    match fetch {
        Fetch::GitHub { owner, repo, .. } => Some(format!("https://github.com/{owner}/{repo}")),
        Fetch::GitLab { owner, repo, .. } => Some(format!("https://gitlab.com/{owner}/{repo}")),
        Fetch::Gitea {
            domain,
            owner,
            repo,
            ..
        } => Some(format!("https://{domain}/{owner}/{repo}")),
        _ => None,
    }
}

/// Headers and libraries only Linux has: a program using them gets `lib.platforms.linux`.
fn linux_only(analysis: &Analysis) -> bool {
    const HEADERS: &[&str] = &[
        "sys/epoll.h",
        "sys/inotify.h",
        "sys/signalfd.h",
        "sys/timerfd.h",
        "sys/eventfd.h",
        "sys/fanotify.h",
        "sys/sysinfo.h",
        "sys/prctl.h",
        "sys/klog.h",
        "sys/personality.h",
        "sys/sendfile.h",
        "sys/capability.h",
        "sys/vfs.h",
        "sys/fsuid.h",
        "mntent.h",
        "pty.h",
    ];
    const HEADER_DIRS: &[&str] = &["linux/", "asm/", "netlink/", "libudev", "systemd/"];
    const LIBRARIES: &[&str] = &["cap", "nl-3", "nl-genl-3", "udev", "systemd", "seccomp"];
    const MODULES: &[&str] = &[
        "libcap",
        "libnl-3.0",
        "libnl-genl-3.0",
        "libudev",
        "libsystemd",
        "libseccomp",
    ];
    analysis.dependencies.iter().any(|d| match &d.want {
        Want::Header(h) => {
            HEADERS.contains(&h.as_str()) || HEADER_DIRS.iter().any(|p| h.starts_with(p))
        }
        Want::Library(l) => LIBRARIES.contains(&l.as_str()),
        Want::PkgConfig(m) => MODULES.contains(&m.as_str()),
        _ => false,
    })
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

//! CMake: `CMakeLists.txt` files and the project's own `*.cmake` modules. Dependencies come from
//! `find_package` (common module names mapped to what they look for; a project-local
//! `FindX.cmake` is read instead), `pkg_check_modules`/`pkg_search_module`, `find_library`,
//! `find_path`, `find_program`, `check_include_file(s)` and `check_library_exists`; programs
//! from `add_executable` + `install(TARGETS …)`, libraries from `add_library`, metadata from
//! `project(… VERSION DESCRIPTION HOMEPAGE_URL)`.

use std::collections::{HashMap, HashSet};

use super::{Context, Findings, Rule};
use crate::scan::{self, cmake_args, is_literal, Syntax};
use crate::tree::{self, Tree};
use crate::{BuildSystem, Want};

pub struct CMake;

impl Rule for CMake {
    fn detect(&self, tree: &Tree, dir: &str) -> Option<BuildSystem> {
        tree.exists(&tree::join(dir, "CMakeLists.txt"))
            .then_some(BuildSystem::CMake)
    }

    fn infer(&self, ctx: &Context, out: &mut Findings) {
        let mut vars: HashMap<String, String> = HashMap::new();
        let top = ctx.path("CMakeLists.txt");
        if let Some(text) = ctx.tree.read(&top) {
            let text = scan::strip_comments(&text, Syntax::CMake);
            read_project(&text, &mut vars, out);
        }
        let find_modules: HashMap<String, String> = ctx
            .tree
            .files_under(ctx.dir)
            .filter_map(|e| {
                let name = tree::file_name(&e.rel);
                let module = name.strip_prefix("Find")?.strip_suffix(".cmake")?;
                Some((module.to_ascii_lowercase(), e.rel.clone()))
            })
            .collect();
        let files: Vec<String> = ctx
            .tree
            .files_under(ctx.dir)
            .filter(|e| !tree::is_auxiliary(&e.rel))
            .filter(|e| {
                let name = tree::file_name(&e.rel);
                name == "CMakeLists.txt"
                    || (name.ends_with(".cmake")
                        && !name.starts_with("Find")
                        && !name.ends_with("Config.cmake")
                        && !name.ends_with("-config.cmake")
                        && !name.ends_with("Targets.cmake")
                        && !name.ends_with("ConfigVersion.cmake"))
            })
            .map(|e| e.rel.clone())
            .collect();

        let mut executables: Vec<String> = Vec::new();
        let mut libraries: Vec<String> = Vec::new();
        let mut installed: HashSet<String> = HashSet::new();
        let mut any_install_targets = false;
        let mut used_modules: HashSet<String> = HashSet::new();
        for rel in &files {
            let Some(text) = ctx.tree.read(rel) else {
                continue;
            };
            let text = scan::strip_comments(&text, Syntax::CMake);
            collect_sets(&text, &mut vars);
            let shown = ctx.display(rel).to_string();
            for call in scan::calls(&text, "find_package", Syntax::CMake) {
                let args = expand_all(&cmake_args(call), &vars);
                let Some(package) = args.first() else {
                    continue;
                };
                let key = package.to_ascii_lowercase();
                let evidence = format!("{shown}: find_package({package})");
                if let Some(wants) = known_package(package, &args) {
                    for want in wants {
                        out.want(want, evidence.clone());
                    }
                } else if let Some(module) = find_modules.get(&key) {
                    if used_modules.insert(key.clone()) {
                        if let Some(module_text) = ctx.tree.read(module) {
                            let module_text = scan::strip_comments(&module_text, Syntax::CMake);
                            read_finders(&module_text, &vars, ctx.display(module), out);
                        }
                    }
                } else if is_literal(package) {
                    out.want_any(guess_package(package), evidence);
                }
            }
            read_finders(&text, &vars, &shown, out);
            for call in scan::calls(&text, "add_executable", Syntax::CMake) {
                let args = expand_all(&cmake_args(call), &vars);
                if let Some(name) = args.first() {
                    if !args.iter().any(|a| a == "IMPORTED" || a == "ALIAS")
                        && !tree::is_auxiliary(rel)
                    {
                        executables.push(name.clone());
                    }
                }
            }
            for call in scan::calls(&text, "add_library", Syntax::CMake) {
                let args = expand_all(&cmake_args(call), &vars);
                if let Some(name) = args.first() {
                    if !args
                        .iter()
                        .any(|a| a == "IMPORTED" || a == "ALIAS" || a == "OBJECT")
                    {
                        libraries.push(name.clone());
                    }
                }
            }
            for call in scan::calls(&text, "install", Syntax::CMake) {
                let args = expand_all(&cmake_args(call), &vars);
                read_install(
                    &args,
                    ctx,
                    rel,
                    &mut installed,
                    &mut any_install_targets,
                    out,
                );
            }
            for call in scan::calls(&text, "set_target_properties", Syntax::CMake) {
                let args = expand_all(&cmake_args(call), &vars);
                if let Some(i) = args.iter().position(|a| a == "PUBLIC_HEADER") {
                    if let Some(list) = args.get(i + 1) {
                        for h in list.split(';') {
                            push_header(h, out);
                        }
                    }
                }
            }
            for call in scan::calls(&text, "configure_file", Syntax::CMake) {
                let args = expand_all(&cmake_args(call), &vars);
                if let Some(module) = args
                    .get(1)
                    .and_then(|o| tree::file_name(o).strip_suffix(".pc"))
                {
                    if is_literal(module) {
                        out.pkgconfig_modules.push(module.to_string());
                        out.library = true;
                    }
                }
            }
        }
        let is_test = |name: &str| {
            let lower = name.to_ascii_lowercase();
            lower.contains("test")
                || lower.contains("example")
                || lower.contains("bench")
                || lower.contains("fuzz")
        };
        for exe in executables {
            let keep = if any_install_targets {
                installed.contains(&exe)
            } else {
                !is_test(&exe)
            };
            if keep && is_literal(&exe) {
                out.programs.push(exe);
            }
        }
        if libraries.iter().any(|l| {
            if any_install_targets {
                installed.contains(l)
            } else {
                !is_test(l)
            }
        }) {
            out.library = true;
        }
    }
}

/// `project(name [VERSION v] [DESCRIPTION d] [HOMEPAGE_URL u] …)`.
fn read_project(text: &str, vars: &mut HashMap<String, String>, out: &mut Findings) {
    // Old-CMake fallbacks come first in some files (`if(CMAKE_VERSION …) project(x) else()
    // project(x VERSION …)`): prefer the call that states a version.
    let calls = scan::calls(text, "project", Syntax::CMake);
    let Some(call) = calls
        .iter()
        .find(|c| cmake_args(c).iter().any(|a| a == "VERSION"))
        .or(calls.first())
    else {
        return;
    };
    let args = cmake_args(call);
    let Some(name) = args.first().filter(|n| is_literal(n)) else {
        return;
    };
    vars.insert("PROJECT_NAME".into(), name.clone());
    vars.insert("CMAKE_PROJECT_NAME".into(), name.clone());
    let after = |kw: &str| {
        args.iter()
            .position(|a| a == kw)
            .and_then(|i| args.get(i + 1))
            .filter(|v| is_literal(v))
            .cloned()
    };
    Findings::meta(&mut out.name, Some(name.clone()));
    if let Some(version) = after("VERSION") {
        vars.insert("PROJECT_VERSION".into(), version.clone());
        vars.insert(format!("{name}_VERSION"), version.clone());
        Findings::meta(&mut out.version, Some(version));
    }
    Findings::meta(&mut out.description, after("DESCRIPTION"));
    Findings::meta(&mut out.homepage, after("HOMEPAGE_URL"));
}

/// `set(VAR value…)` assignments (lists joined with blanks, cache entries by their value), for
/// expanding `${VAR}` in names and file lists. The first assignment wins.
fn collect_sets(text: &str, vars: &mut HashMap<String, String>) {
    for call in scan::calls(text, "set", Syntax::CMake) {
        let args = cmake_args(call);
        let Some((name, values)) = args.split_first() else {
            continue;
        };
        let values: Vec<&String> = values
            .iter()
            .take_while(|v| !matches!(v.as_str(), "CACHE" | "PARENT_SCOPE" | "FORCE"))
            .collect();
        if values.is_empty() || vars.contains_key(name) {
            continue;
        }
        let joined = values
            .iter()
            .map(|v| expand(v, vars))
            .collect::<Vec<_>>()
            .join(" ");
        vars.insert(name.clone(), joined);
    }
}

fn expand(arg: &str, vars: &HashMap<String, String>) -> String {
    let mut out = arg.to_string();
    for _ in 0..4 {
        let Some(start) = out.find("${") else { break };
        let Some(len) = out[start..].find('}') else {
            break;
        };
        let name = &out[start + 2..start + len];
        match vars.get(name) {
            Some(value) => out = format!("{}{}{}", &out[..start], value, &out[start + len + 1..]),
            None => break,
        }
    }
    out
}

fn expand_all(args: &[String], vars: &HashMap<String, String>) -> Vec<String> {
    args.iter().map(|a| expand(a, vars)).collect()
}

/// Keywords that end a list of names in `find_*` calls.
const FIND_KEYWORDS: &[&str] = &[
    "NAMES",
    "NAMES_PER_DIR",
    "HINTS",
    "PATHS",
    "PATH_SUFFIXES",
    "DOC",
    "REQUIRED",
    "NO_DEFAULT_PATH",
    "NO_CACHE",
    "NO_PACKAGE_ROOT_PATH",
    "NO_CMAKE_PATH",
    "NO_CMAKE_ENVIRONMENT_PATH",
    "NO_SYSTEM_ENVIRONMENT_PATH",
    "NO_CMAKE_SYSTEM_PATH",
    "CMAKE_FIND_ROOT_PATH_BOTH",
    "ONLY_CMAKE_FIND_ROOT_PATH",
    "NO_CMAKE_FIND_ROOT_PATH",
    "ENV",
    "VALIDATOR",
    "OPTIONAL",
    "REGISTRY_VIEW",
];

/// The names a `find_library`/`find_path`/`find_program` call looks for, and its
/// `PATH_SUFFIXES`.
fn find_names(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut names = Vec::new();
    let mut suffixes = Vec::new();
    if args.len() < 2 {
        return (names, suffixes);
    }
    if args[1] != "NAMES" {
        names.push(args[1].clone());
    }
    let mut section = if args[1] == "NAMES" { "NAMES" } else { "" };
    for arg in &args[2..] {
        if FIND_KEYWORDS.contains(&arg.as_str()) {
            section = FIND_KEYWORDS
                .iter()
                .find(|k| **k == arg)
                .copied()
                .unwrap_or_default();
            continue;
        }
        match section {
            "NAMES" => names.push(arg.clone()),
            "PATH_SUFFIXES" => suffixes.push(arg.clone()),
            _ => {}
        }
    }
    names.retain(|n| is_literal(n));
    (names, suffixes)
}

/// `pkg_check_modules`, `pkg_search_module`, `find_library`, `find_path`, `find_program`,
/// `check_include_file(s)`, `check_library_exists`.
fn read_finders(text: &str, vars: &HashMap<String, String>, shown: &str, out: &mut Findings) {
    const PKG_OPTIONS: &[&str] = &[
        "REQUIRED",
        "QUIET",
        "IMPORTED_TARGET",
        "GLOBAL",
        "NO_CMAKE_PATH",
        "NO_CMAKE_ENVIRONMENT_PATH",
    ];
    for (name, any) in [("pkg_check_modules", false), ("pkg_search_module", true)] {
        for call in scan::calls(text, name, Syntax::CMake) {
            let args = expand_all(&cmake_args(call), vars);
            let modules: Vec<String> = args
                .iter()
                .skip(1)
                .filter(|a| !PKG_OPTIONS.contains(&a.as_str()))
                .flat_map(|a| scan::pkgconfig_modules(a))
                .collect();
            let evidence = format!("{shown}: {name}");
            if any {
                out.want_any(modules.into_iter().map(Want::PkgConfig).collect(), evidence);
            } else {
                for module in modules {
                    out.want(Want::PkgConfig(module), evidence.clone());
                }
            }
        }
    }
    for call in scan::calls(text, "find_library", Syntax::CMake) {
        let (names, _) = find_names(&expand_all(&cmake_args(call), vars));
        let libs = names
            .iter()
            .map(|n| {
                let n = n.trim_end_matches(".so").trim_end_matches(".a");
                Want::Library(n.strip_prefix("lib").unwrap_or(n).to_string())
            })
            .collect();
        out.want_any(libs, format!("{shown}: find_library"));
    }
    for call in scan::calls(text, "find_path", Syntax::CMake) {
        let (names, suffixes) = find_names(&expand_all(&cmake_args(call), vars));
        let mut headers = Vec::new();
        for name in &names {
            headers.push(Want::Header(name.clone()));
            for suffix in &suffixes {
                headers.push(Want::Header(format!(
                    "{}/{name}",
                    suffix.trim_end_matches('/')
                )));
            }
        }
        out.want_any(headers, format!("{shown}: find_path"));
    }
    for call in scan::calls(text, "find_program", Syntax::CMake) {
        let (names, _) = find_names(&expand_all(&cmake_args(call), vars));
        out.want_any(
            names.into_iter().map(Want::Command).collect(),
            format!("{shown}: find_program"),
        );
    }
    for name in [
        "check_include_file",
        "check_include_files",
        "check_include_file_cxx",
    ] {
        for call in scan::calls(text, name, Syntax::CMake) {
            let args = expand_all(&cmake_args(call), vars);
            if let Some(list) = args.first() {
                for header in list.split(';').filter(|h| is_literal(h) && h.contains('.')) {
                    out.want(Want::Header(header.to_string()), format!("{shown}: {name}"));
                }
            }
        }
    }
    for call in scan::calls(text, "check_library_exists", Syntax::CMake) {
        let args = expand_all(&cmake_args(call), vars);
        if let Some(lib) = args.first().filter(|l| is_literal(l)) {
            out.want(
                Want::Library(lib.clone()),
                format!("{shown}: check_library_exists"),
            );
        }
    }
}

fn push_header(header: &str, out: &mut Findings) {
    let name = tree::file_name(header.trim());
    if is_literal(name) && (name.ends_with(".h") || name.ends_with(".hpp") || name.ends_with(".hh"))
    {
        out.headers.push(name.to_string());
    }
}

/// `install(TARGETS …)`, `install(FILES *.h DESTINATION include…)`,
/// `install(DIRECTORY include/ DESTINATION include)`.
fn read_install(
    args: &[String],
    ctx: &Context,
    rel: &str,
    installed: &mut HashSet<String>,
    any_targets: &mut bool,
    out: &mut Findings,
) {
    const INSTALL_KEYWORDS: &[&str] = &[
        "EXPORT",
        "RUNTIME",
        "LIBRARY",
        "ARCHIVE",
        "DESTINATION",
        "PUBLIC_HEADER",
        "INCLUDES",
        "COMPONENT",
        "BUNDLE",
        "FRAMEWORK",
        "OBJECTS",
        "PRIVATE_HEADER",
        "RESOURCE",
        "PERMISSIONS",
        "CONFIGURATIONS",
        "OPTIONAL",
        "NAMELINK_ONLY",
        "NAMELINK_SKIP",
        "FILE_SET",
        "RENAME",
    ];
    let Some(kind) = args.first() else { return };
    let dest = args
        .iter()
        .position(|a| a == "DESTINATION")
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_default();
    // Expanded list variables hold several blank-separated names.
    let take = || {
        args.iter()
            .skip(1)
            .take_while(|a| !INSTALL_KEYWORDS.contains(&a.as_str()))
            .flat_map(|a| a.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    match kind.as_str() {
        "TARGETS" => {
            *any_targets = true;
            installed.extend(take());
        }
        "FILES" if dest.to_ascii_lowercase().contains("include") => {
            for file in take() {
                push_header(&file, out);
            }
        }
        "DIRECTORY" if dest.to_ascii_lowercase().contains("include") => {
            for src in take() {
                let src_dir = tree::join(tree::parent(rel), src.trim_end_matches('/'));
                let prefix = format!("{src_dir}/");
                let base = if src.ends_with('/') {
                    String::new()
                } else {
                    format!("{}/", tree::file_name(&src_dir))
                };
                for entry in ctx.tree.files_under(&src_dir) {
                    if let Some(h) = entry.rel.strip_prefix(&prefix) {
                        if h.ends_with(".h") || h.ends_with(".hpp") {
                            out.headers.push(format!("{base}{h}"));
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Well-known `find_package` modules → what they look for. `Some(vec![])` means "nothing to
/// provide" (Threads, which is the C library).
fn known_package(package: &str, args: &[String]) -> Option<Vec<Want>> {
    let pc = |m: &str| vec![Want::PkgConfig(m.to_string())];
    let cmd = |c: &str| vec![Want::Command(c.to_string())];
    let components = |name: &str| args.iter().any(|a| a == name);
    Some(match package {
        "Threads" | "OpenMP" | "Intl" | "Iconv" | "Git" | "Doxygen_optional" | "Backtrace"
        | "Subversion" | "Hg" | "ClangFormat" | "Java" | "CUDA" => vec![],
        "PkgConfig" => cmd("pkg-config"),
        "ZLIB" => pc("zlib"),
        "CURL" => pc("libcurl"),
        "OpenSSL" => pc("openssl"),
        "Curses" | "CURSES" => vec![Want::Library("ncursesw".into())],
        "BZip2" => vec![Want::Library("bz2".into())],
        "LibLZMA" => pc("liblzma"),
        "zstd" | "Zstd" | "ZSTD" => pc("libzstd"),
        "LZ4" | "lz4" => pc("liblz4"),
        "PNG" => pc("libpng"),
        "JPEG" => pc("libjpeg"),
        "TIFF" => pc("libtiff-4"),
        "GIF" => vec![Want::Header("gif_lib.h".into())],
        "Freetype" => pc("freetype2"),
        "Fontconfig" => pc("fontconfig"),
        "EXPAT" | "expat" => pc("expat"),
        "LibXml2" => pc("libxml-2.0"),
        "LibXslt" => pc("libxslt"),
        "SQLite3" | "SQLite" => pc("sqlite3"),
        "X11" => pc("x11"),
        "OpenGL" => pc("gl"),
        "GLEW" => pc("glew"),
        "glfw3" => pc("glfw3"),
        "SDL2" => pc("sdl2"),
        "Readline" | "READLINE" => vec![Want::Library("readline".into())],
        "LibEdit" => pc("libedit"),
        "GSL" => pc("gsl"),
        "GMP" => vec![Want::Library("gmp".into())],
        "Eigen3" => pc("eigen3"),
        "Boost" => vec![Want::Header("boost/version.hpp".into())],
        "GTest" | "gtest" => pc("gtest"),
        "fmt" => pc("fmt"),
        "spdlog" => pc("spdlog"),
        "nlohmann_json" => pc("nlohmann_json"),
        "yaml-cpp" => pc("yaml-cpp"),
        "Protobuf" | "protobuf" => pc("protobuf"),
        "LibArchive" => pc("libarchive"),
        "ICU" => pc("icu-uc"),
        "Libgit2" | "LibGit2" => pc("libgit2"),
        "LibSSH2" | "Libssh2" => pc("libssh2"),
        "Sodium" | "sodium" => pc("libsodium"),
        "PCRE2" => pc("libpcre2-8"),
        "PCRE" => pc("libpcre"),
        "Libevent" | "LibEvent" => pc("libevent"),
        "LibUV" | "libuv" => pc("libuv"),
        "ALSA" => pc("alsa"),
        "PulseAudio" => pc("libpulse"),
        "Lua" => vec![Want::Header("lua.h".into())],
        "GnuTLS" => pc("gnutls"),
        "Gcrypt" | "LibGcrypt" => pc("libgcrypt"),
        "LibUSB" | "libusb-1.0" => pc("libusb-1.0"),
        "Systemd" | "systemd" => pc("libsystemd"),
        "Wayland" => pc("wayland-client"),
        "Vulkan" => pc("vulkan"),
        "FFTW3" => pc("fftw3"),
        "CUnit" => pc("cunit"),
        "Check" => pc("check"),
        "cJSON" => pc("libcjson"),
        "json-c" => pc("json-c"),
        "jansson" => pc("jansson"),
        "LibYAML" | "yaml" => pc("yaml-0.1"),
        "Gettext" => cmd("msgfmt"),
        "BISON" => cmd("bison"),
        "FLEX" => cmd("flex"),
        "Perl" => cmd("perl"),
        "PythonInterp" => cmd("python3"),
        "Python3" | "Python" => {
            let mut wants = cmd("python3");
            if components("Development") || components("Development.Module") {
                wants.push(Want::PkgConfig("python3".into()));
            }
            wants
        }
        "Doxygen" => cmd("doxygen"),
        "Sphinx" => cmd("sphinx-build"),
        "Pandoc" => cmd("pandoc"),
        "Ruby" => cmd("ruby"),
        "TCL" => pc("tcl"),
        _ => return None,
    })
}

/// An unknown package: its pkg-config module or library under the obvious spellings.
fn guess_package(package: &str) -> Vec<Want> {
    let lower = package.to_ascii_lowercase();
    let short = lower.strip_prefix("lib").unwrap_or(&lower).to_string();
    // The library first: when nothing resolves, an unresolved `-l` says less about how the
    // project looks for it than an unresolved pkg-config module would.
    vec![
        Want::Library(short.clone()),
        Want::PkgConfig(lower.clone()),
        Want::PkgConfig(format!("lib{short}")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        cmake_args(s)
    }

    #[test]
    fn find_names_reads_both_forms() {
        assert_eq!(
            find_names(&args("CURSES_LIB ncursesw")),
            (vec!["ncursesw".to_string()], vec![])
        );
        assert_eq!(
            find_names(&args("X NAMES a b HINTS /opt PATH_SUFFIXES inc")),
            (
                vec!["a".to_string(), "b".to_string()],
                vec!["inc".to_string()]
            )
        );
    }

    #[test]
    fn expands_project_variables() {
        let mut vars = HashMap::new();
        vars.insert("PROJECT_NAME".to_string(), "foo".to_string());
        assert_eq!(expand("${PROJECT_NAME}-cli", &vars), "foo-cli");
        assert_eq!(expand("${UNKNOWN}", &vars), "${UNKNOWN}");
    }
}

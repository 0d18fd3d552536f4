//! The analyser on small hand-made source trees (tests/fixtures/<case>/), one per build system
//! and inference rule: exact assertions on what each rule must find, and a snapshot of the
//! whole `Analysis` so that any other change shows up as a reviewed diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ai_drv_analyse::{analyse, Analysis, BuildSystem, Dependency, Index, Kind, Want};

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A small resolver index in the shape of the bundled one.
fn index() -> Index {
    Index::from_maps(
        map(&[
            ("glib-2.0", "glib"),
            ("gio-2.0", "glib"),
            ("libcurl", "curl"),
            ("x11", "xorg.libX11"),
            ("zlib", "zlib"),
            ("openssl", "openssl"),
            ("libgit2", "libgit2"),
            ("wayland-scanner", "wayland"),
            ("libfoo", "foo"),
            ("ncursesw", "ncurses"),
        ]),
        map(&[
            ("zlib.h", "zlib"),
            ("magic.h", "file"),
            ("curses.h", "ncurses"),
            ("X11/Xlib.h", "xorg.libX11"),
            ("foo/foo.h", "foo"),
            ("readline/readline.h", "readline"),
            ("openssl/ssl.h", "openssl"),
            ("gnu/libc-version.h", "glibc"),
        ]),
        map(&[
            ("ncursesw", "ncurses"),
            ("ncurses", "ncurses"),
            ("tinfo", "ncurses"),
            ("readline", "readline"),
            ("z", "zlib"),
            ("ssl", "openssl"),
            ("crypto", "openssl"),
            ("foo", "foo"),
            ("curl", "curl"),
        ]),
        map(&[
            ("bison", "bison"),
            ("flex", "flex"),
            ("lex", "flex"),
            ("pkg-config", "pkg-config"),
            ("python3", "python3"),
            ("msgfmt", "gettext"),
            ("asciidoc", "asciidoc"),
            ("help2man", "help2man"),
            ("perl", "perl"),
            ("sh", "dash"),
            ("gawk", "gawk"),
            ("glib-compile-resources", "glib"),
        ]),
    )
}

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case)
}

fn run(case: &str) -> Analysis {
    analyse(&fixture(case), &index())
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn dep(want: Want, attr: Option<&str>, native: bool, evidence: &str) -> Dependency {
    Dependency {
        want,
        attr: attr.map(str::to_string),
        native,
        evidence: evidence.to_string(),
    }
}

fn pc(s: &str) -> Want {
    Want::PkgConfig(s.into())
}
fn header(s: &str) -> Want {
    Want::Header(s.into())
}
fn lib(s: &str) -> Want {
    Want::Library(s.into())
}
fn cmd(s: &str) -> Want {
    Want::Command(s.into())
}

#[test]
fn autotools_configure_ac_and_makefile_am() {
    let a = run("autotools");
    assert_eq!(a.build_system, BuildSystem::Autotools { configure: false });
    assert_eq!(a.subdir, None);
    assert_eq!(
        a.dependencies,
        [
            dep(
                pc("glib-2.0"),
                Some("glib"),
                false,
                "configure.ac: PKG_CHECK_MODULES"
            ),
            dep(
                pc("gio-2.0"),
                Some("glib"),
                false,
                "configure.ac: PKG_CHECK_MODULES"
            ),
            dep(
                pc("libcurl"),
                Some("curl"),
                false,
                "configure.ac: PKG_CHECK_EXISTS"
            ),
            dep(
                cmd("pkg-config"),
                Some("pkg-config"),
                true,
                "configure.ac: PKG_PROG_PKG_CONFIG"
            ),
            dep(
                lib("ncursesw"),
                Some("ncurses"),
                false,
                "configure.ac: AC_CHECK_LIB"
            ),
            dep(
                lib("tinfo"),
                Some("ncurses"),
                false,
                "configure.ac: AC_SEARCH_LIBS"
            ),
            dep(
                header("pcp/pmapi.h"),
                None,
                false,
                "configure.ac: AC_CHECK_HEADER"
            ),
            dep(
                header("zlib.h"),
                Some("zlib"),
                false,
                "configure.ac: AC_CHECK_HEADERS"
            ),
            dep(
                header("magic.h"),
                Some("file"),
                false,
                "configure.ac: AC_CHECK_HEADERS"
            ),
            dep(
                cmd("bison"),
                Some("bison"),
                true,
                "configure.ac: AC_PATH_PROG"
            ),
            dep(
                cmd("python3"),
                Some("python3"),
                true,
                "configure.ac: AM_PATH_PYTHON"
            ),
            dep(
                cmd("msgfmt"),
                Some("gettext"),
                true,
                "configure.ac: AM_GNU_GETTEXT"
            ),
            dep(
                lib("readline"),
                Some("readline"),
                false,
                "src/Makefile.am: footool_LDADD"
            ),
            dep(
                cmd("yacc"),
                Some("bison"),
                true,
                "src/parse.y: yacc grammar without a generated parser"
            ),
        ]
    );
    assert_eq!(
        a.native_build_inputs,
        strings(&[
            "autoreconfHook",
            "bison",
            "gettext",
            "pkg-config",
            "python3"
        ])
    );
    assert_eq!(
        a.build_inputs,
        strings(&["curl", "file", "glib", "ncurses", "readline", "zlib"])
    );
    assert_eq!(a.name.as_deref(), Some("footool"));
    assert_eq!(a.version.as_deref(), Some("1.2.0"));
    assert_eq!(a.homepage.as_deref(), Some("https://example.org/footool"));
    assert_eq!(a.programs, strings(&["footool", "foo-helper"]));
    assert_eq!(a.main_program.as_deref(), Some("footool"));
    assert_eq!(a.kind, Kind::Both);
    assert_eq!(a.pkgconfig_modules, strings(&["footool"]));
    assert_eq!(a.headers, strings(&["foo.h"]));
    // The canonical GPL-3 text mentions the Affero license; the source notice says "or later".
    assert_eq!(a.licenses, strings(&["gpl3Plus"]));
    assert_eq!(
        a.description.as_deref(),
        Some("Foo Tool turns bar files into baz files")
    );
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn autotools_generated_configure_only() {
    let a = run("autotools_generated");
    assert_eq!(a.build_system, BuildSystem::Autotools { configure: true });
    assert_eq!(
        a.dependencies,
        [
            dep(
                pc("x11"),
                Some("xorg.libX11"),
                false,
                "configure: PKG_CHECK_MODULES"
            ),
            dep(
                cmd("pkg-config"),
                Some("pkg-config"),
                true,
                "configure: PKG_PROG_PKG_CONFIG"
            ),
            dep(
                lib("ncursesw"),
                Some("ncurses"),
                false,
                "configure: AC_CHECK_LIB"
            ),
            dep(
                header("zlib.h"),
                Some("zlib"),
                false,
                "configure: AC_CHECK_HEADERS"
            ),
            dep(cmd("flex"), Some("flex"), true, "configure: AC_PATH_PROG"),
        ]
    );
    assert_eq!(a.native_build_inputs, strings(&["flex", "pkg-config"]));
    assert_eq!(a.build_inputs, strings(&["ncurses", "xorg.libX11", "zlib"]));
    assert_eq!(a.name.as_deref(), Some("bar"));
    assert_eq!(a.version.as_deref(), Some("0.9"));
    assert_eq!(a.homepage.as_deref(), Some("https://example.org/bar"));
    // Makefile.in (autoconf without automake), `@EXEEXT@` dropped.
    assert_eq!(a.programs, strings(&["bar"]));
    assert_eq!(a.licenses, strings(&["mit"]));
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn cmake_find_package_pkg_check_modules_and_targets() {
    let a = run("cmake");
    assert_eq!(a.build_system, BuildSystem::CMake);
    assert_eq!(
        a.dependencies,
        [
            dep(
                cmd("pkg-config"),
                Some("pkg-config"),
                true,
                "CMakeLists.txt: find_package(PkgConfig)"
            ),
            dep(
                pc("zlib"),
                Some("zlib"),
                false,
                "CMakeLists.txt: find_package(ZLIB)"
            ),
            dep(
                pc("libcurl"),
                Some("curl"),
                false,
                "CMakeLists.txt: find_package(CURL)"
            ),
            dep(
                lib("foo"),
                Some("foo"),
                false,
                "cmake/FindFoo.cmake: find_library"
            ),
            dep(
                header("foo/foo.h"),
                Some("foo"),
                false,
                "cmake/FindFoo.cmake: find_path"
            ),
            dep(
                pc("x11"),
                Some("xorg.libX11"),
                false,
                "CMakeLists.txt: pkg_check_modules"
            ),
            dep(
                lib("readline"),
                Some("readline"),
                false,
                "CMakeLists.txt: find_library"
            ),
            dep(
                cmd("flex"),
                Some("flex"),
                true,
                "CMakeLists.txt: find_program"
            ),
            dep(
                header("zlib.h"),
                Some("zlib"),
                false,
                "CMakeLists.txt: check_include_file"
            ),
        ]
    );
    assert_eq!(
        a.native_build_inputs,
        strings(&["cmake", "flex", "pkg-config"])
    );
    assert_eq!(
        a.build_inputs,
        strings(&["curl", "foo", "readline", "xorg.libX11", "zlib"])
    );
    assert_eq!(a.name.as_deref(), Some("cmdemo"));
    assert_eq!(a.version.as_deref(), Some("2.0.1"));
    assert_eq!(a.description.as_deref(), Some("Demo of the CMake rules"));
    assert_eq!(a.homepage.as_deref(), Some("https://example.org/cmdemo"));
    // test_cmdemo is built but not installed.
    assert_eq!(a.programs, strings(&["cmdemo"]));
    assert_eq!(a.kind, Kind::Both);
    assert_eq!(a.pkgconfig_modules, strings(&["cmdemo"]));
    assert_eq!(a.headers, strings(&["cmdemo.h", "cmdemo_version.h"]));
    assert_eq!(a.licenses, strings(&["mit"]));
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn meson_dependencies_programs_and_modules() {
    let a = run("meson");
    assert_eq!(a.build_system, BuildSystem::Meson);
    assert_eq!(
        a.dependencies,
        [
            dep(
                pc("glib-2.0"),
                Some("glib"),
                false,
                "meson.build: dependency()"
            ),
            dep(
                pc("wayland-scanner"),
                Some("wayland"),
                true,
                "meson.build: dependency()"
            ),
            dep(
                cmd("python3"),
                Some("python3"),
                true,
                "meson.build: find_program()"
            ),
            dep(
                lib("ssl"),
                Some("openssl"),
                false,
                "meson.build: find_library()"
            ),
            dep(
                header("zlib.h"),
                Some("zlib"),
                false,
                "meson.build: has_header()"
            ),
            dep(
                cmd("glib-compile-resources"),
                Some("glib"),
                true,
                "meson.build: gnome.compile_resources()"
            ),
        ]
    );
    assert_eq!(
        a.native_build_inputs,
        strings(&["glib", "meson", "ninja", "pkg-config", "python3", "wayland"])
    );
    assert_eq!(a.build_inputs, strings(&["glib", "openssl", "zlib"]));
    assert_eq!(a.name.as_deref(), Some("mesdemo"));
    assert_eq!(a.version.as_deref(), Some("0.3.1"));
    assert_eq!(a.licenses, strings(&["mit", "asl20"]));
    assert_eq!(a.programs, strings(&["mesdemo"]));
    assert_eq!(a.kind, Kind::Both);
    assert_eq!(a.pkgconfig_modules, strings(&["mes"]));
    assert_eq!(a.headers, strings(&["mes/mes.h"]));
    assert_eq!(
        a.description.as_deref(),
        Some("Small demonstration of the meson rules, used by the analyser's tests")
    );
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn hand_written_configure_and_makefile_in() {
    let a = run("configure_hand");
    assert_eq!(a.build_system, BuildSystem::Configure);
    assert_eq!(
        a.dependencies,
        [
            dep(pc("libfoo"), Some("foo"), false, "configure: pkg-config"),
            dep(
                cmd("pkg-config"),
                Some("pkg-config"),
                true,
                "configure: runs"
            ),
            dep(lib("z"), Some("zlib"), false, "configure: -l"),
            dep(header("zlib.h"), Some("zlib"), false, "configure: #include"),
        ]
    );
    // `progname` comes from the script; help2man only regenerates the shipped man page.
    assert_eq!(a.programs, strings(&["handdemo"]));
    assert_eq!(a.native_build_inputs, strings(&["pkg-config"]));
    assert_eq!(a.build_inputs, strings(&["foo", "zlib"]));
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn plain_makefile_links_includes_and_tools() {
    let a = run("make_plain");
    assert_eq!(
        a.build_system,
        BuildSystem::Make {
            install: true,
            prefix_var: Some("PREFIX".into()),
            destdir: true
        }
    );
    assert_eq!(
        a.dependencies,
        [
            dep(lib("ncursesw"), Some("ncurses"), false, "Makefile: LDLIBS"),
            dep(cmd("bison"), Some("bison"), true, "Makefile: recipe"),
            dep(
                pc("x11"),
                Some("xorg.libX11"),
                false,
                "Makefile: pkg-config"
            ),
            dep(
                header("curses.h"),
                Some("ncurses"),
                false,
                "mkdemo.c: #include <curses.h>"
            ),
            dep(
                header("X11/Xlib.h"),
                Some("xorg.libX11"),
                false,
                "mkdemo.c: #include <X11/Xlib.h>"
            ),
            dep(
                header("readline/readline.h"),
                Some("readline"),
                false,
                "mkdemo.c: #include <readline/readline.h>"
            ),
        ]
    );
    // help2man is only run by `make doc`; tests/ (openssl) is not the program's code.
    assert_eq!(a.native_build_inputs, strings(&["bison", "pkg-config"]));
    assert_eq!(
        a.build_inputs,
        strings(&["ncurses", "readline", "xorg.libX11"])
    );
    assert_eq!(a.programs, strings(&["mkdemo"]));
    assert_eq!(a.kind, Kind::Program);
    assert_eq!(a.licenses, strings(&["bsd3"]));
    assert_eq!(
        a.description.as_deref(),
        Some("Prints a demonstration of the plain Makefile rules")
    );
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn build_files_in_one_subdirectory() {
    let a = run("make_subdir");
    assert_eq!(a.subdir.as_deref(), Some("unix"));
    assert_eq!(
        a.build_system,
        BuildSystem::Make {
            install: true,
            prefix_var: Some("prefix".into()),
            destdir: true
        }
    );
    assert_eq!(a.programs, strings(&["subdemo"]));
    assert_eq!(a.build_inputs, strings(&["zlib"]));
    assert_eq!(
        a.description.as_deref(),
        Some("Subdemo program exercises the subdirectory detection")
    );
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn cargo_sys_crates_and_bins() {
    let a = run("cargo");
    assert_eq!(a.build_system, BuildSystem::Cargo);
    assert_eq!(
        a.dependencies,
        [
            dep(
                Want::CrateSys("libgit2-sys".into()),
                Some("libgit2"),
                false,
                "Cargo.lock: libgit2-sys"
            ),
            dep(
                Want::CrateSys("libz-sys".into()),
                Some("zlib"),
                false,
                "Cargo.lock: libz-sys"
            ),
            dep(
                Want::CrateSys("openssl-sys".into()),
                Some("openssl"),
                false,
                "Cargo.lock: openssl-sys"
            ),
        ]
    );
    assert_eq!(a.native_build_inputs, strings(&["pkg-config"]));
    assert_eq!(a.build_inputs, strings(&["libgit2", "openssl", "zlib"]));
    assert_eq!(a.programs, strings(&["cdemo-cli"]));
    assert_eq!(a.kind, Kind::Program);
    assert_eq!(a.licenses, strings(&["mit", "asl20"]));
    assert_eq!(
        a.description.as_deref(),
        Some("Demo crate that links libgit2 and OpenSSL")
    );
    assert_eq!(a.homepage.as_deref(), Some("https://example.org/cdemo"));
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn python_pyproject() {
    let a = run("python_pyproject");
    assert_eq!(
        a.build_system,
        BuildSystem::Python {
            backend: Some("hatchling.build".into()),
            pyproject: true
        }
    );
    let python = a.python.clone().expect("python findings");
    assert_eq!(python.build_system, strings(&["hatchling", "hatch-vcs"]));
    // tomli is only for Python < 3.11 and colorama only for Windows.
    assert_eq!(
        python.dependencies,
        strings(&["requests", "typing-extensions"])
    );
    assert_eq!(python.import_name.as_deref(), Some("py_demo"));
    assert_eq!(python.scripts, strings(&["py-demo"]));
    assert_eq!(a.licenses, strings(&["bsd3"]));
    assert_eq!(a.homepage.as_deref(), Some("https://example.org/py-demo"));
    assert_eq!(a.main_program.as_deref(), Some("py-demo"));
    assert_eq!(a.kind, Kind::Both);
    // Python dependencies are not stdenv inputs.
    assert!(a.build_inputs.is_empty() && a.native_build_inputs.is_empty());
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn python_setup_py() {
    let a = run("python_setuppy");
    assert_eq!(
        a.build_system,
        BuildSystem::Python {
            backend: Some("setuptools".into()),
            pyproject: false
        }
    );
    let python = a.python.clone().expect("python findings");
    assert_eq!(python.build_system, strings(&["setuptools"]));
    assert_eq!(python.dependencies, strings(&["six", "wcwidth"]));
    assert_eq!(python.scripts, strings(&["setuppy-demo"]));
    assert_eq!(python.import_name.as_deref(), Some("setuppy_demo"));
    assert_eq!(a.licenses, strings(&["mit"]));
    assert_eq!(
        a.description.as_deref(),
        Some("Exercises the setup.py rules")
    );
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn npm_package_json() {
    let a = run("npm");
    assert_eq!(a.build_system, BuildSystem::Npm);
    assert_eq!(a.name.as_deref(), Some("npm-demo"));
    assert_eq!(a.version.as_deref(), Some("3.1.4"));
    assert_eq!(a.programs, strings(&["npm-demo"]));
    assert_eq!(a.licenses, strings(&["isc"]));
    assert_eq!(
        a.description.as_deref(),
        Some("Shows what the npm rule reads")
    );
    insta::assert_yaml_snapshot!(a);
}

#[test]
fn gpl_or_later_comes_from_the_notices() {
    assert_eq!(run("license_gpl2_only").licenses, strings(&["gpl2Only"]));
    assert_eq!(run("license_gpl2_plus").licenses, strings(&["gpl2Plus"]));
}

/// Writes `files` (path, content) under a fresh directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, content) in files {
        let path = dir.path().join(path);
        fs_err::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs_err::write(path, content).expect("write");
    }
    dir
}

#[test]
fn detection_order() {
    let kinds = |files: &[(&str, &str)]| analyse(tree(files).path(), &index()).build_system;
    let make = "all:\n\ttrue\n";
    assert_eq!(
        kinds(&[
            ("configure.ac", "AC_INIT([x], [1])\n"),
            ("CMakeLists.txt", "project(x)\n"),
            ("Makefile", make)
        ]),
        BuildSystem::Autotools { configure: false }
    );
    assert_eq!(
        kinds(&[
            ("CMakeLists.txt", "project(x)\n"),
            ("meson.build", "project('x')\n"),
            ("Makefile", make)
        ]),
        BuildSystem::CMake
    );
    assert_eq!(
        kinds(&[
            ("meson.build", "project('x')\n"),
            ("configure", "#!/bin/sh\n"),
            ("Makefile", make)
        ]),
        BuildSystem::Meson
    );
    assert_eq!(
        kinds(&[
            ("configure", "#!/bin/sh\necho hand-written\n"),
            ("Cargo.toml", "[package]\nname = \"x\"\n")
        ]),
        BuildSystem::Configure
    );
    assert_eq!(
        kinds(&[
            ("Cargo.toml", "[package]\nname = \"x\"\n"),
            ("pyproject.toml", "[project]\nname = \"x\"\n")
        ]),
        BuildSystem::Cargo
    );
    assert_eq!(
        kinds(&[
            (
                "setup.py",
                "from setuptools import setup\nsetup(name='x')\n"
            ),
            ("package.json", "{}"),
            ("Makefile", make)
        ]),
        BuildSystem::Python {
            backend: Some("setuptools".into()),
            pyproject: false
        }
    );
    assert_eq!(
        kinds(&[("package.json", "{\"name\": \"x\"}"), ("Makefile", make)]),
        BuildSystem::Npm
    );
    assert_eq!(
        kinds(&[("GNUmakefile", make)]),
        BuildSystem::Make {
            install: false,
            prefix_var: None,
            destdir: false
        }
    );
    assert_eq!(
        kinds(&[("README", "nothing to build\n")]),
        BuildSystem::Unknown
    );
}

#[test]
fn large_tree_is_fast() {
    // About 5 MB: 500 C files of 10 kB, a few big data files, and a .git directory.
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs_err::write(
        root.join("Makefile"),
        "all: prog\nprog: prog.o\n\t$(CC) -o prog prog.o -lz\n",
    )
    .expect("write");
    let body =
        "#include <stdio.h>\n#include <zlib.h>\nint f(int x) { return x * 2; }\n".repeat(140);
    for i in 0..500 {
        let sub = root.join(format!("src/m{}", i % 20));
        fs_err::create_dir_all(&sub).expect("mkdir");
        fs_err::write(sub.join(format!("f{i}.c")), &body).expect("write");
    }
    fs_err::create_dir_all(root.join(".git/objects")).expect("mkdir");
    fs_err::write(root.join(".git/objects/pack"), vec![b'x'; 2 << 20]).expect("write");
    fs_err::write(root.join("data.bin"), vec![b'#'; 3 << 20]).expect("write");
    let index = index();
    let _ = analyse(root, &index); // warm the page cache
    let start = std::time::Instant::now();
    let a = analyse(root, &index);
    let elapsed = start.elapsed();
    assert_eq!(a.build_inputs, strings(&["zlib"]));
    // Release builds take a few tens of milliseconds; unoptimised test builds are slower.
    let limit = if cfg!(debug_assertions) { 2000 } else { 200 };
    assert!(elapsed.as_millis() < limit, "analyse took {elapsed:?}");
}

#[test]
fn python_setup_cfg_and_pkg_info() {
    let dir = tree(&[
        (
            "setup.cfg",
            "[metadata]\nname = cfg-demo\nversion = 1.0\ndescription = Reads setup.cfg metadata\nurl = https://example.org/cfg-demo\nlicense = Apache-2.0\n\n[options]\npackages = find:\ninstall_requires =\n    attrs>=20\n    importlib-metadata; python_version < \"3.8\"\n\n[options.entry_points]\nconsole_scripts =\n    cfg-demo = cfg_demo.cli:main\n",
        ),
        ("setup.py", "from setuptools import setup\nsetup()\n"),
        ("cfg_demo/__init__.py", ""),
    ]);
    let a = analyse(dir.path(), &index());
    let python = a.python.clone().expect("python findings");
    assert_eq!(python.dependencies, strings(&["attrs"]));
    assert_eq!(python.scripts, strings(&["cfg-demo"]));
    assert_eq!(python.import_name.as_deref(), Some("cfg_demo"));
    assert_eq!(a.name.as_deref(), Some("cfg-demo"));
    assert_eq!(a.licenses, strings(&["asl20"]));
    assert_eq!(a.homepage.as_deref(), Some("https://example.org/cfg-demo"));
    assert_eq!(a.description.as_deref(), Some("Reads setup.cfg metadata"));

    // An sdist whose setup.py computes everything: PKG-INFO has the metadata.
    let dir = tree(&[
        (
            "PKG-INFO",
            "Metadata-Version: 2.1\nName: sdist-demo\nVersion: 0.7\nSummary: Metadata from PKG-INFO.\nHome-page: https://example.org/sdist\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\nRequires-Dist: wcwidth\nRequires-Dist: pytest; extra == \"test\"\n\nLong description.\n",
        ),
        ("setup.py", "import setuptools\nsetuptools.setup(**config())\n"),
        ("sdist_demo.py", "def main():\n    pass\n"),
    ]);
    let a = analyse(dir.path(), &index());
    let python = a.python.clone().expect("python findings");
    assert_eq!(python.dependencies, strings(&["wcwidth"]));
    assert_eq!(python.import_name.as_deref(), Some("sdist_demo"));
    assert_eq!(a.version.as_deref(), Some("0.7"));
    assert_eq!(a.licenses, strings(&["mit"]));
    assert_eq!(a.description.as_deref(), Some("Metadata from PKG-INFO"));
}

#[test]
fn cargo_workspace_members_and_inherited_fields() {
    let dir = tree(&[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.package]\nversion = \"1.4.0\"\nlicense = \"GPL-3.0-or-later\"\n",
        ),
        (
            "crates/wsdemo/Cargo.toml",
            "[package]\nname = \"wsdemo\"\nversion.workspace = true\nlicense.workspace = true\ndescription = \"Workspace demo\"\n\n[dependencies]\nzstd-sys = \"2\"\n",
        ),
        ("crates/wsdemo/src/main.rs", "fn main() {}\n"),
        ("crates/wsdemo/src/bin/wsdemo-extra.rs", "fn main() {}\n"),
        ("crates/wscore/Cargo.toml", "[package]\nname = \"wscore\"\nversion = \"0.1.0\"\n"),
        ("crates/wscore/src/lib.rs", "pub fn f() {}\n"),
    ]);
    let a = analyse(dir.path(), &index());
    assert_eq!(a.build_system, BuildSystem::Cargo);
    // The member that builds a program names the package; its fields come from the workspace.
    assert_eq!(a.name.as_deref(), Some("wsdemo"));
    assert_eq!(a.version.as_deref(), Some("1.4.0"));
    assert_eq!(a.licenses, strings(&["gpl3Plus"]));
    assert_eq!(a.description.as_deref(), Some("Workspace demo"));
    assert_eq!(a.programs, strings(&["wsdemo", "wsdemo-extra"]));
    assert_eq!(a.main_program.as_deref(), Some("wsdemo"));
    assert_eq!(a.kind, Kind::Program);
    assert_eq!(
        a.dependencies,
        [dep(
            Want::CrateSys("zstd-sys".into()),
            None,
            false,
            "Cargo.toml: zstd-sys"
        )]
    );
}

#[test]
fn an_install_script_is_a_build_system_of_its_own() {
    let dir = tree(&[
        (
            "install.sh",
            "#!/bin/sh\nfor p in $PATH; do set $p/perl; done\n$usethisperl -p install.pl cowsay > $PREFIX/bin/cowsay\n",
        ),
        ("cowsay", "#%BANGPERL%\nprint 1;\n"),
        ("cowsay.1", ".TH COWSAY 1\n"),
        ("README", "cowsay\n"),
    ]);
    let a = analyse(dir.path(), &index());
    assert_eq!(
        a.build_system,
        BuildSystem::InstallScript {
            script: "install.sh".into()
        }
    );
    assert_eq!(a.programs, strings(&["cowsay"]));
    assert_eq!(a.native_build_inputs, strings(&["perl"]));
    // A Makefile wins over an install script.
    let dir = tree(&[
        ("install.sh", "#!/bin/sh\n"),
        ("Makefile", "all:\n\ttrue\n"),
    ]);
    assert!(matches!(
        analyse(dir.path(), &index()).build_system,
        BuildSystem::Make { .. }
    ));
}

//! Build-log problems from real failed builds: one test per fixture, each asserting the exact
//! `problems()` result (fixtures/problems/README.md says how each log was made).

use ai_drv_diagnose::{failed_log, parse, problems, Problem};

fn fixture(name: &str) -> Vec<Problem> {
    let path = format!(
        "{}/tests/fixtures/problems/{name}.log",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    problems(&lines)
}

fn header(h: &str) -> Problem {
    Problem::MissingHeader { header: h.into() }
}
fn library(l: &str) -> Problem {
    Problem::MissingLibrary { library: l.into() }
}
fn module(m: &str) -> Problem {
    Problem::MissingPkgConfig { module: m.into() }
}
fn command(c: &str) -> Problem {
    Problem::MissingCommand { command: c.into() }
}
fn cmake(p: &str) -> Problem {
    Problem::MissingCMakePackage { package: p.into() }
}
fn python(m: &str) -> Problem {
    Problem::MissingPythonModule { module: m.into() }
}
fn perl(m: &str) -> Problem {
    Problem::MissingPerlModule { module: m.into() }
}
fn interpreter(i: &str) -> Problem {
    Problem::BadInterpreter {
        interpreter: i.into(),
    }
}
fn outside(p: &str) -> Problem {
    Problem::InstallOutsidePrefix { path: p.into() }
}
fn werror(flag: &str) -> Problem {
    Problem::Werror {
        flag: Some(flag.into()),
    }
}
fn other(l: &str) -> Problem {
    Problem::OtherBuildError { line: l.into() }
}

/// Every fixture on disk has its test below.
const FIXTURES: &[&str] = &[
    "ac-header",
    "ac-lib",
    "ac-prog",
    "autogen",
    "bad-interp",
    "cdecl-bison",
    "cdecl-flex",
    "cdecl-readline",
    "cloc-perl",
    "cloc-regexp-common",
    "cmake-config",
    "cmake-no-pkgconfig",
    "cmake-pkgcheck",
    "cmake-zlib",
    "cmatrix-cmake",
    "cmatrix-ncurses",
    "configure-ac",
    "configure-explicit",
    "env-python",
    "grc-python3",
    "header-color-nix-log",
    "htop-autoreconfHook",
    "htop-ncurses",
    "inxi-perl",
    "iw-libnl",
    "iw-pkg-config",
    "lcov-perl",
    "less-ncurses",
    "link-lib",
    "make-exec",
    "meson-program",
    "multi-dirs",
    "no-install",
    "no-makefile",
    "parallel-race",
    "py-backend",
    "py-deps",
    "py-module",
    "sl-ncurses",
    "stow-perl",
    "tmux-libevent",
    "tmux-ncurses",
    "usr-local",
    "wayland-expat",
    "wayland-libffi",
    "wayland-meson",
    "wayland-ninja",
    "wayland-pkg-config",
    "werror",
    "werror-nix-log",
    "xdotool-libXtst",
    "xdotool-libxkbcommon",
    "xdotool-perl",
];

#[test]
fn every_fixture_is_tested() {
    let dir = format!("{}/tests/fixtures/problems", env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".log").map(str::to_string))
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, FIXTURES);
}

#[test]
fn log_ac_header() {
    assert_eq!(fixture("ac-header"), vec![header("zlib.h")]);
}

#[test]
fn log_ac_lib() {
    // "zlib not found" does not name `z`: the failed check right before the error.
    assert_eq!(fixture("ac-lib"), vec![library("z")]);
}

#[test]
fn log_ac_prog() {
    assert_eq!(fixture("ac-prog"), vec![command("bison"), command("byacc")]);
}

#[test]
fn log_autogen() {
    assert_eq!(fixture("autogen"), vec![command("aclocal")]);
}

#[test]
fn log_bad_interp() {
    // bash 5.2 does not say which interpreter is missing: the fallback.
    assert_eq!(
        fixture("bad-interp"),
        vec![other(
            "/bin/bash: line 1: ./mkversion: cannot execute: required file not found"
        )]
    );
}

#[test]
fn log_cdecl_bison() {
    assert_eq!(fixture("cdecl-bison"), vec![command("yacc")]);
}

#[test]
fn log_cdecl_flex() {
    assert_eq!(fixture("cdecl-flex"), vec![command("lex")]);
}

#[test]
fn log_cdecl_readline() {
    assert_eq!(
        fixture("cdecl-readline"),
        vec![header("readline/readline.h")]
    );
}

#[test]
fn log_cloc_perl() {
    // hostpkgs' patchShebangs warning and the failing `/usr/bin/env: 'perl'` agree.
    assert_eq!(fixture("cloc-perl"), vec![interpreter("perl")]);
}

#[test]
fn log_cloc_regexp_common() {
    // `make install` checks the script with `perl -cw` before installing it.
    assert_eq!(fixture("cloc-regexp-common"), vec![perl("Regexp::Common")]);
}

#[test]
fn log_cmake_config() {
    assert_eq!(fixture("cmake-config"), vec![cmake("fmt")]);
}

#[test]
fn log_cmake_no_pkgconfig() {
    // "Could NOT find PkgConfig" is the pkg-config program.
    assert_eq!(fixture("cmake-no-pkgconfig"), vec![command("pkg-config")]);
}

#[test]
fn log_cmake_pkgcheck() {
    assert_eq!(
        fixture("cmake-pkgcheck"),
        vec![module("libpng"), module("zlib")]
    );
}

#[test]
fn log_cmake_zlib() {
    assert_eq!(fixture("cmake-zlib"), vec![cmake("ZLIB")]);
}

#[test]
fn log_cmatrix_cmake() {
    // Without cmake's hook nothing configures or builds; the install check fails.
    assert_eq!(fixture("cmatrix-cmake"), vec![Problem::NoConfigure]);
}

#[test]
fn log_cmatrix_ncurses() {
    // A `-- Could NOT find` status line, counted because configuring then failed.
    assert_eq!(fixture("cmatrix-ncurses"), vec![cmake("Curses")]);
}

#[test]
fn log_configure_ac() {
    assert_eq!(fixture("configure-ac"), vec![Problem::NoConfigure]);
}

#[test]
fn log_configure_explicit() {
    assert_eq!(fixture("configure-explicit"), vec![Problem::NoConfigure]);
}

#[test]
fn log_env_python() {
    assert_eq!(fixture("env-python"), vec![interpreter("python")]);
}

#[test]
fn log_grc_python3() {
    assert_eq!(fixture("grc-python3"), vec![interpreter("python3")]);
}

#[test]
fn log_header_color_nix_log() {
    // The stored log keeps gcc's colours.
    assert_eq!(
        fixture("header-color-nix-log"),
        vec![header("missing/config.h")]
    );
}

#[test]
fn log_htop_autoreconfhook() {
    // Without autoreconfHook there is no configure script and nothing builds.
    assert_eq!(fixture("htop-autoreconfHook"), vec![Problem::NoConfigure]);
}

#[test]
fn log_htop_ncurses() {
    // "can not find required library libncursesw": the ncursesw6 and ncurses checks are not named.
    assert_eq!(fixture("htop-ncurses"), vec![library("ncursesw")]);
}

#[test]
fn log_inxi_perl() {
    assert_eq!(fixture("inxi-perl"), vec![interpreter("perl")]);
}

#[test]
fn log_iw_libnl() {
    // The Makefile's own message names no well-known shape: the fallback.
    assert_eq!(fixture("iw-libnl"), vec![other("Makefile:76: *** Cannot find development files for any supported version of libnl.  Stop.")]);
}

#[test]
fn log_iw_pkg_config() {
    assert_eq!(fixture("iw-pkg-config"), vec![command("pkg-config")]);
}

#[test]
fn log_lcov_perl() {
    assert_eq!(fixture("lcov-perl"), vec![interpreter("perl")]);
}

#[test]
fn log_less_ncurses() {
    // less fails with "Cannot find terminal libraries - configure failed": every `-l` check
    // right before it failed, and any one of them would do.
    assert_eq!(
        fixture("less-ncurses"),
        ["tinfo", "tinfow", "xcurses", "ncursesw", "ncurses", "curses", "termcap", "termlib"]
            .map(library)
            .to_vec()
    );
}

#[test]
fn log_link_lib() {
    assert_eq!(fixture("link-lib"), vec![library("z")]);
}

#[test]
fn log_make_exec() {
    assert_eq!(fixture("make-exec"), vec![command("gperf")]);
}

#[test]
fn log_meson_program() {
    assert_eq!(fixture("meson-program"), vec![command("gperf")]);
}

#[test]
fn log_multi_dirs() {
    assert_eq!(fixture("multi-dirs"), vec![Problem::UnpackMultipleDirs]);
}

#[test]
fn log_no_install() {
    assert_eq!(fixture("no-install"), vec![Problem::NoInstallTarget]);
}

#[test]
fn log_no_makefile() {
    assert_eq!(fixture("no-makefile"), vec![Problem::NoMakefile]);
}

#[test]
fn log_parallel_race() {
    // gen.h is written by a recipe the log shows, and main.o was compiled before it.
    assert_eq!(fixture("parallel-race"), vec![Problem::ParallelMakeRace]);
}

#[test]
fn log_py_backend() {
    assert_eq!(fixture("py-backend"), vec![python("hatchling")]);
}

#[test]
fn log_py_deps() {
    // hatchling is among the inputs but pypa/build does not see its metadata: still reported.
    assert_eq!(
        fixture("py-deps"),
        vec![
            python("hatch-vcs"),
            python("hatchling"),
            python("editables")
        ]
    );
}

#[test]
fn log_py_module() {
    assert_eq!(fixture("py-module"), vec![python("yaml")]);
}

#[test]
fn log_sl_ncurses() {
    assert_eq!(fixture("sl-ncurses"), vec![header("curses.h")]);
}

#[test]
fn log_stow_perl() {
    assert_eq!(fixture("stow-perl"), vec![command("perl")]);
}

#[test]
fn log_tmux_libevent() {
    // PKG_CHECK_MODULES with an action: pkg-config's message went to config.log only.
    assert_eq!(fixture("tmux-libevent"), vec![module("libevent")]);
}

#[test]
fn log_tmux_ncurses() {
    // "curses not found" names the `-lcurses` check and curses.h, not the tinfo/ncurses modules.
    assert_eq!(
        fixture("tmux-ncurses"),
        vec![library("curses"), header("curses.h")]
    );
}

#[test]
fn log_usr_local() {
    assert_eq!(fixture("usr-local"), vec![outside("/usr/local/bin/hello")]);
}

#[test]
fn log_wayland_expat() {
    assert_eq!(fixture("wayland-expat"), vec![module("expat")]);
}

#[test]
fn log_wayland_libffi() {
    assert_eq!(fixture("wayland-libffi"), vec![module("libffi")]);
}

#[test]
fn log_wayland_meson() {
    // Without meson's hook nothing configures or builds; the install check fails.
    assert_eq!(fixture("wayland-meson"), vec![Problem::NoConfigure]);
}

#[test]
fn log_wayland_ninja() {
    assert_eq!(fixture("wayland-ninja"), vec![command("ninja")]);
}

#[test]
fn log_wayland_pkg_config() {
    // "Run-time dependency libffi found: NO" is pkg-config's absence, not libffi's.
    assert_eq!(fixture("wayland-pkg-config"), vec![command("pkg-config")]);
}

#[test]
fn log_werror() {
    // nix-build leaves gcc's hyperlink as `[8;;URL-Werror=unused-variable8;;]`.
    assert_eq!(fixture("werror"), vec![werror("unused-variable")]);
}

#[test]
fn log_werror_nix_log() {
    // The stored log keeps gcc's colours and its OSC 8 hyperlink.
    assert_eq!(fixture("werror-nix-log"), vec![werror("unused-variable")]);
}

#[test]
fn log_xdotool_libxtst() {
    // A parallel build ("Waiting for unfinished jobs"), but nothing generates the header.
    assert_eq!(
        fixture("xdotool-libXtst"),
        vec![header("X11/extensions/XTest.h")]
    );
}

#[test]
fn log_xdotool_libxkbcommon() {
    assert_eq!(
        fixture("xdotool-libxkbcommon"),
        vec![header("xkbcommon/xkbcommon.h")]
    );
}

#[test]
fn log_xdotool_perl() {
    assert_eq!(fixture("xdotool-perl"), vec![command("pod2man")]);
}

/// The engine's path: Nix's output parsed into diagnoses, the builder failure's log tail (the
/// last 25 streamed lines) into problems. For all but one of these logs the tail says as much as
/// the whole log; CMake's NOTFOUND report pushes cmatrix's `Could NOT find Curses` out of it, so
/// a caller that has the whole log should pass that.
#[test]
fn the_log_tail_of_a_builder_failure_gives_the_same_problems() {
    let mut differ = Vec::new();
    for name in FIXTURES.iter().filter(|n| !n.ends_with("-nix-log")) {
        let path = format!(
            "{}/tests/fixtures/problems/{name}.log",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).unwrap();
        let diagnoses = parse(&text);
        let tail = failed_log(&diagnoses).unwrap_or_else(|| panic!("{name}: {diagnoses:?}"));
        if problems(tail) != fixture(name) {
            differ.push(*name);
        }
    }
    assert_eq!(differ, ["cmatrix-ncurses"]);
}

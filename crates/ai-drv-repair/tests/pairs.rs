//! The fixers against real failures: hostpkgs' negative pairs (`nix/tests/hostpkgs/pairs.toml`).
//!
//! Each pair is a real package file and the real log of building it with one dependency missing
//! (`crates/ai-drv-diagnose/tests/fixtures/problems/<pair>.log`). Here the dependency is taken out
//! of the file itself, the log goes through `ai_drv_diagnose` as the engine sends it, the bundled
//! resolver index answers the lookups, and the first candidate fix must put the dependency back
//! into every list it was in (see [`ONE_LIST_IS_ENOUGH`] for the exception). `iw-libnl` is not
//! here: its Makefile's own error message names no header, library or module.

use std::path::{Path, PathBuf};

use ai_drv_repair::{candidates, Context, Document, Index};

/// Pair name, package file, the dependency left out, and the build files its source has.
const PAIRS: &[(&str, &str, &str, &[&str])] = &[
    ("sl-ncurses", "sl", "ncurses", &[]),
    ("tmux-libevent", "tmux", "libevent", &[]),
    ("tmux-ncurses", "tmux", "ncurses", &[]),
    ("iw-pkg-config", "iw", "pkg-config", &[]),
    ("xdotool-libxkbcommon", "xdotool", "libxkbcommon", &[]),
    ("xdotool-libXtst", "xdotool", "xorg.libXtst", &[]),
    ("xdotool-perl", "xdotool", "perl", &[]),
    ("less-ncurses", "less", "ncurses", &[]),
    ("stow-perl", "stow", "perl", &[]),
    ("cloc-perl", "cloc", "perl", &[]),
    ("inxi-perl", "inxi", "perl", &[]),
    ("lcov-perl", "lcov", "perl", &[]),
    ("grc-python3", "grc", "python3", &[]),
    ("wayland-expat", "wayland", "expat", &[]),
    ("wayland-libffi", "wayland", "libffi", &[]),
    ("wayland-meson", "wayland", "meson", &["meson.build"]),
    ("wayland-pkg-config", "wayland", "pkg-config", &[]),
    ("wayland-ninja", "wayland", "ninja", &[]),
    ("cdecl-bison", "cdecl", "bison", &[]),
    ("cdecl-flex", "cdecl", "flex", &[]),
    ("cdecl-readline", "cdecl", "readline", &[]),
    ("cmatrix-cmake", "cmatrix", "cmake", &["CMakeLists.txt"]),
    ("cmatrix-ncurses", "cmatrix", "ncurses", &[]),
    (
        "htop-autoreconfHook",
        "htop",
        "autoreconfHook",
        &["configure.ac"],
    ),
    ("htop-ncurses", "htop", "ncurses", &[]),
];

/// Pairs whose log shows only one of the dependency's uses: stow's configure looks for `perl` (a
/// build tool, so `nativeBuildInputs`); the file also has it in `buildInputs` for the installed
/// scripts' shebangs, which this log cannot show.
const ONE_LIST_IS_ENOUGH: [&str; 1] = ["stow-perl"];

const LISTS: [&str; 4] = [
    "nativeBuildInputs",
    "buildInputs",
    "propagatedBuildInputs",
    "nativeInstallCheckInputs",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn log(name: &str) -> String {
    let path = repo().join(format!(
        "crates/ai-drv-diagnose/tests/fixtures/problems/{name}.log"
    ));
    fs_err::read_to_string(path).unwrap()
}

fn without(doc: &Document, attr: &str) -> (Document, Vec<&'static str>) {
    let mut out = doc.clone();
    let mut lists = Vec::new();
    for list in LISTS {
        if out.list_remove(list, attr).unwrap() {
            lists.push(list);
        }
    }
    let head = attr.split('.').next().unwrap();
    if out.uses(head) == 0 {
        out.remove_formal(head).unwrap();
    }
    (out, lists)
}

fn tree_with(files: &[&str]) -> tempfile::TempDir {
    let tree = tempfile::tempdir().unwrap();
    for file in files {
        fs_err::write(tree.path().join(file), "").unwrap();
    }
    tree
}

#[test]
fn the_first_fix_restores_the_missing_dependency() {
    let index = Index::load(&repo().join("nix/hostpkgs/resolver.json")).unwrap();
    let mut failures = Vec::new();
    for (pair, file, attr, build_files) in PAIRS {
        let text =
            fs_err::read_to_string(repo().join(format!("nix/tests/hostpkgs/pairs/{file}.nix")))
                .unwrap();
        let original = Document::parse(&text).unwrap();
        let (broken, lists) = without(&original, attr);
        assert!(!lists.is_empty(), "{pair}: {attr} is in no input list");
        let output = log(pair);
        let diagnoses = ai_drv_diagnose::parse(&output);
        let lines: Vec<String> = output.lines().map(str::to_string).collect();
        let problems = ai_drv_diagnose::problems(&lines);
        let tree = tree_with(build_files);
        let cx = Context {
            diagnoses: &diagnoses,
            problems: &problems,
            index: &index,
            tree: (!build_files.is_empty()).then_some(tree.path() as &Path),
        };
        let fixes = candidates(&broken, &cx);
        let Some(first) = fixes.first() else {
            failures.push(format!("{pair}: no fix for {problems:?}"));
            continue;
        };
        let restored: Vec<&&str> = lists
            .iter()
            .filter(|list| first.document.list_items(list).iter().any(|i| i == attr))
            .collect();
        let enough = if ONE_LIST_IS_ENOUGH.contains(pair) {
            !restored.is_empty()
        } else {
            restored.len() == lists.len()
        };
        if !enough {
            failures.push(format!(
                "{pair}: {} ({}) put {attr} back in {restored:?}, not {lists:?}",
                first.fixer, first.summary
            ));
        }
        let head = attr.split('.').next().unwrap();
        if !first.document.formals().iter().any(|f| f == head) {
            failures.push(format!("{pair}: {head} is not a formal after the fix"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

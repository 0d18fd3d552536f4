//! The analyser on real upstream sources: every orig tarball (`*.tar.gz`, `*.tar.xz`,
//! `*.tar.bz2`, `*.tgz`, `*.crate`) or unpacked tree in `$AI_DRV_TEST_SOURCES`, with the bundled
//! resolver index. Trees of the development corpus are checked against what their nixpkgs
//! packages say; every tree must be analysed quickly. Skipped (with a note) when the variable is
//! not set, since the sources are downloads and not part of the repository.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ai_drv_analyse::{analyse, Analysis, BuildSystem, Index, Kind};

/// What a corpus package's analysis must contain (a subset: the analyser may find more).
struct Expect {
    name: &'static str,
    build_system: fn(&BuildSystem) -> bool,
    build_inputs: &'static [&'static str],
    native_build_inputs: &'static [&'static str],
    programs: &'static [&'static str],
    licenses: &'static [&'static str],
    kind: Option<Kind>,
}

const fn expect(name: &'static str, build_system: fn(&BuildSystem) -> bool) -> Expect {
    Expect {
        name,
        build_system,
        build_inputs: &[],
        native_build_inputs: &[],
        programs: &[],
        licenses: &[],
        kind: None,
    }
}

fn autotools(bs: &BuildSystem) -> bool {
    matches!(bs, BuildSystem::Autotools { .. })
}
fn generated(bs: &BuildSystem) -> bool {
    matches!(bs, BuildSystem::Autotools { configure: true })
}
fn make(bs: &BuildSystem) -> bool {
    matches!(bs, BuildSystem::Make { .. })
}
fn cmake(bs: &BuildSystem) -> bool {
    matches!(bs, BuildSystem::CMake)
}
fn meson(bs: &BuildSystem) -> bool {
    matches!(bs, BuildSystem::Meson)
}
fn any(_: &BuildSystem) -> bool {
    true
}

fn expectations() -> Vec<Expect> {
    vec![
        Expect {
            programs: &["hello"],
            licenses: &["gpl3Plus"],
            ..expect("hello", generated)
        },
        Expect {
            build_inputs: &["ncurses"],
            programs: &["sl"],
            ..expect("sl", make)
        },
        Expect {
            programs: &["figlet"],
            licenses: &["bsd3"],
            ..expect("figlet", make)
        },
        Expect {
            programs: &["tree"],
            licenses: &["gpl2Plus"],
            ..expect("tree", make)
        },
        Expect {
            build_inputs: &["ncurses"],
            native_build_inputs: &["autoreconfHook"],
            programs: &["cmatrix"],
            ..expect("cmatrix", autotools)
        },
        Expect {
            build_inputs: &["ncurses"],
            programs: &["htop"],
            licenses: &["gpl2Plus"],
            ..expect("htop", autotools)
        },
        Expect {
            build_inputs: &["ncurses"],
            programs: &["nano"],
            licenses: &["gpl3Plus"],
            ..expect("nano", generated)
        },
        Expect {
            programs: &["lz4"],
            ..expect("lz4", make)
        },
        Expect {
            programs: &["fzy"],
            licenses: &["mit"],
            ..expect("fzy", make)
        },
        Expect {
            build_inputs: &["libevent", "ncurses"],
            native_build_inputs: &["pkg-config"],
            programs: &["tmux"],
            licenses: &["isc"],
            ..expect("tmux", generated)
        },
        Expect {
            build_inputs: &["oniguruma"],
            programs: &["jq"],
            licenses: &["mit"],
            ..expect("jq", autotools)
        },
        Expect {
            programs: &["gzip"],
            licenses: &["gpl3Plus"],
            ..expect("gzip", generated)
        },
        Expect {
            build_inputs: &["ncurses"],
            programs: &["less"],
            ..expect("less", generated)
        },
        Expect {
            build_inputs: &["expat", "libffi", "libxml2"],
            native_build_inputs: &["meson", "ninja", "pkg-config"],
            programs: &["wayland-scanner"],
            licenses: &["mit"],
            ..expect("wayland", meson)
        },
        Expect {
            licenses: &["mit"],
            kind: Some(Kind::Library),
            ..expect("json-c", cmake)
        },
        Expect {
            licenses: &["mit"],
            kind: Some(Kind::Library),
            ..expect("cjson", cmake)
        },
        Expect {
            licenses: &["mit"],
            kind: Some(Kind::Library),
            ..expect("libyaml", autotools)
        },
        Expect {
            licenses: &["mit"],
            kind: Some(Kind::Library),
            ..expect("pixman", generated)
        },
        Expect {
            licenses: &["zlib"],
            kind: Some(Kind::Library),
            ..expect("zlib", any)
        },
        Expect {
            build_inputs: &["xorg.libX11", "xorg.libXtst"],
            programs: &["xdotool"],
            ..expect("xdotool", make)
        },
        Expect {
            programs: &["lzip"],
            licenses: &["gpl2Plus"],
            ..expect("lzip", any)
        },
        Expect {
            programs: &["stow"],
            licenses: &["gpl3Plus"],
            ..expect("stow", generated)
        },
        Expect {
            programs: &["mawk"],
            ..expect("mawk", generated)
        },
    ]
}

/// `hello_2.10.orig.tar.gz` → `hello`.
fn package_name(file: &str) -> String {
    let base = file.split(".orig").next().unwrap_or(file);
    let cut = base
        .char_indices()
        .find(|(i, c)| {
            matches!(c, '_' | '-')
                && base[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_digit())
        })
        .map_or(base.len(), |(i, _)| i);
    base[..cut].to_string()
}

/// Unpacks a tarball into `into`.
fn unpack(archive: &Path, into: &Path) -> std::io::Result<()> {
    let name = archive.to_string_lossy().to_string();
    let file = fs_err::File::open(archive)?;
    let reader: Box<dyn Read> =
        if name.ends_with(".gz") || name.ends_with(".tgz") || name.ends_with(".crate") {
            Box::new(flate2::read::GzDecoder::new(file))
        } else if name.ends_with(".xz") {
            Box::new(liblzma::read::XzDecoder::new(file))
        } else if name.ends_with(".bz2") {
            Box::new(bzip2::read::BzDecoder::new(file))
        } else {
            Box::new(file)
        };
    tar::Archive::new(reader).unpack(into)
}

fn is_archive(name: &str) -> bool {
    [".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".crate", ".tar"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

fn check(expect: &Expect, a: &Analysis) -> Vec<String> {
    let mut problems = Vec::new();
    if !(expect.build_system)(&a.build_system) {
        problems.push(format!("build system {:?}", a.build_system));
    }
    let missing = |wanted: &[&str], have: &[String]| -> Vec<String> {
        wanted
            .iter()
            .filter(|w| !have.iter().any(|h| h == *w))
            .map(|w| w.to_string())
            .collect()
    };
    for (what, wanted, have) in [
        ("buildInputs", expect.build_inputs, &a.build_inputs),
        (
            "nativeBuildInputs",
            expect.native_build_inputs,
            &a.native_build_inputs,
        ),
        ("programs", expect.programs, &a.programs),
        ("licenses", expect.licenses, &a.licenses),
    ] {
        let m = missing(wanted, have);
        if !m.is_empty() {
            problems.push(format!("{what} lacks {m:?} (has {have:?})"));
        }
    }
    if let Some(kind) = expect.kind {
        if a.kind != kind {
            problems.push(format!("kind {:?}", a.kind));
        }
    }
    problems
}

#[test]
fn real_orig_tarballs() {
    let Some(dir) = std::env::var_os("AI_DRV_TEST_SOURCES") else {
        println!("note: AI_DRV_TEST_SOURCES is not set; skipping the real-sources analysis test");
        return;
    };
    let index = Index::bundled().expect("bundled resolver index");
    let expectations = expectations();
    let mut entries: Vec<PathBuf> = fs_err::read_dir(&dir)
        .expect("read AI_DRV_TEST_SOURCES")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    let scratch = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    let mut analysed = 0;
    let mut checked = 0;
    for entry in entries {
        let file = entry
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let tree = if entry.is_dir() {
            entry.clone()
        } else if is_archive(&file) {
            let into = scratch.path().join(&file);
            if let Err(e) = fs_err::create_dir_all(&into).and_then(|_| unpack(&entry, &into)) {
                println!("note: cannot unpack {file}: {e}");
                continue;
            }
            into
        } else {
            continue;
        };
        let start = Instant::now();
        let a = analyse(&tree, &index);
        let elapsed = start.elapsed();
        analysed += 1;
        println!(
            "{file}: {:?} {:?} buildInputs={:?} nativeBuildInputs={:?} programs={:?} licenses={:?} ({elapsed:?})",
            a.build_system, a.kind, a.build_inputs, a.native_build_inputs, a.programs, a.licenses
        );
        // Generous for unoptimised test builds; release builds take a few milliseconds.
        if elapsed > Duration::from_secs(2) {
            failures.push(format!("{file}: analysis took {elapsed:?}"));
        }
        let name = package_name(&file);
        if let Some(expect) = expectations.iter().find(|e| e.name == name) {
            checked += 1;
            for problem in check(expect, &a) {
                failures.push(format!("{file}: {problem}"));
            }
        }
    }
    println!("analysed {analysed} trees, {checked} against expectations");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn package_names_from_file_names() {
    assert_eq!(package_name("hello_2.10.orig.tar.gz"), "hello");
    assert_eq!(package_name("json-c_0.16.orig.tar.gz"), "json-c");
    assert_eq!(
        package_name("libevent_2.1.12-stable.orig.tar.gz"),
        "libevent"
    );
    assert_eq!(package_name("hexyl-0.17.0.crate"), "hexyl");
    assert_eq!(package_name("cmatrix_2.0"), "cmatrix");
}

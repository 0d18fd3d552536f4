//! Missing input: the build looked for a header, a library, a pkg-config module, a CMake package
//! or a command that no input provides.
//!
//! The resolver index says which attribute provides it; placement follows nixpkgs (and
//! `docs/engine.md`): commands go to `nativeBuildInputs`, headers and libraries to `buildInputs`, a
//! pkg-config module's library to `buildInputs` with `pkg-config` in `nativeBuildInputs`. CMake
//! package names go through a small table of what each Find module looks for. Every missing
//! header, pkg-config module and CMake package the log names is added in one fix; of the missing
//! libraries and commands only the first the index knows, because configure scripts probe lists
//! of alternatives (`-ltinfo -lncursesw -lcurses …`, `bison byacc yacc`) and one of them is
//! enough. Nothing the index does not know is guessed, and an attribute that is already in its
//! list means something else is wrong: no fix.

use ai_drv_syntax::Document;

use super::has_item;
use crate::{Context, Fix, Fixer, Index, Problem};

pub(crate) struct MissingInput;

/// What a CMake `find_package` name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CMakeLookup {
    Header(&'static str),
    Library(&'static str),
    PkgConfig(&'static str),
    Command(&'static str),
    /// Provided by the C library or the compiler: nothing to add.
    Nothing,
}

/// CMake package names (case-insensitive) and what their Find modules look for.
const CMAKE_PACKAGES: &[(&str, &[CMakeLookup])] = {
    use CMakeLookup::*;
    &[
        ("ZLIB", &[Header("zlib.h"), PkgConfig("zlib")]),
        ("CURL", &[Header("curl/curl.h"), PkgConfig("libcurl")]),
        ("OpenSSL", &[Header("openssl/ssl.h"), PkgConfig("openssl")]),
        ("PNG", &[Header("png.h"), PkgConfig("libpng")]),
        ("JPEG", &[Header("jpeglib.h"), PkgConfig("libjpeg")]),
        ("TIFF", &[Header("tiffio.h"), PkgConfig("libtiff-4")]),
        ("GIF", &[Header("gif_lib.h")]),
        ("BZip2", &[Header("bzlib.h")]),
        ("LibLZMA", &[Header("lzma.h"), PkgConfig("liblzma")]),
        (
            "Curses",
            &[Header("curses.h"), Header("ncurses.h"), Library("ncurses")],
        ),
        ("Freetype", &[Header("ft2build.h"), PkgConfig("freetype2")]),
        (
            "Fontconfig",
            &[Header("fontconfig/fontconfig.h"), PkgConfig("fontconfig")],
        ),
        ("EXPAT", &[Header("expat.h"), PkgConfig("expat")]),
        (
            "LibXml2",
            &[Header("libxml/parser.h"), PkgConfig("libxml-2.0")],
        ),
        ("SQLite3", &[Header("sqlite3.h"), PkgConfig("sqlite3")]),
        (
            "LibArchive",
            &[Header("archive.h"), PkgConfig("libarchive")],
        ),
        ("X11", &[Header("X11/Xlib.h"), PkgConfig("x11")]),
        ("GTest", &[Header("gtest/gtest.h"), PkgConfig("gtest")]),
        ("Boost", &[Header("boost/version.hpp")]),
        (
            "Readline",
            &[Header("readline/readline.h"), Library("readline")],
        ),
        ("PkgConfig", &[Command("pkg-config")]),
        ("BISON", &[Command("bison")]),
        ("FLEX", &[Command("flex")]),
        ("Doxygen", &[Command("doxygen")]),
        ("Git", &[Command("git")]),
        ("Perl", &[Command("perl")]),
        ("Python3", &[Command("python3")]),
        ("PythonInterp", &[Command("python3")]),
        ("Gettext", &[Command("msgfmt")]),
        ("Intl", &[Nothing]),
        ("Iconv", &[Nothing]),
        ("Threads", &[Nothing]),
        ("OpenMP", &[Nothing]),
    ]
};

/// Commands that belong to autotools: `autoreconfHook` brings them all.
const AUTOTOOLS: [&str; 7] = [
    "aclocal",
    "autoreconf",
    "autoconf",
    "automake",
    "autoheader",
    "autopoint",
    "libtoolize",
];

/// Commands known under another program's name: the index has the program.
const COMMAND_ALIASES: [(&str, &str); 3] = [("yacc", "bison"), ("lex", "flex"), ("awk", "gawk")];

/// Compilers are the toolchain's business (see `missing_cc_in_makefile`), not an input.
const COMPILERS: [&str; 6] = ["cc", "gcc", "c++", "g++", "clang", "clang++"];

/// Where an attribute goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Native,
    Build,
}

impl List {
    fn path(self) -> &'static str {
        match self {
            List::Native => "nativeBuildInputs",
            List::Build => "buildInputs",
        }
    }
}

/// One resolved need: the attribute, its list, and what it provides (for the summary).
struct Need {
    attr: String,
    list: List,
    provides: String,
    /// pkg-config modules also need `pkg-config` itself.
    pkg_config: bool,
}

fn command_need(index: &Index, command: &str) -> Option<Need> {
    if COMPILERS.contains(&command) {
        return None;
    }
    let attr = if AUTOTOOLS.contains(&command) {
        "autoreconfHook"
    } else {
        let alias = COMMAND_ALIASES
            .iter()
            .find(|(name, _)| *name == command)
            .map(|(_, program)| *program);
        index
            .command(command)
            .or_else(|| alias.and_then(|a| index.command(a)))?
    };
    Some(Need {
        attr: attr.to_string(),
        list: List::Native,
        provides: format!("the command {command}"),
        pkg_config: false,
    })
}

fn cmake_need(index: &Index, package: &str) -> Option<Need> {
    let lookups: Vec<CMakeLookup> = match CMAKE_PACKAGES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(package))
    {
        Some((_, lookups)) => lookups.to_vec(),
        // An unknown Find module: its pkg-config module or library of the same name, if any.
        None => Vec::new(),
    };
    let lower = package.to_ascii_lowercase();
    let provides = format!("the CMake package {package}");
    for lookup in lookups {
        let (attr, list, pkg_config) = match lookup {
            CMakeLookup::Nothing => return None,
            CMakeLookup::Header(h) => (index.header(h), List::Build, false),
            CMakeLookup::Library(l) => (index.library(l), List::Build, false),
            CMakeLookup::PkgConfig(m) => (index.pkgconfig(m), List::Build, false),
            CMakeLookup::Command(c) => {
                return command_need(index, c).map(|n| Need { provides, ..n });
            }
        };
        if let Some(attr) = attr {
            return Some(Need {
                attr: attr.to_string(),
                list,
                provides,
                pkg_config,
            });
        }
    }
    let attr = index.pkgconfig(&lower).or_else(|| index.library(&lower))?;
    Some(Need {
        attr: attr.to_string(),
        list: List::Build,
        provides,
        pkg_config: false,
    })
}

fn need(index: &Index, problem: &Problem) -> Option<Need> {
    let build = |attr: &str, provides: String, pkg_config: bool| Need {
        attr: attr.to_string(),
        list: List::Build,
        provides,
        pkg_config,
    };
    match problem {
        Problem::MissingHeader { header } => {
            Some(build(index.header(header)?, header.clone(), false))
        }
        Problem::MissingLibrary { library } => Some(build(
            index.library(library)?,
            format!("-l{library}"),
            false,
        )),
        Problem::MissingPkgConfig { module } => Some(build(
            index.pkgconfig(module)?,
            format!("the pkg-config module {module}"),
            true,
        )),
        Problem::MissingCMakePackage { package } => cmake_need(index, package),
        Problem::MissingCommand { command } => command_need(index, command),
        _ => None,
    }
}

impl Fixer for MissingInput {
    fn name(&self) -> &'static str {
        "missing-input"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let mut document = doc.clone();
        let mut summaries: Vec<String> = Vec::new();
        let (mut library_seen, mut command_seen) = (false, false);
        let needs = cx.problems.iter().filter_map(|p| {
            let need = need(cx.index, p)?;
            // Alternatives probed in a row: the first one known is the one to add.
            let seen = match p {
                Problem::MissingLibrary { .. } => &mut library_seen,
                Problem::MissingCommand { .. } => &mut command_seen,
                _ => return Some(need),
            };
            if std::mem::replace(seen, true) {
                None
            } else {
                Some(need)
            }
        });
        for need in needs {
            let mut added = Vec::new();
            if !has_item(&document, need.list.path(), &need.attr)
                && matches!(document.add_input(need.list.path(), &need.attr), Ok(true))
            {
                added.push(format!("add {} to {}", need.attr, need.list.path()));
            }
            if need.pkg_config
                && !has_item(&document, "nativeBuildInputs", "pkg-config")
                && matches!(
                    document.add_input("nativeBuildInputs", "pkg-config"),
                    Ok(true)
                )
            {
                added.push("add pkg-config to nativeBuildInputs".to_string());
            }
            if !added.is_empty() {
                summaries.push(format!(
                    "{} (provides {})",
                    added.join(" and "),
                    need.provides
                ));
            }
        }
        (!summaries.is_empty()).then(|| Fix {
            fixer: self.name(),
            summary: summaries.join("; "),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn test_index() -> Index {
        index(
            &[
                ("libcurl", "curl"),
                ("ncursesw", "ncurses"),
                ("zlib", "zlib"),
            ],
            &[
                ("curses.h", "ncurses"),
                ("zlib.h", "zlib"),
                ("openssl/ssl.h", "openssl"),
                ("X11/Xlib.h", "xorg.libX11"),
            ],
            &[("ncursesw", "ncurses"), ("m", "glibc")],
            &[
                ("bison", "bison"),
                ("pkg-config", "pkg-config"),
                ("msgfmt", "gettext"),
                ("cc", "gcc"),
            ],
        )
    }

    fn run(text: &str, problems: &[Problem]) -> Option<Fix> {
        let index = test_index();
        let cx = Context {
            diagnoses: &[],
            problems,
            index: &index,
            tree: None,
        };
        MissingInput.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn header_goes_to_build_inputs_with_its_formal() {
        let fix = run(
            HELLO,
            &[Problem::MissingHeader {
                header: "curses.h".to_string(),
            }],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            HELLO
                .replace(
                    "{ lib, stdenv, fetchurl }:",
                    "{ lib, stdenv, fetchurl, ncurses }:"
                )
                .replace(
                    "  strictDeps = true;\n",
                    "  strictDeps = true;\n  buildInputs = [ ncurses ];\n"
                )
        );
        assert_eq!(
            fix.summary,
            "add ncurses to buildInputs (provides curses.h)"
        );
    }

    #[test]
    fn pkg_config_module_brings_pkg_config() {
        let fix = run(
            HELLO,
            &[Problem::MissingPkgConfig {
                module: "libcurl".to_string(),
            }],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            HELLO
                .replace(
                    "{ lib, stdenv, fetchurl }:",
                    "{ lib, stdenv, fetchurl, curl, pkg-config }:"
                )
                .replace(
                    "  strictDeps = true;\n",
                    "  strictDeps = true;\n  buildInputs = [ curl ];\n  nativeBuildInputs = [ pkg-config ];\n"
                )
        );
        assert_eq!(
            fix.summary,
            "add curl to buildInputs and add pkg-config to nativeBuildInputs (provides the pkg-config module libcurl)"
        );
    }

    #[test]
    fn several_problems_in_one_fix() {
        let fix = run(
            HELLO,
            &[
                Problem::MissingCommand {
                    command: "bison".to_string(),
                },
                Problem::MissingLibrary {
                    library: "ncursesw".to_string(),
                },
                Problem::MissingCMakePackage {
                    package: "ZLIB".to_string(),
                },
                Problem::MissingHeader {
                    header: "X11/Xlib.h".to_string(),
                },
            ],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            HELLO
                .replace(
                    "{ lib, stdenv, fetchurl }:",
                    "{ lib, stdenv, fetchurl, bison, ncurses, zlib, xorg }:"
                )
                .replace(
                    "  strictDeps = true;\n",
                    "  strictDeps = true;\n  nativeBuildInputs = [ bison ];\n  buildInputs = [ ncurses zlib xorg.libX11 ];\n"
                )
        );
        assert_eq!(
            fix.summary,
            "add bison to nativeBuildInputs (provides the command bison); add ncurses to buildInputs (provides -lncursesw); add zlib to buildInputs (provides the CMake package ZLIB); add xorg.libX11 to buildInputs (provides X11/Xlib.h)"
        );
    }

    #[test]
    fn autotools_commands_bring_autoreconf_hook() {
        let fix = run(
            HELLO,
            &[Problem::MissingCommand {
                command: "aclocal".to_string(),
            }],
        )
        .unwrap();
        assert_eq!(
            fix.summary,
            "add autoreconfHook to nativeBuildInputs (provides the command aclocal)"
        );
    }

    #[test]
    fn first_of_probed_alternatives() {
        let fix = run(
            HELLO,
            &[
                Problem::MissingCommand {
                    command: "byacc".to_string(),
                },
                Problem::MissingCommand {
                    command: "yacc".to_string(),
                },
                Problem::MissingCommand {
                    command: "bison".to_string(),
                },
                Problem::MissingLibrary {
                    library: "tinfo".to_string(),
                },
                Problem::MissingLibrary {
                    library: "ncursesw".to_string(),
                },
                Problem::MissingLibrary {
                    library: "m".to_string(),
                },
            ],
        )
        .unwrap();
        assert_eq!(
            fix.summary,
            "add bison to nativeBuildInputs (provides the command yacc); add ncurses to buildInputs (provides -lncursesw)"
        );
    }

    #[test]
    fn cmake_table_commands_and_fallbacks() {
        let fix = run(
            HELLO,
            &[Problem::MissingCMakePackage {
                package: "PkgConfig".to_string(),
            }],
        )
        .unwrap();
        assert_eq!(
            fix.summary,
            "add pkg-config to nativeBuildInputs (provides the CMake package PkgConfig)"
        );
        // Unknown module: its pkg-config module of the same name.
        let fix = run(
            HELLO,
            &[Problem::MissingCMakePackage {
                package: "NcursesW".to_string(),
            }],
        )
        .unwrap();
        assert_eq!(
            fix.summary,
            "add ncurses to buildInputs (provides the CMake package NcursesW)"
        );
        // Threads come with the C library.
        assert_eq!(
            run(
                HELLO,
                &[Problem::MissingCMakePackage {
                    package: "Threads".to_string()
                }]
            ),
            None
        );
    }

    #[test]
    fn unresolvable_present_or_compiler() {
        assert_eq!(
            run(
                HELLO,
                &[Problem::MissingHeader {
                    header: "nosuch.h".to_string()
                }]
            ),
            None
        );
        assert_eq!(
            run(
                HELLO,
                &[Problem::MissingCommand {
                    command: "cc".to_string()
                }]
            ),
            None
        );
        let with_ncurses = HELLO
            .replace(
                "{ lib, stdenv, fetchurl }:",
                "{ lib, stdenv, fetchurl, ncurses }:",
            )
            .replace(
                "  strictDeps = true;\n",
                "  strictDeps = true;\n  buildInputs = [ ncurses ];\n",
            );
        assert_eq!(
            run(
                &with_ncurses,
                &[Problem::MissingHeader {
                    header: "curses.h".to_string()
                }]
            ),
            None
        );
        assert_eq!(run(HELLO, &[Problem::NoConfigure]), None);
    }
}

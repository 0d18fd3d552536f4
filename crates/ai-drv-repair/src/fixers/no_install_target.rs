//! No install target: `make install` does not exist (or installed no program), so the package
//! gets an `installPhase` of its own.
//!
//! With the unpacked tree known, the phase names the programs found there (C/C++ files defining
//! `main`, each built next to its source in a plain Makefile project) and their man pages.
//! Otherwise it is a fixed shell snippet that installs what the build produced: every ELF
//! executable near the top of the build tree into `bin`, libraries into `lib` (with the public
//! headers when there were libraries), and man pages into `share/man/manN`. An `installPhase`
//! the package already has is never replaced, except one this fixer wrote (it carries
//! [`MARKER`]).

use std::path::Path;

use ai_drv_syntax::Document;
use walkdir::WalkDir;

use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct NoInstallTarget;

/// The comment that marks an `installPhase` written by this fixer.
pub const MARKER: &str = "# ai-drv: generic installPhase";

/// The phase for an unknown tree: install what the build produced.
const GENERIC: &str = r#"libs=
for f in $(find . -maxdepth 3 -type f -perm -u+x); do
  if [ "$(head -c4 "$f" | od -An -c | tr -d ' \n')" = '177ELF' ]; then
    case "$(basename "$f")" in
      lib*.so*) ;;
      *) install -Dm755 "$f" "$out/bin/$(basename "$f")" ;;
    esac
  fi
done
for f in $(find . -maxdepth 3 \( -name 'lib*.so*' -o -name 'lib*.a' \) \( -type f -o -type l \)); do
  mkdir -p "$out/lib"
  cp -P "$f" "$out/lib/"
  libs=1
done
if [ -n "$libs" ]; then
  for h in $(find . -maxdepth 1 -type f -name '*.h'); do
    install -Dm644 "$h" "$out/include/$(basename "$h")"
  done
  if [ -d include ]; then
    mkdir -p "$out/include"
    cp -r include/. "$out/include/"
  fi
fi
for m in $(find . -maxdepth 3 -type f -name '*.[1-8]'); do
  install -Dm644 "$m" "$out/share/man/man$(echo "$m" | sed 's/.*\.//')/$(basename "$m")"
done"#;

/// Directories whose programs are not the package's (tests, examples).
fn is_auxiliary(dir: &str) -> bool {
    let dir = dir.to_ascii_lowercase();
    ["test", "example", "demo", "bench", "fuzz", "contrib"]
        .iter()
        .any(|p| dir.starts_with(p))
}

/// Whether a C or C++ source defines `main`.
fn defines_main(path: &Path) -> bool {
    let Ok(bytes) = fs_err::read(path) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    text.lines().any(|line| {
        let line = line.trim_start();
        let rest = line
            .strip_prefix("int ")
            .or_else(|| line.strip_prefix("int\t"))
            .map(str::trim_start)
            .unwrap_or(line);
        rest.starts_with("main(") || rest.starts_with("main (")
    })
}

/// Program names (sources defining `main`) and man pages (relative paths) in the tree.
fn programs_and_man_pages(tree: &Path) -> (Vec<String>, Vec<(String, char)>) {
    let mut programs = Vec::new();
    let mut man_pages = Vec::new();
    let walker = WalkDir::new(tree)
        .max_depth(3)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || !(is_auxiliary(&e.file_name().to_string_lossy())
                    || e.file_name().to_string_lossy().starts_with('.'))
        });
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let (Some(stem), Some(ext)) = (path.file_stem(), path.extension()) else {
            continue;
        };
        let (stem, ext) = (stem.to_string_lossy(), ext.to_string_lossy());
        if matches!(ext.as_ref(), "c" | "cc" | "cpp" | "cxx")
            && is_plain(&stem)
            && defines_main(path)
            && !programs.contains(&stem.to_string())
        {
            programs.push(stem.to_string());
        }
        let section = ext.chars().next().filter(|c| ('1'..='8').contains(c));
        if let (Some(section), 1) = (section, ext.len()) {
            if let Ok(relative) = path.strip_prefix(tree) {
                let relative = relative.to_string_lossy().into_owned();
                if is_plain(&relative) {
                    man_pages.push((relative, section));
                }
            }
        }
    }
    // Man pages document the programs: keep those that name one, when there are programs.
    if !programs.is_empty() {
        man_pages.retain(|(path, _)| {
            Path::new(path)
                .file_stem()
                .is_some_and(|s| programs.iter().any(|p| *p == s.to_string_lossy()))
        });
    }
    (programs, man_pages)
}

/// Names the phase can write unquoted (in the shell and inside a Nix `''` string).
fn is_plain(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '+'))
}

/// The body of the phase for programs found in the tree.
fn explicit(programs: &[String], man_pages: &[(String, char)]) -> String {
    let mut lines = Vec::new();
    for program in programs {
        lines.push(format!(
            "install -Dm755 -t $out/bin \"$(find . -maxdepth 3 -type f -perm -u+x -name {program} -print -quit)\""
        ));
    }
    for (path, section) in man_pages {
        lines.push(format!(
            "install -Dm644 -t $out/share/man/man{section} {path}"
        ));
    }
    lines.join("\n")
}

/// The whole `installPhase` value (Nix text at column 0).
fn phase(body: &str) -> String {
    let body: Vec<String> = body.lines().map(|l| format!("  {l}")).collect();
    format!(
        "''\n  runHook preInstall\n  {MARKER} (the project has no install target)\n{}\n  runHook postInstall\n''",
        body.join("\n")
    )
}

impl Fixer for NoInstallTarget {
    fn name(&self) -> &'static str {
        "no-install-target"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let wanted = cx.problems.iter().any(|p| {
            matches!(
                p,
                Problem::NoInstallTarget | Problem::NoExecutablesInstalled
            )
        });
        if !wanted {
            return None;
        }
        if doc.get("installPhase").is_some() {
            // Only a phase this fixer wrote may be rewritten.
            let ours = doc
                .get_string("installPhase")
                .is_some_and(|p| p.contains(MARKER));
            if !ours {
                return None;
            }
        }
        let (programs, man_pages) = cx.tree.map(programs_and_man_pages).unwrap_or_default();
        let (body, summary) = if programs.is_empty() {
            (
                GENERIC.to_string(),
                "write an installPhase that installs the executables, libraries and man pages the build produced (the project has no install target)".to_string(),
            )
        } else {
            (
                explicit(&programs, &man_pages),
                format!(
                    "write an installPhase for {} (the project has no install target)",
                    programs.join(", ")
                ),
            )
        };
        let mut document = doc.clone();
        document.set("installPhase", &phase(&body)).ok()?;
        if document == *doc {
            return None;
        }
        Some(Fix {
            fixer: self.name(),
            summary,
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn run(text: &str, problems: &[Problem], tree: Option<&Path>) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let cx = Context {
            diagnoses: &[],
            problems,
            index: &index,
            tree,
        };
        NoInstallTarget.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn generic_phase_for_an_unknown_tree() {
        let fix = run(HELLO, &[Problem::NoInstallTarget], None).unwrap();
        let expected_phase = r#"  installPhase = ''
    runHook preInstall
    # ai-drv: generic installPhase (the project has no install target)
    libs=
    for f in $(find . -maxdepth 3 -type f -perm -u+x); do
      if [ "$(head -c4 "$f" | od -An -c | tr -d ' \n')" = '177ELF' ]; then
        case "$(basename "$f")" in
          lib*.so*) ;;
          *) install -Dm755 "$f" "$out/bin/$(basename "$f")" ;;
        esac
      fi
    done
    for f in $(find . -maxdepth 3 \( -name 'lib*.so*' -o -name 'lib*.a' \) \( -type f -o -type l \)); do
      mkdir -p "$out/lib"
      cp -P "$f" "$out/lib/"
      libs=1
    done
    if [ -n "$libs" ]; then
      for h in $(find . -maxdepth 1 -type f -name '*.h'); do
        install -Dm644 "$h" "$out/include/$(basename "$h")"
      done
      if [ -d include ]; then
        mkdir -p "$out/include"
        cp -r include/. "$out/include/"
      fi
    fi
    for m in $(find . -maxdepth 3 -type f -name '*.[1-8]'); do
      install -Dm644 "$m" "$out/share/man/man$(echo "$m" | sed 's/.*\.//')/$(basename "$m")"
    done
    runHook postInstall
  '';
"#;
        assert_eq!(
            fix.document.text(),
            HELLO.replace(
                "  strictDeps = true;\n",
                &format!("  strictDeps = true;\n{expected_phase}")
            )
        );
        // The shell text survives the Nix string unchanged.
        assert_eq!(
            fix.document.get_string("installPhase").unwrap(),
            format!(
                "runHook preInstall\n{MARKER} (the project has no install target)\n{GENERIC}\nrunHook postInstall\n"
            )
        );
    }

    #[test]
    fn explicit_programs_from_the_tree() {
        let tree = tempfile::tempdir().unwrap();
        let t = tree.path();
        fs_err::write(
            t.join("sl.c"),
            "#include <curses.h>\nint main(int argc, char *argv[])\n{\n}\n",
        )
        .unwrap();
        fs_err::write(t.join("util.c"), "int helper(void) { return 0; }\n").unwrap();
        fs_err::write(t.join("sl.1"), ".TH SL 1\n").unwrap();
        fs_err::write(t.join("README.1st"), "read me\n").unwrap();
        fs_err::create_dir(t.join("tests")).unwrap();
        fs_err::write(t.join("tests/check.c"), "int main(void) { return 0; }\n").unwrap();
        fs_err::create_dir(t.join("tools")).unwrap();
        fs_err::write(
            t.join("tools/sl-gen.cpp"),
            "int\nmain (void) { return 0; }\n",
        )
        .unwrap();
        let fix = run(HELLO, &[Problem::NoExecutablesInstalled], Some(t)).unwrap();
        assert_eq!(
            fix.summary,
            "write an installPhase for sl, sl-gen (the project has no install target)"
        );
        assert_eq!(
            fix.document.get("installPhase").unwrap(),
            r#"''
    runHook preInstall
    # ai-drv: generic installPhase (the project has no install target)
    install -Dm755 -t $out/bin "$(find . -maxdepth 3 -type f -perm -u+x -name sl -print -quit)"
    install -Dm755 -t $out/bin "$(find . -maxdepth 3 -type f -perm -u+x -name sl-gen -print -quit)"
    install -Dm644 -t $out/share/man/man1 sl.1
    runHook postInstall
  ''"#
        );
    }

    #[test]
    fn replaces_only_its_own_phase() {
        let ours = run(HELLO, &[Problem::NoInstallTarget], None)
            .unwrap()
            .document;
        // Now with a tree: its own generic phase gives way to the explicit one.
        let tree = tempfile::tempdir().unwrap();
        fs_err::write(tree.path().join("x.c"), "int main() {}\n").unwrap();
        let fix = run(ours.text(), &[Problem::NoInstallTarget], Some(tree.path())).unwrap();
        assert!(fix
            .document
            .get_string("installPhase")
            .unwrap()
            .contains("-name x -print"));
        // The same phase again is no fix.
        assert_eq!(run(ours.text(), &[Problem::NoInstallTarget], None), None);
        // Someone else's phase stays.
        let theirs = HELLO.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  installPhase = \"mkdir $out\";\n",
        );
        assert_eq!(run(&theirs, &[Problem::NoInstallTarget], None), None);
        assert_eq!(run(HELLO, &[Problem::NoConfigure], None), None);
    }
}

//! The static safety policy: every derivation ai-drv builds — drafted by rules, written by a
//! model, or handed to `ai-drv build` — is checked here on its rnix syntax tree before anything
//! is built. A rejection is fed back to the model, so every [`Violation`] says in one line what
//! is wrong and what to do instead.
//!
//! The rules ([`Rule`], by kebab-case name):
//!
//! - `eval-exec`: no `builtins.exec` / `builtins.importNative` (also reached through
//!   `with builtins;`, `inherit (builtins) exec`, `builtins."exec"`, `let b = builtins;`).
//! - `impure-eval`: no `builtins.getEnv`, `builtins.currentTime`, `builtins.storePath`.
//! - `eval-time-fetch`: no `builtins.fetchurl`/`fetchTarball`/`fetchGit`/`fetchTree`/
//!   `fetchMercurial` without a hash (`sha256`, `hash`, `narHash`; `rev` pins the git ones),
//!   and no `builtins.fetchClosure` at all.
//! - `sandbox-escape`: no `__noChroot`, `__impure`, `impureEnvVars`, `allowSubstitutes`,
//!   `__sandboxProfile`, `__darwinAllowLocalNetworking`, nor `recursive-nix` in
//!   `requiredSystemFeatures`. (`__contentAddressed` is allowed: a content-addressed build is
//!   still sandboxed.)
//! - `fixed-output-derivation`: `outputHash`/`outputHashAlgo`/`outputHashMode` only in the
//!   argument of a fetcher; anywhere else they make a derivation with network access.
//! - `search-path`: no `<nixpkgs>` or any other `<…>`, no `builtins.nixPath`/`findFile`.
//! - `absolute-path`: no absolute (`/etc/passwd`, `/nix/store/…`, `/. + str`) or home (`~/x`)
//!   path literals; strings holding paths are fine, and so is a suffix appended to a path
//!   (`pkgs.path + /pkgs/…`).
//! - `missing-hash`: fetchurl, fetchzip, fetchFromGitHub/GitLab/Gitea/Sourcehut/…, fetchgit,
//!   fetchCrate, `*.fetchPypi`, fetchpatch(2), fetchsvn, fetchhg, fetchNpmDeps, … need
//!   `hash`/`sha256`/`sha512`/`outputHash` (the value may be `""`, `lib.fakeHash` or the fake
//!   `sha256-AAAA…=`: the build fills it in); `buildRustPackage` needs cargoHash (or
//!   cargoSha256/cargoLock/cargoDeps/cargoVendorDir), `buildNpmPackage` npmDepsHash (or
//!   npmDeps), `buildGoModule` vendorHash.
//! - `network-in-build`: no curl, wget, `git clone`/`fetch`/`pull`, `pip install` (unless
//!   `--no-index`), `npm install`/`ci` (unless `--offline`), `cargo install`, `go get`,
//!   `go install module@version`, apt-get and other system package managers, ssh/scp/nc, remote
//!   rsync in build phases. Asking a tool for `--version`/`--help` and `curl --unix-socket` are
//!   not network use.
//! - `write-outside-outputs`: build phases write (cp, mv, install, ln, mkdir, touch, tee, rm,
//!   chmod, chown, sed -i, dd of=, tar -C, substituteInPlace, `>`/`>>`, `make install
//!   PREFIX=/…`) only under the outputs (`$out`, `$dev`, …, `${placeholder "out"}`), `$TMPDIR`,
//!   `/build`, `/tmp`, relative paths, `/dev/null` and `/dev/std*`.
//! - `privilege-escalation`: no sudo, su, doas, setuid/setgid modes (`chmod u+s`, `4755`,
//!   `install -m 4755`), `chown root`, `install -o root`, setcap.
//! - `destructive-command`: no `rm` of `/`, `/*`, a top-level directory, the store, `~`,
//!   `$HOME`, or an output's parents (`$out/../..`), no `--no-preserve-root`.
//! - `missing-file`: a relative path literal (`./fix.patch`, `../x`) must exist in the
//!   directory the derivation is written to; when that directory is new (`dir == None`), only
//!   `./.` is allowed.
//!
//! Shell code is: attributes named `*Phase`, `pre*`/`post*` hooks, `buildCommand`, `script`,
//! `shellHook`, `unpackCmd`, and the script of `runCommand*`. Scripts a package installs
//! (`writeShellScript(Bin)`, `writeScript(Bin)`, `writeShellApplication`) run later, as programs,
//! so they are checked only for privilege escalation and destructive deletes. Text in comments,
//! here-documents and `meta` is never taken for commands; the string of `sh -c '…'`,
//! `bash -c "…"` and `eval "…"` is. Text that does not parse is not the
//! policy's business: the walk covers whatever tree rnix recovers.

mod rule;
mod shell;
mod source;
mod strings;
mod syntax;
mod walk;

use std::fmt;
use std::path::{Path, PathBuf};

pub use rule::Rule;

/// One rejection, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Violation {
    pub rule: Rule,
    /// 1-based line of the offending text.
    pub line: u32,
    /// The offending source text, on one line, at most 80 characters.
    pub snippet: String,
    /// What is wrong and what to do instead, in one line.
    pub reason: String,
}

impl fmt::Display for Violation {
    /// `line 12: `curl` in buildPhase downloads at build time, …; put the file in a fetcher … (network-in-build)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {} ({})", self.line, self.reason, self.rule)
    }
}

/// Why a file could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error(transparent)]
    Read(#[from] std::io::Error),
}

/// Checks a derivation text. `dir` is the directory the file will live in (relative paths
/// resolve against it); `None` means a new, empty directory. The violations come in line order,
/// without duplicates.
pub fn check(text: &str, dir: Option<&Path>) -> Vec<Violation> {
    let parse = rnix::Root::parse(text);
    let root = parse.syntax();
    let source = source::Source::new(text);
    let mut walker = walk::Walker::new(&source, dir, &root);
    walker.visit(&root);
    let mut found = walker.found;
    found.sort_by_key(|violation| violation.line);
    let mut seen = std::collections::HashSet::new();
    found.retain(|violation| seen.insert(violation.clone()));
    found
}

/// Reads a derivation file and checks it against the directory it is in.
pub fn check_file(path: &Path) -> Result<Vec<Violation>, PolicyError> {
    let text = fs_err::read_to_string(path)?;
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    Ok(check(&text, Some(&dir)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation() -> Violation {
        Violation {
            rule: Rule::NetworkInBuild,
            line: 12,
            snippet: "curl -L https://example.invalid/x.tar.gz | tar x".to_string(),
            reason: "`curl` in buildPhase downloads at build time; put the file in a fetcher with a hash"
                .to_string(),
        }
    }

    #[test]
    fn display_is_one_line_with_the_line_the_reason_and_the_rule() {
        assert_eq!(
            violation().to_string(),
            "line 12: `curl` in buildPhase downloads at build time; put the file in a fetcher with a hash (network-in-build)"
        );
    }

    #[test]
    fn every_real_reason_displays_on_one_line_with_a_remedy() {
        let text = "{ stdenv, fetchurl }:\nstdenv.mkDerivation {\n  src = fetchurl { url = \"u\"; };\n  \
                    postPatch = ''\n    curl -L u | tar x\n    cp sl /usr/bin\n  '';\n  __noChroot = true;\n}\n";
        let found = check(text, None);
        let rules: Vec<Rule> = found.iter().map(|v| v.rule).collect();
        assert_eq!(
            rules,
            vec![
                Rule::MissingHash,
                Rule::NetworkInBuild,
                Rule::WriteOutsideOutputs,
                Rule::SandboxEscape
            ]
        );
        for violation in &found {
            let shown = violation.to_string();
            assert!(!shown.contains('\n'), "{shown}");
            assert!(
                shown.starts_with(&format!("line {}: ", violation.line)),
                "{shown}"
            );
            assert!(
                shown.ends_with(&format!("({})", violation.rule.name())),
                "{shown}"
            );
            // The remedy follows the diagnosis after a semicolon.
            let (what, instead) = violation.reason.split_once("; ").expect("a remedy");
            assert!(!what.is_empty() && !instead.is_empty(), "{shown}");
        }
        assert_eq!(found[1].line, 5);
        assert_eq!(found[1].snippet, "curl -L u");
        assert_eq!(found[2].line, 6);
        assert_eq!(found[2].snippet, "cp sl /usr/bin");
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_name(rule.name()), Some(rule));
            let json = serde_json::to_string(&rule).expect("serialises");
            assert_eq!(json, format!("\"{}\"", rule.name()));
            assert!(!rule.summary().contains('\n'));
        }
        assert_eq!(Rule::from_name("no-such-rule"), None);
    }

    #[test]
    fn identical_violations_are_reported_once() {
        let text = "{ stdenv }: stdenv.mkDerivation {\n  installPhase = ''\n    curl a; curl a\n  '';\n}\n";
        let found = check(text, None);
        assert_eq!(found.len(), 1, "{found:#?}");
        let text = "{ stdenv }: stdenv.mkDerivation {\n  installPhase = ''\n    curl a\n    curl a\n  '';\n}\n";
        assert_eq!(check(text, None).len(), 2);
    }
}

//! The checks on shell text: build phases (`buildPhase`, `postInstall`, `buildCommand`, the
//! script of `runCommand`, …) and run-time scripts (`writeShellScript`, …). Each simple
//! command is looked at on its own: which tool it runs (through `sudo`, `env`, `command`, …),
//! what it downloads, where it writes, which privileges it asks for, what it deletes.
//!
//! Run-time scripts are programs the package installs; they may use the network and write to
//! the user's files when they run, so only privilege escalation and destructive deletes are
//! checked in them.

mod args;
mod lex;
mod net;
mod paths;

use std::collections::BTreeSet;

pub(crate) use paths::DEFAULT_OUTPUTS;

use crate::source::{collapse, Source};
use crate::strings::{Ch, INTERPOLATION, OUTPUT};
use crate::{Rule, Violation};
use args::{parse, Args, Spec};
use lex::{Command, RedirectKind, Word, SUBSTITUTION};
use paths::{place, wipes_a_tree, Place};

/// When a script runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum When {
    /// During the build, in the sandbox.
    Build,
    /// Later, as a program the package installs.
    Run,
}

/// A piece of shell text and where it came from.
pub(crate) struct Script<'a> {
    /// How a reason names the place: `postPatch`, `the runCommand script`.
    pub place: &'a str,
    pub when: When,
    pub outputs: &'a BTreeSet<String>,
}

/// Checks every command of a script.
pub(crate) fn check(
    chars: &[Ch],
    script: &Script<'_>,
    source: &Source<'_>,
    found: &mut Vec<Violation>,
) {
    for command in lex::commands(chars) {
        let mut checker = Checker {
            script,
            source,
            command: &command,
            found: &mut *found,
        };
        checker.run();
    }
}

/// Words that open or close compound commands and leave the next word in command position.
const RESERVED: [&str; 14] = [
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
    "esac",
];

struct Checker<'c, 'a> {
    script: &'c Script<'a>,
    source: &'c Source<'a>,
    command: &'c Command,
    found: &'c mut Vec<Violation>,
}

/// The name a command word runs: `/usr/bin/curl` and `${curl}/bin/curl` run `curl`. A name
/// that is partly computed (an interpolation, `$CC`) is no known tool.
fn tool_name(word: &Word) -> Option<&str> {
    let name = word.text.rsplit('/').next().unwrap_or_default();
    let computed = name.contains(['$', INTERPOLATION, SUBSTITUTION]);
    (!name.is_empty() && !computed).then_some(name)
}

fn is_assignment(word: &Word) -> bool {
    let Some((name, _)) = word.text.split_once('=') else {
        return false;
    };
    let name = name.strip_suffix('+').unwrap_or(name);
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A word as a reason shows it: the marker characters back as Nix and shell spell them.
fn readable(text: &str) -> String {
    text.replace(OUTPUT, "${placeholder \"out\"}")
        .replace(INTERPOLATION, "${…}")
        .replace(SUBSTITUTION, "$(…)")
}

/// Whether a `chmod`/`install -m` mode sets the setuid or setgid bit.
fn sets_id_bit(mode: &str) -> bool {
    if !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return u32::from_str_radix(mode, 8).is_ok_and(|bits| bits & 0o6000 != 0);
    }
    mode.split(',').any(|clause| {
        let ops = clause.trim_start_matches(['u', 'g', 'o', 'a']);
        let mut adding = false;
        ops.chars().any(|c| {
            match c {
                '+' | '=' => adding = true,
                '-' => adding = false,
                _ => {}
            }
            adding && c == 's'
        })
    })
}

/// Whether a `chown` owner (`root`, `root:root`, `0:0`) names the superuser.
fn is_root_owner(owner: &str) -> bool {
    let user = owner.split([':', '.']).next().unwrap_or_default();
    user == "root" || user == "0"
}

impl Checker<'_, '_> {
    fn report(&mut self, rule: Rule, reason: String) {
        // The command from its first word that is not `then`, `do`, `!`, … (or from a
        // redirection written before the words).
        let first_word = self
            .command
            .words
            .iter()
            .find(|word| !RESERVED.contains(&word.text.as_str()))
            .map(|word| word.start);
        let first_redirect = self.command.redirects.iter().map(|r| r.target.start).min();
        let start = match (first_word, first_redirect) {
            (Some(word), Some(redirect)) if redirect < word => self.command.start,
            (Some(word), _) => word,
            (None, _) => self.command.start,
        };
        self.found.push(Violation {
            rule,
            line: self.source.line(start),
            snippet: self.source.snippet(start, self.command.end),
            reason: collapse(&reason),
        });
    }

    fn building(&self) -> bool {
        self.script.when == When::Build
    }

    fn run(&mut self) {
        if self.building() {
            for redirect in &self.command.redirects {
                if redirect.kind == RedirectKind::Write {
                    self.destination(&format!("`{}`", redirect.op), &redirect.target);
                }
            }
        }
        let mut words: &[Word] = &self.command.words;
        loop {
            while let Some(first) = words.first() {
                if RESERVED.contains(&first.text.as_str()) || is_assignment(first) {
                    words = &words[1..];
                } else {
                    break;
                }
            }
            let Some(first) = words.first() else { return };
            let Some(name) = tool_name(first) else { return };
            let rest = &words[1..];
            let skip_to = match name {
                "for" | "select" | "case" | "function" => return,
                "sudo" | "doas" | "pkexec" | "su" | "runuser" => {
                    self.report(
                        Rule::PrivilegeEscalation,
                        format!(
                            "`{name}` in {} asks for root; builds run as an unprivileged user, \
                             so drop `{name}` and install into $out",
                            self.script.place
                        ),
                    );
                    if matches!(name, "su" | "runuser") {
                        return;
                    }
                    let spec = Spec {
                        short_value: "ugCDhprtTU",
                        short_attached: "",
                        long_value: &[],
                    };
                    first_operand(rest, &spec)
                }
                "env" => {
                    let spec = Spec {
                        short_value: "uCS",
                        short_attached: "",
                        long_value: &["unset", "chdir"],
                    };
                    first_operand(rest, &spec)
                }
                "nice" => first_operand(
                    rest,
                    &Spec {
                        short_value: "n",
                        short_attached: "",
                        long_value: &[],
                    },
                ),
                "command" | "exec" | "nohup" | "builtin" => first_operand(rest, &Spec::NONE),
                _ => {
                    self.tool(name, rest);
                    return;
                }
            };
            words = &rest[skip_to..];
        }
    }

    /// `sh -c 'cmd'`, `bash -c "…"`, `eval "…"`: the string is a script of its own, reported at
    /// the span of the word that holds it.
    fn inner_script(&mut self, name: &str, rest: &[Word]) {
        let script = match name {
            "sh" | "bash" | "dash" | "zsh" => rest
                .iter()
                .position(|word| {
                    word.text.starts_with('-')
                        && !word.text.starts_with("--")
                        && word.text.contains('c')
                })
                .and_then(|flag| rest.get(flag + 1)),
            "eval" => rest.first(),
            _ => None,
        };
        let Some(script) = script else { return };
        let chars: Vec<Ch> = script
            .text
            .chars()
            .map(|c| Ch {
                c,
                start: script.start,
                end: script.end,
            })
            .collect();
        check(&chars, self.script, self.source, self.found);
    }

    fn tool(&mut self, name: &str, rest: &[Word]) {
        self.inner_script(name, rest);
        if self.building() {
            if let Some(network) = net::network_use(name, rest) {
                self.report(
                    Rule::NetworkInBuild,
                    format!(
                        "`{}` in {} {}; {}",
                        network.what, self.script.place, network.effect, network.instead
                    ),
                );
            }
        }
        match name {
            "rm" | "rmdir" | "unlink" | "shred" => self.remove(name, rest),
            "chmod" => self.chmod(rest),
            "chown" | "chgrp" => self.chown(name, rest),
            "setcap" => self.report(
                Rule::PrivilegeEscalation,
                format!(
                    "`setcap` in {} gives a program capabilities (root powers); packages ship \
                     plain programs, so drop it",
                    self.script.place
                ),
            ),
            "install" => self.install(rest),
            "mkdir" => {
                let args = parse(
                    rest,
                    &Spec {
                        short_value: "m",
                        short_attached: "",
                        long_value: &["mode"],
                    },
                );
                self.mode(&args, "mkdir");
                if self.building() {
                    self.destinations(name, &args.operands);
                }
            }
            _ if self.building() => self.writes(name, rest),
            _ => {}
        }
    }

    fn remove(&mut self, name: &str, rest: &[Word]) {
        let args = parse(
            rest,
            &Spec {
                short_value: "nsu",
                short_attached: "",
                long_value: &[],
            },
        );
        if args.long("no-preserve-root") {
            self.report(
                Rule::DestructiveCommand,
                format!(
                    "`{name} --no-preserve-root` in {} can delete the whole file system; remove \
                     only files under $out or the build directory",
                    self.script.place
                ),
            );
            return;
        }
        let mut kept = Vec::new();
        for operand in &args.operands {
            if wipes_a_tree(&operand.text, self.script.outputs) {
                self.report(
                    Rule::DestructiveCommand,
                    format!(
                        "`{name} {}` in {} deletes far outside the build; remove only files \
                         under $out or the build directory",
                        readable(&operand.text),
                        self.script.place
                    ),
                );
            } else {
                kept.push(*operand);
            }
        }
        if self.building() {
            self.destinations(name, &kept);
        }
    }

    fn chmod(&mut self, rest: &[Word]) {
        let args = parse(
            rest,
            &Spec {
                short_value: "",
                short_attached: "",
                long_value: &["reference"],
            },
        );
        let files: Vec<&Word> = if args.value(None, "reference").is_some() {
            args.operands.clone()
        } else {
            if let Some(mode) = args.operands.first() {
                if sets_id_bit(&mode.text) {
                    self.setid("chmod", &mode.text);
                }
            }
            args.operands.iter().skip(1).copied().collect()
        };
        if self.building() {
            self.destinations("chmod", &files);
        }
    }

    fn setid(&mut self, tool: &str, mode: &str) {
        self.report(
            Rule::PrivilegeEscalation,
            format!(
                "`{tool} {mode}` in {} sets the setuid/setgid bit; the store cannot hold setuid \
                 programs, so use a plain mode such as 755 (NixOS wraps setuid programs itself)",
                self.script.place
            ),
        );
    }

    fn mode(&mut self, args: &Args<'_>, tool: &str) {
        if let Some(mode) = args.value(Some('m'), "mode") {
            if sets_id_bit(mode) {
                let shown = format!("-m {mode}");
                self.setid(tool, &shown);
            }
        }
    }

    fn chown(&mut self, name: &str, rest: &[Word]) {
        let args = parse(
            rest,
            &Spec {
                short_value: "",
                short_attached: "",
                long_value: &["reference", "from"],
            },
        );
        let files: Vec<&Word> = if args.value(None, "reference").is_some() {
            args.operands.clone()
        } else {
            if let Some(owner) = args.operands.first() {
                if name == "chown" && is_root_owner(&owner.text) {
                    self.report(
                        Rule::PrivilegeEscalation,
                        format!(
                            "`chown {}` in {} hands files to root; files in the store belong to \
                             no user, so drop the chown",
                            readable(&owner.text),
                            self.script.place
                        ),
                    );
                }
            }
            args.operands.iter().skip(1).copied().collect()
        };
        if self.building() {
            self.destinations(name, &files);
        }
    }

    fn install(&mut self, rest: &[Word]) {
        let spec = Spec {
            short_value: "mogtS",
            short_attached: "",
            long_value: &[
                "mode",
                "owner",
                "group",
                "target-directory",
                "suffix",
                "strip-program",
            ],
        };
        let args = parse(rest, &spec);
        self.mode(&args, "install");
        if let Some(owner) = args.value(Some('o'), "owner") {
            if is_root_owner(owner) {
                let owner = owner.to_string();
                self.report(
                    Rule::PrivilegeEscalation,
                    format!(
                        "`install -o {owner}` in {} hands files to root; files in the store \
                         belong to no user, so drop -o",
                        self.script.place
                    ),
                );
            }
        }
        if !self.building() {
            return;
        }
        if let Some(dir) = args.value(Some('t'), "target-directory") {
            let dir = Word {
                text: dir.to_string(),
                start: 0,
                end: 0,
            };
            self.destination("`install`", &dir);
        } else if args.short('d') || args.long("directory") {
            self.destinations("install", &args.operands);
        } else if args.operands.len() >= 2 {
            self.destinations("install", &args.operands[args.operands.len() - 1..]);
        }
    }

    /// Writes by tools that copy, move, link, create, edit or unpack files.
    fn writes(&mut self, name: &str, rest: &[Word]) {
        match name {
            "cp" | "mv" | "ln" => {
                let spec = Spec {
                    short_value: "tS",
                    short_attached: "",
                    long_value: &["target-directory", "suffix"],
                };
                let args = parse(rest, &spec);
                if let Some(dir) = args.value(Some('t'), "target-directory") {
                    let dir = Word {
                        text: dir.to_string(),
                        start: 0,
                        end: 0,
                    };
                    self.destination(&format!("`{name}`"), &dir);
                } else if args.operands.len() >= 2 {
                    self.destinations(name, &args.operands[args.operands.len() - 1..]);
                }
            }
            "touch" | "tee" | "truncate" => {
                let spec = Spec {
                    short_value: "drts",
                    short_attached: "",
                    long_value: &["date", "reference", "size"],
                };
                let args = parse(rest, &spec);
                self.destinations(name, &args.operands);
            }
            "sed" => {
                let spec = Spec {
                    short_value: "efl",
                    short_attached: "i",
                    long_value: &["expression", "file", "line-length"],
                };
                let args = parse(rest, &spec);
                if args.short('i') || args.long("in-place") {
                    let scripted = args.short('e')
                        || args.short('f')
                        || args.long("expression")
                        || args.long("file");
                    let files: Vec<&Word> = args
                        .operands
                        .iter()
                        .skip(usize::from(!scripted))
                        .copied()
                        .collect();
                    self.destinations("sed -i", &files);
                }
            }
            "dd" => {
                for word in rest {
                    if let Some(path) = word.text.strip_prefix("of=") {
                        let target = Word {
                            text: path.to_string(),
                            start: word.start,
                            end: word.end,
                        };
                        self.destination("`dd`", &target);
                    }
                }
            }
            "substituteInPlace" => {
                let files: Vec<&Word> = rest
                    .iter()
                    .take_while(|word| !word.text.starts_with("--"))
                    .collect();
                self.destinations(name, &files);
            }
            "substitute" => {
                self.destinations(name, &rest.iter().take(2).skip(1).collect::<Vec<_>>())
            }
            "tar" => self.tar(rest),
            "unzip" => {
                let args = parse(
                    rest,
                    &Spec {
                        short_value: "dxP",
                        short_attached: "",
                        long_value: &[],
                    },
                );
                if let Some(dir) = args.value(Some('d'), "") {
                    let dir = Word {
                        text: dir.to_string(),
                        start: 0,
                        end: 0,
                    };
                    self.destination("`unzip -d`", &dir);
                }
            }
            "make" | "gmake" => self.make(rest),
            _ => {}
        }
    }

    fn tar(&mut self, rest: &[Word]) {
        let extracting = rest.iter().enumerate().any(|(i, word)| {
            let text = word.text.as_str();
            text == "--extract"
                || text == "--get"
                || (text.starts_with('-') && !text.starts_with("--") && text.contains('x'))
                || (i == 0 && !text.starts_with('-') && text.contains('x'))
        });
        if !extracting {
            return;
        }
        let mut words = rest.iter();
        while let Some(word) = words.next() {
            let dir = match word.text.as_str() {
                "-C" | "--directory" => words.next().map(|w| w.text.clone()),
                text => text.strip_prefix("--directory=").map(str::to_string),
            };
            if let Some(dir) = dir {
                let target = Word {
                    text: dir,
                    start: word.start,
                    end: word.end,
                };
                self.destination("`tar -C`", &target);
            }
        }
    }

    /// `make install PREFIX=/usr/local`: installing with an install directory outside the outputs.
    fn make(&mut self, rest: &[Word]) {
        let args = parse(
            rest,
            &Spec {
                short_value: "CfIoW",
                short_attached: "jl",
                long_value: &[],
            },
        );
        let installs = args
            .operands
            .iter()
            .any(|word| !word.text.contains('=') && word.text.contains("install"));
        if !installs {
            return;
        }
        // With DESTDIR=$out every other directory is relative to the output
        // (`make install DESTDIR=$out PREFIX=/`).
        let staged = args.operands.iter().any(|word| {
            word.text.split_once('=').is_some_and(|(name, value)| {
                name == "DESTDIR"
                    && !value.is_empty()
                    && place(value, self.script.outputs) == Place::Inside
            })
        });
        if staged {
            return;
        }
        for word in &args.operands {
            let Some((variable, value)) = word.text.split_once('=') else {
                continue;
            };
            let lower = variable.to_ascii_lowercase();
            let names_a_directory = lower == "prefix"
                || lower == "exec_prefix"
                || lower == "destdir"
                || lower.ends_with("dir");
            if names_a_directory && place(value, self.script.outputs) != Place::Inside {
                let shown = readable(&word.text);
                self.report(
                    Rule::WriteOutsideOutputs,
                    format!(
                        "`make install {shown}` in {} installs outside the outputs; pass \
                         {variable}=$out (or leave it to stdenv's installFlags)",
                        self.script.place
                    ),
                );
            }
        }
    }

    fn destinations(&mut self, tool: &str, targets: &[&Word]) {
        for target in targets {
            self.destination(&format!("`{tool}`"), target);
        }
    }

    fn destination(&mut self, what: &str, target: &Word) {
        let reason = match place(&target.text, self.script.outputs) {
            Place::Inside => return,
            Place::Outside => format!(
                "{what} in {} writes to {}, outside the outputs; write under $out (e.g. \
                 $out/bin, $out/share) or $TMPDIR",
                self.script.place,
                readable(&target.text)
            ),
            Place::Escape => format!(
                "{what} in {} writes to {}, which climbs out of the output with `..`; write \
                 under $out itself",
                self.script.place,
                readable(&target.text)
            ),
        };
        self.report(Rule::WriteOutsideOutputs, reason);
    }
}

/// The index of the first operand of a wrapper (`sudo -u x make` → 2), the wrapped command.
fn first_operand(rest: &[Word], spec: &Spec) -> usize {
    let mut i = 0;
    while let Some(word) = rest.get(i) {
        let text = word.text.as_str();
        if text == "--" {
            return i + 1;
        }
        if !text.starts_with('-') || text == "-" {
            if is_assignment(word) {
                i += 1;
                continue;
            }
            return i;
        }
        let takes_value = text.len() == 2
            && text
                .chars()
                .nth(1)
                .is_some_and(|c| spec.short_value.contains(c))
            || spec
                .long_value
                .iter()
                .any(|long| text.strip_prefix("--") == Some(*long));
        i += if takes_value { 2 } else { 1 };
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setid_modes() {
        for mode in [
            "u+s", "g+s", "+s", "ug=rwxs", "4755", "2755", "6755", "04755", "a+x,u+s",
        ] {
            assert!(sets_id_bit(mode), "{mode}");
        }
        for mode in ["755", "0755", "u+x", "g-s", "+x", "a+rX", "1777", "o+t"] {
            assert!(!sets_id_bit(mode), "{mode}");
        }
    }

    #[test]
    fn root_owners() {
        assert!(is_root_owner("root"));
        assert!(is_root_owner("root:root"));
        assert!(is_root_owner("0:0"));
        assert!(!is_root_owner("nobody"));
        assert!(!is_root_owner(":root"));
    }
}

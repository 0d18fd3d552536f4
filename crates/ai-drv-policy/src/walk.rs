//! The walk over a derivation's Nix syntax tree: every Nix-level rule, and the hand-off of
//! shell text (phases, `runCommand` scripts) to [`crate::shell`].
//!
//! Names are resolved the way Nix resolves them, as far as a static walk can: lexical bindings
//! (function arguments, `let`, `rec`) first, then Nix's global builtins (`fetchTarball`), then
//! the innermost `with`. That is what makes `with builtins; exec …` and
//! `let inherit (builtins) exec; in …` the same as `builtins.exec`, while a callPackage
//! argument called `fetchurl` stays nixpkgs' fetcher.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use rnix::{SyntaxKind, SyntaxNode};

use crate::shell::{self, Script, When, DEFAULT_OUTPUTS};
use crate::source::{collapse, Source};
use crate::strings;
use crate::syntax::{
    callee, defines_any, entry, flatten_apply, ident, is_outermost_apply, node_range, unparen,
};
use crate::{Rule, Violation};

/// Builtins that run native code.
const EXEC: [&str; 2] = ["exec", "importNative"];
/// Builtins whose value depends on the machine or the moment.
const IMPURE: [&str; 3] = ["getEnv", "currentTime", "storePath"];
/// Builtins that read NIX_PATH.
const SEARCH: [&str; 2] = ["nixPath", "findFile"];
/// Builtins that download while Nix evaluates.
const FETCH: [&str; 6] = [
    "fetchurl",
    "fetchTarball",
    "fetchGit",
    "fetchTree",
    "fetchMercurial",
    "fetchClosure",
];
/// Builtins that Nix also puts in the global scope (no `builtins.` needed).
const GLOBAL: [&str; 4] = ["fetchTarball", "fetchGit", "fetchTree", "fetchMercurial"];

/// nixpkgs fetchers: their argument must carry one of [`HASH_KEYS`].
const FETCHERS: [&str; 20] = [
    "fetchurl",
    "fetchzip",
    "fetchFromGitHub",
    "fetchFromGitLab",
    "fetchFromGitea",
    "fetchFromSourcehut",
    "fetchFromBitbucket",
    "fetchFromSavannah",
    "fetchFromRepoOrCz",
    "fetchFromGitiles",
    "fetchgit",
    "fetchCrate",
    "fetchPypi",
    "fetchpatch",
    "fetchpatch2",
    "fetchsvn",
    "fetchhg",
    "fetchNpmDeps",
    "fetchYarnDeps",
    "fetchDebianPatch",
];
const HASH_KEYS: [&str; 4] = ["hash", "sha256", "sha512", "outputHash"];

/// Builders that vendor dependencies, with the attributes that pin them.
const VENDORING: [(&str, &[&str], &str); 3] = [
    (
        "buildRustPackage",
        &[
            "cargoHash",
            "cargoSha256",
            "cargoLock",
            "cargoDeps",
            "cargoVendorDir",
        ],
        "cargoHash",
    ),
    (
        "buildNpmPackage",
        &["npmDepsHash", "npmDeps"],
        "npmDepsHash",
    ),
    (
        "buildGoModule",
        &["vendorHash", "vendorSha256"],
        "vendorHash",
    ),
];

/// Attributes that relax the sandbox.
const SANDBOX_KEYS: [&str; 6] = [
    "__noChroot",
    "__impure",
    "impureEnvVars",
    "allowSubstitutes",
    "__sandboxProfile",
    "__darwinAllowLocalNetworking",
];
const OUTPUT_HASH_KEYS: [&str; 3] = ["outputHash", "outputHashAlgo", "outputHashMode"];

/// Functions whose last argument is a script run at build time.
const BUILD_SCRIPTS: [&str; 6] = [
    "runCommand",
    "runCommandCC",
    "runCommandLocal",
    "runCommandNoCC",
    "runCommandNoCCLocal",
    "runCommandWith",
];
/// Functions whose last argument is a script the package installs and runs later.
const RUN_SCRIPTS: [&str; 8] = [
    "writeShellScript",
    "writeShellScriptBin",
    "writeScript",
    "writeScriptBin",
    "writeBash",
    "writeBashBin",
    "writeDash",
    "writeDashBin",
];

/// What a lexically bound name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Binding {
    /// The `builtins` set itself (`let b = builtins;`).
    BuiltinsSet,
    /// `builtins.<the same name>` (`inherit (builtins) fetchTarball;`).
    Builtin,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WithTarget {
    Builtins,
    Unknown,
}

/// What a name refers to at a point of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolved {
    Lexical(Binding),
    /// A builtin: global, or found through `with builtins;`.
    Builtin,
    Unknown,
}

/// Whether a shell-code attribute: phases, hooks, build commands.
fn is_shell_attr(name: &str) -> bool {
    let hook = |prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_uppercase())
    };
    !name.ends_with("Phases")
        && (name.ends_with("Phase")
            || hook("pre")
            || hook("post")
            || matches!(name, "buildCommand" | "script" | "shellHook" | "unpackCmd"))
}

fn is_dangerous(name: &str) -> bool {
    EXEC.contains(&name)
        || IMPURE.contains(&name)
        || SEARCH.contains(&name)
        || FETCH.contains(&name)
}

pub(crate) struct Walker<'a> {
    source: &'a Source<'a>,
    dir: Option<&'a Path>,
    outputs: BTreeSet<String>,
    frames: Vec<HashMap<String, Binding>>,
    withs: Vec<WithTarget>,
    pub(crate) found: Vec<Violation>,
}

impl<'a> Walker<'a> {
    pub(crate) fn new(source: &'a Source<'a>, dir: Option<&'a Path>, root: &SyntaxNode) -> Self {
        Walker {
            source,
            dir,
            outputs: declared_outputs(root),
            frames: Vec::new(),
            withs: Vec::new(),
            found: Vec::new(),
        }
    }

    fn report(&mut self, rule: Rule, node: &SyntaxNode, reason: String) {
        let (start, end) = node_range(node);
        self.found.push(Violation {
            rule,
            line: self.source.line(start),
            snippet: self.source.snippet(start, end),
            reason: collapse(&reason),
        });
    }

    pub(crate) fn visit(&mut self, node: &SyntaxNode) {
        match node.kind() {
            SyntaxKind::NODE_LAMBDA => {
                let frame = node
                    .children()
                    .next()
                    .map(|param| param_frame(&param))
                    .unwrap_or_default();
                self.scoped(frame, node);
            }
            SyntaxKind::NODE_LET_IN | SyntaxKind::NODE_LEGACY_LET => {
                let frame = self.let_frame(node);
                self.check_let_entries(node);
                self.scoped(frame, node);
            }
            SyntaxKind::NODE_ATTR_SET => {
                self.check_attrset(node);
                let is_rec = node
                    .children_with_tokens()
                    .any(|child| child.kind() == SyntaxKind::TOKEN_REC);
                if is_rec {
                    let frame = crate::syntax::keys(node)
                        .0
                        .into_iter()
                        .map(|key| (key, Binding::Other))
                        .collect();
                    self.scoped(frame, node);
                } else {
                    self.visit_children(node);
                }
            }
            SyntaxKind::NODE_WITH => {
                let mut children = node.children();
                let namespace = children.next();
                let target = match &namespace {
                    Some(namespace) => {
                        self.visit(namespace);
                        if self.is_builtins_set(namespace) {
                            WithTarget::Builtins
                        } else {
                            WithTarget::Unknown
                        }
                    }
                    None => WithTarget::Unknown,
                };
                self.withs.push(target);
                for body in children {
                    self.visit(&body);
                }
                self.withs.pop();
            }
            SyntaxKind::NODE_SELECT => {
                self.check_select(node);
                self.visit_children(node);
            }
            SyntaxKind::NODE_IDENT => {
                if is_reference(node) {
                    self.check_ident(node);
                }
            }
            SyntaxKind::NODE_INHERIT => {
                self.check_inherit(node);
                self.visit_children(node);
            }
            SyntaxKind::NODE_APPLY => {
                if is_outermost_apply(node) {
                    self.check_call(node);
                }
                self.visit_children(node);
            }
            SyntaxKind::NODE_PATH_ABS
            | SyntaxKind::NODE_PATH_HOME
            | SyntaxKind::NODE_PATH_SEARCH => {
                self.report_path(node);
                self.visit_children(node);
            }
            SyntaxKind::NODE_PATH_REL => {
                self.check_relative_path(node);
                self.visit_children(node);
            }
            _ => self.visit_children(node),
        }
    }

    fn visit_children(&mut self, node: &SyntaxNode) {
        for child in node.children() {
            self.visit(&child);
        }
    }

    fn scoped(&mut self, frame: HashMap<String, Binding>, node: &SyntaxNode) {
        self.frames.push(frame);
        self.visit_children(node);
        self.frames.pop();
    }

    // ---- names ------------------------------------------------------------------------------

    fn resolve(&self, name: &str) -> Resolved {
        if let Some(binding) = self.frames.iter().rev().find_map(|frame| frame.get(name)) {
            return Resolved::Lexical(*binding);
        }
        if GLOBAL.contains(&name) {
            return Resolved::Builtin;
        }
        for target in self.withs.iter().rev() {
            match target {
                WithTarget::Builtins => return Resolved::Builtin,
                // Another set may define the name too (`with pkgs; fetchurl`); the names only
                // builtins has fall through to an outer `with builtins`.
                WithTarget::Unknown if name == "fetchurl" || !is_dangerous(name) => {
                    return Resolved::Unknown
                }
                WithTarget::Unknown => {}
            }
        }
        Resolved::Unknown
    }

    fn is_builtins_set(&self, node: &SyntaxNode) -> bool {
        let node = unparen(node);
        match ident(&node) {
            Some(name) => match self.resolve(&name) {
                Resolved::Lexical(binding) => binding == Binding::BuiltinsSet,
                _ => name == "builtins",
            },
            None => false,
        }
    }

    /// Whether an identifier names builtins.<same name>.
    fn is_builtin_name(&self, name: &str) -> bool {
        matches!(
            self.resolve(name),
            Resolved::Builtin | Resolved::Lexical(Binding::Builtin)
        )
    }

    fn let_frame(&self, node: &SyntaxNode) -> HashMap<String, Binding> {
        let mut frame = HashMap::new();
        for child in node.children() {
            match child.kind() {
                SyntaxKind::NODE_ATTRPATH_VALUE => {
                    if let Some((path, value)) = entry(&child) {
                        if let Some(Some(name)) = path.first() {
                            let binding = if path.len() == 1 && self.is_builtins_set(&value) {
                                Binding::BuiltinsSet
                            } else {
                                Binding::Other
                            };
                            frame.insert(name.clone(), binding);
                        }
                    }
                }
                SyntaxKind::NODE_INHERIT => {
                    let from = inherit_source(&child);
                    for name in child.children().filter_map(|n| ident(&n)) {
                        let binding = match &from {
                            Some(from) if self.is_builtins_set(from) => Binding::Builtin,
                            Some(_) => Binding::Other,
                            None => match self.resolve(&name) {
                                Resolved::Lexical(binding) => binding,
                                Resolved::Builtin if name == "builtins" => Binding::BuiltinsSet,
                                Resolved::Builtin => Binding::Builtin,
                                Resolved::Unknown => Binding::Other,
                            },
                        };
                        frame.insert(name, binding);
                    }
                }
                _ => {}
            }
        }
        frame
    }

    // ---- builtins ---------------------------------------------------------------------------

    fn check_select(&mut self, node: &SyntaxNode) {
        let mut children = node.children();
        let (Some(base), Some(attrpath)) = (children.next(), children.next()) else {
            return;
        };
        if attrpath.kind() != SyntaxKind::NODE_ATTRPATH || !self.is_builtins_set(&base) {
            return;
        }
        if let Some(Some(name)) = crate::syntax::attrpath_names(&attrpath).first() {
            if is_dangerous(name) {
                self.report_builtin(node, name);
            }
        }
    }

    fn check_ident(&mut self, node: &SyntaxNode) {
        let Some(name) = ident(node) else { return };
        if !is_dangerous(&name) {
            return;
        }
        match self.resolve(&name) {
            // Already reported where it was inherited, unless it is a fetch whose call decides.
            Resolved::Lexical(Binding::Builtin) if FETCH.contains(&name.as_str()) => {
                self.report_builtin(node, &name)
            }
            Resolved::Builtin => self.report_builtin(node, &name),
            _ => {}
        }
    }

    fn check_inherit(&mut self, node: &SyntaxNode) {
        let from = inherit_source(node);
        let from_builtins = match &from {
            Some(from) => self.is_builtins_set(from),
            None => false,
        };
        for name_node in node
            .children()
            .filter(|n| n.kind() == SyntaxKind::NODE_IDENT)
        {
            let Some(name) = ident(&name_node) else {
                continue;
            };
            if SANDBOX_KEYS.contains(&name.as_str())
                && node
                    .parent()
                    .is_some_and(|p| p.kind() == SyntaxKind::NODE_ATTR_SET)
            {
                self.report(Rule::SandboxEscape, node, sandbox_reason(&name));
            }
            // Fetches are judged where they are called, with their arguments.
            if !is_dangerous(&name) || FETCH.contains(&name.as_str()) {
                continue;
            }
            let refers = if from.is_some() {
                from_builtins
            } else {
                self.resolve(&name) == Resolved::Builtin
            };
            if refers {
                self.report_builtin(node, &name);
            }
        }
    }

    fn report_builtin(&mut self, node: &SyntaxNode, name: &str) {
        let shown = format!("builtins.{name}");
        if EXEC.contains(&name) {
            let reason = format!(
                "`{shown}` runs native code on the machine while Nix evaluates the file; do the \
                 work in a build phase (buildPhase, postInstall) instead"
            );
            self.report(Rule::EvalExec, node, reason);
        } else if IMPURE.contains(&name) {
            let reason = match name {
                "getEnv" => format!(
                    "`{shown}` makes the result depend on the environment of whoever evaluates \
                     it; write the value into the file or take it as a function argument"
                ),
                "currentTime" => format!(
                    "`{shown}` makes the result change with the clock; use a fixed value such as \
                     the release date"
                ),
                _ => format!(
                    "`{shown}` takes a path from the local store that other machines do not \
                     have; fetch the source with a fetcher and a hash"
                ),
            };
            self.report(Rule::ImpureEval, node, reason);
        } else if SEARCH.contains(&name) {
            let reason = format!(
                "`{shown}` depends on the caller's NIX_PATH; take what you need as a function \
                 argument ({{ lib, stdenv, fetchurl, … }}:)"
            );
            self.report(Rule::SearchPath, node, reason);
        } else if FETCH.contains(&name) {
            self.check_eval_fetch(node, name);
        }
    }

    fn check_eval_fetch(&mut self, node: &SyntaxNode, name: &str) {
        let apply = node.parent().filter(|parent| {
            parent.kind() == SyntaxKind::NODE_APPLY
                && parent.children().next().as_ref() == Some(node)
        });
        if name != "fetchClosure" {
            let wanted: &[&str] = if matches!(name, "fetchGit" | "fetchTree" | "fetchMercurial") {
                &["sha256", "hash", "narHash", "rev"]
            } else {
                &["sha256", "hash", "narHash"]
            };
            let argument = apply.as_ref().and_then(|apply| apply.children().nth(1));
            if argument.is_some_and(|argument| defines_any(&argument, wanted) == Some(true)) {
                return;
            }
        }
        let reason = if name == "fetchClosure" {
            "`builtins.fetchClosure` downloads from a binary cache while Nix evaluates the file; \
             fetch the source with a fetcher and a hash and build it"
                .to_string()
        } else {
            format!(
                "`builtins.{name}` without a hash downloads while Nix evaluates the file, \
                 unchecked; use fetchurl or fetchzip with a hash in src (hash = \"\" is filled in \
                 by the build)"
            )
        };
        let reported = apply.unwrap_or_else(|| node.clone());
        self.report(Rule::EvalTimeFetch, &reported, reason);
    }

    // ---- attribute sets ---------------------------------------------------------------------

    fn check_attrset(&mut self, node: &SyntaxNode) {
        let mut fixed_output: Option<(SyntaxNode, String)> = None;
        for child in node.children() {
            if child.kind() != SyntaxKind::NODE_ATTRPATH_VALUE {
                continue;
            }
            let Some((path, value)) = entry(&child) else {
                continue;
            };
            let Some(Some(key)) = path.last() else {
                continue;
            };
            if SANDBOX_KEYS.contains(&key.as_str()) {
                self.report(Rule::SandboxEscape, &child, sandbox_reason(key));
            }
            if key == "requiredSystemFeatures" && mentions_string(&value, "recursive-nix") {
                let reason = "`recursive-nix` lets the build run Nix itself, outside the policy's \
                              view; remove it from requiredSystemFeatures"
                    .to_string();
                self.report(Rule::SandboxEscape, &child, reason);
            }
            if OUTPUT_HASH_KEYS.contains(&key.as_str()) && fixed_output.is_none() {
                fixed_output = Some((child.clone(), key.clone()));
            }
            let in_meta = path
                .first()
                .is_some_and(|first| first.as_deref() == Some("meta"));
            if is_shell_attr(key) && !in_meta {
                self.scan_shell(&value, key, When::Build);
            }
        }
        if let Some((entry_node, key)) = fixed_output {
            if !self.is_fetcher_argument(node) {
                let reason = format!(
                    "`{key}` on a derivation that is not a fetcher makes it a fixed-output \
                     derivation, which gets network access; fetch sources with a fetcher (fetchurl, \
                     fetchFromGitHub) and remove outputHash, outputHashAlgo and outputHashMode"
                );
                self.report(Rule::FixedOutputDerivation, &entry_node, reason);
            }
        }
    }

    /// `let installPhase = ''…''; in` is shell code too.
    fn check_let_entries(&mut self, node: &SyntaxNode) {
        for child in node.children() {
            if let Some((path, value)) = entry(&child) {
                if let (1, Some(Some(key))) = (path.len(), path.first()) {
                    if is_shell_attr(key) {
                        self.scan_shell(&value, key, When::Build);
                    }
                }
            }
        }
    }

    /// Whether an attribute set is (part of) the argument of a fetcher call.
    fn is_fetcher_argument(&self, attrset: &SyntaxNode) -> bool {
        let mut node = attrset.clone();
        while let Some(parent) = node.parent() {
            match parent.kind() {
                SyntaxKind::NODE_PAREN
                | SyntaxKind::NODE_BIN_OP
                | SyntaxKind::NODE_LAMBDA
                | SyntaxKind::NODE_LET_IN
                | SyntaxKind::NODE_WITH => node = parent,
                SyntaxKind::NODE_APPLY => {
                    if parent.children().next().as_ref() == Some(&node) {
                        return false;
                    }
                    let (head, _) = flatten_apply(&parent);
                    return callee(&head).is_some_and(|call| {
                        FETCHERS.contains(&call.name.as_str())
                            || FETCH.contains(&call.name.as_str())
                    });
                }
                _ => return false,
            }
        }
        false
    }

    // ---- calls ------------------------------------------------------------------------------

    fn check_call(&mut self, apply: &SyntaxNode) {
        let (head, args) = flatten_apply(apply);
        let Some(call) = callee(&head) else { return };
        let through_builtins = match &call.base {
            Some(base) => self.is_builtins_set(base),
            None => self.is_builtin_name(&call.name),
        };
        if through_builtins {
            return;
        }
        let name = call.name.as_str();
        if FETCHERS.contains(&name) {
            if let Some(argument) = args.first() {
                if defines_any(argument, &HASH_KEYS) == Some(false) {
                    let reason = format!(
                        "`{name}` has no hash, so what it downloads is unchecked; add `hash = \"\";` \
                         (the build reports the right one)"
                    );
                    self.report(Rule::MissingHash, apply, reason);
                }
            }
        } else if let Some((_, keys, key)) =
            VENDORING.iter().find(|(builder, _, _)| *builder == name)
        {
            if let Some(argument) = args.first() {
                if defines_any(argument, keys) == Some(false) {
                    let reason = format!(
                        "`{name}` without {key} cannot fetch its dependencies; add `{key} = \"\";` \
                         (the build reports the right one)"
                    );
                    self.report(Rule::MissingHash, &head, reason);
                }
            }
        } else if BUILD_SCRIPTS.contains(&name) {
            if let Some(script) = args.last().filter(|_| args.len() >= 2) {
                self.scan_shell(script, &format!("the {name} script"), When::Build);
            }
        } else if RUN_SCRIPTS.contains(&name) {
            if let Some(script) = args.last().filter(|_| args.len() >= 2) {
                self.scan_shell(script, &format!("the {name} script"), When::Run);
            }
        } else if name == "writeShellApplication" {
            let text = args.first().and_then(|argument| {
                let argument = unparen(argument);
                argument.children().find_map(|child| {
                    let (path, value) = entry(&child)?;
                    (path.len() == 1 && path.first()?.as_deref() == Some("text")).then_some(value)
                })
            });
            if let Some(text) = text {
                self.scan_shell(&text, "the writeShellApplication text", When::Run);
            }
        }
    }

    fn scan_shell(&mut self, value: &SyntaxNode, place: &str, when: When) {
        for string in value
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::NODE_STRING)
        {
            let parent_kind = string.parent().map(|parent| parent.kind());
            if parent_kind == Some(SyntaxKind::NODE_ATTRPATH) || is_placeholder_argument(&string) {
                continue;
            }
            let chars = strings::decode(&string);
            let script = Script {
                place,
                when,
                outputs: &self.outputs,
            };
            shell::check(&chars, &script, self.source, &mut self.found);
        }
    }

    // ---- paths ------------------------------------------------------------------------------

    fn report_path(&mut self, node: &SyntaxNode) {
        if is_path_suffix(node) {
            return;
        }
        let text = node.text().to_string();
        let (rule, reason) = match node.kind() {
            SyntaxKind::NODE_PATH_SEARCH => (
                Rule::SearchPath,
                format!(
                    "`{text}` depends on the caller's NIX_PATH; take what you need as a function \
                     argument ({{ lib, stdenv, fetchurl, … }}:)"
                ),
            ),
            SyntaxKind::NODE_PATH_HOME => (
                Rule::AbsolutePath,
                format!(
                    "path literal `{text}` reads the home directory of whoever evaluates the \
                     file; fetch the file with a hash or write its content inline"
                ),
            ),
            _ => (
                Rule::AbsolutePath,
                format!(
                    "path literal `{text}` reads the evaluating machine's file system; fetch the \
                     file with a hash, or use a string if a build step needs the path"
                ),
            ),
        };
        self.report(rule, node, reason);
    }

    fn check_relative_path(&mut self, node: &SyntaxNode) {
        let text = node.text().to_string();
        if text == "./." {
            return;
        }
        let reason = match self.dir {
            None => format!(
                "`{text}` names a file next to the derivation, but the derivation is written to a \
                 new directory where no other files exist; fetch the file with a hash (fetchpatch \
                 for patches) or write its content inline"
            ),
            Some(dir) => {
                let literal: String = node
                    .children_with_tokens()
                    .take_while(|child| child.kind() == SyntaxKind::TOKEN_PATH_REL)
                    .filter_map(|child| child.into_token().map(|token| token.text().to_string()))
                    .collect();
                let exists = if literal.len() == text.len() {
                    dir.join(&text).exists()
                } else {
                    // `./patches/${name}.patch`: the directory part must exist.
                    let parent = literal.rsplit_once('/').map_or(".", |(parent, _)| parent);
                    dir.join(if parent.is_empty() { "." } else { parent })
                        .is_dir()
                };
                if exists {
                    return;
                }
                format!(
                    "`{text}` does not exist next to the derivation; fetch the file with a hash \
                     (fetchpatch for patches) or drop it"
                )
            }
        };
        self.report(Rule::MissingFile, node, reason);
    }
}

fn sandbox_reason(key: &str) -> String {
    let what = match key {
        "__noChroot" => "switches off the build sandbox",
        "__impure" => "makes an impure derivation, which gets network access",
        "impureEnvVars" => "passes the caller's environment into the build",
        "allowSubstitutes" => "changes where Nix may take the result from",
        "__sandboxProfile" => "replaces the sandbox profile",
        _ => "gives the build network access",
    };
    format!("`{key}` {what}; remove it (builds run sandboxed, without network, seeing only their inputs)")
}

/// `base + /sub/file`: an absolute path literal appended to a path names a file under `base`
/// (`pkgs.path + /pkgs/…`), it is not read on its own. (`/. + str` is still a read.)
fn is_path_suffix(node: &SyntaxNode) -> bool {
    if node.kind() != SyntaxKind::NODE_PATH_ABS {
        return false;
    }
    let Some(parent) = node.parent() else {
        return false;
    };
    let is_addition = parent.kind() == SyntaxKind::NODE_BIN_OP
        && parent
            .children_with_tokens()
            .any(|child| child.kind() == SyntaxKind::TOKEN_ADD);
    let mut operands = parent.children();
    let (Some(left), Some(right)) = (operands.next(), operands.next()) else {
        return false;
    };
    is_addition && &right == node && unparen(&left).kind() != SyntaxKind::NODE_STRING
}

/// The expression of `inherit (expr) …`.
fn inherit_source(inherit: &SyntaxNode) -> Option<SyntaxNode> {
    inherit
        .children()
        .find(|child| child.kind() == SyntaxKind::NODE_INHERIT_FROM)
        .and_then(|from| from.children().next())
}

/// Whether an identifier is a reference (not an attribute name or a parameter being bound).
fn is_reference(node: &SyntaxNode) -> bool {
    match node.parent() {
        Some(parent) => match parent.kind() {
            SyntaxKind::NODE_ATTRPATH
            | SyntaxKind::NODE_INHERIT
            | SyntaxKind::NODE_IDENT_PARAM
            | SyntaxKind::NODE_PAT_BIND => false,
            SyntaxKind::NODE_PAT_ENTRY => parent.children().next().as_ref() != Some(node),
            _ => true,
        },
        None => true,
    }
}

fn param_frame(param: &SyntaxNode) -> HashMap<String, Binding> {
    let mut frame = HashMap::new();
    let mut bind = |node: Option<SyntaxNode>| {
        if let Some(name) = node.and_then(|node| ident(&node)) {
            frame.insert(name, Binding::Other);
        }
    };
    match param.kind() {
        SyntaxKind::NODE_IDENT_PARAM => bind(param.children().next()),
        SyntaxKind::NODE_PATTERN => {
            for child in param.children() {
                if matches!(
                    child.kind(),
                    SyntaxKind::NODE_PAT_ENTRY | SyntaxKind::NODE_PAT_BIND
                ) {
                    bind(
                        child
                            .children()
                            .find(|n| n.kind() == SyntaxKind::NODE_IDENT),
                    );
                }
            }
        }
        _ => {}
    }
    frame
}

/// Whether a list (or any expression) holds the string `wanted`.
fn mentions_string(value: &SyntaxNode, wanted: &str) -> bool {
    value
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_STRING)
        .any(|string| strings::constant(&string).as_deref() == Some(wanted))
}

/// The `"out"` of `placeholder "out"`: a name, not shell code.
fn is_placeholder_argument(string: &SyntaxNode) -> bool {
    string
        .parent()
        .filter(|parent| parent.kind() == SyntaxKind::NODE_APPLY)
        .and_then(|apply| apply.children().next())
        .and_then(|function| callee(&function))
        .is_some_and(|call| call.name == "placeholder")
}

/// The derivation's outputs: the defaults and whatever `outputs = [ … ]` lists.
fn declared_outputs(root: &SyntaxNode) -> BTreeSet<String> {
    let mut outputs: BTreeSet<String> = DEFAULT_OUTPUTS
        .iter()
        .map(|name| name.to_string())
        .collect();
    for node in root
        .descendants()
        .filter(|n| n.kind() == SyntaxKind::NODE_ATTRPATH_VALUE)
    {
        let Some((path, value)) = entry(&node) else {
            continue;
        };
        if path.len() == 1
            && path
                .first()
                .is_some_and(|name| name.as_deref() == Some("outputs"))
        {
            outputs.extend(
                value
                    .descendants()
                    .filter(|n| n.kind() == SyntaxKind::NODE_STRING)
                    .filter_map(|string| strings::constant(&string)),
            );
        }
    }
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_attributes() {
        for name in [
            "buildPhase",
            "installCheckPhase",
            "preBuild",
            "postInstall",
            "postPatch",
            "buildCommand",
            "shellHook",
            "script",
        ] {
            assert!(is_shell_attr(name), "{name}");
        }
        for name in [
            "preferLocalBuild",
            "prePhases",
            "postPhases",
            "phases",
            "makeFlags",
            "description",
            "preinstall",
        ] {
            assert!(!is_shell_attr(name), "{name}");
        }
    }
}

//! The rules a derivation can break: one variant each, with the kebab-case name used in
//! reports, in the reject fixtures' `# rule:` lines and in the serialised form.

use std::fmt;

/// Which rule a derivation broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// `builtins.exec`, `builtins.importNative`: running native code while Nix evaluates.
    EvalExec,
    /// `builtins.getEnv`, `builtins.currentTime`, `builtins.storePath`: evaluation that depends
    /// on the machine it runs on.
    ImpureEval,
    /// `builtins.fetchurl`/`fetchTarball`/`fetchGit`/`fetchTree`/`fetchMercurial` without a
    /// hash, and `builtins.fetchClosure`: downloads while Nix evaluates.
    EvalTimeFetch,
    /// `__noChroot`, `__impure`, `impureEnvVars`, `allowSubstitutes`, `__sandboxProfile`,
    /// `__darwinAllowLocalNetworking`, the `recursive-nix` system feature.
    SandboxEscape,
    /// `outputHash`/`outputHashAlgo`/`outputHashMode` on a derivation that is not a fetcher.
    FixedOutputDerivation,
    /// `<nixpkgs>` and every other `<…>` search path, `builtins.nixPath`, `builtins.findFile`.
    SearchPath,
    /// Absolute (`/etc/passwd`) and home (`~/x`) path literals.
    AbsolutePath,
    /// A fetcher without a hash; `buildRustPackage`, `buildNpmPackage`, `buildGoModule` without
    /// their dependency hash.
    MissingHash,
    /// Network tools in shell phases: curl, wget, git clone, pip install, npm install, …
    NetworkInBuild,
    /// Shell phases writing to absolute paths outside the outputs and the build directory.
    WriteOutsideOutputs,
    /// `sudo`, `su`, `doas`, setuid/setgid modes, `chown root`, `setcap`.
    PrivilegeEscalation,
    /// `rm -rf /`, `~`, `$HOME`, `$out/../..`, `--no-preserve-root`.
    DestructiveCommand,
    /// A relative path literal naming a file that will not exist next to the derivation.
    MissingFile,
}

impl Rule {
    /// Every rule, in the order the crate documentation lists them.
    pub const ALL: [Rule; 13] = [
        Rule::EvalExec,
        Rule::ImpureEval,
        Rule::EvalTimeFetch,
        Rule::SandboxEscape,
        Rule::FixedOutputDerivation,
        Rule::SearchPath,
        Rule::AbsolutePath,
        Rule::MissingHash,
        Rule::NetworkInBuild,
        Rule::WriteOutsideOutputs,
        Rule::PrivilegeEscalation,
        Rule::DestructiveCommand,
        Rule::MissingFile,
    ];

    /// The kebab-case name, e.g. `"network-in-build"` (the same as the serialised form).
    pub fn name(self) -> &'static str {
        match self {
            Rule::EvalExec => "eval-exec",
            Rule::ImpureEval => "impure-eval",
            Rule::EvalTimeFetch => "eval-time-fetch",
            Rule::SandboxEscape => "sandbox-escape",
            Rule::FixedOutputDerivation => "fixed-output-derivation",
            Rule::SearchPath => "search-path",
            Rule::AbsolutePath => "absolute-path",
            Rule::MissingHash => "missing-hash",
            Rule::NetworkInBuild => "network-in-build",
            Rule::WriteOutsideOutputs => "write-outside-outputs",
            Rule::PrivilegeEscalation => "privilege-escalation",
            Rule::DestructiveCommand => "destructive-command",
            Rule::MissingFile => "missing-file",
        }
    }

    /// The rule with this kebab-case name.
    pub fn from_name(name: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.name() == name)
    }

    /// One line saying what the rule forbids (for documentation and `--help`-style listings).
    pub fn summary(self) -> &'static str {
        match self {
            Rule::EvalExec => "no native code at evaluation time (builtins.exec, builtins.importNative)",
            Rule::ImpureEval => {
                "no evaluation that depends on the machine (builtins.getEnv, currentTime, storePath)"
            }
            Rule::EvalTimeFetch => {
                "no downloads at evaluation time (builtins.fetch* without a hash, fetchClosure)"
            }
            Rule::SandboxEscape => {
                "no sandbox escapes (__noChroot, __impure, impureEnvVars, allowSubstitutes, recursive-nix)"
            }
            Rule::FixedOutputDerivation => {
                "no outputHash on a derivation that is not a fetcher (it would get network access)"
            }
            Rule::SearchPath => "no <nixpkgs> or other search paths: packages come as arguments",
            Rule::AbsolutePath => "no absolute or home path literals (/etc/passwd, ~/x)",
            Rule::MissingHash => "every fetcher and dependency vendoring has a hash (\"\" is fine)",
            Rule::NetworkInBuild => "no network tools in build phases (curl, git clone, pip install, …)",
            Rule::WriteOutsideOutputs => {
                "build phases write only to the outputs and the build directory"
            }
            Rule::PrivilegeEscalation => "no sudo/su/doas, setuid or setgid modes, chown root, setcap",
            Rule::DestructiveCommand => "no rm -rf /, ~, $HOME, $out/../.. or --no-preserve-root",
            Rule::MissingFile => "relative paths name files that exist next to the derivation",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

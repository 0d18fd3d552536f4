//! Which commands reach the network: downloaders, version-control fetches, language package
//! managers installing from their registries, system package managers, remote shells. Each
//! comes with what to do instead, in Nix terms.

use super::args::{parse, Spec};
use super::lex::Word;

/// A network use found in a command.
pub(crate) struct NetworkUse {
    /// How the reason names it: "`curl`", "`pip install`".
    pub what: String,
    /// What it does: "downloads at build time".
    pub effect: &'static str,
    /// What to do instead.
    pub instead: &'static str,
}

const DOWNLOADS: &str = "downloads at build time, where there is no network";

fn found(what: String, effect: &'static str, instead: &'static str) -> Option<NetworkUse> {
    Some(NetworkUse {
        what,
        effect,
        instead,
    })
}

/// The first operand (the subcommand) and the rest, skipping leading options.
fn subcommand<'w>(rest: &'w [Word], spec: &Spec) -> Option<(&'w str, Vec<&'w Word>)> {
    let args = parse(rest, spec);
    let (first, others) = args.operands.split_first()?;
    Some((first.text.as_str(), others.to_vec()))
}

fn has_word(rest: &[Word], wanted: &[&str]) -> bool {
    rest.iter().any(|word| wanted.contains(&word.text.as_str()))
}

/// Whether a tool invocation uses the network, and how.
pub(crate) fn network_use(name: &str, rest: &[Word]) -> Option<NetworkUse> {
    // `$out/bin/curl --version` checks a program, it does not download.
    let only_asks_version = !rest.is_empty()
        && rest.iter().all(|word| {
            matches!(
                word.text.as_str(),
                "--version" | "-V" | "version" | "--help" | "-h" | "help"
            )
        });
    if only_asks_version {
        return None;
    }
    match name {
        // A unix socket is a local connection.
        "curl" if has_word(rest, &["--unix-socket", "--abstract-unix-socket"]) => None,
        "curl" | "wget" | "aria2c" => found(
            name.to_string(),
            DOWNLOADS,
            "put the file in a fetcher (fetchurl, fetchzip) with a hash and use it from there",
        ),
        "git" => git(rest),
        "pip" | "pip3" => pip(name, rest),
        _ if name.starts_with("pip3.") => pip(name, rest),
        _ if name.starts_with("python") => {
            let module = rest
                .windows(2)
                .position(|pair| pair[0].text == "-m" && pair[1].text == "pip")?;
            pip(
                &format!("{name} -m pip"),
                rest.get(module + 2..).unwrap_or_default(),
            )
        }
        "npm" | "yarn" | "pnpm" => node(name, rest),
        "cargo" => {
            let (sub, _) = subcommand(rest, &Spec::NONE)?;
            let online = matches!(
                sub,
                "install" | "fetch" | "update" | "search" | "publish" | "add"
            );
            // `cargo install --path .` builds a local crate from the vendored dependencies.
            let local = sub == "install"
                && rest
                    .iter()
                    .any(|w| w.text == "--path" || w.text.starts_with("--path="));
            (online && !local && !has_word(rest, &["--offline", "--frozen"])).then(|| NetworkUse {
                what: format!("cargo {sub}"),
                effect: DOWNLOADS,
                instead:
                    "use rustPlatform.buildRustPackage with cargoHash, which vendors the crates",
            })
        }
        "go" => {
            let (sub, others) = subcommand(rest, &Spec::NONE)?;
            let remote = |word: &&Word| {
                let text = word.text.as_str();
                text.contains('@')
                    || text
                        .split('/')
                        .next()
                        .is_some_and(|host| host.contains('.') && host != "." && host != "..")
            };
            let online = sub == "get"
                || (matches!(sub, "install" | "run") && others.iter().any(remote))
                || (sub == "mod" && others.first().is_some_and(|w| w.text == "download"));
            online.then(|| NetworkUse {
                what: format!("go {sub}"),
                effect: DOWNLOADS,
                instead: "use buildGoModule with vendorHash, which vendors the modules",
            })
        }
        "gem" => {
            let (sub, _) = subcommand(rest, &Spec::NONE)?;
            (matches!(sub, "install" | "fetch" | "update") && !has_word(rest, &["--local", "-l"]))
                .then(|| NetworkUse {
                    what: format!("gem {sub}"),
                    effect: DOWNLOADS,
                    instead: "take the gems from rubyPackages (or bundlerEnv) as inputs",
                })
        }
        "apt-get" | "apt" | "aptitude" | "dpkg" | "yum" | "dnf" | "apk" | "pacman" | "zypper"
        | "brew" | "snap" => {
            if name == "dpkg" {
                return None;
            }
            found(
                name.to_string(),
                "installs system packages from the network into the build machine",
                "add the Nix package to nativeBuildInputs (tools) or buildInputs (libraries)",
            )
        }
        "ssh" | "scp" | "sftp" | "ftp" | "telnet" | "nc" | "ncat" | "netcat" => found(
            name.to_string(),
            "connects to another machine at build time, where there is no network",
            "remove it; everything a build needs comes from its inputs",
        ),
        "rsync" => {
            let args = parse(
                rest,
                &Spec {
                    short_value: "ef",
                    short_attached: "",
                    long_value: &[],
                },
            );
            let remote = args.operands.iter().any(|word| {
                let text = word.text.as_str();
                text.starts_with("rsync://")
                    || text.contains("::")
                    || text.split_once(':').is_some_and(|(host, _)| {
                        !host.is_empty() && !host.contains('/') && !host.starts_with('$')
                    })
            });
            remote.then(|| NetworkUse {
                what: "rsync".to_string(),
                effect: "copies from another machine at build time, where there is no network",
                instead: "put the files in a fetcher with a hash and copy from there",
            })
        }
        _ => None,
    }
}

fn git(rest: &[Word]) -> Option<NetworkUse> {
    let (sub, others) = subcommand(
        rest,
        &Spec {
            short_value: "Cc",
            short_attached: "",
            long_value: &[],
        },
    )?;
    let online = match sub {
        "clone" | "fetch" | "pull" | "ls-remote" | "push" => true,
        "submodule" => others
            .iter()
            .any(|w| matches!(w.text.as_str(), "update" | "sync" | "foreach")),
        "remote" => others.first().is_some_and(|w| w.text == "update"),
        _ => false,
    };
    online.then(|| NetworkUse {
        what: format!("git {sub}"),
        effect: DOWNLOADS,
        instead: "fetch the repository with fetchgit or fetchFromGitHub and a hash (fetchSubmodules = true for submodules)",
    })
}

fn pip(name: &str, rest: &[Word]) -> Option<NetworkUse> {
    let args = parse(
        rest,
        &Spec {
            short_value: "rcet",
            short_attached: "",
            long_value: &[],
        },
    );
    let (sub, packages) = args.operands.split_first()?;
    if !matches!(sub.text.as_str(), "install" | "download" | "wheel") {
        return None;
    }
    let offline = args.long("no-index")
        || (args.long("no-deps")
            && !packages.is_empty()
            && packages.iter().all(|w| w.text.ends_with(".whl")));
    (!offline).then(|| NetworkUse {
        what: format!("{name} {}", sub.text),
        effect: "downloads from the package index at build time, where there is no network",
        instead: "list the dependencies from python3Packages in dependencies/build-system (or install fetched files with --no-index)",
    })
}

fn node(name: &str, rest: &[Word]) -> Option<NetworkUse> {
    let sub = subcommand(rest, &Spec::NONE).map(|(sub, _)| sub);
    let online = match (name, sub) {
        ("yarn", None) => true,
        ("npm", Some(s)) => matches!(
            s,
            "install" | "i" | "ci" | "add" | "update" | "up" | "install-test" | "it"
        ),
        ("yarn", Some(s)) => matches!(s, "install" | "add" | "upgrade" | "dlx"),
        ("pnpm", Some(s)) => matches!(s, "install" | "i" | "add" | "update" | "up" | "dlx"),
        _ => false,
    };
    if !online || has_word(rest, &["--offline"]) {
        return None;
    }
    let what = match sub {
        Some(sub) => format!("{name} {sub}"),
        None => name.to_string(),
    };
    found(
        what,
        "downloads from the registry at build time, where there is no network",
        "use buildNpmPackage with npmDepsHash (or fetchNpmDeps/fetchYarnDeps with a hash and an --offline install)",
    )
}

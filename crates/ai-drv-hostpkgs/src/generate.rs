//! The generator behind `ai-drv hostpkgs generate`: from `packages.toml` and Debian's index files
//! it computes `pins.json` (every attribute's packages, runtime closure and propagated attributes,
//! with each `.deb` pinned by version, path and hash) and `resolver.json` (which attribute provides
//! a pkg-config module, a header, a library or a command).
//!
//! Everything here is a pure function of its input bytes: the same table and index files give
//! byte-for-byte the same output (sorted keys, sorted lists, pretty JSON, a trailing newline).
//!
//! The rules:
//! - The **build root** (what `debootstrap --variant=buildd` installs, which every hostpkgs build
//!   sees) is every package that is `Essential: yes` or `Priority: required`, plus
//!   `build-essential` and `apt`, closed under `Pre-Depends` and `Depends` ([`build_root`]).
//! - An attribute's **closure** is a breadth-first walk from its own packages over `Pre-Depends`
//!   and `Depends`. A dependency group (`a | b`) counts as satisfied when any alternative — the
//!   package itself or a package that provides it — is in the build root or is one of the
//!   attribute's own packages, or when it names a maintainer-script helper
//!   ([`DROPPED_DEPENDENCIES`]). Otherwise, when one alternative is another attribute's package,
//!   that attribute is needed and the walk stops there: it is **propagated** (a build input of
//!   whoever uses this attribute, as in nixpkgs) when both packages are build interfaces — `-dev`
//!   packages, Python or Perl modules ([`is_build_interface`]) — and otherwise only a **runtime**
//!   attribute (found through the rpath, never put on a build's PATH or include path: cmake needs
//!   libcurl to run, but a project using cmake must not see curl). Otherwise the group resolves to
//!   its first alternative that is a real package (else that alternative's first provider by
//!   name), which joins the closure and is walked in turn.
//! - When several attributes list a package, it belongs to the attribute with the shortest list,
//!   then the alphabetically first.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::debian::{self, DebianError, Dep, Index, PACKAGES_INDEX, SUITE};
use crate::spec::Spec;

/// Written into both generated files, so a reader knows not to edit them by hand.
pub const GENERATOR: &str = "ai-drv hostpkgs generate";

/// Dependencies that are never followed: helpers of Debian's maintainer scripts (configuration
/// prompts, alternatives, init scripts, system users), which mean nothing inside a Nix store path
/// where no maintainer script runs.
pub const DROPPED_DEPENDENCIES: &[&str] = &[
    "adduser",
    "debconf",
    "dpkg",
    "init-system-helpers",
    "install-info",
    "lsb-base",
    "sensible-utils",
    "ucf",
];

/// Packages the build root holds besides the essential and required ones.
pub const BUILD_ROOT_EXTRA: &[&str] = &["apt", "build-essential"];

/// Alternatives the build root takes even when they are not first in their group: debootstrap
/// merges `/usr` itself and installs `usr-is-merged` to say so, where `usrmerge | usr-is-merged`
/// would otherwise pick the conversion tool (and its Perl modules).
pub const BUILD_ROOT_PREFERRED: &[&str] = &["usr-is-merged"];

/// Why the tables could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Debian(#[from] DebianError),
    #[error("packages.toml: attribute `{attr}` names Debian package `{package}`, which is not in the Packages index; check the spelling with `apt-cache show {package}`")]
    UnknownPackage { attr: String, package: String },
    #[error("Debian package `{package}` (in the closure of `{attr}`) depends on `{dependency}`, which no package in the index provides")]
    Unsatisfiable {
        attr: String,
        package: String,
        dependency: String,
    },
    #[error("the build root needs `{0}`, which is not in the Packages index")]
    BuildRoot(String),
    #[error("cannot serialise the output: {0}")]
    Json(#[from] serde_json::Error),
}

/// The two generated files' text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub pins_json: String,
    pub resolver_json: String,
}

/// `pins.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pins {
    pub generator: String,
    pub suite: String,
    pub index: IndexPin,
    pub attrs: BTreeMap<String, AttrPin>,
    pub debs: BTreeMap<String, DebPin>,
}

/// Which Packages index the pins were computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexPin {
    /// Relative to `dists/<suite>/`.
    pub path: String,
    /// sha256 (hex) of the compressed file.
    pub sha256: String,
}

/// One attribute: its own packages, the other packages it needs at run time, and the attributes
/// it needs (whose packages it depends on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttrPin {
    pub debs: Vec<String>,
    pub closure: Vec<String>,
    pub propagated: Vec<String>,
    pub runtime: Vec<String>,
}

/// One `.deb`, as the Packages index describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebPin {
    pub version: String,
    /// Relative to the archive's root (`pool/main/…`).
    pub filename: String,
    pub sha256: String,
    pub size: u64,
}

/// `resolver.json`: what a build asks for → the attribute that provides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolver {
    pub generator: String,
    pub suite: String,
    /// pkg-config module name → attribute.
    pub pkgconfig: BTreeMap<String, String>,
    /// Header path as `#include`d (`X11/Xlib.h`) → attribute.
    pub headers: BTreeMap<String, String>,
    /// Library name as given to `-l` (`ncursesw`) → attribute.
    pub libraries: BTreeMap<String, String>,
    /// Command name → attribute.
    pub commands: BTreeMap<String, String>,
}

/// Generates both files. `packages_index` is the Packages index as published (xz; plain text is
/// accepted too) and is what `index.sha256` records; `contents` are the Contents indices (gzip as
/// published, or plain text).
pub fn generate<R: Read>(
    spec: &Spec,
    packages_index: &[u8],
    contents: impl IntoIterator<Item = R>,
) -> Result<Generated, GenerateError> {
    let index = Index::from_bytes(packages_index)?;
    let pins = pins(spec, &index, &sha256_hex(packages_index))?;
    let resolver = resolver(spec, contents)?;
    Ok(Generated {
        pins_json: to_json(&pins)?,
        resolver_json: to_json(&resolver)?,
    })
}

/// Pretty JSON with a trailing newline.
fn to_json(value: &impl Serialize) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The packages of the build root: essential and required packages, [`BUILD_ROOT_EXTRA`], and
/// everything they pre-depend or depend on. A dependency group resolves to an alternative that is
/// itself one of those starting packages or in [`BUILD_ROOT_PREFERRED`] (so `awk` is `mawk`,
/// which is required, not `gawk`, its first provider by name), else by [`Index::resolve`].
pub fn build_root(index: &Index) -> Result<BTreeSet<String>, GenerateError> {
    let mut seeds: Vec<&str> = index
        .packages
        .values()
        .filter(|p| p.essential || p.priority.as_deref() == Some("required"))
        .map(|p| p.name.as_str())
        .collect();
    for extra in BUILD_ROOT_EXTRA {
        if !index.packages.contains_key(*extra) {
            return Err(GenerateError::BuildRoot(extra.to_string()));
        }
        seeds.push(extra);
    }
    let preferred: BTreeSet<&str> = seeds.iter().chain(BUILD_ROOT_PREFERRED).copied().collect();
    let mut root: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<&str> = VecDeque::new();
    for s in seeds {
        if root.insert(s.to_string()) {
            queue.push_back(s);
        }
    }
    while let Some(name) = queue.pop_front() {
        for group in index.packages[name].all_depends() {
            let seed = group
                .iter()
                .flat_map(|d| index.candidates(&d.name))
                .find(|c| preferred.contains(c));
            let Some(dep) = seed.or_else(|| index.resolve(group)) else {
                return Err(GenerateError::BuildRoot(describe(group)));
            };
            if root.insert(dep.to_string()) {
                queue.push_back(dep);
            }
        }
    }
    Ok(root)
}

/// A dependency group as Debian writes it (without versions).
fn describe(group: &[Dep]) -> String {
    group
        .iter()
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Computes `pins.json` from the table and the parsed index.
pub fn pins(spec: &Spec, index: &Index, index_sha256: &str) -> Result<Pins, GenerateError> {
    for (attr, debs) in &spec.attrs {
        for deb in debs {
            if !index.packages.contains_key(deb) {
                return Err(GenerateError::UnknownPackage {
                    attr: attr.clone(),
                    package: deb.clone(),
                });
            }
        }
    }
    let root = build_root(index)?;
    let owners = owners(spec);
    let mut attrs = BTreeMap::new();
    let mut all_debs: BTreeSet<String> = BTreeSet::new();
    for (attr, debs) in &spec.attrs {
        let pin = closure(index, &root, &owners, attr, debs)?;
        all_debs.extend(pin.debs.iter().chain(&pin.closure).cloned());
        attrs.insert(attr.clone(), pin);
    }
    break_cycles(&mut attrs);
    let debs = all_debs
        .into_iter()
        .map(|name| {
            let p = &index.packages[&name];
            (
                name,
                DebPin {
                    version: p.version.clone(),
                    filename: p.filename.clone(),
                    sha256: p.sha256.clone(),
                    size: p.size,
                },
            )
        })
        .collect();
    Ok(Pins {
        generator: GENERATOR.into(),
        suite: SUITE.into(),
        index: IndexPin {
            path: PACKAGES_INDEX.into(),
            sha256: index_sha256.into(),
        },
        attrs,
        debs,
    })
}

/// Attributes refer to each other as store paths, so their graph must be acyclic; Debian's is
/// not always (mesa's libraries propagate libGL, whose libraries load mesa's at run time). A
/// run-time edge that closes a cycle is dropped: such libraries are found by dlopen anyway.
fn break_cycles(attrs: &mut BTreeMap<String, AttrPin>) {
    loop {
        let Some((from, to)) = cycle_runtime_edge(attrs) else {
            return;
        };
        if let Some(pin) = attrs.get_mut(&from) {
            pin.runtime.retain(|r| *r != to);
        }
    }
}

/// A run-time edge on some cycle of the attribute graph, if there is a cycle.
fn cycle_runtime_edge(attrs: &BTreeMap<String, AttrPin>) -> Option<(String, String)> {
    let edges = |a: &str| -> Vec<String> {
        attrs
            .get(a)
            .map(|p| p.propagated.iter().chain(&p.runtime).cloned().collect())
            .unwrap_or_default()
    };
    let reaches = |from: &str, target: &str| -> bool {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(a) = stack.pop() {
            if a == target {
                return true;
            }
            if seen.insert(a.clone()) {
                stack.extend(edges(&a));
            }
        }
        false
    };
    for (attr, pin) in attrs {
        for to in &pin.runtime {
            if reaches(to, attr) {
                return Some((attr.clone(), to.clone()));
            }
        }
    }
    None
}

/// Debian package → the attribute it belongs to (shortest package list, then name).
fn owners(spec: &Spec) -> BTreeMap<&str, &str> {
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    for (attr, debs) in &spec.attrs {
        for deb in debs {
            let better = match owners.get(deb.as_str()) {
                None => true,
                Some(current) => {
                    (debs.len(), attr.as_str()) < (spec.attrs[*current].len(), *current)
                }
            };
            if better {
                owners.insert(deb, attr);
            }
        }
    }
    owners
}

/// One attribute's closure and propagated attributes (see the module documentation).
fn closure(
    index: &Index,
    root: &BTreeSet<String>,
    owners: &BTreeMap<&str, &str>,
    attr: &str,
    debs: &[String],
) -> Result<AttrPin, GenerateError> {
    let own: BTreeSet<&str> = debs.iter().map(String::as_str).collect();
    let mut closure: BTreeSet<&str> = BTreeSet::new();
    let mut propagated: BTreeSet<&str> = BTreeSet::new();
    let mut runtime: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = own.iter().copied().collect();
    while let Some(name) = queue.pop_front() {
        for group in index.packages[name].all_depends() {
            // Every package that satisfies some alternative, in the group's order.
            let satisfiers: Vec<&str> = group
                .iter()
                .flat_map(|d| index.candidates(&d.name))
                .collect();
            let dropped = group
                .iter()
                .any(|d| DROPPED_DEPENDENCIES.contains(&d.name.as_str()));
            if dropped
                || satisfiers
                    .iter()
                    .any(|s| root.contains(*s) || own.contains(s))
            {
                continue;
            }
            if let Some((satisfier, owner)) = satisfiers
                .iter()
                .find_map(|s| owners.get(s).map(|owner| (*s, *owner)))
            {
                if is_build_interface(name) && is_build_interface(satisfier) {
                    propagated.insert(owner);
                } else {
                    runtime.insert(owner);
                }
                continue;
            }
            let Some(dep) = index.resolve(group) else {
                return Err(GenerateError::Unsatisfiable {
                    attr: attr.to_string(),
                    package: name.to_string(),
                    dependency: describe(group),
                });
            };
            if closure.insert(dep) {
                queue.push_back(dep);
            }
        }
    }
    Ok(AttrPin {
        debs: own.iter().map(|s| s.to_string()).collect(),
        closure: closure.iter().map(|s| s.to_string()).collect(),
        runtime: runtime
            .difference(&propagated)
            .map(|s| s.to_string())
            .collect(),
        propagated: propagated.iter().map(|s| s.to_string()).collect(),
    })
}

/// Packages whose dependencies are part of what a build sees: headers and link libraries
/// (`-dev`), and modules of Python and Perl, which nixpkgs propagates too.
fn is_build_interface(package: &str) -> bool {
    package.ends_with("-dev")
        || package.starts_with("python3-")
        || (package.starts_with("lib") && package.ends_with("-perl"))
}

/// pkg-config directories, relative to the root.
const PKGCONFIG_DIRS: &[&str] = &[
    "usr/lib/x86_64-linux-gnu/pkgconfig/",
    "usr/lib/pkgconfig/",
    "usr/share/pkgconfig/",
];
/// Library directories searched by the linker, relative to the root.
const LIBRARY_DIRS: &[&str] = &[
    "usr/lib/x86_64-linux-gnu/",
    "lib/x86_64-linux-gnu/",
    "usr/lib/",
];
/// Command directories, relative to the root.
const COMMAND_DIRS: &[&str] = &["usr/bin/", "bin/", "usr/sbin/", "sbin/"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Pkgconfig,
    Header,
    Library,
    Command,
}

/// What a file provides to a build, if anything.
fn classify(path: &str) -> Option<(Kind, &str)> {
    let in_dir = |dirs: &[&str]| {
        dirs.iter().find_map(|d| {
            path.strip_prefix(d)
                .filter(|rest| !rest.is_empty() && !rest.contains('/'))
        })
    };
    if let Some(module) = in_dir(PKGCONFIG_DIRS).and_then(|f| f.strip_suffix(".pc")) {
        return (!module.is_empty()).then_some((Kind::Pkgconfig, module));
    }
    if let Some(header) = path.strip_prefix("usr/include/") {
        let header = header.strip_prefix("x86_64-linux-gnu/").unwrap_or(header);
        return (!header.is_empty() && !header.ends_with('/')).then_some((Kind::Header, header));
    }
    if let Some(file) = in_dir(LIBRARY_DIRS) {
        let name = file
            .strip_prefix("lib")
            .and_then(|f| f.strip_suffix(".so").or_else(|| f.strip_suffix(".a")));
        return name.filter(|n| !n.is_empty()).map(|n| (Kind::Library, n));
    }
    in_dir(COMMAND_DIRS).map(|c| (Kind::Command, c))
}

/// Computes `resolver.json` from the table and the Contents indices. Only the files of each
/// attribute's own packages count (not its closure's).
pub fn resolver<R: Read>(
    spec: &Spec,
    contents: impl IntoIterator<Item = R>,
) -> Result<Resolver, GenerateError> {
    // Debian package → the attributes that list it.
    let mut attrs_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (attr, debs) in &spec.attrs {
        for deb in debs {
            attrs_of.entry(deb).or_default().push(attr);
        }
    }
    // (kind, key) → the best candidate so far, ranked by
    // (not a -dev package [headers and libraries only], list length, attribute name).
    type Rank<'a> = (bool, usize, &'a str);
    let mut best: BTreeMap<(Kind, String), Rank> = BTreeMap::new();
    for reader in contents {
        let mut reader = BufReader::with_capacity(1 << 20, reader);
        let gz = reader
            .fill_buf()
            .map_err(|source| DebianError::Decompress {
                what: "a Contents index",
                source,
            })?
            .starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn BufRead> = if gz {
            Box::new(BufReader::with_capacity(
                1 << 20,
                flate2::bufread::MultiGzDecoder::new(reader),
            ))
        } else {
            Box::new(reader)
        };
        debian::for_each_contents_entry(reader, |entry| {
            for package in &entry.packages {
                let Some(attrs) = attrs_of.get(package) else {
                    continue;
                };
                let Some((kind, key)) = classify(entry.path) else {
                    return;
                };
                let not_dev =
                    matches!(kind, Kind::Header | Kind::Library) && !package.ends_with("-dev");
                for attr in attrs {
                    let rank = (not_dev, spec.attrs[*attr].len(), *attr);
                    match best.get_mut(&(kind, key.to_string())) {
                        Some(current) if *current <= rank => {}
                        Some(current) => *current = rank,
                        None => {
                            best.insert((kind, key.to_string()), rank);
                        }
                    }
                }
            }
        })?;
    }
    let mut resolver = Resolver {
        generator: GENERATOR.into(),
        suite: SUITE.into(),
        pkgconfig: BTreeMap::new(),
        headers: BTreeMap::new(),
        libraries: BTreeMap::new(),
        commands: BTreeMap::new(),
    };
    for ((kind, key), (_, _, attr)) in best {
        let map = match kind {
            Kind::Pkgconfig => &mut resolver.pkgconfig,
            Kind::Header => &mut resolver.headers,
            Kind::Library => &mut resolver.libraries,
            Kind::Command => &mut resolver.commands,
        };
        map.insert(key, attr.to_string());
    }
    Ok(resolver)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_classified_by_directory() {
        let cases = [
            (
                "usr/lib/x86_64-linux-gnu/pkgconfig/ncursesw.pc",
                Some((Kind::Pkgconfig, "ncursesw")),
            ),
            (
                "usr/share/pkgconfig/xproto.pc",
                Some((Kind::Pkgconfig, "xproto")),
            ),
            ("usr/lib/x86_64-linux-gnu/pkgconfig/sub/x.pc", None),
            ("usr/include/curses.h", Some((Kind::Header, "curses.h"))),
            (
                "usr/include/x86_64-linux-gnu/openssl/opensslconf.h",
                Some((Kind::Header, "openssl/opensslconf.h")),
            ),
            (
                "usr/lib/x86_64-linux-gnu/libncursesw.so",
                Some((Kind::Library, "ncursesw")),
            ),
            (
                "usr/lib/x86_64-linux-gnu/libncursesw.a",
                Some((Kind::Library, "ncursesw")),
            ),
            ("usr/lib/x86_64-linux-gnu/libncursesw.so.6", None),
            ("lib/x86_64-linux-gnu/libz.so", Some((Kind::Library, "z"))),
            ("usr/lib/libfoo.so", Some((Kind::Library, "foo"))),
            ("usr/lib/python3/dist-packages/libx.so", None),
            ("usr/bin/cmake", Some((Kind::Command, "cmake"))),
            ("sbin/ldconfig", Some((Kind::Command, "ldconfig"))),
            ("usr/bin/sub/x", None),
            ("usr/share/doc/x/copyright", None),
        ];
        for (path, want) in cases {
            assert_eq!(classify(path), want, "{path}");
        }
    }
}

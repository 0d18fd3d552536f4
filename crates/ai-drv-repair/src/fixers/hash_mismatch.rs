//! Hash mismatch: write the hash Nix computed into the site that held the one it rejected.
//!
//! Nix prints `specified:` (what the file says) and `got:` (what the download hashes to). The site
//! is the hash whose value is `specified` — compared as hashes, so a nix32 `sha256 = …` matches an
//! SRI `specified:` — or, when `specified` is the empty/fake hash, the first fake site (the
//! vendored-dependency hash first when the failing derivation is a vendor/deps derivation). The new
//! value is always SRI.
//!
//! Also here: [`reset_hashes_for_changed_fetchers`], because Nix reuses a stale fixed output when a
//! fetcher's arguments change but its hash does not.

use ai_drv_hash::{Algorithm, Hash};
use ai_drv_syntax::{Document, HashSite, FAKE_HASH};

use crate::{Context, Diagnosis, Fix, Fixer};

pub(crate) struct HashMismatch;

/// Parses a hash as Nix would read it at `path` (`sha512 = …` is SHA-512, a bare digest elsewhere
/// is SHA-256).
fn parse_hash(text: &str, path: &str) -> Option<Hash> {
    let default = if path.ends_with("sha512") {
        Algorithm::Sha512
    } else {
        Algorithm::Sha256
    };
    Hash::parse(text, Some(default)).ok()
}

/// The SRI form of a hash Nix printed (`sha256:<nix32>`, SRI, or a bare nix32 SHA-256).
pub(crate) fn to_sri(printed: &str) -> Option<String> {
    Hash::parse(printed, Some(Algorithm::Sha256))
        .ok()
        .map(|h| h.to_sri())
}

/// Empty, `lib.fakeHash`, or any all-zero digest (`lib.fakeSha256`, `sha256:000…`).
pub(crate) fn is_fake(value: &str, path: &str) -> bool {
    value.is_empty()
        || value == FAKE_HASH
        || parse_hash(value, path).is_some_and(|h| h.digest().iter().all(|b| *b == 0))
}

/// Whether a site holds dependencies vendored for the source rather than the source itself.
fn is_deps_site(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    matches!(
        last,
        "cargoHash" | "cargoSha256" | "vendorHash" | "npmDepsHash"
    ) || ["cargoDeps.", "npmDeps.", "goModules.", "pnpmDeps."]
        .iter()
        .any(|p| path.starts_with(p))
}

/// Whether a derivation name is a vendored-dependency derivation.
fn is_deps_derivation(derivation: &str) -> bool {
    let name = derivation.rsplit('/').next().unwrap_or(derivation);
    ["vendor", "cargo-deps", "npm-deps", "go-modules"]
        .iter()
        .any(|marker| name.contains(marker))
}

/// The site a mismatch is about.
fn site_for<'s>(
    sites: &'s [HashSite],
    specified: &str,
    derivation: Option<&str>,
) -> Option<&'s HashSite> {
    let fake_specified = is_fake(specified, "hash");
    let wanted = parse_hash(specified, "hash");
    let exact: Vec<&HashSite> = sites
        .iter()
        .filter(|s| {
            s.value == specified
                || (wanted.is_some() && parse_hash(&s.value, &s.path) == wanted)
                || (fake_specified && is_fake(&s.value, &s.path))
        })
        .collect();
    if exact.len() > 1 {
        if let Some(derivation) = derivation {
            let deps = is_deps_derivation(derivation);
            if let Some(site) = exact.iter().find(|s| is_deps_site(&s.path) == deps) {
                return Some(site);
            }
        }
    }
    exact.first().copied()
}

impl Fixer for HashMismatch {
    fn name(&self) -> &'static str {
        "hash-mismatch"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let mut document = doc.clone();
        let mut summaries = Vec::new();
        for diagnosis in cx.diagnoses {
            let Diagnosis::HashMismatch {
                derivation,
                specified,
                got,
                ..
            } = diagnosis
            else {
                continue;
            };
            let Some(sri) = to_sri(got) else {
                continue;
            };
            let sites = document.hashes();
            let Some(site) = site_for(&sites, specified, derivation.as_deref()) else {
                continue;
            };
            if site.value == sri || document.set_hash(&site.path, &sri).is_err() {
                continue;
            }
            summaries.push(format!(
                "set {} to {sri} (the hash Nix computed)",
                site.path
            ));
        }
        (!summaries.is_empty()).then(|| Fix {
            fixer: self.name(),
            summary: summaries.join("; "),
            document,
        })
    }
}

/// The attribute path of the fetcher call holding a hash site (`src` for `src.hash`; empty for
/// `cargoHash`, which belongs to the package).
fn parent(path: &str) -> &str {
    path.rsplit_once('.').map(|(p, _)| p).unwrap_or("")
}

/// The text of the fetcher call at `fetcher` with its own hashes blanked, so that two versions
/// compare equal when only their hashes differ.
fn arguments(doc: &Document, fetcher: &str) -> Option<String> {
    let prefix = format!("{fetcher}.");
    let mut blanked = doc.clone();
    for site in doc.hashes() {
        if site.path.starts_with(&prefix) {
            // A site that cannot be blanked stays: the texts then differ, which errs on the safe
            // side (a reset costs one build; a stale output costs a wrong package).
            let _ = blanked.set_hash(&site.path, FAKE_HASH);
        }
    }
    blanked.get(fetcher)
}

/// `new` with the hash of every fetcher whose other arguments changed since `old` (while the hash
/// stayed the same) set to [`FAKE_HASH`], so the next build prints the right one instead of
/// reusing the old output. A changed `version` or `pname` (interpolated into URLs) counts as a
/// change of every fetcher; a changed `src` also resets the package's own vendored-dependency
/// hashes (`cargoHash`, `vendorHash`, `npmDepsHash`).
pub fn reset_hashes_for_changed_fetchers(old: &Document, new: &Document) -> Document {
    let old_sites = old.hashes();
    let old_value = |path: &str| {
        old_sites
            .iter()
            .find(|s| s.path == path)
            .map(|s| s.value.clone())
    };
    let renamed = ["version", "pname"]
        .iter()
        .any(|attr| old.get(attr) != new.get(attr));
    let changed = |fetcher: &str| renamed || arguments(old, fetcher) != arguments(new, fetcher);
    let src_changed = changed("src");
    let mut out = new.clone();
    for site in new.hashes() {
        if old_value(&site.path).as_deref() != Some(site.value.as_str())
            || is_fake(&site.value, &site.path)
        {
            // A new site, a hash changed on purpose, or one Nix will report anyway.
            continue;
        }
        let fetcher = parent(&site.path);
        let stale = if fetcher.is_empty() {
            src_changed
        } else {
            changed(fetcher)
        };
        if stale {
            // A site that cannot be rewritten keeps its value: the build will say so.
            let _ = out.set_hash(&site.path, FAKE_HASH);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    const HELLO_SRI: &str = "sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=";
    // The same digest as Nix 2.3 prints it.
    const HELLO_NIX32: &str = "sha256:0ssi1wpaf7plaswqqjwigppsg5fyh99vdlb9kzl7c9lng89ndq1i";
    const OTHER_SRI: &str = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";

    fn mismatch(derivation: &str, specified: &str, got: &str) -> Diagnosis {
        Diagnosis::HashMismatch {
            derivation: Some(derivation.to_string()),
            url: None,
            specified: specified.to_string(),
            got: got.to_string(),
        }
    }

    fn run(text: &str, diagnoses: &[Diagnosis]) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let cx = Context {
            diagnoses,
            problems: &[],
            index: &index,
            tree: None,
        };
        HashMismatch.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn nix32_forms_convert_to_sri() {
        assert_eq!(to_sri(HELLO_NIX32).as_deref(), Some(HELLO_SRI));
        assert_eq!(to_sri(HELLO_SRI).as_deref(), Some(HELLO_SRI));
        assert_eq!(to_sri("nonsense"), None);
    }

    #[test]
    fn replaces_the_specified_hash() {
        let before = HELLO.replace(HELLO_SRI, OTHER_SRI);
        let fix = run(
            &before,
            &[mismatch(
                "/nix/store/x-hello-2.10.tar.gz.drv",
                OTHER_SRI,
                HELLO_NIX32,
            )],
        )
        .unwrap();
        assert_eq!(fix.fixer, "hash-mismatch");
        assert_eq!(fix.document.text(), HELLO);
        assert_eq!(
            fix.summary,
            format!("set src.hash to {HELLO_SRI} (the hash Nix computed)")
        );
    }

    #[test]
    fn fills_the_fake_hash_of_a_vendor_derivation() {
        let before = r#"{ lib, rustPlatform, fetchCrate }:

rustPlatform.buildRustPackage rec {
  pname = "sd";
  version = "1.0.0";

  src = fetchCrate {
    inherit pname version;
    hash = "";
  };

  cargoHash = lib.fakeHash;
}
"#;
        let fix = run(
            before,
            &[mismatch(
                "/nix/store/x-sd-1.0.0-vendor.tar.gz.drv",
                FAKE_HASH,
                HELLO_SRI,
            )],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            before.replace("lib.fakeHash", &format!("\"{HELLO_SRI}\""))
        );
        // The source derivation's mismatch goes to the source hash.
        let fix = run(
            before,
            &[mismatch(
                "/nix/store/x-sd-1.0.0.tar.gz.drv",
                FAKE_HASH,
                OTHER_SRI,
            )],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            before.replace("hash = \"\";", &format!("hash = \"{OTHER_SRI}\";"))
        );
    }

    #[test]
    fn nix32_site_matches_an_sri_specified() {
        let before = HELLO.replace(
            &format!("hash = \"{HELLO_SRI}\""),
            "sha256 = \"0ssi1wpaf7plaswqqjwigppsg5fyh99vdlb9kzl7c9lng89ndq1i\"",
        );
        let fix = run(&before, &[mismatch("x.drv", HELLO_SRI, OTHER_SRI)]).unwrap();
        assert_eq!(
            fix.document.text(),
            HELLO.replace(
                &format!("hash = \"{HELLO_SRI}\""),
                &format!("sha256 = \"{OTHER_SRI}\"")
            )
        );
    }

    #[test]
    fn nothing_to_do() {
        // No site holds the specified hash.
        assert_eq!(run(HELLO, &[mismatch("x.drv", OTHER_SRI, OTHER_SRI)]), None);
        // Already the computed one.
        assert_eq!(run(HELLO, &[mismatch("x.drv", HELLO_SRI, HELLO_SRI)]), None);
        assert_eq!(run(HELLO, &[]), None);
    }

    #[test]
    fn resets_a_fetcher_whose_url_changed() {
        let old = Document::parse(HELLO).unwrap();
        let new = Document::parse(&HELLO.replace("hello_${", "hello-${")).unwrap();
        let reset = reset_hashes_for_changed_fetchers(&old, &new);
        assert_eq!(
            reset.text(),
            HELLO
                .replace("hello_${", "hello-${")
                .replace(HELLO_SRI, FAKE_HASH)
        );
        // Unchanged: nothing to reset.
        assert_eq!(reset_hashes_for_changed_fetchers(&old, &old), old);
    }

    #[test]
    fn resets_on_a_version_change_but_not_a_deliberate_hash() {
        let old = Document::parse(HELLO).unwrap();
        let bumped = HELLO.replace("\"2.10\"", "\"2.12\"");
        let reset = reset_hashes_for_changed_fetchers(&old, &Document::parse(&bumped).unwrap());
        assert_eq!(reset.text(), bumped.replace(HELLO_SRI, FAKE_HASH));
        let rehashed = bumped.replace(HELLO_SRI, OTHER_SRI);
        let kept = reset_hashes_for_changed_fetchers(&old, &Document::parse(&rehashed).unwrap());
        assert_eq!(kept.text(), rehashed);
    }

    const SD: &str = r#"{ rustPlatform, fetchCrate }:
rustPlatform.buildRustPackage rec {
  pname = "sd";
  version = "1.0.0";
  src = fetchCrate {
    inherit pname version;
    hash = "sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=";
  };
  cargoHash = "sha256-OCnHQqg1oEJttBuwOdG5dkIMIexl6Ts1zZv9LVf0Ssg=";
}
"#;

    #[test]
    fn a_changed_source_resets_the_vendor_hash() {
        let new = SD.replace(
            "inherit pname version;",
            "inherit version;\n    pname = \"sd-cli\";",
        );
        let reset = reset_hashes_for_changed_fetchers(
            &Document::parse(SD).unwrap(),
            &Document::parse(&new).unwrap(),
        );
        assert_eq!(
            reset.text(),
            new.replace(HELLO_SRI, FAKE_HASH)
                .replace(OTHER_SRI, FAKE_HASH)
        );
    }

    #[test]
    fn a_corrected_source_hash_keeps_the_vendor_hash() {
        let new = SD.replace(
            HELLO_SRI,
            "sha256-Uwj9S9kM73qgYFWFFN5qGkoIGZdKJubtE5c8X2JMJLI=",
        );
        let reset = reset_hashes_for_changed_fetchers(
            &Document::parse(SD).unwrap(),
            &Document::parse(&new).unwrap(),
        );
        assert_eq!(reset.text(), new);
    }
}

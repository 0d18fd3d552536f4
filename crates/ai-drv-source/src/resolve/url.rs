//! Archive URLs (`https://…/hello-2.12.tar.gz`, `mirror://debian/pool/…`): fetched with
//! `fetchurl` (flat hash), or `fetchzip` for `.zip` files, whose unpacking stdenv cannot do without
//! `unzip`; name and version come from the file name.

use super::{Fetch, HashKind, Meta, Plan, ResolveError};

/// Suffixes of the archives a source URL may name, longest first.
const ARCHIVE_SUFFIXES: [&str; 16] = [
    ".tar.gz",
    ".tar.xz",
    ".tar.bz2",
    ".tar.zst",
    ".tar.lzma",
    ".tar.lz",
    ".tgz",
    ".txz",
    ".tbz2",
    ".tbz",
    ".tzst",
    ".zip",
    ".crate",
    ".tar",
    ".gem",
    ".whl",
];

fn strip_archive_suffix(file: &str) -> Option<&str> {
    let lower = file.to_ascii_lowercase();
    ARCHIVE_SUFFIXES
        .iter()
        .find(|s| lower.ends_with(*s))
        .map(|s| &file[..file.len() - s.len()])
}

/// Package name and version from an archive's file name (or an unpacked top directory's name):
/// `sl_5.02.orig.tar.gz` → (`sl`, `5.02`), `hello-2.10.tar.gz` → (`hello`, `2.10`),
/// `libevent_2.1.12-stable.orig.tar.gz` → (`libevent`, `2.1.12-stable`). The name is lower-cased.
pub fn name_version_from_file(file: &str) -> Option<(String, String)> {
    let stem = strip_archive_suffix(file).unwrap_or(file);
    // Debian's `NAME_VERSION.orig.tar.*` (and `.orig-component`, which still names the package).
    let stem = match stem.rfind(".orig") {
        Some(i) if stem[i + 5..].is_empty() || stem[i + 5..].starts_with('-') => &stem[..i],
        _ => stem,
    };
    // Debian separates with '_' (names cannot contain it); upstream tarballs with the first '-'
    // that starts a version ("gtk+-3.24.0", "python3-foo-1.0").
    let split = stem
        .find('_')
        .filter(|&i| starts_version(&stem[i + 1..]))
        .or_else(|| {
            stem.match_indices('-')
                .map(|(i, _)| i)
                .find(|&i| starts_version(&stem[i + 1..]))
        })?;
    let (name, version) = (&stem[..split], &stem[split + 1..]);
    let version = match version.strip_prefix(['v', 'V']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => version,
    };
    if name.is_empty() || version.is_empty() {
        return None;
    }
    Some((name.to_ascii_lowercase(), version.to_string()))
}

fn starts_version(s: &str) -> bool {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    s.starts_with(|c: char| c.is_ascii_digit())
}

/// A name for a URL whose file name has no version: its stem, else "source".
pub(crate) fn fallback_pname(url: &str) -> String {
    let file = crate::prefetch::url_name(url);
    let stem = strip_archive_suffix(&file).unwrap_or(&file);
    let cleaned: String = stem
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
        .collect();
    if cleaned.is_empty() || starts_version(&cleaned) {
        "source".into()
    } else {
        cleaned
    }
}

/// The plan for an archive URL. Name and version are left empty when the file name has none;
/// `pin` then reads them from the unpacked tree's top directory.
pub(crate) fn plan(url: &str) -> Result<Plan, ResolveError> {
    let file = crate::prefetch::url_name(url);
    let (pname, version) = name_version_from_file(&file).unwrap_or_default();
    let zip = file.to_ascii_lowercase().ends_with(".zip");
    let (fetch, hash) = if zip {
        (
            Fetch::Zip {
                url: url.to_string(),
            },
            HashKind::Nar,
        )
    } else {
        (
            Fetch::Url {
                url: url.to_string(),
            },
            HashKind::Flat,
        )
    };
    Ok(Plan {
        pname,
        version,
        fetch,
        download: url.to_string(),
        hash,
        meta: Meta::default(),
        label: String::new(),
        registry: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nv(file: &str) -> Option<(String, String)> {
        name_version_from_file(file)
    }

    fn pair(n: &str, v: &str) -> Option<(String, String)> {
        Some((n.to_string(), v.to_string()))
    }

    #[test]
    fn names_and_versions_from_file_names() {
        assert_eq!(nv("sl_5.02.orig.tar.gz"), pair("sl", "5.02"));
        assert_eq!(nv("hello-2.10.tar.gz"), pair("hello", "2.10"));
        assert_eq!(
            nv("libevent_2.1.12-stable.orig.tar.gz"),
            pair("libevent", "2.1.12-stable")
        );
        assert_eq!(
            nv("zlib_1.2.13.dfsg.orig.tar.bz2"),
            pair("zlib", "1.2.13.dfsg")
        );
        assert_eq!(
            nv("cowsay_3.03+dfsg2.orig.tar.gz"),
            pair("cowsay", "3.03+dfsg2")
        );
        assert_eq!(
            nv("mawk_1.3.4.20200120.orig.tar.gz"),
            pair("mawk", "1.3.4.20200120")
        );
        assert_eq!(nv("gtk+-3.24.38.tar.xz"), pair("gtk+", "3.24.38"));
        assert_eq!(nv("Python-3.11.4.tgz"), pair("python", "3.11.4"));
        assert_eq!(nv("ripgrep-v14.1.0.zip"), pair("ripgrep", "14.1.0"));
        assert_eq!(nv("json-c-0.16.tar.gz"), pair("json-c", "0.16"));
        assert_eq!(nv("serde-1.0.200.crate"), pair("serde", "1.0.200"));
        assert_eq!(
            nv("xorg-server_21.1.7.orig-extra.tar.gz"),
            pair("xorg-server", "21.1.7")
        );
        assert_eq!(nv("lzip-1.23"), pair("lzip", "1.23"));
        assert_eq!(nv("v1.2.tar.gz"), None);
        assert_eq!(nv("download"), None);
        assert_eq!(nv("master.zip"), None);
    }

    #[test]
    fn zip_urls_use_fetchzip() {
        let p = plan("https://example.invalid/a/foo-1.0.zip").unwrap();
        assert_eq!(
            p.fetch,
            Fetch::Zip {
                url: "https://example.invalid/a/foo-1.0.zip".into()
            }
        );
        assert_eq!(p.hash, HashKind::Nar);
        let p = plan("mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz").unwrap();
        assert_eq!(
            p.fetch,
            Fetch::Url {
                url: "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz".into()
            }
        );
        assert_eq!((p.pname.as_str(), p.version.as_str()), ("sl", "5.02"));
        assert_eq!(p.hash, HashKind::Flat);
    }

    #[test]
    fn fallback_names() {
        assert_eq!(fallback_pname("https://x.invalid/get/master.zip"), "master");
        assert_eq!(fallback_pname("https://x.invalid/v1.2.tar.gz"), "source");
    }
}

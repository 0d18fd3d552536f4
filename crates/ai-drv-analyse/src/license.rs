//! Licenses as nixpkgs names them (`lib.licenses.gpl2Plus`): from SPDX expressions in package
//! metadata (Cargo.toml, pyproject.toml, package.json, PKG-INFO, meson `project()`), from
//! classifier and free-text names, and — when no metadata says — by recognising the text of the
//! license files (COPYING, LICENSE*, LICENCE*). Whether a GPL-family license is "or later" is not
//! in the license text itself but in the notices: the text before the license body, the README,
//! and the headers of the source files.

use crate::tree::{self, Tree};

/// SPDX identifier → nixpkgs `lib.licenses` attribute (the subset hostpkgs' `lib/licenses.nix`
/// defines, which follows nixpkgs' names).
const SPDX: &[(&str, &str)] = &[
    ("Abstyles", "abstyles"),
    ("AFL-2.0", "afl20"),
    ("AFL-2.1", "afl21"),
    ("AFL-3.0", "afl3"),
    ("AGPL-3.0-only", "agpl3Only"),
    ("AGPL-3.0-or-later", "agpl3Plus"),
    ("APSL-1.0", "apsl10"),
    ("APSL-2.0", "apsl20"),
    ("Artistic-1.0", "artistic1"),
    ("Artistic-1.0-cl8", "artistic1-cl8"),
    ("Artistic-2.0", "artistic2"),
    ("Apache-1.1", "asl11"),
    ("Apache-2.0", "asl20"),
    ("Apache-2.0 WITH LLVM-exception", "asl20-llvm"),
    ("Beerware", "beerware"),
    ("BlueOak-1.0.0", "blueOak100"),
    ("BSL-1.0", "boost"),
    ("0BSD", "bsd0"),
    ("BSD-1-Clause", "bsd1"),
    ("BSD-2-Clause", "bsd2"),
    ("BSD-2-Clause-Patent", "bsd2Patent"),
    ("BSD-2-Clause-Views", "bsd2WithViews"),
    ("BSD-3-Clause", "bsd3"),
    ("BSD-3-Clause-Clear", "bsd3Clear"),
    ("BSD-4-Clause", "bsdOriginal"),
    ("BSD-4-Clause-UC", "bsdOriginalUC"),
    ("BSD-Protection", "bsdProtection"),
    ("BUSL-1.1", "bsl11"),
    ("CC0-1.0", "cc0"),
    ("CC-BY-3.0", "cc-by-30"),
    ("CC-BY-4.0", "cc-by-40"),
    ("CC-BY-NC-3.0", "cc-by-nc-30"),
    ("CC-BY-NC-4.0", "cc-by-nc-40"),
    ("CC-BY-NC-ND-4.0", "cc-by-nc-nd-40"),
    ("CC-BY-NC-SA-3.0", "cc-by-nc-sa-30"),
    ("CC-BY-NC-SA-4.0", "cc-by-nc-sa-40"),
    ("CC-BY-ND-3.0", "cc-by-nd-30"),
    ("CC-BY-ND-4.0", "cc-by-nd-40"),
    ("CC-BY-SA-2.5", "cc-by-sa-25"),
    ("CC-BY-SA-3.0", "cc-by-sa-30"),
    ("CC-BY-SA-4.0", "cc-by-sa-40"),
    ("CDDL-1.0", "cddl"),
    ("CECILL-2.0", "cecill20"),
    ("CECILL-2.1", "cecill21"),
    ("CECILL-B", "cecill-b"),
    ("CECILL-C", "cecill-c"),
    ("ClArtistic", "clArtistic"),
    ("CPAL-1.0", "cpal10"),
    ("CPL-1.0", "cpl10"),
    ("curl", "curl"),
    ("DOC", "doc"),
    ("ECL-2.0", "ecl20"),
    ("EFL-2.0", "efl20"),
    ("Elastic-2.0", "elastic20"),
    ("EPL-1.0", "epl10"),
    ("EPL-2.0", "epl20"),
    ("EUPL-1.1", "eupl11"),
    ("EUPL-1.2", "eupl12"),
    ("Fair", "fair"),
    ("GFDL-1.1-only", "fdl11Only"),
    ("GFDL-1.1-or-later", "fdl11Plus"),
    ("GFDL-1.2-only", "fdl12Only"),
    ("GFDL-1.2-or-later", "fdl12Plus"),
    ("GFDL-1.3-only", "fdl13Only"),
    ("GFDL-1.3-or-later", "fdl13Plus"),
    ("FTL", "ftl"),
    ("GPL-1.0-only", "gpl1Only"),
    ("GPL-1.0-or-later", "gpl1Plus"),
    ("GPL-2.0-only", "gpl2Only"),
    ("GPL-2.0-or-later", "gpl2Plus"),
    ("GPL-2.0-with-classpath-exception", "gpl2Classpath"),
    ("GPL-3.0-only", "gpl3Only"),
    ("GPL-3.0-or-later", "gpl3Plus"),
    ("HPND", "hpnd"),
    ("HPND-sell-variant", "hpndSellVariant"),
    ("IJG", "ijg"),
    ("ImageMagick", "imagemagick"),
    ("Info-ZIP", "info-zip"),
    ("IPA", "ipa"),
    ("IPL-1.0", "ipl10"),
    ("ISC", "isc"),
    ("LAL-1.3", "lal13"),
    ("LGPL-2.0-only", "lgpl2Only"),
    ("LGPL-2.0-or-later", "lgpl2Plus"),
    ("LGPL-2.1-only", "lgpl21Only"),
    ("LGPL-2.1-or-later", "lgpl21Plus"),
    ("LGPL-3.0-only", "lgpl3Only"),
    ("LGPL-3.0-or-later", "lgpl3Plus"),
    ("Libpng", "libpng"),
    ("libpng-2.0", "libpng2"),
    ("libtiff", "libtiff"),
    ("LPPL-1.3c", "lppl13c"),
    ("MIT", "mit"),
    ("MIT-0", "mit0"),
    ("MIT-CMU", "mit-cmu"),
    ("MIT-feh", "mit-feh"),
    ("MIT-advertising", "mitAdvertising"),
    ("MPL-1.0", "mpl10"),
    ("MPL-1.1", "mpl11"),
    ("MPL-2.0", "mpl20"),
    ("MS-PL", "mspl"),
    ("MulanPSL-2.0", "mulan-psl2"),
    ("NASA-1.3", "nasa13"),
    ("NCSA", "ncsa"),
    ("NPOSL-3.0", "nposl3"),
    ("ODbL-1.0", "odbl"),
    ("OFL-1.1", "ofl"),
    ("OLDAP-2.8", "openldap"),
    ("OpenSSL", "openssl"),
    ("OSL-2.1", "osl21"),
    ("OSL-3.0", "osl3"),
    ("PHP-3.01", "php301"),
    ("PostgreSQL", "postgresql"),
    ("Python-2.0", "psfl"),
    ("Qhull", "qhull"),
    ("QPL-1.0", "qpl"),
    ("Ruby", "ruby"),
    ("Sendmail", "sendmail"),
    ("SGI-B-2.0", "sgi-b-20"),
    ("Sleepycat", "sleepycat"),
    ("SSPL-1.0", "sspl"),
    ("TCL", "tcltk"),
    ("Unicode-3.0", "unicode-30"),
    ("Unicode-DFS-2015", "unicode-dfs-2015"),
    ("Unicode-DFS-2016", "unicode-dfs-2016"),
    ("Unlicense", "unlicense"),
    ("UPL-1.0", "upl"),
    ("Vim", "vim"),
    ("VSL-1.0", "vsl10"),
    ("W3C", "w3c"),
    ("Watcom-1.0", "watcom"),
    ("WTFPL", "wtfpl"),
    ("wxWindows", "wxWindows"),
    ("X11", "x11"),
    ("Zlib", "zlib"),
    ("ZPL-2.0", "zpl20"),
    ("ZPL-2.1", "zpl21"),
];

/// Deprecated SPDX ids and common non-SPDX spellings.
const ALIASES: &[(&str, &str)] = &[
    ("GPL-1.0", "gpl1Only"),
    ("GPL-1.0+", "gpl1Plus"),
    ("GPL-2.0", "gpl2Only"),
    ("GPL-2.0+", "gpl2Plus"),
    ("GPL-3.0", "gpl3Only"),
    ("GPL-3.0+", "gpl3Plus"),
    ("LGPL-2.0", "lgpl2Only"),
    ("LGPL-2.0+", "lgpl2Plus"),
    ("LGPL-2.1", "lgpl21Only"),
    ("LGPL-2.1+", "lgpl21Plus"),
    ("LGPL-3.0", "lgpl3Only"),
    ("LGPL-3.0+", "lgpl3Plus"),
    ("AGPL-3.0", "agpl3Only"),
    ("AGPL-3.0+", "agpl3Plus"),
    ("GPLv2", "gpl2Only"),
    ("GPLv2+", "gpl2Plus"),
    ("GPLv3", "gpl3Only"),
    ("GPLv3+", "gpl3Plus"),
    ("LGPLv2", "lgpl2Only"),
    ("LGPLv2+", "lgpl2Plus"),
    ("LGPLv2.1", "lgpl21Only"),
    ("LGPLv2.1+", "lgpl21Plus"),
    ("LGPLv3", "lgpl3Only"),
    ("LGPLv3+", "lgpl3Plus"),
    ("AGPLv3", "agpl3Only"),
    ("AGPLv3+", "agpl3Plus"),
    ("MIT License", "mit"),
    ("Expat", "mit"),
    ("Apache", "asl20"),
    ("Apache 2.0", "asl20"),
    ("Apache-2", "asl20"),
    ("Apache License 2.0", "asl20"),
    ("Apache License, Version 2.0", "asl20"),
    ("Apache Software License", "asl20"),
    ("Apache Software License 2.0", "asl20"),
    ("BSD-3", "bsd3"),
    ("3-Clause BSD License", "bsd3"),
    ("New BSD License", "bsd3"),
    ("Simplified BSD License", "bsd2"),
    ("ISC License (ISCL)", "isc"),
    ("ISCL", "isc"),
    ("Mozilla Public License 2.0 (MPL 2.0)", "mpl20"),
    ("MPL 2.0", "mpl20"),
    ("Python Software Foundation License", "psfl"),
    ("PSF", "psfl"),
    ("PSFL", "psfl"),
    ("The Unlicense (Unlicense)", "unlicense"),
    ("zlib/libpng License", "zlib"),
    ("Public Domain", "publicDomain"),
    (
        "CC0 1.0 Universal (CC0 1.0) Public Domain Dedication",
        "cc0",
    ),
    ("Artistic License", "artistic1"),
    ("Perl", "artistic1"),
    ("GNU General Public License v2 (GPLv2)", "gpl2Only"),
    (
        "GNU General Public License v2 or later (GPLv2+)",
        "gpl2Plus",
    ),
    ("GNU General Public License v3 (GPLv3)", "gpl3Only"),
    (
        "GNU General Public License v3 or later (GPLv3+)",
        "gpl3Plus",
    ),
    ("GNU Lesser General Public License v2 (LGPLv2)", "lgpl2Only"),
    (
        "GNU Lesser General Public License v2 or later (LGPLv2+)",
        "lgpl2Plus",
    ),
    ("GNU Lesser General Public License v3 (LGPLv3)", "lgpl3Only"),
    (
        "GNU Lesser General Public License v3 or later (LGPLv3+)",
        "lgpl3Plus",
    ),
    (
        "GNU Library or Lesser General Public License (LGPL)",
        "lgpl21Plus",
    ),
    ("GNU Affero General Public License v3", "agpl3Only"),
    (
        "GNU Affero General Public License v3 or later (AGPLv3+)",
        "agpl3Plus",
    ),
    ("GNU General Public License (GPL)", "gpl2Plus"),
    ("Eclipse Public License 2.0 (EPL-2.0)", "epl20"),
    ("Boost Software License 1.0 (BSL-1.0)", "boost"),
];

/// The nixpkgs name of an SPDX id or a known spelling (`MIT`, `GPL-2.0+`, `Apache 2.0`), also
/// matched without regard to case.
pub fn spdx_to_nix(id: &str) -> Option<&'static str> {
    let id = id.trim();
    let lookup = |table: &[(&'static str, &'static str)]| {
        table
            .iter()
            .find(|(k, _)| *k == id)
            .or_else(|| table.iter().find(|(k, _)| k.eq_ignore_ascii_case(id)))
            .map(|(_, v)| *v)
    };
    lookup(SPDX).or_else(|| lookup(ALIASES))
}

/// The licenses of a declared license string: an SPDX expression (`MIT OR Apache-2.0`,
/// `(MIT AND BSD-3-Clause)`, Cargo's old `MIT/Apache-2.0`), or a classifier
/// (`OSI Approved :: MIT License`), or a free-text name. Unknown parts are left out.
pub fn from_declared(declared: &str) -> Vec<String> {
    let declared = declared.trim();
    // Classifiers: the last `::` segment is the license's name.
    let last = declared.rsplit("::").next().unwrap_or(declared).trim();
    if let Some(name) = spdx_to_nix(last) {
        return vec![name.to_string()];
    }
    let mut out = Vec::new();
    let spaced = declared.replace(['(', ')'], " ").replace('/', " OR ");
    for part in spaced.split_whitespace() {
        if matches!(part, "OR" | "AND" | "or" | "and") {
            continue;
        }
        if part == "WITH" || part.ends_with("-exception") || part.ends_with("-Exception") {
            continue;
        }
        if let Some(name) = spdx_to_nix(part) {
            if !out.iter().any(|o| o == name) {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// A GNU license family recognised in a license text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gnu {
    Gpl,
    Lgpl,
    Agpl,
}

/// What a license text was recognised as.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Recognised {
    /// A GNU license, its version (`2`, `2.1`, `3`), and whether the notice around the text
    /// says "or later" (`None`: it does not say).
    Gnu(Gnu, &'static str, Option<bool>),
    Other(&'static [&'static str]),
    /// Licenses a short file names rather than contains.
    Named(Vec<&'static str>),
}

/// Lower case, whitespace collapsed, the common quote characters removed.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for c in text.chars() {
        if c.is_whitespace() {
            blank = true;
            continue;
        }
        if matches!(
            c,
            '"' | '`' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '*' | '#'
        ) {
            continue;
        }
        if blank && !out.is_empty() {
            out.push(' ');
        }
        blank = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Recognises the license of a license file's text.
fn recognise(text: &str) -> Option<Recognised> {
    let t = normalise(text);
    let has = |s: &str| t.contains(s);
    // The family is the one whose title comes first: the GPL-3 text mentions the Affero
    // license, and the LGPL texts mention the GPL.
    let family = [
        ("gnu affero general public license", Gnu::Agpl),
        ("gnu lesser general public license", Gnu::Lgpl),
        ("gnu library general public license", Gnu::Lgpl),
        ("gnu general public license", Gnu::Gpl),
    ]
    .iter()
    .filter_map(|(title, family)| t.find(title).map(|pos| (pos, *family)))
    .min_by_key(|(pos, _)| *pos)
    // A GNU license named deep inside another license's text (dash's BSD COPYING mentions the
    // GPL of one file) is not the file's license.
    .filter(|(pos, _)| *pos < 1500 || CANONICAL_GNU_VERSIONS.iter().any(|v| has(v)))
    .map(|(_, family)| family);
    if let Some(family) = family {
        let v3 = has("version 3, 29 june 2007") || has("version 3 of the license");
        let v2 = has("version 2, june 1991") || has("version 2 of the license");
        let version = match family {
            Gnu::Agpl => "3",
            Gnu::Lgpl if v3 => "3",
            Gnu::Lgpl if has("gnu library general public license") && !has("version 2.1") => "2",
            Gnu::Lgpl => "2.1",
            Gnu::Gpl if v3 => "3",
            Gnu::Gpl if v2 => "2",
            Gnu::Gpl if has("version 1, february 1989") || has("version 1 of the license") => "1",
            Gnu::Gpl => "",
        };
        if !version.is_empty() {
            return Some(Recognised::Gnu(family, version, later_in_notice(&t)));
        }
    }
    const OTHERS: &[(&[&str], &[&str])] = &[
        (&["under the same terms as perl itself"], &["artistic1", "gpl1Plus"]),
        (&["apache license", "version 2.0"], &["asl20"]),
        (&["mozilla public license", "version 2.0"], &["mpl20"]),
        (&["mozilla public license version 1.1"], &["mpl11"]),
        (&["eclipse public license - v 2.0"], &["epl20"]),
        (&["eclipse public license - v 1.0"], &["epl10"]),
        (&["boost software license"], &["boost"]),
        (&["this is free and unencumbered software released into the public domain"], &["unlicense"]),
        (&["cc0 1.0 universal"], &["cc0"]),
        (&["do what the fuck you want to public license"], &["wtfpl"]),
        (&["python software foundation license"], &["psfl"]),
        (&["the artistic license 2.0"], &["artistic2"]),
        (&["artistic license"], &["artistic1"]),
        (&["permission is granted to anyone to use this software for any purpose", "altered source versions must be plainly marked"], &["zlib"]),
        (&["daniel stenberg", "permission to use, copy, modify, and distribute this software for any purpose"], &["curl"]),
        (&["permission to use, copy, modify, and/or distribute this software for any purpose", "appear in all copies"], &["isc"]),
        (&["permission to use, copy, modify, and distribute this software for any purpose with or without fee", "appear in all copies"], &["isc"]),
        (&["permission to use, copy, modify, and/or distribute this software for any purpose"], &["bsd0"]),
        (&["permission is hereby granted, free of charge, to any person obtaining a copy", "except as contained in this notice, the name of"], &["x11"]),
        (&["permission is hereby granted, free of charge, to any person obtaining a copy", "shall be included in all copies"], &["mit"]),
        (&["permission is hereby granted, free of charge, to any person obtaining a copy"], &["mit0"]),
        (&["redistribution and use in source and binary forms", "all advertising materials mentioning features"], &["bsdOriginal"]),
        (&["redistribution and use in source and binary forms", "neither the name"], &["bsd3"]),
        (&["redistribution and use in source and binary forms", "may not be used to endorse or promote"], &["bsd3"]),
        (&["redistribution and use in source and binary forms", "may be used to endorse or promote"], &["bsd3"]),
        (&["redistribution and use in source and binary forms"], &["bsd2"]),
        (&["permission to use, copy, modify, and distribute this software and its documentation for any purpose"], &["hpnd"]),
        (&["openssl license", "openssl project"], &["openssl"]),
    ];
    if let Some((_, names)) = OTHERS
        .iter()
        .find(|(needles, _)| needles.iter().all(|n| has(n)))
    {
        return Some(Recognised::Other(names));
    }
    // A short file that only names its licenses ("lib/ uses a BSD 2-Clause license, all other
    // files GPL-2.0-or-later").
    if t.len() < 4000 {
        let named: Vec<&'static str> = MENTIONS
            .iter()
            .filter(|(needle, _)| has(needle))
            .map(|(_, name)| *name)
            .fold(Vec::new(), |mut acc, n| {
                if !acc.contains(&n) {
                    acc.push(n);
                }
                acc
            });
        if !named.is_empty() {
            return Some(Recognised::Named(named));
        }
    }
    None
}

/// Title lines of the canonical GNU texts.
const CANONICAL_GNU_VERSIONS: &[&str] = &[
    "version 3, 29 june 2007",
    "version 2, june 1991",
    "version 2.1, february 1999",
    "version 1, february 1989",
];

/// License names a short license file may mention, most specific first.
const MENTIONS: &[(&str, &str)] = &[
    ("gpl-2.0-or-later", "gpl2Plus"),
    ("gpl-2.0-only", "gpl2Only"),
    ("gpl-3.0-or-later", "gpl3Plus"),
    ("gpl-3.0-only", "gpl3Only"),
    ("lgpl-2.1-or-later", "lgpl21Plus"),
    ("lgpl-3.0-or-later", "lgpl3Plus"),
    ("gplv2 or later", "gpl2Plus"),
    ("gplv3 or later", "gpl3Plus"),
    ("bsd 2-clause", "bsd2"),
    ("bsd-2-clause", "bsd2"),
    ("bsd 3-clause", "bsd3"),
    ("bsd-3-clause", "bsd3"),
    ("mit license", "mit"),
    ("apache license 2.0", "asl20"),
    ("apache-2.0", "asl20"),
    ("mozilla public license 2.0", "mpl20"),
    ("mpl-2.0", "mpl20"),
];

/// Phrases that make a GNU license "or later".
const LATER: &[&str] = &[
    "or (at your option) any later version",
    "or any later version",
    "or (at your option) later version",
    "-or-later",
    "gpl-2.0+",
    "gpl-3.0+",
    "gplv2+",
    "gplv3+",
    "gplv2 or later",
    "gplv3 or later",
    "version 2 or later",
    "version 3 or later",
    "version 2.1 or later",
];

/// Whether the notice before a canonical GNU license text says "or later" (`None` when it does
/// not say).
fn later_in_notice(t: &str) -> Option<bool> {
    let body_start = [
        "gnu general public license version",
        "gnu lesser general public license version",
        "gnu library general public license version",
        "gnu affero general public license version",
    ]
    .iter()
    .filter_map(|title| t.find(title))
    .min();
    // Everything from the title on is the canonical text, whose "How to Apply" appendix is the
    // FSF's example notice, not this project's.
    let notice = match body_start {
        Some(start) => &t[..start],
        None => t,
    };
    LATER.iter().any(|p| notice.contains(p)).then_some(true)
}

/// Files that hold a license text.
fn is_license_file(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let licensy = ["COPYING", "LICENSE", "LICENCE", "COPYRIGHT", "UNLICENSE"]
        .iter()
        .any(|p| upper.starts_with(p));
    // Documentation licenses (nano's COPYING.DOC) do not license the program.
    licensy && !upper.contains("DOC") && !upper.ends_with(".IN")
}

/// The licenses of the analysed tree: declared metadata first, then license files, then
/// `SPDX-License-Identifier` lines in the sources.
pub(crate) fn detect(tree: &Tree, dir: &str, declared: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, name: &str| {
        if !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    };
    for d in declared {
        for name in from_declared(d) {
            push(&mut out, &name);
        }
    }
    if !out.is_empty() {
        return out;
    }

    let mut dirs = vec![dir.to_string()];
    if !dir.is_empty() {
        dirs.push(String::new());
    }
    let mut recognised = Vec::new();
    let mut license_files = Vec::new();
    for d in &dirs {
        for entry in tree.files_in(d) {
            let name = tree::file_name(&entry.rel);
            if is_license_file(name) {
                license_files.push(entry.rel.clone());
                if let Some(r) = tree.read(&entry.rel).as_deref().and_then(recognise) {
                    recognised.push(r);
                }
            }
        }
        if !recognised.is_empty() {
            break;
        }
    }
    // REUSE-style `LICENSES/<SPDX id>.txt`.
    if recognised.is_empty() {
        for entry in tree.files_in(&tree::join(dir, "LICENSES")) {
            let id = tree::file_name(&entry.rel)
                .trim_end_matches(".txt")
                .trim_end_matches(".md");
            if let Some(name) = spdx_to_nix(id) {
                push(&mut out, name);
            }
        }
        if !out.is_empty() {
            return out;
        }
    }
    let mut later_elsewhere: Option<bool> = None;
    for r in recognised {
        match r {
            Recognised::Other(names) => names.iter().for_each(|n| push(&mut out, n)),
            Recognised::Named(names) => names.iter().for_each(|n| push(&mut out, n)),
            Recognised::Gnu(family, version, later) => {
                let later = match later {
                    Some(l) => l,
                    None => *later_elsewhere
                        .get_or_insert_with(|| later_in_sources(tree, dir, &license_files)),
                };
                push(&mut out, &gnu_name(family, version, later));
            }
        }
    }
    if out.is_empty() {
        out = spdx_in_sources(tree, dir);
    }
    out
}

fn gnu_name(family: Gnu, version: &str, later: bool) -> String {
    let base = match family {
        Gnu::Gpl => "gpl",
        Gnu::Lgpl => "lgpl",
        Gnu::Agpl => "agpl",
    };
    let version = version.replace('.', "");
    format!("{base}{version}{}", if later { "Plus" } else { "Only" })
}

/// Files whose first few kilobytes carry the project's license notice.
fn notice_files<'a>(tree: &'a Tree, dir: &'a str, exclude: &'a [String]) -> Vec<&'a str> {
    const SOURCE: &[&str] = &[
        "c", "h", "cc", "cpp", "cxx", "hpp", "py", "pl", "pm", "sh", "rs", "go", "js", "ts", "rb",
        "lua", "y", "l", "am", "ac", "in", "md", "txt", "rst",
    ];
    let mut out = Vec::new();
    for entry in tree.files_under(dir) {
        if out.len() >= 60 {
            break;
        }
        let name = tree::file_name(&entry.rel);
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let readme = name.to_ascii_uppercase().starts_with("README");
        let depth = entry.rel[dir.len()..]
            .trim_start_matches('/')
            .matches('/')
            .count();
        if exclude.contains(&entry.rel) || tree::is_auxiliary(&entry.rel) || depth > 2 {
            continue;
        }
        if readme || SOURCE.contains(&ext) || (ext.is_empty() && depth == 0) {
            out.push(entry.rel.as_str());
        }
    }
    out
}

/// Whether the README or the sources' notices say "or later".
fn later_in_sources(tree: &Tree, dir: &str, exclude: &[String]) -> bool {
    notice_files(tree, dir, exclude).into_iter().any(|rel| {
        tree.head(rel, 8192)
            .map(|h| normalise(&h))
            .is_some_and(|t| LATER.iter().any(|p| t.contains(p)))
    })
}

/// The most common `SPDX-License-Identifier:` of the sources.
fn spdx_in_sources(tree: &Tree, dir: &str) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for rel in notice_files(tree, dir, &[]) {
        let Some(head) = tree.head(rel, 4096) else {
            continue;
        };
        for line in head.lines() {
            if let Some((_, id)) = line.split_once("SPDX-License-Identifier:") {
                let id = id.trim().trim_end_matches("*/").trim().to_string();
                match counts.iter_mut().find(|(k, _)| *k == id) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((id, 1)),
                }
            }
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts
        .first()
        .map(|(id, _)| from_declared(id))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx_expressions() {
        assert_eq!(from_declared("MIT OR Apache-2.0"), ["mit", "asl20"]);
        assert_eq!(from_declared("MIT/Apache-2.0"), ["mit", "asl20"]);
        assert_eq!(
            from_declared("(GPL-2.0-or-later AND BSD-3-Clause)"),
            ["gpl2Plus", "bsd3"]
        );
        assert_eq!(
            from_declared("Apache-2.0 WITH LLVM-exception"),
            ["asl20-llvm"]
        );
        assert_eq!(
            from_declared("GPL-2.0-only WITH Linux-syscall-note"),
            ["gpl2Only"]
        );
        assert_eq!(from_declared("OSI Approved :: MIT License"), ["mit"]);
        assert_eq!(from_declared("GPL-2.0+"), ["gpl2Plus"]);
        assert_eq!(from_declared("mit"), ["mit"]);
        assert_eq!(from_declared("Some Custom License"), Vec::<String>::new());
    }

    #[test]
    fn gnu_texts_and_notices() {
        let gpl2 = "GNU GENERAL PUBLIC LICENSE\n Version 2, June 1991\n ... END OF TERMS AND CONDITIONS\n How to Apply These Terms\n either version 2 of the License, or (at your option) any later version.";
        assert_eq!(recognise(gpl2), Some(Recognised::Gnu(Gnu::Gpl, "2", None)));
        let with_notice = format!("This program is free software; either version 3 of the License, or\n(at your option) any later version.\n\n{}", gpl2.replace("Version 2, June 1991", "Version 3, 29 June 2007"));
        assert_eq!(
            recognise(&with_notice),
            Some(Recognised::Gnu(Gnu::Gpl, "3", Some(true)))
        );
        let lgpl = "GNU LESSER GENERAL PUBLIC LICENSE\n Version 2.1, February 1999";
        assert_eq!(
            recognise(lgpl),
            Some(Recognised::Gnu(Gnu::Lgpl, "2.1", None))
        );
        assert_eq!(gnu_name(Gnu::Lgpl, "2.1", true), "lgpl21Plus");
        assert_eq!(gnu_name(Gnu::Gpl, "3", false), "gpl3Only");
    }

    #[test]
    fn permissive_texts() {
        let mit = "Permission is hereby granted, free of charge, to any person obtaining a copy\nof this software ... The above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.";
        assert_eq!(recognise(mit), Some(Recognised::Other(&["mit"])));
        let bsd2 = "Redistribution and use in source and binary forms, with or without\nmodification, are permitted provided that ...";
        assert_eq!(recognise(bsd2), Some(Recognised::Other(&["bsd2"])));
        let bsd3 = format!("{bsd2}\n3. Neither the name of the copyright holder nor ...");
        assert_eq!(recognise(&bsd3), Some(Recognised::Other(&["bsd3"])));
        let isc = "Permission to use, copy, modify, and distribute this software for any\npurpose with or without fee is hereby granted, provided that the above\ncopyright notice and this permission notice appear in all copies.";
        assert_eq!(recognise(isc), Some(Recognised::Other(&["isc"])));
        let zlib = "This software is provided 'as-is' ... Permission is granted to anyone to use this software for any purpose ... 2. Altered source versions must be plainly marked as such";
        assert_eq!(recognise(zlib), Some(Recognised::Other(&["zlib"])));
        assert_eq!(
            recognise("Apache License\nVersion 2.0, January 2004"),
            Some(Recognised::Other(&["asl20"]))
        );
        assert_eq!(recognise("All rights reserved."), None);
        assert_eq!(
            recognise("This repository uses 2 different licenses :\n- all files in the `lib` directory use a BSD 2-Clause license\n- all other files use a GPL-2.0-or-later license"),
            Some(Recognised::Named(vec!["gpl2Plus", "bsd2"]))
        );
        let bsd_mentioning_gpl = format!(
            "{bsd3}\n{}\nmksignames.c is under the GNU General Public License",
            "x".repeat(2000)
        );
        assert_eq!(
            recognise(&bsd_mentioning_gpl),
            Some(Recognised::Other(&["bsd3"]))
        );
    }

    #[test]
    fn table_matches_hostpkgs_licenses_nix() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../nix/hostpkgs/lib/licenses.nix");
        let text = fs_err::read_to_string(path).unwrap();
        for (spdx, name) in SPDX {
            let defined = text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with(&format!("{name} = ")) && l.contains(&format!("\"{spdx}\""))
            });
            assert!(defined, "{name} = … \"{spdx}\" is not in licenses.nix");
        }
        for (_, name) in ALIASES {
            assert!(
                text.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{name} = "))),
                "alias target {name} is not in licenses.nix"
            );
        }
    }
}

//! PEP 639 license metadata with an older setuptools: `license = "MIT"` (an SPDX string) and
//! `license-files` need setuptools ≥ 77; older ones reject the project table ("`project.license`
//! must be valid exactly by one definition"). The package set's setuptools is what it is, so the
//! fix says the same thing in the older form, `license = { text = "MIT" }`, in a `postPatch`.

use ai_drv_syntax::Document;

use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct PythonLicense;

/// How setuptools' validation of the project table names the offending fields.
const MESSAGES: [&str; 2] = ["`project.license`", "`project.license-files`"];

/// The `substituteInPlace` arguments that rewrite the [project] table's license fields, from
/// pyproject.toml's text (TOML, not Nix: reading its lines is the simple, exact way to get the
/// literal text to replace).
fn replacements(pyproject: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_project = false;
    for line in pyproject.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_project = trimmed == "[project]";
            continue;
        }
        if !in_project || line.contains('\'') {
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        match key.trim() {
            "license" => {
                let value = value.trim();
                if let Some(spdx) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    out.push((
                        trimmed.to_string(),
                        format!("license = {{ text = \"{spdx}\" }}"),
                    ));
                }
            }
            "license-files" if !trimmed.ends_with('[') => {
                out.push((trimmed.to_string(), String::new()))
            }
            _ => {}
        }
    }
    out
}

impl Fixer for PythonLicense {
    fn name(&self) -> &'static str {
        "python-license"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let triggered = cx.problems.iter().any(|p| match p {
            Problem::OtherBuildError { line } => MESSAGES.iter().any(|m| line.contains(m)),
            _ => false,
        });
        if !triggered || doc.get("postPatch").is_some() {
            return None;
        }
        let pyproject = fs_err::read_to_string(cx.tree?.join("pyproject.toml")).ok()?;
        let replacements = replacements(&pyproject);
        if replacements.is_empty() {
            return None;
        }
        let mut script = String::from("''\n  substituteInPlace pyproject.toml");
        for (from, to) in &replacements {
            let to = if to.is_empty() {
                "\"\"".to_string()
            } else {
                format!("'{to}'")
            };
            script.push_str(&format!(" \\\n    --replace-fail '{from}' {to}"));
        }
        script.push_str("\n''");
        let mut document = doc.clone();
        document.set("postPatch", &script).ok()?;
        Some(Fix {
            fixer: self.name(),
            summary: "write the PEP 639 license fields in the form this setuptools reads".into(),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::index;

    const BEFORE: &str = r#"{ lib, python3Packages, fetchPypi }:

python3Packages.buildPythonApplication rec {
  pname = "tabulate";
  version = "0.10.0";
  pyproject = true;

  meta = { };
}
"#;

    const PYPROJECT: &str = r#"[build-system]
requires = ["setuptools>=77.0.3", "setuptools_scm[toml]>=3.4.3"]

[project]
name = "tabulate"
license = "MIT"
license-files = ["LICENSE"]
"#;

    #[test]
    fn spdx_license_strings_become_text_tables() {
        let tree = tempfile::tempdir().unwrap();
        std::fs::write(tree.path().join("pyproject.toml"), PYPROJECT).unwrap();
        let index = index(&[], &[], &[], &[]);
        let problems = [Problem::OtherBuildError {
            line: "configuration error: `project.license` must be valid exactly by one definition (2 matches found):".into(),
        }];
        let cx = Context {
            diagnoses: &[],
            problems: &problems,
            index: &index,
            tree: Some(tree.path()),
        };
        let fix = PythonLicense
            .fix(&Document::parse(BEFORE).unwrap(), &cx)
            .unwrap();
        assert_eq!(
            fix.document.text(),
            r#"{ lib, python3Packages, fetchPypi }:

python3Packages.buildPythonApplication rec {
  pname = "tabulate";
  version = "0.10.0";
  pyproject = true;
  postPatch = ''
    substituteInPlace pyproject.toml \
      --replace-fail 'license = "MIT"' 'license = { text = "MIT" }' \
      --replace-fail 'license-files = ["LICENSE"]' ""
  '';

  meta = { };
}
"#
        );
        let quiet = Context {
            problems: &[],
            ..cx
        };
        assert!(PythonLicense
            .fix(&Document::parse(BEFORE).unwrap(), &quiet)
            .is_none());
    }
}

//! Missing Python module: a Python package's build or import check needs another package.
//!
//! The module (`yaml`, `setuptools_scm`, `foo>=1.2`) becomes a package-set attribute: the
//! distribution name for the well-known modules whose import name differs (`yaml` → `pyyaml`),
//! otherwise the module's top-level name, lower-cased with `_`/`.` as `-` (nixpkgs' attribute
//! spelling). It goes to `build-system` when the failure came from the build backend's
//! requirements (a known build backend, or the log says `Missing dependencies` during the
//! backend's setup), else to `dependencies`. The package set is the one a Python builder comes
//! from (`python3Packages.buildPythonApplication` → `python3Packages`). Any other builder ran a
//! Python script during its build: `python3Packages.<name>` goes to `nativeBuildInputs`, where
//! python3's setup hook puts it on `PYTHONPATH` (with `python3` itself, if missing).

use ai_drv_syntax::Document;

use super::has_item;
use crate::{Context, Diagnosis, Fix, Fixer, Problem};

pub(crate) struct PythonDependency;

/// Import names whose distribution (and nixpkgs attribute) is named otherwise.
const IMPORT_NAMES: [(&str, &str); 22] = [
    ("yaml", "pyyaml"),
    ("PIL", "pillow"),
    ("bs4", "beautifulsoup4"),
    ("dateutil", "python-dateutil"),
    ("sklearn", "scikit-learn"),
    ("attr", "attrs"),
    ("Crypto", "pycryptodome"),
    ("serial", "pyserial"),
    ("usb", "pyusb"),
    ("gi", "pygobject3"),
    ("magic", "python-magic"),
    ("dns", "dnspython"),
    ("jwt", "pyjwt"),
    ("OpenSSL", "pyopenssl"),
    ("google", "protobuf"),
    ("pkg_resources", "setuptools"),
    ("git", "gitpython"),
    ("zmq", "pyzmq"),
    ("Levenshtein", "levenshtein"),
    ("docx", "python-docx"),
    ("lxml", "lxml"),
    ("typing_extensions", "typing-extensions"),
];

/// Packages that are build backends or their plugins: needed by `build-system`.
const BUILD_BACKENDS: [&str; 14] = [
    "setuptools",
    "setuptools-scm",
    "wheel",
    "hatchling",
    "hatch-vcs",
    "flit-core",
    "flit-scm",
    "poetry-core",
    "pdm-backend",
    "scikit-build-core",
    "maturin",
    "cython",
    "pbr",
    "meson-python",
];

/// The attribute name for what the log named.
fn attribute(module: &str) -> Option<String> {
    // `foo>=1.2`, `foo[extra]`, `foo; python_version<"3.12"`: the name only.
    let name = module
        .trim()
        .split(|c: char| "<>=!~;[ (".contains(c))
        .next()?
        .trim_matches(|c| c == '\'' || c == '"');
    let top = name.split('.').next()?;
    if top.is_empty() {
        return None;
    }
    if let Some((_, dist)) = IMPORT_NAMES.iter().find(|(import, _)| *import == top) {
        return Some(dist.to_string());
    }
    // Only the top-level module of an import path, but a whole distribution name.
    let name = if module.contains(['<', '>', '=', '~', '!']) {
        name
    } else {
        top
    };
    let attr = name.to_ascii_lowercase().replace(['_', '.'], "-");
    attr.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
        .then_some(attr)
}

/// Whether the log shows the build backend's requirements missing.
fn during_backend_setup(diagnoses: &[Diagnosis]) -> bool {
    diagnoses.iter().any(|d| match d {
        Diagnosis::BuilderFailed { log_tail, .. } => log_tail.iter().any(|line| {
            line.contains("Missing dependencies")
                || line.contains("get_requires_for_build_wheel")
                || line.contains("Backend subprocess exited")
        }),
        _ => false,
    })
}

impl Fixer for PythonDependency {
    fn name(&self) -> &'static str {
        "python-dependency"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        let builder = doc.builder()?;
        let (set, function) = match builder.rsplit_once('.') {
            Some((set, function)) => (Some(set), function),
            None => (None, builder.as_str()),
        };
        let python_builder = matches!(function, "buildPythonApplication" | "buildPythonPackage");
        let backend_setup = during_backend_setup(cx.diagnoses);
        let mut document = doc.clone();
        let mut added = Vec::new();
        for module in cx.problems.iter().filter_map(|p| match p {
            Problem::MissingPythonModule { module } => Some(module),
            _ => None,
        }) {
            let Some(name) = attribute(module) else {
                continue;
            };
            let (list, attr) = if python_builder {
                let list = if backend_setup || BUILD_BACKENDS.contains(&name.as_str()) {
                    "build-system"
                } else {
                    "dependencies"
                };
                let attr = match set {
                    Some(set) => format!("{set}.{name}"),
                    None => name.clone(),
                };
                (list, attr)
            } else {
                ("nativeBuildInputs", format!("python3Packages.{name}"))
            };
            if !has_item(&document, list, &attr)
                && matches!(document.add_input(list, &attr), Ok(true))
            {
                added.push(format!(
                    "add {name} to {list} (provides the module {module})"
                ));
            }
        }
        if !python_builder
            && !added.is_empty()
            && !has_item(&document, "nativeBuildInputs", "python3")
            && matches!(document.add_input("nativeBuildInputs", "python3"), Ok(true))
        {
            added.push("add python3 to nativeBuildInputs".to_string());
        }
        (!added.is_empty()).then(|| Fix {
            fixer: self.name(),
            summary: added.join("; "),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::index;

    const TABULATE: &str = r#"{ lib, python3Packages, fetchPypi }:

python3Packages.buildPythonApplication rec {
  pname = "tabulate";
  version = "0.10.0";
  pyproject = true;

  build-system = with python3Packages; [
    setuptools
  ];

  meta = {
    license = lib.licenses.mit;
  };
}
"#;

    fn run(text: &str, modules: &[&str], log: &[&str]) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let problems: Vec<Problem> = modules
            .iter()
            .map(|m| Problem::MissingPythonModule {
                module: m.to_string(),
            })
            .collect();
        let diagnoses = [Diagnosis::BuilderFailed {
            derivation: "/nix/store/x-tabulate.drv".to_string(),
            exit_code: Some(1),
            log_tail: log.iter().map(|l| l.to_string()).collect(),
        }];
        let cx = Context {
            diagnoses: &diagnoses,
            problems: &problems,
            index: &index,
            tree: None,
        };
        PythonDependency.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn names_become_attributes() {
        assert_eq!(attribute("yaml").as_deref(), Some("pyyaml"));
        assert_eq!(attribute("yaml.constructor").as_deref(), Some("pyyaml"));
        assert_eq!(
            attribute("setuptools_scm").as_deref(),
            Some("setuptools-scm")
        );
        assert_eq!(
            attribute("setuptools-scm>=8").as_deref(),
            Some("setuptools-scm")
        );
        assert_eq!(
            attribute("zope.interface>=5").as_deref(),
            Some("zope-interface")
        );
        assert_eq!(attribute("wcwidth").as_deref(), Some("wcwidth"));
        assert_eq!(attribute("Click").as_deref(), Some("click"));
        assert_eq!(attribute("requests[socks]").as_deref(), Some("requests"));
        assert_eq!(attribute(""), None);
    }

    #[test]
    fn runtime_module_to_dependencies() {
        let fix = run(
            TABULATE,
            &["wcwidth"],
            &["ModuleNotFoundError: No module named 'wcwidth'"],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            TABULATE.replace(
                "  ];\n\n  meta",
                "  ];\n  dependencies = [ python3Packages.wcwidth ];\n\n  meta"
            )
        );
        assert_eq!(
            fix.summary,
            "add wcwidth to dependencies (provides the module wcwidth)"
        );
    }

    #[test]
    fn backend_requirements_to_build_system() {
        let fix = run(
            TABULATE,
            &["setuptools_scm>=3.4", "tomli"],
            &["ERROR Missing dependencies:", "\tsetuptools_scm>=3.4"],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            TABULATE.replace(
                "    setuptools\n",
                "    setuptools\n    setuptools-scm\n    tomli\n"
            )
        );
        // Known backends go there without the log saying so.
        let fix = run(TABULATE, &["hatchling"], &[]).unwrap();
        assert_eq!(
            fix.document.text(),
            TABULATE.replace("    setuptools\n", "    setuptools\n    hatchling\n")
        );
        assert_eq!(run(TABULATE, &["setuptools"], &[]), None);
    }

    #[test]
    fn bare_builder_and_other_builders() {
        let bare = "{ buildPythonPackage, click }:\nbuildPythonPackage {\n  pname = \"x\";\n  dependencies = [ click ];\n}\n";
        let fix = run(bare, &["yaml"], &[]).unwrap();
        assert_eq!(
            fix.document.text(),
            "{ buildPythonPackage, click, pyyaml }:\nbuildPythonPackage {\n  pname = \"x\";\n  dependencies = [ click pyyaml ];\n}\n"
        );
        let c = "{ stdenv }:\nstdenv.mkDerivation {\n  pname = \"x\";\n}\n";
        let fix = run(
            c,
            &["yaml"],
            &["ModuleNotFoundError: No module named 'yaml'"],
        )
        .unwrap();
        assert_eq!(
            fix.document.text(),
            "{ stdenv, python3Packages, python3 }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  nativeBuildInputs = [ python3Packages.pyyaml python3 ];\n}\n"
        );
        assert_eq!(
            fix.summary,
            "add pyyaml to nativeBuildInputs (provides the module yaml); add python3 to nativeBuildInputs"
        );
        let with_python = "{ stdenv, python3 }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  nativeBuildInputs = [ python3 ];\n}\n";
        assert_eq!(
            run(with_python, &["yaml"], &[]).unwrap().document.text(),
            "{ stdenv, python3, python3Packages }:\nstdenv.mkDerivation {\n  pname = \"x\";\n  nativeBuildInputs = [ python3 python3Packages.pyyaml ];\n}\n"
        );
    }
}

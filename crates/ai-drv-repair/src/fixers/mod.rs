//! The fixers, one per file, and the list that registers them in priority order.

pub(crate) mod build_system_fallback;
pub(crate) mod hash_mismatch;
pub(crate) mod interpreter;
pub(crate) mod missing_cc_in_makefile;
pub(crate) mod missing_input;
pub(crate) mod no_configure;
pub(crate) mod no_install_target;
pub(crate) mod parallel_make;
pub(crate) mod perl_module;
pub(crate) mod prefix_flags;
pub(crate) mod python_dependency;
pub(crate) mod python_license;
pub(crate) mod source_root;
pub(crate) mod unknown_attribute;
pub(crate) mod werror;

use crate::Fixer;

/// Every fixer, most fundamental first: a file that does not evaluate cannot fetch, a source
/// that does not fetch cannot unpack, and so on down to the flags of the build and install.
pub(crate) fn all() -> Vec<Box<dyn Fixer>> {
    vec![
        Box::new(unknown_attribute::UnknownAttribute),
        Box::new(hash_mismatch::HashMismatch),
        Box::new(source_root::SourceRoot),
        Box::new(no_configure::NoConfigure),
        Box::new(missing_input::MissingInput),
        Box::new(python_dependency::PythonDependency),
        Box::new(perl_module::PerlModule),
        Box::new(python_license::PythonLicense),
        Box::new(interpreter::Interpreter),
        Box::new(missing_cc_in_makefile::MissingCcInMakefile),
        Box::new(werror::Werror),
        Box::new(build_system_fallback::BuildSystemFallback),
        Box::new(prefix_flags::PrefixFlags),
        Box::new(no_install_target::NoInstallTarget),
        Box::new(parallel_make::ParallelMake),
    ]
}

/// The attributes that hold a package's inputs.
pub(crate) const INPUT_LISTS: [&str; 10] = [
    "nativeBuildInputs",
    "buildInputs",
    "propagatedBuildInputs",
    "propagatedNativeBuildInputs",
    "nativeCheckInputs",
    "checkInputs",
    "nativeInstallCheckInputs",
    "installCheckInputs",
    "build-system",
    "dependencies",
];

/// Whether the list at `path` holds `attr` (as written, or as its last name in a `with` list):
/// adding it would change nothing.
pub(crate) fn has_item(doc: &ai_drv_syntax::Document, path: &str, attr: &str) -> bool {
    matches!(doc.clone().list_add(path, attr), Ok(false))
}

#[cfg(test)]
pub(crate) mod testing {
    //! Shared test scaffolding: an index from pairs, and a context over it.

    use std::collections::BTreeMap;

    use crate::Index;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// An index with the given pkg-config modules, headers, libraries and commands.
    pub fn index(
        pkgconfig: &[(&str, &str)],
        headers: &[(&str, &str)],
        libraries: &[(&str, &str)],
        commands: &[(&str, &str)],
    ) -> Index {
        Index::from_maps(map(pkgconfig), map(headers), map(libraries), map(commands))
    }

    /// A small file in the corpus' style to edit.
    pub const HELLO: &str = r#"{ lib, stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "hello";
  version = "2.10";

  src = fetchurl {
    url = "mirror://debian/pool/main/h/hello/hello_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-MeBmE3qWJnbon2nRtlOC3pWn732RS4y5VvQepy4PUWs=";
  };

  strictDeps = true;

  meta = {
    description = "Program that produces a familiar, friendly greeting";
    license = lib.licenses.gpl3Plus;
  };
})
"#;
}

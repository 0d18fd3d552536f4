//! The plain data a derivation is drawn from: which builder, which fetcher, which inputs and
//! attributes, which meta. `plan` fills it from a source and its analysis, `render` prints it.

use serde::Serialize;

/// The nixpkgs function that builds the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Builder {
    /// `stdenv.mkDerivation (finalAttrs: { … })`
    Stdenv,
    /// `rustPlatform.buildRustPackage rec { … }`
    RustPackage,
    /// `python3Packages.buildPythonApplication rec { … }`
    PythonApplication,
    /// `python3Packages.buildPythonPackage rec { … }`
    PythonPackage,
    /// `buildNpmPackage rec { … }`
    NpmPackage,
}

impl Builder {
    /// The function applied to the attribute set, as written in the file.
    pub fn function(self) -> &'static str {
        match self {
            Builder::Stdenv => "stdenv.mkDerivation",
            Builder::RustPackage => "rustPlatform.buildRustPackage",
            Builder::PythonApplication => "python3Packages.buildPythonApplication",
            Builder::PythonPackage => "python3Packages.buildPythonPackage",
            Builder::NpmPackage => "buildNpmPackage",
        }
    }

    /// The callPackage argument the builder comes from.
    pub fn argument(self) -> &'static str {
        match self {
            Builder::Stdenv => "stdenv",
            Builder::RustPackage => "rustPlatform",
            Builder::PythonApplication | Builder::PythonPackage => "python3Packages",
            Builder::NpmPackage => "buildNpmPackage",
        }
    }

    /// Whether the attribute set is a `finalAttrs` function (stdenv) rather than `rec { … }`;
    /// this decides how the set refers to its own `version` and `src`.
    pub fn uses_final_attrs(self) -> bool {
        matches!(self, Builder::Stdenv)
    }
}

/// The `src = fetcher { … };` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Src {
    /// The fetcher function: `fetchurl`, `fetchzip`, `fetchFromGitHub`, `fetchCrate`, …
    pub fetcher: String,
    /// Names taken from the package itself: `inherit pname version;` (or
    /// `inherit (finalAttrs) pname version;` in a `finalAttrs` builder).
    pub inherit: Vec<String>,
    /// The fetcher's other attributes in order (`url`, `owner`, `rev`, `hash`, …). A `url`
    /// or `rev`/`tag` holding the version verbatim is written with the version interpolated.
    pub attrs: Vec<(String, Value)>,
}

/// A Nix value as the draft writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Value {
    /// A string, escaped when written.
    Str(String),
    Bool(bool),
    Int(i64),
    List(Vec<Value>),
    /// A Nix expression as text, written as is (an identifier such as `pkg-config`, or
    /// `placeholder "out"`).
    Raw(String),
    /// A multi-line string, written as an indented `''…''` string (its text is taken line by
    /// line and always ends with a newline).
    Multiline(String),
    AttrSet(Vec<(String, Value)>),
    /// `with scope; value`, e.g. `with python3Packages; [ setuptools ]`.
    With(String, Box<Value>),
}

/// `meta = { … };`
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub description: Option<String>,
    /// Written as a `''…''` string.
    pub long_description: Option<String>,
    pub homepage: Option<String>,
    /// `lib.licenses` attribute names: one is written `lib.licenses.mit`, several
    /// `with lib.licenses; [ asl20 mit ]`, none leaves `license` out.
    pub licenses: Vec<String>,
    pub main_program: Option<String>,
    /// A `lib.platforms` name: "unix", "linux", "all", …
    pub platforms: Option<String>,
}

/// Everything one callPackage file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    pub builder: Builder,
    pub pname: String,
    pub version: String,
    pub src: Src,
    /// The directory (relative to the unpacked source) the build runs in, when not its top.
    pub source_root: Option<String>,
    /// Attribute names; dotted ones such as `python3Packages.setuptools` are allowed.
    pub native_build_inputs: Vec<String>,
    pub build_inputs: Vec<String>,
    /// Further attributes in order (`configureFlags`, `makeFlags`, `cargoHash`, `pyproject`,
    /// `build-system`, `installPhase`, …). `strictDeps` is always written for stdenv;
    /// `strictDeps`, `enableParallelBuilding` and the `dont…` switches are written with the
    /// inputs, `pyproject` next to the version and `…Hash` attributes right after `src`.
    pub attrs: Vec<(String, Value)>,
    pub meta: Meta,
}

//! Repair: deterministic fixers that turn what went wrong into an edited callPackage file.
//!
//! Each [`Fixer`] looks at the typed facts of one failed attempt — Nix-level [`Diagnosis`] values
//! and build-log [`Problem`]s — together with the resolver index (what provides a header, a
//! library, a pkg-config module or a command) and, when known, the unpacked source tree, and
//! proposes an edited [`Document`]. Fixers live one per file under `fixers/` and are registered in
//! one list, [`fixers`], in priority order: evaluation before fetching, fetching before the build,
//! the build's inputs before its flags. The engine asks for [`candidates`] and tries the first
//! whose text it has not tried yet.

mod fixers;

pub use ai_drv_diagnose::{Diagnosis, Problem};
pub use ai_drv_hostpkgs::resolver::Index;
pub use ai_drv_syntax::Document;
pub use fixers::hash_mismatch::reset_hashes_for_changed_fetchers;
pub use fixers::no_install_target::MARKER as INSTALL_PHASE_MARKER;
pub use fixers::perl_module::MARKER as PERL_WRAPPER_MARKER;

use serde::Serialize;

/// What the fixers know about a failed attempt.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Nix-level facts: hash mismatch, evaluation errors, builder failed …
    pub diagnoses: &'a [Diagnosis],
    /// Build-log facts: missing headers, libraries, commands …
    pub problems: &'a [Problem],
    /// What provides a header / library / pkg-config module / command.
    pub index: &'a Index,
    /// The unpacked source, when known.
    pub tree: Option<&'a std::path::Path>,
}

/// One proposed repair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The fixer's name (`missing-input`).
    pub fixer: &'static str,
    /// What it does, for people: `add ncurses to buildInputs (provides curses.h)`.
    pub summary: String,
    /// The edited file.
    pub document: Document,
}

/// One way of repairing a kind of failure.
pub trait Fixer: Send + Sync {
    /// A short kebab-case name.
    fn name(&self) -> &'static str;

    /// The most likely repair for this failure, if this fixer has one.
    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix>;

    /// Every repair this fixer proposes, most likely first. Fixers with alternatives (install
    /// prefixes) list them here; the default is [`Fixer::fix`] alone.
    fn fixes(&self, doc: &Document, cx: &Context) -> Vec<Fix> {
        self.fix(doc, cx).into_iter().collect()
    }
}

/// The registry, in priority order.
pub fn fixers() -> Vec<Box<dyn Fixer>> {
    fixers::all()
}

/// Every applicable fix, in priority order, without duplicates and without fixes that change
/// nothing.
pub fn candidates(doc: &Document, cx: &Context) -> Vec<Fix> {
    let mut out: Vec<Fix> = Vec::new();
    for fixer in fixers() {
        for fix in fixer.fixes(doc, cx) {
            let new = fix.document.text() != doc.text();
            if new && !out.iter().any(|f| f.document == fix.document) {
                out.push(fix);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;

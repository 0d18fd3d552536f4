//! The engine: the loop a packager runs by hand, run by the machine. Build the derivation, read
//! what went wrong ([`ai_drv_diagnose`]), let the deterministic fixers ([`ai_drv_repair`]) edit
//! the file on its syntax tree, build again, and once it builds, check that the result works.
//! Every attempt is recorded; no derivation text is built twice; the best attempt is kept; the
//! loop stops at a budget and says what is still wrong.
//!
//! The engine does not know where a derivation came from: `ai-drv new` hands it a draft made from
//! a source, `ai-drv build` an existing file. The LLM engine plugs in as one more source of
//! candidate edits ([`assist`]): it drafts when the rules cannot and repairs when no fixer applies. Every
//! text, whoever made it, passes the static policy ([`ai_drv_policy`]) before it is built.

pub mod assist;
mod attempt;
mod build;
mod check;
mod report;
mod run;

pub use attempt::{Attempt, Outcome};
pub use check::{CheckPlan, CheckResult, Kind};
pub use report::{advice, Report, Status, Timings};
pub use run::{Engine, EngineOptions, Event, Observer, Start};
pub mod pipeline;

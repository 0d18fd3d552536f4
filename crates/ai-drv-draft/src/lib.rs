//! The first derivation: a `Source` and its `Analysis` become a `Package` (`plan`), which is
//! written as a nixpkgs-style callPackage file (`render`, laid out as nixpkgs' formatter would,
//! and `format`, which uses `nixfmt` when the machine has it).

mod format;
mod model;
mod plan;
mod render;

pub use format::{format, format_with};
pub use model::{Builder, Meta, Package, Src, Value};
pub use plan::{plan, plan_pinned, Pinned};
pub use render::{is_identifier, quote, render};

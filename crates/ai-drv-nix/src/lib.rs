//! Build: drive the installed Nix (2.3 through 2.3x) from Rust.
//!
//! Every call is an argument vector (never a shell string), adapted to the detected Nix version;
//! Nix runs in its own process group so a timeout kills it with everything it started; its log is
//! kept bounded in memory (head and tail) and free of ANSI escapes; failures come back as typed
//! diagnoses from `ai-drv-diagnose`.

mod driver;
mod log;
mod process;
mod version;

pub use driver::{BuildOptions, Built, EvalOptions, Nix, NixError, Options, Target};
pub use log::BoundedLog;
pub use process::{run, Run, RunOptions};
pub use version::{Capabilities, NixVersion};

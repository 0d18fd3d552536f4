//! The check stage: does a built output actually work? A [`Check`] says what to look at — a
//! command to run and the output it must print, files that must exist, a pkg-config module — and
//! every check also requires that each ELF program in `bin/` finds all its shared libraries.
//! [`Corpus`] reads benchmark corpora (bench/dev.toml), whose packages carry such checks.

mod corpus;
mod verify;

pub use corpus::{Corpus, CorpusError, CorpusPackage};
pub use verify::{verify, Check, Failure};

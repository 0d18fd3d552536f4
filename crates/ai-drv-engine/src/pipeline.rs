//! The whole pipeline for `ai-drv new` (and `bench`, and later the server): request → source →
//! analysis → draft → the loop. Resolution is async (network); the loop is blocking (Nix).

use std::path::Path;
use std::time::{Duration, Instant};

use ai_drv_analyse::{Analysis, BuildSystem};
use ai_drv_config::Config;
use ai_drv_request::Request;
use ai_drv_source::{NoProgress, Source};
use serde::Serialize;

use crate::check::{CheckPlan, Kind};
use crate::report::Report;
use crate::run::{Engine, Observer};

/// Why a request could not even be drafted. Each says what to do, in one line.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Request(#[from] ai_drv_request::RequestError),
    #[error(transparent)]
    Resolve(#[from] ai_drv_source::ResolveError),
    #[error("no build system recognised in {from} (looked for configure, configure.ac, CMakeLists.txt, meson.build, Makefile, Cargo.toml, pyproject.toml, setup.py, package.json); package it by hand and run `ai-drv build FILE`")]
    NoBuildSystem { from: String },
}

impl PipelineError {
    /// Bad input (2) or a failure on good input (1).
    pub fn is_usage(&self) -> bool {
        matches!(self, PipelineError::Request(_))
    }
}

/// A resolved and analysed source with its first draft: everything before the first build.
pub struct Drafted {
    pub source: Source,
    pub analysis: Analysis,
    pub text: String,
    pub timings: Stages,
}

/// Wall time of the stages before the loop.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stages {
    #[serde(serialize_with = "crate::attempt::seconds")]
    pub resolve: Duration,
    #[serde(serialize_with = "crate::attempt::seconds")]
    pub fetch: Duration,
    #[serde(serialize_with = "crate::attempt::seconds")]
    pub analyse: Duration,
    #[serde(serialize_with = "crate::attempt::seconds")]
    pub draft: Duration,
}

/// Request → source → analysis → draft.
pub async fn draft(
    config: &Config,
    input: &str,
    index: &ai_drv_hostpkgs::resolver::Index,
) -> Result<Drafted, PipelineError> {
    let request: Request = ai_drv_request::parse(input)?;
    let start = Instant::now();
    let source = ai_drv_source::resolve(config, &request, &NoProgress).await?;
    let resolve = start.elapsed();
    let start = Instant::now();
    let analysis = ai_drv_analyse::analyse(&source.tree, index);
    let analyse = start.elapsed();
    if analysis.build_system == BuildSystem::Unknown {
        return Err(PipelineError::NoBuildSystem {
            from: source.chosen.clone(),
        });
    }
    let start = Instant::now();
    let package = ai_drv_draft::plan(&source, &analysis);
    let text = ai_drv_draft::format(&ai_drv_draft::render(&package));
    let draft = start.elapsed();
    let fetch = source.download_time.min(resolve);
    Ok(Drafted {
        timings: Stages {
            resolve,
            fetch,
            analyse,
            draft,
        },
        source,
        analysis,
        text,
    })
}

/// What the check should look for, from the analysis.
pub fn check_plan(analysis: &Analysis, pname: &str) -> CheckPlan {
    CheckPlan {
        kind: match analysis.kind {
            ai_drv_analyse::Kind::Program => Kind::Program,
            ai_drv_analyse::Kind::Library => Kind::Library,
            ai_drv_analyse::Kind::Both => Kind::Both,
            ai_drv_analyse::Kind::Unknown => Kind::Unknown,
        },
        main_program: analysis.main_program.clone(),
        pname: Some(pname.to_string()),
    }
}

/// Runs the loop on a draft; attempts are written in `dir`.
pub fn build_draft(
    engine: &Engine,
    drafted: &Drafted,
    dir: &Path,
    observer: &dyn Observer,
) -> Report {
    let plan = check_plan(&drafted.analysis, &drafted.source.pname);
    engine.run(
        &drafted.text,
        dir,
        Some(&drafted.source.tree),
        &plan,
        observer,
    )
}

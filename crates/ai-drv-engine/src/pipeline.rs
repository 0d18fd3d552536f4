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

/// A resolved and analysed source, before any draft.
pub struct Resolved {
    pub source: Source,
    pub analysis: Analysis,
    pub timings: Stages,
}

/// Request → source → analysis.
pub async fn resolve(
    config: &Config,
    input: &str,
    index: &ai_drv_hostpkgs::resolver::Index,
) -> Result<Resolved, PipelineError> {
    let request: Request = ai_drv_request::parse(input)?;
    let start = Instant::now();
    let source = ai_drv_source::resolve(config, &request, &NoProgress).await?;
    let resolve = start.elapsed();
    let start = Instant::now();
    let analysis = ai_drv_analyse::analyse(&source.tree, index);
    let analyse = start.elapsed();
    let fetch = source.download_time.min(resolve);
    Ok(Resolved {
        timings: Stages {
            resolve,
            fetch,
            analyse,
            draft: Duration::ZERO,
        },
        source,
        analysis,
    })
}

impl Resolved {
    /// The rules' draft; fails when no build system was recognised.
    pub fn draft(self) -> Result<Drafted, Box<(PipelineError, Resolved)>> {
        if self.analysis.build_system == BuildSystem::Unknown {
            let error = PipelineError::NoBuildSystem {
                from: self.source.chosen.clone(),
            };
            return Err(Box::new((error, self)));
        }
        let start = Instant::now();
        let package = ai_drv_draft::plan(&self.source, &self.analysis);
        let text = ai_drv_draft::format(&ai_drv_draft::render(&package));
        let mut timings = self.timings;
        timings.draft = start.elapsed();
        Ok(Drafted {
            source: self.source,
            analysis: self.analysis,
            text,
            timings,
        })
    }

    /// The rules' rendering even without a build system: the pinned `src` (and meta) a model can
    /// start from.
    pub fn sketch(&self) -> String {
        ai_drv_draft::render(&ai_drv_draft::plan(&self.source, &self.analysis))
    }
}

/// Request → source → analysis → draft.
pub async fn draft(
    config: &Config,
    input: &str,
    index: &ai_drv_hostpkgs::resolver::Index,
) -> Result<Drafted, PipelineError> {
    resolve(config, input, index)
        .await?
        .draft()
        .map_err(|boxed| boxed.0)
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

/// The facts a model is grounded with, for a draft or a resolved source.
pub fn facts(
    request: &str,
    source: &Source,
    analysis: &Analysis,
    rule_draft: &str,
    package_set: &str,
) -> crate::assist::Facts {
    crate::assist::Facts::from_source(request, source, analysis, Some(rule_draft), package_set)
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

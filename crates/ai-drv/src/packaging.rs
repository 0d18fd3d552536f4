//! What `new` and `bench` share: request → source → analysis → draft (by the rules or the
//! model) → the loop, with the model taking part when one is set up.

use std::path::Path;

use ai_drv_analyse::Analysis;
use ai_drv_config::Config;
use ai_drv_engine::assist::{Assistant, Facts};
use ai_drv_engine::pipeline::{self, PipelineError, Stages};
use ai_drv_engine::{CheckPlan, Engine, Kind, Observer, Report, Start};
use ai_drv_source::Source;

use crate::engine_setup::ModelSetup;
use crate::error::{CliError, Result};

/// What is known before the loop starts.
pub struct Prepared {
    pub source: Option<Source>,
    pub analysis: Option<Analysis>,
    pub timings: Stages,
    /// The rules' draft (a sketch with the pinned `src` when no build system was found).
    pub rule_text: Option<String>,
    /// Whether the rules' draft is a real draft (a build system was found).
    pub drafted: bool,
}

/// Resolves, drafts and runs the loop for `input`; attempts are written in `dir`. Without a
/// model, a request that cannot be resolved or drafted is an error; with one, the model drafts
/// from what is known.
#[allow(clippy::too_many_arguments)]
pub fn package(
    rt: &tokio::runtime::Handle,
    config: &Config,
    engine: &Engine,
    input: &str,
    setup: Option<&ModelSetup>,
    dir: &Path,
    observer: &dyn Observer,
    warn: &dyn Fn(&str),
) -> Result<(Prepared, Report)> {
    let resolved = rt.block_on(pipeline::resolve(config, input, engine.index()));
    let prepared = match resolved {
        Ok(resolved) => {
            let timings = resolved.timings.clone();
            match resolved.draft() {
                Ok(d) => Prepared {
                    source: Some(d.source),
                    analysis: Some(d.analysis),
                    timings: d.timings,
                    rule_text: Some(d.text),
                    drafted: true,
                },
                Err(boxed) => {
                    let (e, resolved) = *boxed;
                    if setup.is_none() {
                        return Err(CliError::failed(e.to_string()));
                    }
                    let sketch = resolved.sketch();
                    Prepared {
                        source: Some(resolved.source),
                        analysis: Some(resolved.analysis),
                        timings,
                        rule_text: Some(sketch),
                        drafted: false,
                    }
                }
            }
        }
        Err(e @ PipelineError::Request(_)) => return Err(CliError::usage(e.to_string())),
        Err(e) if setup.is_none() => return Err(CliError::failed(e.to_string())),
        Err(e) => {
            // The model may know where the source lives when the registries do not.
            warn(&format!(
                "{e}; asking the model to draft from the request alone"
            ));
            Prepared {
                source: None,
                analysis: None,
                timings: Stages::default(),
                rule_text: None,
                drafted: false,
            }
        }
    };
    let plan = match (&prepared.analysis, &prepared.source) {
        (Some(a), Some(s)) => pipeline::check_plan(a, &s.pname),
        _ => CheckPlan {
            kind: Kind::Unknown,
            main_program: None,
            pname: None,
        },
    };
    let tree = prepared.source.as_ref().map(|s| s.tree.as_path());
    let report = match setup {
        None => {
            let text = prepared.rule_text.as_deref().unwrap_or_default();
            engine.run(text, dir, tree, &plan, observer)
        }
        Some(setup) => {
            let set = engine.package_set().describe();
            let facts = match (&prepared.source, &prepared.analysis) {
                (Some(s), Some(a)) => {
                    Facts::from_source(input, s, a, prepared.rule_text.as_deref(), &set)
                }
                _ => Facts::from_request(input, &set),
            };
            let mut assistant = Assistant::new(setup.model.clone(), facts, setup.budget);
            let start = match (&prepared.rule_text, prepared.drafted && !setup.drafts) {
                (Some(text), true) => Start::Text(text),
                (reference, _) => Start::ModelDraft {
                    reference: reference.as_deref(),
                },
            };
            engine.run_assisted(start, dir, tree, &plan, observer, &mut assistant)
        }
    };
    Ok((prepared, report))
}

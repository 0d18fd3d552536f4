//! The loop with a model in it, against real Nix builds (hostpkgs on the build root): a scripted
//! model replays the replies real models give — prose around the code, a syntax error, a policy
//! violation, a made-up hash, a hallucinated attribute, a forgotten dependency, a wrong build
//! command, a repair that makes things worse — and the loop must still end in a derivation that
//! builds and passes the corpus check, within a bounded number of calls. Needs scripts/setup (Nix
//! and the build root), as CI provides.

use std::path::Path;
use std::sync::Arc;

use ai_drv_check::{verify, Corpus};
use ai_drv_config::Config;
use ai_drv_engine::assist::{Assistant, Budget, Facts};
use ai_drv_engine::pipeline::{self, Resolved};
use ai_drv_engine::{Engine, EngineOptions, Outcome, Start, Status};
use ai_drv_hostpkgs::package_set::PackageSet;
use ai_drv_hostpkgs::resolver::Index;
use ai_drv_llm::{ChatRequest, Content, Scripted};
use ai_drv_nix::Nix;

const SL_URL: &str = "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz";
const SL_HASH: &str = "sha256-HlmWdX+HnIHyAqGK2OmCGVz1HEFyfT/qSvAf3Lu1Vjo=";
const MADE_UP: &str = "sha256-0123456789abcdefghijklmnopqrstuvwxyzABCDE=";

/// A derivation for sl as a model would write it; `inputs` are the formals after fetchurl,
/// `build_inputs` the list, `extra` more attributes, `hash` the src hash.
fn sl(inputs: &[&str], build_inputs: &str, extra: &str, hash: &str) -> String {
    let mut formals = vec!["lib", "stdenv", "fetchurl"];
    formals.extend(inputs);
    format!(
        r#"{{ {} }}:

stdenv.mkDerivation (finalAttrs: {{
  pname = "sl";
  version = "5.02";

  src = fetchurl {{
    url = "mirror://debian/pool/main/s/sl/sl_${{finalAttrs.version}}.orig.tar.gz";
    hash = "{hash}";
  }};

  buildInputs = {build_inputs};
{extra}
  makeFlags = [ "CC:=$(CC)" ];

  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/bin sl
    runHook postInstall
  '';

  meta = {{
    description = "Steam locomotive runs across your terminal";
    license = lib.licenses.free;
    mainProgram = "sl";
  }};
}})
"#,
        formals.join(", ")
    )
}

fn setup(max_attempts: u32) -> (Config, Engine) {
    let config = Config::load().unwrap();
    let set = PackageSet::select(&config, None);
    assert_eq!(set.problem(), None, "run scripts/setup first");
    let nix = Nix::detect().unwrap();
    let index = Index::bundled_with(&config).unwrap();
    let options = EngineOptions {
        max_attempts,
        ..EngineOptions::default()
    };
    (config, Engine::new(nix, set, index, options))
}

fn resolve(config: &Config, engine: &Engine, input: &str) -> Resolved {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(pipeline::resolve(config, input, engine.index()))
        .unwrap()
}

fn text_of(request: &ChatRequest) -> String {
    request
        .messages
        .iter()
        .map(|m| match &m.content {
            Content::Text(t) => t.clone(),
            Content::ToolCalls { text, calls } => format!(
                "{}{}",
                text.clone().unwrap_or_default(),
                calls
                    .iter()
                    .map(|c| format!("[call {} {}]", c.name, c.arguments))
                    .collect::<String>()
            ),
            Content::ToolResults(r) => r
                .iter()
                .map(|r| format!("[result {}: {}]", r.name, r.content))
                .collect(),
        })
        .collect::<Vec<_>>()
        .join("\n---\n")
}

fn passes_corpus_check(out: &str) {
    let corpus =
        Corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/dev.toml")).unwrap();
    let check = &corpus.get("sl").unwrap().check;
    assert_eq!(verify(Path::new(out), check), vec![]);
}

#[test]
fn a_messy_model_still_ends_in_a_working_sl() {
    let (config, engine) = setup(10);
    let resolved = resolve(&config, &engine, SL_URL);
    let sketch = resolved.sketch();
    let plan = pipeline::check_plan(&resolved.analysis, &resolved.source.pname);
    let set = engine.package_set().describe();
    let facts = Facts::from_source(
        "Generate a derivation for building `sl`",
        &resolved.source,
        &resolved.analysis,
        Some(&sketch),
        &set,
    );
    let good = sl(&["ncurses"], "[ ncurses ]", "", SL_HASH);
    let replies = vec![
        // 1. Prose around a block with a syntax error (a missing semicolon).
        Scripted::text(format!(
            "Here is a derivation for sl:\n\n```nix\n{}```\nIt should work.",
            good.replace("version = \"5.02\";", "version = \"5.02\"")
        )),
        // 2. A policy violation: downloading in a build phase.
        Scripted::text(format!(
            "```nix\n{}```",
            sl(
                &["ncurses", "curl"],
                "[ ncurses ]",
                "  postPatch = ''\n    curl -LO https://example.invalid/sl-extra.patch\n  '';\n",
                SL_HASH
            )
        )),
        // 3. A made-up hash, a hallucinated attribute, a forgotten ncurses and a wrong target.
        Scripted::text(format!(
            "Sorry about that. Fixed:\n```nix\n{}```",
            sl(
                &["ncursesw5"],
                "[ ncursesw5 ]",
                "  buildPhase = ''\n    make sl-all\n  '';\n",
                MADE_UP
            )
        )),
        // 4. A repair that makes it worse: it no longer evaluates.
        Scripted::text(format!(
            "```nix\n{}```",
            sl(&[], "[ ] ++ extraInputs", "", SL_HASH)
        )),
        // 5. A repair from the rolled-back attempt: the right target, ncurses still forgotten.
        Scripted::text(format!("```nix\n{}```", sl(&[], "[ ]", "", SL_HASH))),
    ];
    let model = Arc::new(Scripted::new(replies));
    let mut assistant = Assistant::new(model.clone(), facts, Budget::default());
    let dir = tempfile::tempdir().unwrap();
    let report = engine.run_assisted(
        Start::ModelDraft {
            reference: Some(&sketch),
        },
        dir.path(),
        Some(&resolved.source.tree),
        &plan,
        &(),
        &mut assistant,
    );
    let outcomes: Vec<(Outcome, Option<String>)> = report
        .attempts
        .iter()
        .map(|a| (a.outcome, a.fix.clone()))
        .collect();
    assert_eq!(
        report.status,
        Status::Success,
        "{outcomes:#?}\n{}",
        report.stopped
    );
    passes_corpus_check(&report.out_paths()[0]);
    // Every reply was used, and no more calls were made.
    assert_eq!(model.remaining(), 0);
    let requests = model.requests();
    assert_eq!(requests.len(), 5);
    let model_report = report.model.as_ref().unwrap();
    assert_eq!(model_report.calls.len(), 5);
    assert!(model_report.input_tokens > 0 && model_report.output_tokens > 0);
    // The draft was grounded: the pinned source and what the analysis found.
    let first = text_of(&requests[0]);
    assert!(
        first.contains("sl_${finalAttrs.version}.orig.tar.gz") && first.contains(SL_HASH),
        "{first}"
    );
    assert!(first.contains("ncurses (buildInputs)"), "{first}");
    assert!(first.contains("Makefile"), "{first}");
    assert!(!requests[0].tools.is_empty());
    // Feedback: the parser's error, then the policy's reason.
    assert!(text_of(&requests[1]).contains("does not parse: line"));
    let third = text_of(&requests[2]);
    assert!(third.contains("safety policy"), "{third}");
    assert!(third.contains("curl"), "{third}");
    // The made-up hash never reached a build; the build computed the real one.
    assert!(report.attempts.iter().all(|a| !a.text.contains(MADE_UP)));
    // (Nix evaluates before it fetches: the hallucinated attribute fails first.)
    assert_eq!(report.attempts[0].outcome, Outcome::EvalFailed);
    assert_eq!(
        report.attempts[1].outcome,
        Outcome::HashMismatch,
        "{outcomes:#?}"
    );
    // The first repair saw the log of the wrong target and the failed attempts.
    let fourth = text_of(&requests[3]);
    assert!(fourth.contains("sl-all"), "{fourth}");
    assert!(fourth.contains("Attempts that already failed"), "{fourth}");
    // The worse repair was rolled back.
    let fifth = text_of(&requests[4]);
    assert!(fifth.contains("## Rolled back"), "{fifth}");
    assert!(
        fifth.contains("make sl-all"),
        "the repair starts from the best attempt: {fifth}"
    );
    // Deterministic fixers did their part in between (hash, hallucinated attribute, ncurses).
    let fixes: Vec<String> = report
        .attempts
        .iter()
        .filter_map(|a| a.fix.clone())
        .collect();
    assert!(
        fixes.iter().any(|f| f.starts_with("hash-mismatch")),
        "{fixes:#?}"
    );
    assert!(
        fixes.iter().any(|f| f.starts_with("unknown-attribute")),
        "{fixes:#?}"
    );
    assert!(
        fixes.iter().any(|f| f.starts_with("missing-input")),
        "{fixes:#?}"
    );
}

#[test]
fn tool_calls_answer_from_the_index_and_the_package_set() {
    let (config, engine) = setup(4);
    let resolved = resolve(&config, &engine, SL_URL);
    let sketch = resolved.sketch();
    let plan = pipeline::check_plan(&resolved.analysis, &resolved.source.pname);
    let facts = Facts::from_source(
        "sl",
        &resolved.source,
        &resolved.analysis,
        Some(&sketch),
        &engine.package_set().describe(),
    );
    let good = sl(&["ncurses"], "[ ncurses ]", "", SL_HASH);
    let model = Arc::new(Scripted::new([
        Scripted::tool_call(
            "find_attribute",
            serde_json::json!({ "kind": "header", "name": "curses.h" }),
        ),
        Scripted::tool_call(
            "attribute_exists",
            serde_json::json!({ "name": "ncursesw5" }),
        ),
        Scripted::tool_call("submit_derivation", serde_json::json!({ "nix": good })),
    ]));
    let mut assistant = Assistant::new(model.clone(), facts, Budget::default());
    let dir = tempfile::tempdir().unwrap();
    let report = engine.run_assisted(
        Start::ModelDraft {
            reference: Some(&sketch),
        },
        dir.path(),
        Some(&resolved.source.tree),
        &plan,
        &(),
        &mut assistant,
    );
    assert_eq!(report.status, Status::Success, "{}", report.stopped);
    // The model copied the src it was given: its hash was kept, one build was enough.
    assert_eq!(report.attempts.len(), 1);
    passes_corpus_check(&report.out_paths()[0]);
    let requests = model.requests();
    assert_eq!(requests.len(), 3);
    let second = text_of(&requests[1]);
    assert!(
        second.contains(
            "[result find_attribute: header curses.h is provided by the attribute `ncurses`]"
        ),
        "{second}"
    );
    let third = text_of(&requests[2]);
    assert!(
        third.contains("[result attribute_exists: `ncursesw5` does not exist in this package set]"),
        "{third}"
    );
}

#[test]
fn budgets_and_useless_replies_stop_the_model() {
    let (config, engine) = setup(4);
    let resolved = resolve(&config, &engine, SL_URL);
    let plan = pipeline::check_plan(&resolved.analysis, &resolved.source.pname);
    let facts = || {
        Facts::from_source(
            "sl",
            &resolved.source,
            &resolved.analysis,
            None,
            &engine.package_set().describe(),
        )
    };
    let prose = || Scripted::text("You could use stdenv.mkDerivation with ncurses.");
    let dir = tempfile::tempdir().unwrap();

    // Replies with no derivation: fed back twice, then the step gives up.
    let model = Arc::new(Scripted::new([prose(), prose(), prose(), prose()]));
    let mut assistant = Assistant::new(model.clone(), facts(), Budget::default());
    let report = engine.run_assisted(
        Start::ModelDraft { reference: None },
        dir.path(),
        None,
        &plan,
        &(),
        &mut assistant,
    );
    assert_eq!(report.status, Status::Failed);
    assert!(report.attempts.is_empty());
    assert!(
        report
            .stopped
            .starts_with("the model gave no usable derivation: the reply has no derivation"),
        "{}",
        report.stopped
    );
    assert_eq!(model.requests().len(), 3);

    // The call budget.
    let model = Arc::new(Scripted::new([prose(), prose(), prose()]));
    let budget = Budget {
        max_calls: 2,
        ..Budget::default()
    };
    let mut assistant = Assistant::new(model.clone(), facts(), budget);
    let report = engine.run_assisted(
        Start::ModelDraft { reference: None },
        dir.path(),
        None,
        &plan,
        &(),
        &mut assistant,
    );
    assert_eq!(
        report.stopped,
        "the model budget is spent: 2 calls (--max-llm-calls)"
    );
    assert_eq!(model.requests().len(), 2);

    // The cost budget: a priced model that answers with prose.
    let model = Arc::new(Scripted::new([prose(), prose(), prose()]).with_price(1_000_000.0));
    let budget = Budget {
        max_cost_usd: 0.5,
        ..Budget::default()
    };
    let mut assistant = Assistant::new(model.clone(), facts(), budget);
    let report = engine.run_assisted(
        Start::ModelDraft { reference: None },
        dir.path(),
        None,
        &plan,
        &(),
        &mut assistant,
    );
    assert!(
        report.stopped.starts_with("the model budget is spent: $"),
        "{}",
        report.stopped
    );
    assert_eq!(model.requests().len(), 1);
    // Nothing was left in the directory.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

//! The prompts: one system prompt with the rules of the game, and one user message per step that
//! carries the facts, cut to fit the model's context.
//!
//! Budget: a prompt must fit `context_tokens` (8192 by default, a small local model) minus the
//! reply's share and the tool specs. Tokens are estimated as one per three characters, which
//! overestimates for English and Nix (about four) so that the estimate errs on the safe side.
//! Sections are added in order of importance; the optional ones are shortened or dropped.

use crate::assist::grounding::Facts;
use crate::attempt::{Attempt, Outcome};

/// Characters per token assumed when fitting prompts (see the module doc).
pub(crate) const CHARS_PER_TOKEN: usize = 3;

pub(crate) const SYSTEM: &str = "\
You write Nix derivations in the style of nixpkgs, for ai-drv, which builds and checks every \
derivation you write and tells you what went wrong.

Reply with exactly one complete derivation: a callPackage function such as
`{ lib, stdenv, fetchurl, ncurses }: stdenv.mkDerivation (finalAttrs: { ... })`,
inside one ```nix fenced block (or through the submit_derivation tool when it is offered).

Rules:
- Take every dependency as a function argument, named by its nixpkgs attribute. Use the attributes \
listed under Dependencies; when a tool to look attributes up is offered, use it instead of guessing.
- Use the `src` binding given under Source exactly as it is. Never invent a hash: write `hash = \"\";` \
for any other fetcher; ai-drv computes every hash itself.
- No network access while building (no curl, wget, git, pip/npm/cargo install), no \
`import <nixpkgs>`, no absolute paths, no builtins.fetch*, no files next to the derivation \
(patches must come from a fetcher), no sudo, no writes outside $out.
- Install into $out only. Put programs in $out/bin.
- Add meta with description, homepage when known, license (lib.licenses.*) and mainProgram.
- Keep it minimal; do not explain at length.";

/// How many characters a prompt may have for a model with `context_tokens`.
pub(crate) fn budget_chars(context_tokens: u32, max_output_tokens: u32, tools: bool) -> usize {
    let tools_share = if tools { 600 } else { 0 };
    let system = SYSTEM.len() / CHARS_PER_TOKEN;
    let tokens = (context_tokens as usize)
        .saturating_sub(max_output_tokens as usize)
        .saturating_sub(tools_share)
        .saturating_sub(system)
        .max(512);
    tokens * CHARS_PER_TOKEN
}

/// A message assembled from sections within a character budget.
struct Builder {
    out: String,
    budget: usize,
}

impl Builder {
    fn new(budget: usize) -> Builder {
        Builder {
            out: String::new(),
            budget,
        }
    }

    fn left(&self) -> usize {
        self.budget.saturating_sub(self.out.len())
    }

    /// Adds a section whole (required sections: added even over budget).
    fn section(&mut self, title: &str, body: &str) {
        if body.trim().is_empty() {
            return;
        }
        self.out
            .push_str(&format!("## {title}\n{}\n\n", body.trim_end()));
    }

    /// Adds as many of `lines` as fit; says how many were left out.
    fn lines(&mut self, title: &str, lines: &[String], fence: bool) {
        if lines.is_empty() {
            return;
        }
        let overhead = title.len() + 16;
        let room = self.left().saturating_sub(overhead + 40);
        let mut body = String::new();
        let mut taken = 0;
        for line in lines {
            if body.len() + line.len() + 1 > room {
                break;
            }
            body.push_str(line);
            body.push('\n');
            taken += 1;
        }
        if taken == 0 {
            return;
        }
        if taken < lines.len() {
            body.push_str(&format!("… {} more lines left out\n", lines.len() - taken));
        }
        if fence {
            body = format!("```\n{body}```");
        }
        self.section(title, &body);
    }
}

fn facts_sections(b: &mut Builder, facts: &Facts) {
    b.section("Request", &facts.request);
    let mut source = Vec::new();
    if let (Some(p), Some(v)) = (&facts.pname, &facts.version) {
        source.push(format!("pname = \"{p}\"; version = \"{v}\";"));
    }
    if let Some(s) = &facts.source {
        source.push(format!("found as: {s}"));
    }
    if let Some(src) = &facts.src {
        source.push(format!(
            "use this binding as it is (its hash was computed by ai-drv; it needs the arguments {}):\n{src}",
            facts.src_formals.join(", ")
        ));
    }
    if source.is_empty() {
        source.push(
            "no source was resolved: choose the upstream release archive and write `hash = \"\";`"
                .into(),
        );
    }
    b.section("Source", &source.join("\n"));
    let mut about = Vec::new();
    if let Some(bs) = &facts.build_system {
        about.push(format!("build system: {bs}"));
    }
    if let Some(d) = &facts.description {
        about.push(format!("description: {d}"));
    }
    if let Some(h) = &facts.homepage {
        about.push(format!("homepage: {h}"));
    }
    if !facts.licenses.is_empty() {
        about.push(format!(
            "license: lib.licenses.{}",
            facts.licenses.join(", lib.licenses.")
        ));
    }
    if let Some(m) = &facts.main_program {
        about.push(format!("main program: {m}"));
    }
    about.push(format!("package set: {}", facts.package_set));
    b.section("What ai-drv found", &about.join("\n"));
    if !facts.dependencies.is_empty() {
        b.section(
            "Dependencies (attribute, list, why)",
            &facts.dependencies.join("\n"),
        );
    }
    if !facts.unresolved.is_empty() {
        b.section(
            "Needed, but no attribute found (look them up or leave them out)",
            &facts.unresolved.join("\n"),
        );
    }
}

fn tree_sections(b: &mut Builder, facts: &Facts) {
    b.lines("Source tree", &facts.tree, true);
    for excerpt in &facts.excerpts {
        let lines: Vec<String> = excerpt.text.lines().map(String::from).collect();
        b.lines(&format!("{} (excerpt)", excerpt.file), &lines, true);
    }
}

/// The first message of a draft.
pub(crate) fn draft(facts: &Facts, budget: usize) -> String {
    let mut b = Builder::new(budget);
    b.out.push_str("Write a derivation for this request.\n\n");
    facts_sections(&mut b, facts);
    tree_sections(&mut b, facts);
    b.out
}

/// An outcome in a few words.
pub(crate) fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Rejected => "rejected by the policy",
        Outcome::EvalFailed => "did not evaluate",
        Outcome::HashMismatch => "hash mismatch",
        Outcome::BuildFailed => "build failed",
        Outcome::CheckFailed => "built, check failed",
        Outcome::Success => "worked",
    }
}

/// One line per failed attempt, for "do not repeat".
pub(crate) fn attempt_line(a: &Attempt, diagnosis: Option<&str>) -> String {
    let outcome = outcome_words(a.outcome);
    let mut line = format!("attempt {}: {outcome}", a.number);
    if let Some(phase) = &a.phase {
        line.push_str(&format!(" in {phase}"));
    }
    if let Some(d) = diagnosis {
        line.push_str(&format!(": {d}"));
    }
    if let Some(fix) = &a.fix {
        line.push_str(&format!(" (then: {fix})"));
    }
    line
}

/// What went wrong in one attempt: diagnosis, policy reasons, check failures and a log excerpt
/// (the first error region, then the end).
pub(crate) struct Failure<'a> {
    pub attempt: &'a Attempt,
    pub diagnosis: Option<String>,
    pub history: Vec<String>,
    pub rolled_back: Option<String>,
}

/// The first message of a repair.
pub(crate) fn repair(facts: &Facts, current: &str, failure: &Failure<'_>, budget: usize) -> String {
    let mut b = Builder::new(budget);
    b.out.push_str(
        "The derivation below does not work yet. Fix it and reply with the whole corrected derivation.\n\n",
    );
    if let Some(note) = &failure.rolled_back {
        b.section("Rolled back", note);
    }
    let a = failure.attempt;
    let mut wrong = Vec::new();
    if let Some(d) = &failure.diagnosis {
        wrong.push(format!("diagnosis: {d}"));
    }
    for v in &a.violations {
        wrong.push(format!("policy: {}", super::violation_line(v)));
    }
    if let Some(check) = &a.check {
        for f in &check.failures {
            wrong.push(format!("check: {f}"));
        }
        if !check.output.is_empty() {
            wrong.push(format!("check output: {}", check.output.trim()));
        }
    }
    b.section("What went wrong", &wrong.join("\n"));
    b.section("Current derivation", &format!("```nix\n{}```", current));
    // The log comes before the other facts: it is what the repair is about.
    let mut log = a.error_region.clone();
    if !log.is_empty() && !a.log_excerpt.is_empty() {
        log.push("…".into());
    }
    for line in &a.log_excerpt {
        if !a.error_region.contains(line) {
            log.push(line.clone());
        }
    }
    b.lines("Build log (first error, then the end)", &log, true);
    if !failure.history.is_empty() {
        b.lines(
            "Attempts that already failed (do not repeat them)",
            &failure.history,
            false,
        );
    }
    facts_sections(&mut b, facts);
    tree_sections(&mut b, facts);
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_leaves_room_for_the_reply() {
        let chars = budget_chars(8192, 2048, true);
        assert!(chars / CHARS_PER_TOKEN + 2048 + 600 + SYSTEM.len() / CHARS_PER_TOKEN <= 8192);
        assert!(chars > 10_000);
    }

    #[test]
    fn long_listings_are_cut_to_the_budget() {
        let facts = Facts {
            request: "package `x`".into(),
            tree: (0..5000).map(|i| format!("src/file{i}.c")).collect(),
            package_set: "hostpkgs".into(),
            ..Facts::default()
        };
        let text = draft(&facts, 3000);
        assert!(text.len() <= 3000, "{}", text.len());
        assert!(text.contains("## Request\npackage `x`"));
        assert!(text.contains("more lines left out"));
    }
}

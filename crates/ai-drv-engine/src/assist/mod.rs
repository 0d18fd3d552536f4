//! The model inside the loop. It drafts when the rules cannot and repairs when no deterministic
//! fixer applies; hashes, builds and checks stay with code.
//!
//! One step (a draft or a repair) is a short conversation: the system prompt, one grounded user
//! message, then — bounded — tool calls answered from the resolver index, and feedback when the
//! reply has no parsable derivation, breaks the policy, or repeats a text already built. What a
//! step returns has passed the parser and the policy, has its untrusted hashes replaced by the
//! fake hash, and is formatted like nixpkgs. Every call is recorded with its tokens and cost, and
//! budgets (calls, tokens, dollars) stop the model before they are exceeded.

mod grounding;
mod prompt;
mod reply;
mod tools;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ai_drv_hostpkgs::resolver::Index;
use ai_drv_llm::{ChatRequest, Content, Message, Model, Reply, Role, ToolResult};
use ai_drv_syntax::Document;
use serde::Serialize;

pub use grounding::{Excerpt, Facts};
pub(crate) use prompt::{attempt_line, outcome_words, Failure};
pub(crate) use tools::is_attr_path;

use crate::attempt::seconds;

/// Limits on what the model may spend in one run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Budget {
    /// Model calls (tool rounds and feedback included).
    pub max_calls: u32,
    /// Input plus output tokens over all calls.
    pub max_tokens: u64,
    /// Estimated US dollars over all calls (calls with an unknown price count as 0).
    pub max_cost_usd: f64,
    /// Tokens a reply may use.
    pub max_output_tokens: u32,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_calls: 16,
            max_tokens: 250_000,
            max_cost_usd: 1.0,
            max_output_tokens: 2048,
        }
    }
}

/// One call to the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Call {
    /// `draft`, `repair after attempt 3`…
    pub step: String,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_usd: Option<f64>,
    #[serde(serialize_with = "seconds")]
    pub duration: Duration,
    /// What came back: `derivation`, `tool calls: find_attribute`, `no derivation: …`, `error: …`.
    pub result: String,
}

/// What the model did and cost in one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelReport {
    pub model: String,
    pub calls: Vec<Call>,
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// None when no call had a known price.
    pub cost_usd: Option<f64>,
    pub budget: Option<Budget>,
}

/// A derivation text the model proposed, ready to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Proposal {
    pub text: String,
    pub summary: String,
}

/// What a step needs from the loop.
pub(crate) struct StepInput<'a> {
    pub index: &'a Index,
    /// Where the file will live (relative paths resolve against it).
    pub dir: &'a Path,
    /// Texts already built.
    pub seen: &'a HashSet<String>,
    /// Whether an attribute exists in the package set.
    pub exists: &'a dyn Fn(&str) -> Option<bool>,
}

/// The model with its facts, budget and record.
pub struct Assistant {
    model: Arc<dyn Model>,
    facts: Facts,
    budget: Budget,
    report: ModelReport,
    /// At most this many tool rounds per step.
    tool_rounds: u32,
    /// At most this many feedback rounds (no derivation, parse error, policy, repeat) per step.
    feedback_rounds: u32,
}

impl Assistant {
    pub fn new(model: Arc<dyn Model>, facts: Facts, budget: Budget) -> Assistant {
        let report = ModelReport {
            model: model.describe(),
            budget: Some(budget),
            ..ModelReport::default()
        };
        Assistant {
            model,
            facts,
            budget,
            report,
            tool_rounds: 4,
            feedback_rounds: 2,
        }
    }

    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    pub fn report(&self) -> &ModelReport {
        &self.report
    }

    /// `provider:model`.
    pub fn describe(&self) -> String {
        self.model.describe()
    }

    /// A first draft. `reference` is a text ai-drv made (its hashes are trusted where the model
    /// keeps them at the same fetcher call).
    pub(crate) fn draft(
        &mut self,
        input: &StepInput<'_>,
        reference: Option<&Document>,
    ) -> Result<Proposal, String> {
        let budget = self.prompt_budget();
        let message = prompt::draft(&self.facts, budget);
        self.step("draft", message, input, reference)
    }

    /// A repair of `current` after `failure`.
    pub(crate) fn repair(
        &mut self,
        input: &StepInput<'_>,
        current: &str,
        failure: &Failure<'_>,
    ) -> Result<Proposal, String> {
        let budget = self.prompt_budget();
        let message = prompt::repair(&self.facts, current, failure, budget);
        let reference = Document::parse(current).ok();
        let step = format!("repair after attempt {}", failure.attempt.number);
        self.step(&step, message, input, reference.as_ref())
    }

    fn prompt_budget(&self) -> usize {
        prompt::budget_chars(
            self.model.context_tokens(),
            self.budget.max_output_tokens,
            self.model.supports_tools(),
        )
    }

    /// Why no further call may be made, if so.
    fn exhausted(&self) -> Option<String> {
        let r = &self.report;
        if r.calls.len() as u32 >= self.budget.max_calls {
            return Some(format!(
                "the model budget is spent: {} calls (--max-llm-calls)",
                r.calls.len()
            ));
        }
        if r.input_tokens + r.output_tokens >= self.budget.max_tokens {
            return Some(format!(
                "the model budget is spent: {} tokens (--max-llm-tokens)",
                r.input_tokens + r.output_tokens
            ));
        }
        if r.cost_usd.unwrap_or(0.0) >= self.budget.max_cost_usd {
            return Some(format!(
                "the model budget is spent: ${:.4} (--max-llm-cost)",
                r.cost_usd.unwrap_or(0.0)
            ));
        }
        None
    }

    fn call(&mut self, step: &str, request: &ChatRequest) -> Result<Reply, String> {
        if let Some(why) = self.exhausted() {
            return Err(why);
        }
        let start = Instant::now();
        let result = self.model.chat(request);
        let duration = start.elapsed();
        match result {
            Ok(reply) => {
                let u = reply.usage;
                self.report.input_tokens += u.input_tokens;
                self.report.output_tokens += u.output_tokens;
                if let Some(c) = u.cost_usd {
                    self.report.cost_usd = Some(self.report.cost_usd.unwrap_or(0.0) + c);
                }
                self.report.calls.push(Call {
                    step: step.to_string(),
                    input_tokens: u.input_tokens,
                    output_tokens: u.output_tokens,
                    cost_usd: u.cost_usd,
                    duration: if reply.duration.is_zero() {
                        duration
                    } else {
                        reply.duration
                    },
                    result: String::new(),
                });
                Ok(reply)
            }
            Err(e) => {
                self.report.calls.push(Call {
                    step: step.to_string(),
                    input_tokens: 0,
                    output_tokens: 0,
                    cost_usd: None,
                    duration,
                    result: format!("error: {e}"),
                });
                Err(format!("the model failed: {e}"))
            }
        }
    }

    fn note(&mut self, result: String) {
        if let Some(call) = self.report.calls.last_mut() {
            call.result = result;
        }
    }

    fn step(
        &mut self,
        step: &str,
        message: String,
        input: &StepInput<'_>,
        reference: Option<&Document>,
    ) -> Result<Proposal, String> {
        let tools = self.model.supports_tools();
        let mut request = ChatRequest {
            messages: vec![Message::system(prompt::SYSTEM), Message::user(message)],
            tools: if tools { tools::specs() } else { Vec::new() },
            max_output_tokens: self.budget.max_output_tokens,
            temperature: Some(0.2),
        };
        let mut tool_rounds = 0;
        let mut feedback_rounds = 0;
        loop {
            let reply = self.call(step, &request)?;
            let lookups: Vec<_> = reply
                .tool_calls
                .iter()
                .filter(|c| c.name != reply::SUBMIT)
                .cloned()
                .collect();
            if !lookups.is_empty() && !reply.tool_calls.iter().any(|c| c.name == reply::SUBMIT) {
                tool_rounds += 1;
                let names: Vec<&str> = lookups.iter().map(|c| c.name.as_str()).collect();
                self.note(format!("tool calls: {}", names.join(", ")));
                let results = lookups
                    .iter()
                    .map(|call| ToolResult {
                        id: call.id.clone(),
                        name: call.name.clone(),
                        content: tools::answer(call, input.index, input.exists),
                    })
                    .collect();
                request.messages.push(Message {
                    role: Role::Assistant,
                    content: Content::ToolCalls {
                        text: (!reply.text.is_empty()).then(|| reply.text.clone()),
                        calls: lookups,
                    },
                });
                request.messages.push(Message {
                    role: Role::User,
                    content: Content::ToolResults(results),
                });
                if tool_rounds >= self.tool_rounds {
                    // Enough lookups: the next reply must be the derivation.
                    request.tools.retain(|t| t.name == reply::SUBMIT);
                }
                continue;
            }
            match self.accept(&reply, input, reference) {
                Ok(proposal) => {
                    self.note("derivation".into());
                    return Ok(proposal);
                }
                Err(feedback) => {
                    self.note(format!("no usable derivation: {}", first_line(&feedback)));
                    if feedback_rounds >= self.feedback_rounds {
                        return Err(format!(
                            "the model gave no usable derivation: {}",
                            first_line(&feedback)
                        ));
                    }
                    feedback_rounds += 1;
                    push_feedback(&mut request, &reply, feedback);
                }
            }
        }
    }

    /// A reply's derivation, checked, or the feedback to send back.
    fn accept(
        &self,
        reply: &Reply,
        input: &StepInput<'_>,
        reference: Option<&Document>,
    ) -> Result<Proposal, String> {
        let text = reply::extract(reply)?;
        let doc = reply::parse(&text)?;
        let violations = ai_drv_policy::check(doc.text(), Some(input.dir));
        if !violations.is_empty() {
            let lines: Vec<String> = violations
                .iter()
                .map(|v| format!("- {}", violation_line(v)))
                .collect();
            return Err(format!(
                "ai-drv's safety policy rejected the derivation:\n{}\nFix these and reply with the whole derivation.",
                lines.join("\n")
            ));
        }
        let (doc, replaced) = reply::distrust_hashes(reference, &doc);
        let formatted = ai_drv_draft::format(doc.text());
        // The formatter must not change the meaning; if it made something unparsable, keep ours.
        let text = if Document::parse(&formatted).is_ok() {
            formatted
        } else {
            doc.text().to_string()
        };
        if input.seen.contains(&text) {
            return Err("that derivation was already built and failed as described; change what the diagnosis points at".into());
        }
        let mut summary = format!("{} wrote a new derivation", self.model.describe());
        if replaced > 0 {
            summary.push_str(&format!(
                " ({replaced} hash{} it wrote replaced by the fake hash)",
                if replaced == 1 { "" } else { "es" }
            ));
        }
        Ok(Proposal { text, summary })
    }
}

fn push_feedback(request: &mut ChatRequest, reply: &Reply, feedback: String) {
    let submitted: Vec<_> = reply
        .tool_calls
        .iter()
        .filter(|c| c.name == reply::SUBMIT)
        .cloned()
        .collect();
    if submitted.is_empty() {
        request
            .messages
            .push(Message::assistant(reply.text.clone()));
        request.messages.push(Message::user(feedback));
    } else {
        let results = submitted
            .iter()
            .map(|c| ToolResult {
                id: c.id.clone(),
                name: c.name.clone(),
                content: feedback.clone(),
            })
            .collect();
        request.messages.push(Message {
            role: Role::Assistant,
            content: Content::ToolCalls {
                text: (!reply.text.is_empty()).then(|| reply.text.clone()),
                calls: submitted,
            },
        });
        request.messages.push(Message {
            role: Role::User,
            content: Content::ToolResults(results),
        });
    }
}

/// A policy violation on one line (`line 12: reason (rule)`).
pub fn violation_line(v: &ai_drv_policy::Violation) -> String {
    v.to_string()
}

/// Feedback on one line, for records and errors.
fn first_line(text: &str) -> String {
    let joined = text
        .lines()
        .map(|l| l.trim().trim_start_matches("- "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    match joined.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &joined[..i]),
        None => joined,
    }
}

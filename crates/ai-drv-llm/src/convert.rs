//! Between ai-drv's plain chat types and `genai`'s: requests out, replies back.

use genai::chat::{
    ChatMessage, ChatOptions, ChatRequest as GenaiRequest, ChatResponse, ContentPart,
    MessageContent, Tool, ToolCall as GenaiToolCall, ToolResponse,
};

use crate::providers::Price;
use crate::types::{ChatRequest, Content, Reply, Role, ToolCall, Usage};

/// The `genai` request and options for one call. Tools are left out entirely when none are
/// offered or the settings say not to send them (some servers reject an empty `tools`).
pub(crate) fn request(req: &ChatRequest, send_tools: bool) -> (GenaiRequest, ChatOptions) {
    // Leading system messages become the request's system prompt: every adapter puts that
    // where its API wants it (OpenAI's first message, Anthropic's `system`, Gemini's
    // `systemInstruction`, the Responses API's `instructions`).
    let leading = req
        .messages
        .iter()
        .take_while(|m| m.role == Role::System && matches!(m.content, Content::Text(_)))
        .count();
    let system: Vec<&str> = req.messages[..leading]
        .iter()
        .filter_map(|m| m.text())
        .collect();
    let messages = req.messages[leading..].iter().map(message).collect();
    let mut out = GenaiRequest::new(messages);
    if !system.is_empty() {
        out = out.with_system(system.join("\n\n"));
    }
    if send_tools && !req.tools.is_empty() {
        out = out.with_tools(req.tools.iter().map(|t| {
            Tool::new(t.name.clone())
                .with_description(t.description.clone())
                .with_schema(t.parameters.clone())
        }));
    }
    let mut options = ChatOptions::default()
        .with_max_tokens(req.max_output_tokens)
        // Kept so that a 200 whose body is not a reply at all can be told from an empty answer.
        .with_capture_raw_body(true);
    if let Some(t) = req.temperature {
        // Through the decimal form: `0.2f32 as f64` is 0.20000000298…, which would be sent.
        let t = t.to_string().parse::<f64>().unwrap_or(f64::from(t));
        options = options.with_temperature(t);
    }
    (out, options)
}

fn message(m: &crate::types::Message) -> ChatMessage {
    match (&m.content, m.role) {
        (Content::Text(text), Role::System) => ChatMessage::system(text.as_str()),
        (Content::Text(text), Role::User) => ChatMessage::user(text.as_str()),
        (Content::Text(text), Role::Assistant) => ChatMessage::assistant(text.as_str()),
        (Content::ToolCalls { text, calls }, _) => {
            let mut parts: Vec<ContentPart> = Vec::new();
            if let Some(text) = text.as_deref().filter(|t| !t.is_empty()) {
                parts.push(ContentPart::Text(text.to_string()));
            }
            parts.extend(calls.iter().map(|c| {
                ContentPart::ToolCall(GenaiToolCall {
                    call_id: c.id.clone(),
                    fn_name: c.name.clone(),
                    fn_arguments: c.arguments.clone(),
                    thought_signatures: None,
                })
            }));
            ChatMessage::assistant(MessageContent::from_parts(parts))
        }
        (Content::ToolResults(results), _) => {
            ChatMessage::tool(MessageContent::from_tool_responses(
                results
                    .iter()
                    .map(|r| {
                        ToolResponse::new(r.id.clone(), r.content.clone())
                            .with_fn_name(r.name.clone())
                    })
                    .collect(),
            ))
        }
    }
}

/// The reply, with usage priced at `price`.
pub(crate) fn reply(resp: ChatResponse, price: Option<Price>) -> Reply {
    let text = resp.content.texts().join("\n");
    let tool_calls = resp
        .content
        .tool_calls()
        .into_iter()
        .map(|c| ToolCall {
            id: c.call_id.clone(),
            name: c.fn_name.clone(),
            arguments: c.fn_arguments.clone(),
        })
        .collect();
    let tokens = |n: Option<i32>| n.map_or(0, |n| u64::try_from(n).unwrap_or(0));
    let input_tokens = tokens(resp.usage.prompt_tokens);
    let output_tokens = tokens(resp.usage.completion_tokens);
    Reply {
        text,
        tool_calls,
        usage: Usage {
            input_tokens,
            output_tokens,
            cost_usd: price.map(|p| p.cost(input_tokens, output_tokens)),
        },
        model: resp.provider_model_iden.model_name.to_string(),
        duration: std::time::Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Message, ToolResult, ToolSpec};
    use genai::chat::ChatRole;
    use serde_json::json;

    #[test]
    fn leading_system_messages_become_the_system_prompt() {
        let req = ChatRequest {
            messages: vec![
                Message::system("a"),
                Message::system("b"),
                Message::user("q"),
                Message::system("late"),
            ],
            tools: vec![ToolSpec {
                name: "t".into(),
                description: "d".into(),
                parameters: json!({"type": "object"}),
            }],
            max_output_tokens: 10,
            temperature: Some(0.2),
        };
        let (out, options) = request(&req, true);
        assert_eq!(out.system.as_deref(), Some("a\n\nb"));
        assert_eq!(
            out.messages
                .iter()
                .map(|m| m.role.clone())
                .collect::<Vec<_>>(),
            [ChatRole::User, ChatRole::System]
        );
        assert_eq!(out.tools.as_ref().map(Vec::len), Some(1));
        assert_eq!(options.temperature, Some(0.2));
        assert_eq!(options.max_tokens, Some(10));
        let (out, _) = request(&req, false);
        assert!(out.tools.is_none());
    }

    #[test]
    fn tool_turns() {
        let req = ChatRequest {
            messages: vec![
                Message::user("q"),
                Message {
                    role: Role::Assistant,
                    content: Content::ToolCalls {
                        text: Some("looking".into()),
                        calls: vec![ToolCall {
                            id: "c1".into(),
                            name: "f".into(),
                            arguments: json!({"x": 1}),
                        }],
                    },
                },
                Message {
                    role: Role::User,
                    content: Content::ToolResults(vec![ToolResult {
                        id: "c1".into(),
                        name: "f".into(),
                        content: "42".into(),
                    }]),
                },
            ],
            tools: vec![],
            max_output_tokens: 10,
            temperature: None,
        };
        let (out, _) = request(&req, true);
        assert_eq!(out.messages[1].role, ChatRole::Assistant);
        assert_eq!(out.messages[1].content.texts(), ["looking"]);
        assert_eq!(
            out.messages[1].content.tool_calls()[0].fn_arguments,
            json!({"x": 1})
        );
        assert_eq!(out.messages[2].role, ChatRole::Tool);
        let responses = out.messages[2].content.tool_responses();
        assert_eq!(responses[0].call_id, "c1");
        assert_eq!(responses[0].fn_name.as_deref(), Some("f"));
        assert_eq!(responses[0].content, "42");
    }
}

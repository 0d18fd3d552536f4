//! The one [`Model`] implementation: a `genai` client pointed at exactly one provider, model,
//! base URL and key, with a runtime of its own so that [`Model::chat`] can block.
//!
//! Why `genai` and not `rig-core`: `genai` is a chat-focused client with native adapters for
//! every wire format ai-drv needs — OpenAI chat completions, the OpenAI Responses API, Anthropic
//! Messages, Gemini generateContent and Ollama's native `/api/chat` — so each provider here is a
//! table of defaults, not a protocol implementation. A `ServiceTargetResolver` fixes the
//! endpoint, the auth and the model for every call of a client, so keys stay ours (read from our
//! settings; genai's own environment lookups never run) and go only to the base URL they were
//! configured with; `WebConfig` carries the timeouts; and `Error::status()` / `Error::headers()`
//! give the status and `retry-after` that bounded retries need, without matching its internals.
//! `rig-core` is an agent framework — agents, pipelines, tools, vector stores, loaders,
//! transcription and image generation — with a much larger surface and a loop of its own, where
//! ai-drv's engine already is the loop and needs one chat call.
//!
//! One genai convention shows through: a trailing reasoning-effort word on an OpenAI or Gemini
//! model name (`-low`, `-medium`, `-high`, `-max`, …) is taken off the name and sent as the
//! reasoning effort instead.

use std::sync::Arc;
use std::time::{Duration, Instant};

use genai::adapter::AdapterKind;
use genai::resolver::{AuthData, Endpoint};
use genai::{Client, Headers, ModelIden, ServiceTarget, WebConfig};

use crate::convert;
use crate::errors::{classify, Context, Failure};
use crate::providers::Provider;
use crate::retry::{backoff, jitter_unit};
use crate::settings::Settings;
use crate::types::{ChatRequest, LlmError, Model, Reply};

/// A model for `settings`. Nothing is sent until the first [`Model::chat`].
pub fn connect(settings: &Settings) -> Result<Arc<dyn Model>, LlmError> {
    Ok(Arc::new(GenaiModel::new(settings)?))
}

struct GenaiModel {
    settings: Settings,
    provider: &'static dyn Provider,
    client: Client,
    iden: ModelIden,
    /// `Option` only so that `Drop` can take it (see there).
    runtime: Option<tokio::runtime::Runtime>,
}

impl GenaiModel {
    fn new(settings: &Settings) -> Result<GenaiModel, LlmError> {
        let provider = settings.provider.provider();
        let setup = |detail: String| LlmError::Request {
            provider: provider.name().into(),
            detail,
        };
        let adapter = provider.adapter();
        let iden = ModelIden::new(adapter, settings.model.as_str());
        let auth = match settings.key() {
            Some(key) => AuthData::from_single(key.expose()),
            // genai's OpenAI adapter insists on a key; a server without one gets the same request
            // at the same URL with no headers of ours at all (no `Authorization`).
            None if adapter == AdapterKind::OpenAI => AuthData::RequestOverride {
                url: format!("{}chat/completions", settings.base_url),
                headers: Headers::default(),
            },
            None => AuthData::None,
        };
        let target = ServiceTarget {
            endpoint: Endpoint::from_owned(settings.base_url.as_str()),
            auth,
            model: iden.clone(),
        };
        let web = WebConfig::default()
            .with_timeout(settings.timeout)
            .with_connect_timeout(settings.timeout.min(Duration::from_secs(10)));
        let client = Client::builder()
            .with_adapter_kind(adapter)
            .with_web_config(web)
            // Every call goes to our endpoint with our auth, whatever genai would infer.
            .with_service_target_resolver_fn(
                move |_: ServiceTarget| -> Result<ServiceTarget, genai::resolver::Error> {
                    Ok(target.clone())
                },
            )
            .build()
            .map_err(|_| setup("the HTTP client could not be built".into()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ai-drv-llm")
            .enable_all()
            .build()
            .map_err(|e| setup(format!("no async runtime: {e}")))?;
        Ok(GenaiModel {
            settings: settings.clone(),
            provider,
            client,
            iden,
            runtime: Some(runtime),
        })
    }

    fn context(&self) -> Context<'_> {
        Context {
            provider: self.provider.name(),
            model: &self.settings.model,
            base_url: &self.settings.base_url,
            timeout: self.settings.timeout,
            key_variable: self.settings.key_variable(),
            key: self.settings.key().map(|k| k.expose()),
        }
    }

    /// The call with its retries; the number of retries made comes back with the result.
    async fn call(&self, request: &ChatRequest) -> (Result<Reply, LlmError>, u32, String) {
        let (req, options) = convert::request(request, self.settings.tools);
        let max = self.settings.max_retries;
        let mut retry = 0;
        loop {
            let outcome = match self
                .client
                .exec_chat(self.iden.clone(), req.clone(), Some(&options))
                .await
            {
                Ok(resp) => match resp.captured_raw_body.as_ref() {
                    Some(body) if body.get(self.provider.reply_field()).is_none() => Err((
                        Failure::BadReply {
                            detail: format!("no '{}' in the reply", self.provider.reply_field()),
                        },
                        None,
                    )),
                    _ => Ok(convert::reply(resp, self.settings.price())),
                },
                Err(e) => Err(classify(&e)),
            };
            match outcome {
                Ok(reply) => return (Ok(reply), retry, "ok".into()),
                Err((failure, server_delay)) if failure.retryable() && retry < max => {
                    let delay = server_delay
                        .unwrap_or_else(|| backoff(self.settings.backoff, retry, jitter_unit()));
                    tracing::warn!(
                        provider = self.provider.name(),
                        model = %self.settings.model,
                        attempt = retry + 1,
                        reason = %failure.label(),
                        delay_ms = delay.as_millis() as u64,
                        "model call failed; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    retry += 1;
                }
                Err((failure, _)) => {
                    let label = failure.label();
                    return (
                        Err(failure.into_error(&self.context(), retry + 1)),
                        retry,
                        label,
                    );
                }
            }
        }
    }

    fn run(
        &self,
        runtime: &tokio::runtime::Runtime,
        request: &ChatRequest,
    ) -> (Result<Reply, LlmError>, u32, String) {
        runtime.block_on(self.call(request))
    }
}

impl Model for GenaiModel {
    fn describe(&self) -> String {
        format!("{}:{}", self.provider.name(), self.settings.model)
    }

    fn supports_tools(&self) -> bool {
        self.settings.tools
    }

    fn context_tokens(&self) -> u32 {
        self.settings.context_tokens
    }

    fn chat(&self, request: &ChatRequest) -> Result<Reply, LlmError> {
        let Some(runtime) = self.runtime.as_ref() else {
            return Err(LlmError::Request {
                provider: self.provider.name().into(),
                detail: "the model was shut down".into(),
            });
        };
        let start = Instant::now();
        // Blocking inside a runtime panics; a caller that is itself async gets its own thread.
        let (result, retries, status) = if tokio::runtime::Handle::try_current().is_ok() {
            std::thread::scope(|s| {
                s.spawn(|| self.run(runtime, request))
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
        } else {
            self.run(runtime, request)
        };
        let duration = start.elapsed();
        let (input_tokens, output_tokens) = result
            .as_ref()
            .map(|r| (r.usage.input_tokens, r.usage.output_tokens))
            .unwrap_or_default();
        tracing::debug!(
            provider = self.provider.name(),
            model = %self.settings.model,
            base_url = %self.settings.base_url,
            status = %status,
            input_tokens,
            output_tokens,
            ms = duration.as_millis() as u64,
            retries,
            "model call"
        );
        result.map(|mut reply| {
            reply.duration = duration;
            reply
        })
    }
}

impl Drop for GenaiModel {
    fn drop(&mut self) {
        // Dropping a runtime from async code panics; shutting it down in the background does
        // not, and there is nothing of ours left running on it to wait for.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

//! Which provider, model, server and key: flags over environment over config file.

mod common;

use std::time::Duration;

use ai_drv_config::{Config, Env};
use ai_drv_llm::{connect, settings, LlmError, Price, ProviderArgs, ProviderKind, Settings};
use common::*;
use serde_json::json;

/// A config file with `toml` and exactly `env` as the environment.
fn with_file(dir: &tempfile::TempDir, toml: &str, env: &[(&str, &str)]) -> Config {
    let path = dir.path().join("config.toml");
    std::fs::write(&path, toml).unwrap();
    let mut pairs = vec![("AI_DRV_CONFIG", path.to_str().unwrap())];
    pairs.extend_from_slice(env);
    Config::load_with(Env::from_pairs(pairs)).unwrap()
}

fn args(provider: Option<&str>, model: Option<&str>, base_url: Option<&str>) -> ProviderArgs {
    ProviderArgs {
        provider: provider.map(Into::into),
        model: model.map(Into::into),
        base_url: base_url.map(Into::into),
    }
}

fn resolve(config: &Config, a: &ProviderArgs) -> Settings {
    settings(config, a).unwrap().unwrap()
}

const FILE: &str = r#"
[llm]
provider = "ollama"
model = "file-model"
base-url = "http://file.invalid:1"
timeout = 30
"#;

#[test]
fn nothing_chosen_is_none() {
    assert_eq!(settings(&config(&[]), &ProviderArgs::default()), Ok(None));
    // A key alone does not choose a provider.
    assert_eq!(
        settings(
            &config(&[("OPENAI_API_KEY", "sk-x")]),
            &ProviderArgs::default()
        ),
        Ok(None)
    );
}

#[test]
fn flags_over_environment_over_file() {
    let dir = tempfile::tempdir().unwrap();
    let none = args(None, None, None);

    let s = resolve(&with_file(&dir, FILE, &[]), &none);
    assert_eq!(
        (s.provider, s.model.as_str(), s.base_url.as_str()),
        (ProviderKind::Ollama, "file-model", "http://file.invalid:1/")
    );
    assert_eq!(s.timeout, Duration::from_secs(30));

    let env = [
        ("AI_DRV_MODEL", "env-model"),
        ("OLLAMA_HOST", "env.invalid:2"),
    ];
    let s = resolve(&with_file(&dir, FILE, &env), &none);
    assert_eq!(
        (s.model.as_str(), s.base_url.as_str()),
        ("env-model", "http://env.invalid:2/")
    );

    let flags = args(
        Some("ollama"),
        Some("flag-model"),
        Some("http://flag.invalid:3"),
    );
    let s = resolve(&with_file(&dir, FILE, &env), &flags);
    assert_eq!(
        (s.model.as_str(), s.base_url.as_str()),
        ("flag-model", "http://flag.invalid:3/")
    );
    assert_eq!(s.describe(), "ollama:flag-model at http://flag.invalid:3/");
}

#[test]
fn provider_precedence_and_what_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    // AI_DRV_PROVIDER beats the file; the file's model was written for ollama and does not
    // follow, so LM Studio (no default model) has none. The request-shaping keys do follow.
    let c = with_file(&dir, FILE, &[("AI_DRV_PROVIDER", "lmstudio")]);
    assert_eq!(
        settings(&c, &args(None, None, None)),
        Err(LlmError::NoModel {
            provider: "lmstudio".into()
        })
    );
    let s = resolve(&c, &args(None, Some("m"), None));
    assert_eq!(s.provider, ProviderKind::LmStudio);
    assert_eq!(s.base_url, "http://127.0.0.1:1234/v1/");
    assert_eq!(s.timeout, Duration::from_secs(30));
    // --provider beats AI_DRV_PROVIDER.
    let s = resolve(&c, &args(Some("ollama"), None, None));
    assert_eq!(s.model, "file-model");

    // A provider's own table beats the top level.
    let toml = format!(
        "{FILE}\n[llm.providers.lmstudio]\nmodel = \"lm-model\"\ntimeout = 5\ntools = true\n"
    );
    let s = resolve(
        &with_file(&dir, &toml, &[("AI_DRV_PROVIDER", "lmstudio")]),
        &args(None, None, None),
    );
    assert_eq!(
        (s.model.as_str(), s.timeout, s.tools),
        ("lm-model", Duration::from_secs(5), true)
    );
}

#[test]
fn defaults_per_provider() {
    let env = [
        ("OPENAI_API_KEY", "k"),
        ("ANTHROPIC_API_KEY", "k"),
        ("GEMINI_API_KEY", "k"),
        ("OPENAI_BASE_URL", "http://gw.invalid/v1"),
    ];
    let c = config(&env);
    let expected = [
        ("openai", "gpt-4.1-mini", "http://gw.invalid/v1/", true),
        (
            "openai-responses",
            "gpt-4.1-mini",
            "http://gw.invalid/v1/",
            true,
        ),
        (
            "anthropic",
            "claude-haiku-4-5",
            "https://api.anthropic.com/v1/",
            true,
        ),
        (
            "gemini",
            "gemini-2.5-flash",
            "https://generativelanguage.googleapis.com/v1beta/",
            true,
        ),
        (
            "ollama",
            "qwen2.5-coder:7b",
            "http://127.0.0.1:11434/",
            true,
        ),
        ("lmstudio", "", "http://127.0.0.1:1234/v1/", false),
        ("openai-compatible", "", "http://gw.invalid/v1/", false),
    ];
    for (name, model, url, tools) in expected {
        let model_arg = if model.is_empty() { Some("m") } else { None };
        let s = resolve(&c, &args(Some(name), model_arg, None));
        assert_eq!(s.provider.name(), name);
        assert_eq!(
            s.model,
            if model.is_empty() { "m" } else { model },
            "{name}"
        );
        assert_eq!(s.base_url, url, "{name}");
        assert_eq!(s.tools, tools, "{name}");
        assert_eq!(s.timeout, Duration::from_secs(120));
        assert_eq!(s.max_retries, 3);
        assert_eq!(s.context_tokens, 8192);
        assert_eq!(s.backoff, Duration::from_millis(500));
    }
    let s = resolve(
        &config(&[("OPENAI_API_KEY", "k")]),
        &args(Some("openai"), None, None),
    );
    assert_eq!(s.base_url, "https://api.openai.com/v1/");
}

#[test]
fn hosts_without_a_scheme() {
    let s = resolve(
        &config(&[("OLLAMA_HOST", "gpu.lan:11434")]),
        &args(Some("ollama"), None, None),
    );
    assert_eq!(
        s.describe(),
        "ollama:qwen2.5-coder:7b at http://gpu.lan:11434/"
    );
    let s = resolve(
        &config(&[("OLLAMA_HOST", "0.0.0.0")]),
        &args(Some("ollama"), None, None),
    );
    assert_eq!(s.base_url, "http://0.0.0.0:11434/");
    let s = resolve(
        &config(&[("LMSTUDIO_HOST", "box:4321")]),
        &args(Some("lmstudio"), Some("m"), None),
    );
    assert_eq!(s.base_url, "http://box:4321/v1/");
}

#[test]
fn unknown_provider_names() {
    let err = settings(&config(&[]), &args(Some("olama"), None, None)).unwrap_err();
    assert_eq!(err, LlmError::UnknownProvider("olama".into()));
    assert_eq!(
        err.to_string(),
        "unknown provider 'olama': use one of openai, openai-responses, anthropic, gemini, ollama, lmstudio, openai-compatible"
    );
    let err = settings(
        &config(&[("AI_DRV_PROVIDER", "gpt")]),
        &ProviderArgs::default(),
    );
    assert_eq!(err, Err(LlmError::UnknownProvider("gpt".into())));

    let dir = tempfile::tempdir().unwrap();
    let c = with_file(&dir, "[llm.providers.olama]\nmodel = \"x\"\n", &[]);
    assert_eq!(
        settings(&c, &args(Some("ollama"), None, None)),
        Err(LlmError::UnknownProvider("olama".into()))
    );
}

#[test]
fn hosted_providers_need_their_key() {
    for (name, variable) in [
        ("openai", "OPENAI_API_KEY"),
        ("openai-responses", "OPENAI_API_KEY"),
        ("anthropic", "ANTHROPIC_API_KEY"),
        ("gemini", "GEMINI_API_KEY"),
    ] {
        // Another provider's key does not count.
        let c = config(&[
            ("GROQ_API_KEY", "x"),
            (
                "ANTHROPIC_API_KEY",
                if name == "anthropic" { "" } else { "a" },
            ),
        ]);
        let err = settings(&c, &args(Some(name), None, None)).unwrap_err();
        assert_eq!(
            err,
            LlmError::NoKey {
                provider: name.into(),
                variable: variable.into()
            }
        );
        assert_eq!(
            err.to_string(),
            format!("{name} needs an API key: set {variable}")
        );
    }
    // Local servers need none.
    for name in ["ollama", "lmstudio"] {
        let s = resolve(&config(&[]), &args(Some(name), Some("m"), None));
        assert!(!s.has_key());
    }
}

#[test]
fn openai_key_goes_to_openai_compatible_only_with_openai_base_url() {
    let ok = json!({"id": "c", "object": "chat.completion", "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]});

    // --base-url: the key is not sent there.
    let server = Server::start(vec![json(200, ok.clone())]);
    let c = config(&[("OPENAI_API_KEY", "sk-openai-secret")]);
    let s = resolve(
        &c,
        &args(Some("openai-compatible"), Some("m"), Some(&server.url)),
    );
    assert!(!s.has_key());
    connect(&s).unwrap().chat(&request(false)).unwrap();
    assert_eq!(server.requests()[0].header("authorization"), None);

    // OPENAI_BASE_URL with OPENAI_API_KEY: the conventional pair.
    let server = Server::start(vec![json(200, ok.clone())]);
    let c = config(&[
        ("OPENAI_API_KEY", "sk-openai-secret"),
        ("OPENAI_BASE_URL", &server.url),
    ]);
    let s = resolve(&c, &args(Some("openai-compatible"), Some("m"), None));
    assert_eq!(s.key_variable(), Some("OPENAI_API_KEY"));
    connect(&s).unwrap().chat(&request(false)).unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer sk-openai-secret")
    );

    // No base URL at all.
    assert_eq!(
        settings(
            &config(&[]),
            &args(Some("openai-compatible"), Some("m"), None)
        ),
        Err(LlmError::NoBaseUrl {
            provider: "openai-compatible".into(),
            variable: "OPENAI_BASE_URL".into()
        })
    );
}

#[test]
fn api_key_env_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(vec![json(
        200,
        json!({"id": "c", "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}]}),
    )]);
    let toml = format!(
        "[llm.providers.openai-compatible]\nbase-url = \"{}v1\"\napi-key-env = \"GATEWAY_KEY\"\n",
        server.url
    );
    let c = with_file(
        &dir,
        &toml,
        &[("GATEWAY_KEY", "gw-secret"), ("OPENAI_API_KEY", "sk-other")],
    );
    let s = resolve(&c, &args(Some("openai-compatible"), Some("m"), None));
    assert_eq!(s.key_variable(), Some("GATEWAY_KEY"));
    connect(&s).unwrap().chat(&request(false)).unwrap();
    let seen = server.requests();
    assert_eq!(seen[0].path, "/v1/chat/completions");
    assert_eq!(seen[0].header("authorization"), Some("Bearer gw-secret"));

    let c = with_file(&dir, &toml, &[]);
    assert_eq!(
        settings(&c, &args(Some("openai-compatible"), Some("m"), None)),
        Err(LlmError::NoKey {
            provider: "openai-compatible".into(),
            variable: "GATEWAY_KEY".into()
        })
    );
}

#[test]
fn bad_base_urls() {
    for (url, reason) in [
        ("ftp://x.invalid/", "scheme 'ftp' is not http or https"),
        ("localhost:11434", "scheme 'localhost' is not http or https"),
        ("not a url", "relative URL without a base"),
        (
            "http://user:pw@x.invalid/",
            "credentials in the URL; put the key in a variable and name it with api-key-env",
        ),
        (
            "http://x.invalid/?key=1",
            "a base URL has no query or fragment",
        ),
    ] {
        assert_eq!(
            settings(&config(&[]), &args(Some("ollama"), None, Some(url))),
            Err(LlmError::BadBaseUrl {
                provider: "ollama".into(),
                url: url.into(),
                reason: reason.into()
            }),
            "{url}"
        );
    }
}

#[test]
fn prices_and_numbers_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "[llm]\nprovider = \"openai-compatible\"\nbase-url = \"http://gw.invalid/v1/\"\nprice-input = 0.5\nprice-output = 1.5\nmax-retries = 0\ncontext-tokens = 32768\n";
    let s = resolve(&with_file(&dir, toml, &[]), &args(None, Some("m"), None));
    assert_eq!(
        s.price(),
        Some(Price {
            input: 0.5,
            output: 1.5
        })
    );
    assert_eq!((s.max_retries, s.context_tokens), (0, 32768));

    // The built-in estimate, unless configured.
    let s = resolve(
        &config(&[("OPENAI_API_KEY", "k")]),
        &args(Some("openai"), Some("gpt-4o-2024-08-06"), None),
    );
    assert_eq!(
        s.price(),
        Some(Price {
            input: 2.5,
            output: 10.0
        })
    );
    let s = resolve(
        &config(&[("OPENAI_API_KEY", "k")]),
        &args(Some("openai"), Some("ft:gpt-x"), None),
    );
    assert_eq!(s.price(), None);

    let half = "[llm]\nprovider = \"ollama\"\nprice-input = 0.5\n";
    assert_eq!(
        settings(&with_file(&dir, half, &[]), &ProviderArgs::default()),
        Err(LlmError::BadSetting {
            key: "price-input/price-output".into(),
            reason: "set both, in USD per million tokens".into()
        })
    );
    let zero = "[llm]\nprovider = \"ollama\"\ntimeout = 0\n";
    assert!(matches!(
        settings(&with_file(&dir, zero, &[]), &ProviderArgs::default()),
        Err(LlmError::BadSetting { .. })
    ));
}

//! The `[llm]` section: its keys, per-provider tables, and which providers `doctor` reports.

use ai_drv_config::{Config, Env, LlmProviderSection};

fn config(dir: &std::path::Path, toml: &str, extra: &[(&str, &str)]) -> Config {
    let path = dir.join("config.toml");
    std::fs::write(&path, toml).unwrap();
    let mut pairs = vec![
        ("AI_DRV_CONFIG", path.to_str().unwrap()),
        ("HOME", dir.to_str().unwrap()),
    ];
    pairs.extend_from_slice(extra);
    Config::load_with(Env::from_pairs(pairs)).unwrap()
}

const FULL: &str = r#"
[llm]
provider = "ollama"
model = "qwen2.5-coder:7b"
base-url = "http://127.0.0.1:11434/"
timeout = 30
max-retries = 5
context-tokens = 32768
tools = false
price-input = 0.5
price-output = 1.5
api-key-env = "MY_KEY"

[llm.providers.openai-compatible]
base-url = "http://10.0.0.2:8000/v1/"
model = "local"
tools = true
"#;

#[test]
fn every_key_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(dir.path(), FULL, &[]);
    let llm = &c.file().llm;
    assert_eq!(llm.provider.as_deref(), Some("ollama"));
    assert_eq!(
        llm.top_level_for("ollama"),
        LlmProviderSection {
            model: Some("qwen2.5-coder:7b".into()),
            base_url: Some("http://127.0.0.1:11434/".into()),
            timeout: Some(30),
            max_retries: Some(5),
            context_tokens: Some(32768),
            tools: Some(false),
            price_input: Some(0.5),
            price_output: Some(1.5),
            api_key_env: Some("MY_KEY".into()),
        }
    );
    assert_eq!(
        llm.providers["openai-compatible"],
        LlmProviderSection {
            model: Some("local".into()),
            base_url: Some("http://10.0.0.2:8000/v1/".into()),
            tools: Some(true),
            ..LlmProviderSection::default()
        }
    );
}

#[test]
fn server_keys_follow_the_provider_they_were_written_for() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(dir.path(), FULL, &[]);
    // Written for ollama: the model, URL, key variable and prices do not apply to openai; the
    // request-shaping keys do.
    assert_eq!(
        c.file().llm.top_level_for("openai"),
        LlmProviderSection {
            timeout: Some(30),
            max_retries: Some(5),
            context_tokens: Some(32768),
            tools: Some(false),
            ..LlmProviderSection::default()
        }
    );
    // Without a provider, the top level is for whichever is used.
    let c = config(dir.path(), "[llm]\nmodel = \"m\"\n", &[]);
    assert_eq!(
        c.file().llm.top_level_for("gemini").model.as_deref(),
        Some("m")
    );
}

#[test]
fn unknown_keys_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    for bad in [
        "[llm]\nmodle = \"x\"\n",
        "[llm]\napi-key = \"sk-x\"\n",
        "[llm.providers.ollama]\nprovider = \"ollama\"\n",
        "[llm]\ntimeout = \"soon\"\n",
    ] {
        let path = dir.path().join("config.toml");
        std::fs::write(&path, bad).unwrap();
        let err = Config::load_with(Env::from_pairs([("AI_DRV_CONFIG", path.to_str().unwrap())]));
        assert!(err.is_err(), "{bad} was accepted");
    }
}

#[test]
fn doctor_lists_configured_providers_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let c = config(dir.path(), "", &[]);
    assert!(c.llm_providers().is_empty());

    let c = config(dir.path(), FULL, &[("OPENAI_API_KEY", "sk-secret")]);
    assert_eq!(
        c.llm_providers(),
        ["openai", "openai-responses", "ollama", "openai-compatible"]
    );

    let c = config(
        dir.path(),
        "",
        &[("AI_DRV_PROVIDER", "lmstudio"), ("GEMINI_API_KEY", "g")],
    );
    assert_eq!(c.llm_providers(), ["gemini", "lmstudio"]);
    // Names only: no value of any variable.
    assert!(!format!("{:?}", c.llm_providers()).contains("sk-"));
}

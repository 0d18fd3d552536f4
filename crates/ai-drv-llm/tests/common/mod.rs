//! A scripted HTTP server on 127.0.0.1 that records what it is sent, and settings pointed at it.
//!
//! Plain `std::net` rather than a server library: the fault tests need answers no well-behaved
//! server gives (a body shorter than its `Content-Length`, no answer at all).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use ai_drv_config::{Config, Env};
use ai_drv_llm::{settings, ChatRequest, Message, ProviderArgs, Settings, ToolSpec};
use serde_json::{json, Value};

/// One answer of the script.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A status with a JSON body.
    Json(u16, String),
    /// A status with extra headers and a body of the given content type.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        content_type: String,
        body: String,
    },
    /// Headers promising `declared` bytes, then `body` (shorter), then the connection closes.
    Truncated { declared: usize, body: String },
    /// Nothing, for this long; then the connection closes.
    Hang(Duration),
}

pub fn json(status: u16, body: Value) -> Answer {
    Answer::Json(status, body.to_string())
}

/// What one request looked like.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub raw_head: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub struct Server {
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Serves `answers` in order, one per request; the last one repeats.
    pub fn start(answers: Vec<Answer>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(answers);
        let next = Arc::new(AtomicUsize::new(0));
        let recorded = requests.clone();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (answers, next, recorded) = (answers.clone(), next.clone(), recorded.clone());
                thread::spawn(move || serve(stream, &answers, &next, &recorded));
            }
        });
        Server { url, requests }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(
    stream: TcpStream,
    answers: &[Answer],
    next: &AtomicUsize,
    recorded: &Mutex<Vec<Recorded>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let mut lines = head.lines();
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_string();
    let path = first.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    recorded.lock().unwrap().push(Recorded {
        method,
        path,
        headers,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        raw_head: head,
    });
    let i = next.fetch_add(1, Ordering::SeqCst);
    let answer = answers[i.min(answers.len() - 1)].clone();
    let mut stream = stream;
    let reply = match answer {
        Answer::Json(status, body) => response(status, &[], "application/json", &body, None),
        Answer::Full {
            status,
            headers,
            content_type,
            body,
        } => response(status, &headers, &content_type, &body, None),
        Answer::Truncated { declared, body } => {
            response(200, &[], "application/json", &body, Some(declared))
        }
        Answer::Hang(d) => {
            thread::sleep(d);
            return;
        }
    };
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn response(
    status: u16,
    headers: &[(String, String)],
    content_type: &str,
    body: &str,
    declared: Option<usize>,
) -> String {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        declared.unwrap_or(body.len())
    );
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out
}

/// A configuration with no config file and exactly `env` as the environment.
pub fn config(env: &[(&str, &str)]) -> Config {
    let mut pairs = vec![("AI_DRV_CONFIG", "/nonexistent/ai-drv-llm-test/config.toml")];
    pairs.extend_from_slice(env);
    Config::load_with(Env::from_pairs(pairs)).unwrap()
}

/// Settings for `provider` at `base_url`, with a short backoff.
pub fn settings_at(provider: &str, model: &str, base_url: &str, env: &[(&str, &str)]) -> Settings {
    let args = ProviderArgs {
        provider: Some(provider.into()),
        model: Some(model.into()),
        base_url: Some(base_url.into()),
    };
    let mut s = settings(&config(env), &args).unwrap().unwrap();
    s.backoff = Duration::from_millis(10);
    s
}

pub const SYSTEM: &str = "You package software for Nix.";
pub const QUESTION: &str = "Which build system does sl use?";

pub fn read_file_schema() -> Value {
    json!({
        "type": "object",
        "properties": {"path": {"type": "string", "description": "Path relative to the source root"}},
        "required": ["path"]
    })
}

/// A system prompt, a question, and (optionally) one tool.
pub fn request(tools: bool) -> ChatRequest {
    ChatRequest {
        messages: vec![Message::system(SYSTEM), Message::user(QUESTION)],
        tools: if tools {
            vec![ToolSpec {
                name: "read_file".into(),
                description: "Read a file of the source tree".into(),
                parameters: read_file_schema(),
            }]
        } else {
            Vec::new()
        },
        max_output_tokens: 256,
        temperature: Some(0.2),
    }
}

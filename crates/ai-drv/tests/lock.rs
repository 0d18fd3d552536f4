//! `ai-drv lock` and `ai-drv freeze`, end to end: the built binary against a fixture server on
//! 127.0.0.1 that speaks the original protocol (`/hash?req=`, `/drv?hash=`) for a few known
//! prompts and counts what it is asked, with Nix files holding prompts in several shapes. The
//! texts are added to the real Nix store, and the path must be the one Nix's own `fetchurl` gives
//! for the lock's hash, so the library's fixed-output fetch is already satisfied. `freeze` is run
//! with the server and, from a filled local store, without one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ai_drv_hash::{hash_bytes, Algorithm};
use assert_cmd::Command;

const SL_PROMPT: &str = "Generate a derivation for building `sl`";
const SL: &str = r#"{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation {
  pname = "sl";
  version = "5.02";
  src = fetchurl {
    url = "mirror://debian/pool/main/s/sl/sl_5.02.orig.tar.gz";
    hash = "sha256-eDnh6l0Ox1kDj2XcB1mcUd/qKlzZHZrZg4XxRFmBhOM=";
  };
  buildInputs = [ ncurses ];
}
"#;

const HELLO_PROMPT: &str = "Package GNU hello, with its man page";
const HELLO: &str = r#"{ stdenv, fetchurl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "hello";
  version = "2.12.1";
  src = fetchurl {
    url = "mirror://gnu/hello/hello-${finalAttrs.version}.tar.gz";
    hash = "sha256-jZkUKv2SV28wsM18tCqNxoCZmLxdYH2Idh9RLibH2yA=";
  };
})
"#;

const JQ_PROMPT: &str = "a jq build";
// No literal pname: the entry has neither pname nor version.
const JQ: &str = r#"{ stdenv, fetchurl }:
let name = "jq"; in
stdenv.mkDerivation {
  inherit name;
  src = fetchurl { url = "https://example.invalid/jq.tar.gz"; hash = ""; };
}
"#;

/// What the fixture server answers for a prompt.
#[derive(Clone)]
enum Answer {
    /// `/hash` gives the text's hash and `/drv` the text.
    Text(&'static str),
    /// `/hash` gives the hash of the first text, `/drv` serves the second.
    Wrong(&'static str, &'static str),
    /// `/hash` answers this status and body.
    Status(u16, &'static str),
}

struct Fixture {
    url: String,
    /// Every request's URL as received (path and raw query).
    seen: Arc<Mutex<Vec<String>>>,
    /// The Authorization header of every request.
    auth: Arc<Mutex<Vec<Option<String>>>>,
    server: Arc<tiny_http::Server>,
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

impl Fixture {
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    fn clear(&self) {
        self.seen.lock().unwrap().clear();
    }

    fn count(&self, prefix: &str) -> usize {
        self.seen().iter().filter(|u| u.starts_with(prefix)).count()
    }
}

fn b64(text: &str) -> String {
    hash_bytes(Algorithm::Sha256, text.as_bytes()).to_base64()
}

fn sri(text: &str) -> String {
    hash_bytes(Algorithm::Sha256, text.as_bytes()).to_sri()
}

fn nix32(text: &str) -> String {
    hash_bytes(Algorithm::Sha256, text.as_bytes()).to_nix32()
}

/// A loopback server answering the known prompts; `token`, when set, is required as a bearer
/// token (401 otherwise). Unknown prompts get 404, unknown hashes 404.
fn serve(answers: &[(&str, Answer)], token: Option<&'static str>) -> Fixture {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let auth = Arc::new(Mutex::new(Vec::new()));
    let answers: BTreeMap<String, Answer> = answers
        .iter()
        .map(|(p, a)| (p.to_string(), a.clone()))
        .collect();
    let (record, record_auth, incoming) = (seen.clone(), auth.clone(), server.clone());
    std::thread::spawn(move || {
        for request in incoming.incoming_requests() {
            let raw = request.url().to_string();
            record.lock().unwrap().push(raw.clone());
            let given = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Authorization"))
                .map(|h| h.value.to_string());
            record_auth.lock().unwrap().push(given.clone());
            let (status, body) = answer(&answers, &raw, token, given.as_deref());
            let _ = request.respond(
                tiny_http::Response::from_data(body.into_bytes()).with_status_code(status),
            );
        }
    });
    Fixture {
        url,
        seen,
        auth,
        server,
    }
}

fn answer(
    answers: &BTreeMap<String, Answer>,
    raw: &str,
    token: Option<&str>,
    given: Option<&str>,
) -> (u16, String) {
    if let Some(token) = token {
        if given != Some(&format!("Bearer {token}")) {
            return (401, "a bearer token is required".into());
        }
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .unwrap()
            .to_string()
    };
    if let Some(req) = raw.strip_prefix("/hash?req=") {
        return match answers.get(&decode(req)) {
            Some(Answer::Text(t)) | Some(Answer::Wrong(t, _)) => (200, b64(t)),
            Some(Answer::Status(status, body)) => (*status, body.to_string()),
            None => (404, "unknown prompt".into()),
        };
    }
    if let Some(hash) = raw.strip_prefix("/drv?hash=") {
        let hash = decode(hash);
        for a in answers.values() {
            match a {
                Answer::Text(t) if b64(t) == hash => return (200, t.to_string()),
                Answer::Wrong(t, other) if b64(t) == hash => return (200, other.to_string()),
                _ => {}
            }
        }
        return (404, "unknown hash".into());
    }
    (404, "no such endpoint".into())
}

fn all_answers() -> Vec<(&'static str, Answer)> {
    vec![
        (SL_PROMPT, Answer::Text(SL)),
        (HELLO_PROMPT, Answer::Text(HELLO)),
        (JQ_PROMPT, Answer::Text(JQ)),
    ]
}

/// A URL where nothing listens.
fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

struct Project {
    dir: tempfile::TempDir,
    data: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
            data: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        fs_err::create_dir_all(path.parent().unwrap()).unwrap();
        fs_err::write(path, text).unwrap();
    }

    fn lock_text(&self) -> Option<String> {
        fs_err::read_to_string(self.path().join("ai-drv.lock")).ok()
    }

    /// `ai-drv <args>` in the project directory with a clean environment.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("ai-drv").unwrap();
        cmd.current_dir(self.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env("XDG_DATA_HOME", self.data.path())
            .env("XDG_CONFIG_HOME", self.data.path().join("config"))
            .env_remove("AI_DRV_CONFIG")
            .env_remove("AI_DRV_STATE_DIR")
            .env_remove("AI_DRV_SERVER")
            .env_remove("AI_DRV_TOKEN")
            .env_remove("AI_DRV_LOG");
        cmd
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        output(self.cmd(args))
    }

    /// `ai-drv <args>` with the machine's own state directory (where scripts/setup put the build
    /// root the engine needs); the store is given with `--store`.
    fn run_with_build_root(&self, args: &[&str]) -> (i32, String, String) {
        let mut cmd = self.cmd(args);
        match std::env::var_os("XDG_DATA_HOME") {
            Some(v) => cmd.env("XDG_DATA_HOME", v),
            None => cmd.env_remove("XDG_DATA_HOME"),
        };
        output(cmd)
    }

    fn store_path(&self) -> PathBuf {
        self.data.path().join("store.sqlite")
    }
}

fn output(mut cmd: Command) -> (i32, String, String) {
    {
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }
}

impl Project {
    /// The usual project: prompts in several shapes, and files that must not be scanned.
    fn with_prompts() -> Project {
        let p = Project::new();
        p.write(
            "default.nix",
            &format!(
                r#"{{ pkgs ? import ./nixpkgs.nix {{ }} }}:
let
  ai = pkgs.callPackage ./nix/lib {{ }};
in
{{
  # mkAIDerivation "a commented call is not a prompt"
  sl = ai.mkAIDerivation "{}";
  interpolated = ai.mkAIDerivation "build ${{pkgs.hello.pname}}";
}}
"#,
                SL_PROMPT
            ),
        );
        p.write(
            "pkgs/tools.nix",
            r#"{ mkAIDerivation, callPackage }:
[
  (mkAIDerivation {
    pname = "hello";
    prompt = ''
      Package GNU hello,
        with its   man page
    '';
  })
  (callPackage (mkAIDerivation "a jq build") { })
  (mkAIDerivation "Generate a derivation for building `sl`")
]
"#,
        );
        // None of these may be scanned: the fixture does not know their prompts.
        for skipped in [
            ".git/x.nix",
            ".hidden/x.nix",
            "result/x.nix",
            "result-2/x.nix",
            "target/x.nix",
            "ai-drv/x.nix",
        ] {
            p.write(skipped, r#"mkAIDerivation "must not be scanned""#);
        }
        p
    }
}

fn entry(text: &str, pname: Option<&str>, version: Option<&str>, file: Option<&str>) -> String {
    let mut fields = Vec::new();
    if let Some(f) = file {
        fields.push(format!("      \"file\": \"{f}\""));
    }
    fields.push(format!("      \"hash\": \"{}\"", sri(text)));
    if let Some(p) = pname {
        fields.push(format!("      \"pname\": \"{p}\""));
    }
    if let Some(v) = version {
        fields.push(format!("      \"version\": \"{v}\""));
    }
    format!("{{\n{}\n    }}", fields.join(",\n"))
}

fn lock_of(entries: &[(&str, String)]) -> String {
    let mut sorted: Vec<&(&str, String)> = entries.iter().collect();
    sorted.sort_by_key(|(p, _)| *p);
    let body: Vec<String> = sorted
        .iter()
        .map(|(p, e)| format!("    {}: {e}", serde_json::to_string(p).unwrap()))
        .collect();
    format!(
        "{{\n  \"prompts\": {{\n{}\n  }},\n  \"version\": 1\n}}\n",
        body.join(",\n")
    )
}

fn full_lock() -> String {
    lock_of(&[
        (SL_PROMPT, entry(SL, Some("sl"), Some("5.02"), None)),
        (
            HELLO_PROMPT,
            entry(HELLO, Some("hello"), Some("2.12.1"), None),
        ),
        (JQ_PROMPT, entry(JQ, None, None, None)),
    ])
}

#[test]
fn lock_finds_every_shape_and_writes_the_lock_exactly() {
    let fixture = serve(&all_answers(), None);
    let p = Project::with_prompts();
    let (code, stdout, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(p.lock_text().unwrap(), full_lock());
    assert_eq!(
        stderr,
        format!(
            "warning: cannot lock a prompt with ${{…}} at default.nix:8\n\
             locked \"{SL_PROMPT}\" → {}\n\
             locked \"{HELLO_PROMPT}\" → {}\n\
             locked \"{JQ_PROMPT}\" → {}\n",
            sri(SL),
            sri(HELLO),
            sri(JQ)
        )
    );
    // One /hash and one /drv per prompt, escaped like lib.escapeURL.
    let mut seen = fixture.seen();
    seen.sort();
    let mut expected = vec![
        "/hash?req=Generate%20a%20derivation%20for%20building%20%60sl%60".to_string(),
        "/hash?req=Package%20GNU%20hello%2C%20with%20its%20man%20page".to_string(),
        "/hash?req=a%20jq%20build".to_string(),
    ];
    for text in [SL, HELLO, JQ] {
        let escaped = b64(text)
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D");
        expected.push(format!("/drv?hash={escaped}"));
    }
    expected.sort();
    assert_eq!(seen, expected);
    assert_eq!(
        fixture.auth.lock().unwrap().clone(),
        vec![None; 6],
        "no token was given"
    );
}

#[test]
fn added_store_path_is_what_the_librarys_fetchurl_expects() {
    let fixture = serve(&all_answers(), None);
    let p = Project::with_prompts();
    let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    for text in [SL, HELLO, JQ] {
        let expr = format!(
            r#"(import <nix/fetchurl.nix> {{ name = "ai-drv.nix"; url = "http://127.0.0.1:1/drv"; hash = "{}"; }}).outPath"#,
            sri(text)
        );
        let out = std::process::Command::new("nix-instantiate")
            .args(["--eval", "-E", &expr])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = String::from_utf8(out.stdout).unwrap();
        let path = path.trim().trim_matches('"');
        assert!(path.ends_with("-ai-drv.nix"), "{path}");
        // The fixed-output path is valid in the store and holds the text: Nix will not fetch.
        assert_eq!(fs_err::read_to_string(path).unwrap(), text);
        let valid = std::process::Command::new("nix-store")
            .args(["--check-validity", path])
            .status()
            .unwrap();
        assert!(valid.success(), "{path} is not a valid store path");
    }
}

#[test]
fn rerun_asks_nothing_update_asks_again_and_stale_entries_go() {
    let fixture = serve(&all_answers(), None);
    let p = Project::with_prompts();
    let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    fixture.clear();

    let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fixture.seen(), Vec::<String>::new());
    assert_eq!(p.lock_text().unwrap(), full_lock());
    assert_eq!(
        stderr,
        "warning: cannot lock a prompt with ${…} at default.nix:8\nai-drv.lock is up to date (3 prompts)\n"
    );

    let (code, _, stderr) = p.run(&["lock", "--update", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fixture.count("/hash?"), 3);
    assert_eq!(fixture.count("/drv?"), 3);
    assert_eq!(p.lock_text().unwrap(), full_lock());
    fixture.clear();

    // The jq call goes away: its entry is removed, nothing is asked.
    p.write(
        "pkgs/tools.nix",
        r#"{ mkAIDerivation }: mkAIDerivation { prompt = "Package GNU hello, with its man page"; }"#,
    );
    let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(fixture.seen(), Vec::<String>::new());
    assert_eq!(
        p.lock_text().unwrap(),
        lock_of(&[
            (SL_PROMPT, entry(SL, Some("sl"), Some("5.02"), None)),
            (
                HELLO_PROMPT,
                entry(HELLO, Some("hello"), Some("2.12.1"), None)
            ),
        ])
    );
    assert!(
        stderr.contains("removed \"a jq build\": no longer in the files\n"),
        "{stderr}"
    );
}

#[test]
fn named_files_and_json_output() {
    let fixture = serve(&all_answers(), None);
    let p = Project::with_prompts();
    let (code, stdout, stderr) = p.run(&[
        "--json",
        "lock",
        "pkgs/tools.nix",
        "--lock",
        "locks/my.lock",
        "--server",
        &format!("{}/", fixture.url),
    ]);
    // The lock's directory must exist; it is not created, and nothing is asked.
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        "error: locks does not exist; create it or give another --lock\n"
    );
    assert_eq!(stdout, "");
    assert_eq!(fixture.seen(), Vec::<String>::new());

    fs_err::create_dir(p.path().join("locks")).unwrap();
    let (code, stdout, stderr) = p.run(&[
        "--json",
        "lock",
        "pkgs/tools.nix",
        "--lock",
        "locks/my.lock",
        "--server",
        &format!("{}/", fixture.url),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let written = fs_err::read_to_string(p.path().join("locks/my.lock")).unwrap();
    assert_eq!(written, full_lock());
    assert_eq!(stdout, written);
    assert_eq!(p.lock_text(), None);
}

#[test]
fn wrong_text_is_refused_and_the_lock_untouched() {
    let p = Project::with_prompts();
    let good = serve(&all_answers(), None);
    let (code, _, stderr) = p.run(&["lock", "--server", &good.url]);
    assert_eq!(code, 0, "{stderr}");
    let before = p.lock_text().unwrap();

    let bad = serve(
        &[
            (
                SL_PROMPT,
                Answer::Wrong(SL, "{ stdenv }: stdenv.mkDerivation { }"),
            ),
            (HELLO_PROMPT, Answer::Text(HELLO)),
            (JQ_PROMPT, Answer::Text(JQ)),
        ],
        None,
    );
    let (code, _, stderr) = p.run(&["lock", "--update", "--server", &bad.url]);
    assert_eq!(code, 1, "{stderr}");
    let got = b64("{ stdenv }: stdenv.mkDerivation { }");
    assert_eq!(
        stderr,
        format!(
            "warning: cannot lock a prompt with ${{…}} at default.nix:8\n\
             error: the server at {} sent a derivation for \"{SL_PROMPT}\" whose SHA-256 is {got}, not the announced {}; refusing it\nhint: ai-drv.lock was not changed\n",
            bad.url,
            b64(SL)
        )
    );
    assert_eq!(p.lock_text().unwrap(), before);
}

#[test]
fn no_server_is_one_line_and_writes_nothing() {
    let p = Project::with_prompts();
    let url = closed_url();
    let (code, stdout, stderr) = p.run(&["lock", "--server", &url]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "warning: cannot lock a prompt with ${{…}} at default.nix:8\n\
             error: no ai-drv server at {url}; start one with `ai-drv serve` or use --local\n\
             hint: ai-drv.lock was not changed\n"
        )
    );
    assert_eq!(p.lock_text(), None);
}

#[test]
fn server_reasons_are_passed_through() {
    let p = Project::new();
    p.write("a.nix", r#"ai: ai.mkAIDerivation "nothing to build here""#);
    let fixture = serve(
        &[(
            "nothing to build here",
            Answer::Status(422, "no source found for \"nothing to build here\"\n"),
        )],
        None,
    );
    let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: the server could not package \"nothing to build here\": no source found for \"nothing to build here\"\nhint: ai-drv.lock was not changed\n"
    );
    assert_eq!(p.lock_text(), None);
}

#[test]
fn tokens_are_sent_and_missing_ones_explained() {
    let p = Project::new();
    p.write("a.nix", &format!("ai: ai.mkAIDerivation \"{SL_PROMPT}\""));
    let fixture = serve(&all_answers(), Some("s3cret"));
    let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("error: the server at {} refused the request: it needs a token; pass it with --token or AI_DRV_TOKEN\nhint: ai-drv.lock was not changed\n", fixture.url)
    );
    fixture.auth.lock().unwrap().clear();
    let out = p
        .cmd(&["lock", "--server", &fixture.url])
        .env("AI_DRV_TOKEN", "s3cret")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fixture.auth.lock().unwrap().clone(),
        vec![Some("Bearer s3cret".to_string()); 2]
    );
    assert_eq!(
        p.lock_text().unwrap(),
        lock_of(&[(SL_PROMPT, entry(SL, Some("sl"), Some("5.02"), None))])
    );
}

#[test]
fn a_newer_lock_is_refused() {
    let p = Project::new();
    p.write(
        "ai-drv.lock",
        "{\n  \"prompts\": {},\n  \"version\": 2\n}\n",
    );
    let (code, _, stderr) = p.run(&["lock", "--server", &closed_url()]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: ai-drv.lock was written by a newer ai-drv (lock version 2, this one knows up to 1); upgrade ai-drv\n"
    );
    let (code, _, stderr) = p.run(&["freeze", "--server", &closed_url()]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: ai-drv.lock was written by a newer ai-drv"));
}

fn frozen(text: &str, pname: &str) -> String {
    format!("ai-drv/{pname}-{}.nix", &nix32(text)[..8])
}

fn frozen_lock() -> String {
    lock_of(&[
        (
            SL_PROMPT,
            entry(SL, Some("sl"), Some("5.02"), Some(&frozen(SL, "sl"))),
        ),
        (
            HELLO_PROMPT,
            entry(
                HELLO,
                Some("hello"),
                Some("2.12.1"),
                Some(&frozen(HELLO, "hello")),
            ),
        ),
        (
            JQ_PROMPT,
            entry(JQ, None, None, Some(&frozen(JQ, "derivation"))),
        ),
    ])
}

fn assert_frozen(dir: &Path) {
    for (text, pname) in [(SL, "sl"), (HELLO, "hello"), (JQ, "derivation")] {
        let path: PathBuf = dir.join(frozen(text, pname));
        let bytes = fs_err::read(&path).unwrap();
        assert_eq!(
            hash_bytes(Algorithm::Sha256, &bytes).to_sri(),
            sri(text),
            "{}",
            path.display()
        );
    }
}

#[test]
fn freeze_writes_the_texts_and_keeps_matching_files() {
    let fixture = serve(&all_answers(), None);
    let p = Project::with_prompts();
    let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    fixture.clear();

    let (code, _, stderr) = p.run(&["freeze", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(p.lock_text().unwrap(), frozen_lock());
    assert_frozen(p.path());
    // The local store is empty: each text came from the server.
    assert_eq!(fixture.count("/drv?hash="), 3);
    assert_eq!(fixture.count("/hash?"), 0);
    fixture.clear();

    // Again: everything is kept, nothing asked, even with the server gone.
    let (code, _, stderr) = p.run(&["freeze", "--server", &closed_url()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(p.lock_text().unwrap(), frozen_lock());

    // Locking again keeps the frozen files' entries.
    let (code, _, stderr) = p.run(&["lock", "--update", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(p.lock_text().unwrap(), frozen_lock());

    // An edited frozen file is an error naming it, and nothing changes.
    let edited = p.path().join(frozen(SL, "sl"));
    fs_err::write(&edited, "{ stdenv }: stdenv.mkDerivation { }").unwrap();
    let (code, _, stderr) = p.run(&["freeze", "--server", &fixture.url]);
    assert_eq!(code, 1);
    let first = stderr.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "error: {} no longer matches its lock entry for \"{SL_PROMPT}\"",
            frozen(SL, "sl")
        )),
        "{stderr}"
    );
    assert_eq!(p.lock_text().unwrap(), frozen_lock());

    // A deleted one is written again.
    fs_err::remove_file(&edited).unwrap();
    let (code, _, stderr) = p.run(&["freeze", "--server", &fixture.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_frozen(p.path());
}

#[test]
fn freeze_needs_no_server_when_the_store_has_the_texts() {
    let p = Project::with_prompts();
    // Lock against a server, then take it away.
    {
        let fixture = serve(&all_answers(), None);
        let (code, _, stderr) = p.run(&["lock", "--server", &fixture.url]);
        assert_eq!(code, 0, "{stderr}");
    }
    // Without the store, freezing needs the server and says so.
    let url = closed_url();
    let (code, _, stderr) = p.run(&["freeze", "--server", &url]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.lines().next().unwrap(),
        format!("error: no ai-drv server at {url}; the local store does not have every locked derivation; start one with `ai-drv serve`")
    );
    assert_eq!(p.lock_text().unwrap(), full_lock());

    // The store ai-drv serve keeps, at $XDG_DATA_HOME/ai-drv/store.sqlite, filled here.
    fill_store(
        &ai_drv_store::default_path(p.data.path()),
        &[(SL_PROMPT, SL), (HELLO_PROMPT, HELLO), (JQ_PROMPT, JQ)],
    );

    let (code, _, stderr) = p.run(&["freeze", "--server", &url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(p.lock_text().unwrap(), frozen_lock());
    assert_frozen(p.path());
}

#[test]
fn a_changed_text_drops_its_frozen_file_until_freeze() {
    let p = Project::new();
    p.write("a.nix", &format!("ai: ai.mkAIDerivation \"{SL_PROMPT}\""));
    let first = serve(&all_answers(), None);
    let (code, _, stderr) = p.run(&["lock", "--server", &first.url]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = p.run(&["freeze", "--server", &first.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        p.lock_text().unwrap(),
        lock_of(&[(
            SL_PROMPT,
            entry(SL, Some("sl"), Some("5.02"), Some(&frozen(SL, "sl")))
        )])
    );

    // The server now answers another text for the prompt.
    let second = serve(&[(SL_PROMPT, Answer::Text(HELLO))], None);
    let (code, _, stderr) = p.run(&["lock", "--update", "--server", &second.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "locked \"{SL_PROMPT}\" → {}\nwarning: a frozen derivation changed; run `ai-drv freeze` to write it again\n",
            sri(HELLO)
        )
    );
    assert_eq!(
        p.lock_text().unwrap(),
        lock_of(&[(SL_PROMPT, entry(HELLO, Some("hello"), Some("2.12.1"), None))])
    );
    let (code, _, stderr) = p.run(&["freeze", "--server", &second.url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        p.lock_text().unwrap(),
        lock_of(&[(
            SL_PROMPT,
            entry(
                HELLO,
                Some("hello"),
                Some("2.12.1"),
                Some(&frozen(HELLO, "hello"))
            )
        )])
    );
}

/// Fills the store at `path` with succeeded jobs.
fn fill_store(path: &Path, texts: &[(&str, &str)]) {
    let store = ai_drv_store::Store::open(path).unwrap();
    for (prompt, text) in texts {
        let job = store.create_job(prompt).unwrap();
        store.start_job(job).unwrap();
        let hash = store
            .finish_job(
                job,
                &ai_drv_store::Finished::Succeeded {
                    derivation: ai_drv_store::NewDerivation {
                        text: text.to_string(),
                        pname: None,
                        version: None,
                        out_path: None,
                        check: serde_json::json!({}),
                    },
                    attempts: vec![],
                    report: serde_json::json!({}),
                },
            )
            .unwrap();
        assert_eq!(hash, Some(b64(text)));
    }
}

#[test]
fn local_answers_known_prompts_from_the_store() {
    let p = Project::new();
    p.write(
        "a.nix",
        &format!("ai: [ (ai.mkAIDerivation \"{SL_PROMPT}\") (ai.mkAIDerivation \"{JQ_PROMPT}\") ]"),
    );
    let store = p.store_path();
    fill_store(&store, &[(SL_PROMPT, SL), (JQ_PROMPT, JQ)]);
    // No server anywhere: --server points at a closed port and must not matter.
    let (code, _, stderr) = p.run_with_build_root(&[
        "lock",
        "--local",
        "--store",
        store.to_str().unwrap(),
        "--server",
        &closed_url(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        p.lock_text().unwrap(),
        lock_of(&[
            (SL_PROMPT, entry(SL, Some("sl"), Some("5.02"), None)),
            (JQ_PROMPT, entry(JQ, None, None, None)),
        ])
    );
    assert_eq!(
        stderr,
        format!(
            "locked \"{SL_PROMPT}\" → {}\nlocked \"{JQ_PROMPT}\" → {}\n",
            sri(SL),
            sri(JQ)
        )
    );
}

/// Serves `/greet-1.0.tar.gz`: a C program with a Makefile, printing `nonce`, so each test run
/// packages something new.
fn greet_source(nonce: u128) -> String {
    let c = format!(
        "#include <stdio.h>\n#include <string.h>\nint main(int argc, char **argv) {{\n  if (argc > 1 && strcmp(argv[1], \"--version\") == 0) {{ puts(\"greet 1.0\"); return 0; }}\n  puts(\"greet {nonce}\");\n  return 0;\n}}\n"
    );
    let make = "PREFIX ?= /usr/local\nall: greet\ngreet: greet.c\n\t$(CC) -o greet greet.c\ninstall: greet\n\tinstall -Dm755 greet $(DESTDIR)$(PREFIX)/bin/greet\n";
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (path, body) in [
        ("greet-1.0/greet.c", c.as_str()),
        ("greet-1.0/Makefile", make),
    ] {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, path, body.as_bytes())
            .unwrap();
    }
    let archive = builder.into_inner().unwrap().finish().unwrap();
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let addr = server.server_addr().to_ip().unwrap();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let response = if request.url() == "/greet-1.0.tar.gz" {
                tiny_http::Response::from_data(archive.clone())
            } else {
                tiny_http::Response::from_data(Vec::new()).with_status_code(404)
            };
            let _ = request.respond(response);
        }
    });
    format!("http://{addr}/greet-1.0.tar.gz")
}

/// `--local` runs the engine here (a real sandboxed Nix build against hostpkgs; needs
/// scripts/setup), records the job in the local store, and `freeze` then needs no server.
#[test]
fn local_runs_the_engine_and_records_the_job() {
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let url = greet_source(nonce);
    let p = Project::new();
    p.write("greet.nix", &format!("ai: ai.mkAIDerivation \"{url}\"\n"));
    let store_path = p.store_path();
    let store_arg = store_path.to_str().unwrap();
    let (code, _, stderr) = p.run_with_build_root(&[
        "lock", "--local", "--store", store_arg, "--engine", "builtin",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.starts_with(&format!("packaging \"{url}\" here (job 1)\n  attempt 1: ")),
        "{stderr}"
    );

    // The store has the job and its derivation, under the hash the lock names.
    let store = ai_drv_store::Store::open(&store_path).unwrap();
    let record = store.request(&url).unwrap().unwrap();
    assert_eq!(record.state, ai_drv_store::JobState::Succeeded);
    let hash = record.hash.unwrap();
    let text = store.derivation(&hash).unwrap().unwrap().text;
    drop(store);
    assert_eq!(
        p.lock_text().unwrap(),
        lock_of(&[(url.as_str(), entry(&text, Some("greet"), Some("1.0"), None))])
    );
    assert!(
        stderr.ends_with(&format!("locked \"{url}\" → {}\n", sri(&text))),
        "{stderr}"
    );

    // Again: the store answers, nothing is built.
    let (code, _, stderr) = p.run_with_build_root(&[
        "lock", "--local", "--update", "--store", store_arg, "--engine", "builtin",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, format!("locked \"{url}\" → {}\n", sri(&text)));

    let (code, _, stderr) = p.run(&["freeze", "--store", store_arg, "--server", &closed_url()]);
    assert_eq!(code, 0, "{stderr}");
    let frozen = p
        .path()
        .join(format!("ai-drv/greet-{}.nix", &nix32(&text)[..8]));
    assert_eq!(fs_err::read_to_string(frozen).unwrap(), text);
}

//! `ai-drv lock`: pin the prompts of `mkAIDerivation` calls.
//!
//! The prompts are found on the syntax tree of the Nix files (`ai_drv_syntax::scan_prompts`).
//! Each prompt without an entry is asked of an ai-drv server with the original protocol
//! (`/hash?req=`, then `/drv?hash=`), the text is checked against the hash, added to the Nix
//! store as the fixed-output path the library's `fetchurl { name = "ai-drv.nix"; hash; }` would
//! produce (so a build works with the server stopped), and recorded in `ai-drv.lock`. The lock is
//! written once, at the end, and only when every prompt succeeded.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ai_drv_hash::Algorithm;
use clap::Args;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::engine_setup::{self, ModelArgs};
use crate::error::{CliError, Result};
use crate::jobs::{self, EngineGenerator};
use crate::lockfile::{self, LockEntry, LockFile};
use crate::printer::Printer;

/// The original server's address, which the Nix library defaults to as well.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:5000";

/// The store path name of the fetched derivation text; the Nix library's `fetchurl` uses the
/// same name, so the path added here is the one it looks for.
pub const STORE_NAME: &str = "ai-drv.nix";

/// Find `mkAIDerivation` prompts in Nix files and write a lock file mapping each prompt to the hash
/// of its verified derivation, so evaluation stays pure.
#[derive(Debug, Args)]
pub struct LockArgs {
    /// Nix files to scan (default: every `*.nix` under the current directory, except hidden
    /// directories, `result*`, `target/` and the freeze directory `ai-drv/`).
    pub files: Vec<PathBuf>,
    /// The lock file to write.
    #[arg(long, default_value = lockfile::FILE_NAME)]
    pub lock: PathBuf,
    /// The ai-drv server to ask.
    #[arg(long, env = "AI_DRV_SERVER", default_value = DEFAULT_SERVER)]
    pub server: String,
    /// Bearer token for the server.
    #[arg(long, env = "AI_DRV_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Run the engine here instead of asking a server.
    #[arg(long)]
    pub local: bool,
    /// Ask again for prompts that already have an entry.
    #[arg(long)]
    pub update: bool,
    /// With --local: the store to record jobs in (default: $XDG_DATA_HOME/ai-drv/store.sqlite,
    /// the one `ai-drv serve` uses).
    #[arg(long, help_heading = "Local engine (--local)")]
    pub store: Option<PathBuf>,
    /// With --local: build against this nixpkgs instead of the bundled host package set.
    #[arg(long, help_heading = "Local engine (--local)")]
    pub nixpkgs: Option<PathBuf>,
    /// With --local: give up on a prompt after this many build attempts.
    #[arg(long, default_value_t = 8, help_heading = "Local engine (--local)")]
    pub max_attempts: u32,
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(args: LockArgs, printer: &Printer) -> Result<()> {
    let old = LockFile::read(&args.lock).map_err(CliError::usage)?;
    let dir = lock_dir(&args.lock);
    if !dir.as_os_str().is_empty() && !dir.is_dir() {
        return Err(CliError::usage(format!(
            "{} does not exist; create it or give another --lock",
            dir.display()
        )));
    }
    let files = if args.files.is_empty() {
        discover(Path::new("."), &args.lock)?
    } else {
        args.files.clone()
    };
    let prompts = collect_prompts(&files, !args.files.is_empty(), printer)?;

    let mut lock = old.clone().unwrap_or_default();
    let wanted: BTreeSet<&String> = prompts.iter().collect();
    let stale: Vec<String> = lock
        .prompts
        .keys()
        .filter(|k| !wanted.contains(k))
        .cloned()
        .collect();
    let todo: Vec<&String> = prompts
        .iter()
        .filter(|p| args.update || !lock.prompts.contains_key(*p))
        .collect();

    let asked = todo.len();
    let mut fresh: Vec<(String, LockEntry)> = Vec::new();
    if !todo.is_empty() {
        let source = if args.local {
            Source::Local(Box::new(Local::new(&args)?))
        } else {
            Source::Server {
                server: Server::new(&args.server, args.token.clone())?,
                runtime: super::runtime()?,
            }
        };
        let nix = store_adder(printer);
        let untouched = |e: CliError| {
            let path = args.lock.display();
            match e.hint {
                Some(_) => e,
                None => e.hint(format!("{path} was not changed")),
            }
        };
        for prompt in todo {
            let text = source.derivation(prompt, printer).map_err(untouched)?;
            let hash = sri(&text);
            if let Some(nix) = &nix {
                add_to_store(nix, &text).map_err(untouched)?;
            }
            let (pname, version) = name_and_version(&text);
            // A frozen copy stays valid while the hash is the same.
            let file = lock
                .prompts
                .get(prompt)
                .filter(|e| e.hash == hash)
                .and_then(|e| e.file.clone());
            printer.status(&format!("locked \"{prompt}\" → {hash}"));
            fresh.push((
                prompt.clone(),
                LockEntry {
                    file,
                    hash,
                    pname,
                    version,
                },
            ));
        }
    }

    for prompt in &stale {
        let frozen = lock.prompts.remove(prompt).and_then(|e| e.file);
        let note = match frozen {
            Some(file) => format!(" (its frozen file {file} is left in place)"),
            None => String::new(),
        };
        printer.status(&format!(
            "removed \"{prompt}\": no longer in the files{note}"
        ));
    }
    let mut refreeze = false;
    for (prompt, entry) in fresh {
        let was_frozen = lock.prompts.get(&prompt).is_some_and(|e| e.file.is_some());
        refreeze |= was_frozen && entry.file.is_none();
        lock.prompts.insert(prompt, entry);
    }
    if refreeze {
        printer.warn("a frozen derivation changed; run `ai-drv freeze` to write it again");
    }
    if asked == 0 && stale.is_empty() && !prompts.is_empty() {
        printer.status(&format!(
            "{} is up to date ({} prompt{})",
            args.lock.display(),
            prompts.len(),
            if prompts.len() == 1 { "" } else { "s" }
        ));
    }
    if prompts.is_empty() {
        printer.status(&format!(
            "no mkAIDerivation prompts found in {} file{}",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        ));
    }
    // An unchanged lock is not rewritten, and no lock is created for files without prompts.
    let changed = match &old {
        Some(old) => *old != lock,
        None => !lock.prompts.is_empty(),
    };
    if changed {
        lock.write(&args.lock).map_err(CliError::usage)?;
    }
    if printer.json() {
        let value = serde_json::to_value(&lock).map_err(CliError::failed)?;
        printer.data("", &value);
    }
    Ok(())
}

/// Every `*.nix` file under `root`, sorted, skipping hidden directories, `result*` links and
/// directories, `target/` and the freeze directory next to the lock.
fn discover(root: &Path, lock: &Path) -> Result<Vec<PathBuf>> {
    let freeze_dir = Path::new(".")
        .join(lock_dir(lock))
        .join(lockfile::FREEZE_DIR)
        .canonicalize()
        .ok();
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_dir() || entry.path_is_symlink();
            if name.starts_with('.') && entry.file_type().is_dir() {
                return false;
            }
            if is_dir && (name.starts_with("result") || name == "target") {
                return false;
            }
            if entry.file_type().is_dir() && name == lockfile::FREEZE_DIR {
                let here = entry.path().canonicalize().ok();
                if here.is_some() && here == freeze_dir {
                    return false;
                }
            }
            true
        });
    for entry in walk {
        let entry = entry.map_err(|e| CliError::usage(format!("cannot list the files: {e}")))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "nix") {
            let path = entry.path();
            files.push(path.strip_prefix(".").unwrap_or(path).to_path_buf());
        }
    }
    Ok(files)
}

/// The directory a lock file is in; empty for a bare name, so paths joined to it read as the
/// user would write them (`ai-drv/sl-….nix`, not `./ai-drv/sl-….nix`).
pub(crate) fn lock_dir(lock: &Path) -> PathBuf {
    lock.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The normalised prompts of `files`, in order of first appearance, each once. A file that does
/// not parse is an error when it was named, and skipped with a warning when it was discovered.
fn collect_prompts(files: &[PathBuf], named: bool, printer: &Printer) -> Result<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut prompts = Vec::new();
    for file in files {
        let text = fs_err::read_to_string(file).map_err(|e| {
            CliError::usage(format!("cannot read {}: {}", file.display(), io_reason(&e)))
        })?;
        let scan = match ai_drv_syntax::scan_prompts(&text) {
            Ok(scan) => scan,
            Err(e) if named => {
                return Err(CliError::usage(format!("{}: {e}", file.display())));
            }
            Err(e) => {
                printer.warn(&format!("skipped {}: {e}", file.display()));
                continue;
            }
        };
        for unlockable in &scan.unlockable {
            printer.warn(&format!(
                "cannot lock {} at {}:{}",
                unlockable.reason,
                file.display(),
                unlockable.line
            ));
        }
        for found in scan.found {
            let prompt = ai_drv_store::normalise(&found.prompt);
            if prompt.is_empty() {
                printer.warn(&format!(
                    "cannot lock an empty prompt at {}:{}",
                    file.display(),
                    found.line
                ));
                continue;
            }
            if seen.insert(prompt.clone()) {
                prompts.push(prompt);
            }
        }
    }
    Ok(prompts)
}

/// Where derivation texts come from.
enum Source {
    Server {
        server: Server,
        runtime: tokio::runtime::Runtime,
    },
    Local(Box<Local>),
}

impl Source {
    fn derivation(&self, prompt: &str, printer: &Printer) -> Result<String> {
        match self {
            Source::Server { server, runtime } => runtime.block_on(async {
                let hash = server.hash(prompt).await?;
                server.derivation(&hash, prompt).await
            }),
            Source::Local(local) => local.derivation(prompt, printer),
        }
    }
}

/// The engine run here, with the local store as the server would use it: a prompt the store
/// already has a verified derivation for is answered from it (as the server answers a known
/// prompt), any other becomes a job in the store, so `ai-drv serve` and `ai-drv freeze` see it.
struct Local {
    store: Arc<ai_drv_store::Store>,
    // Declared before the runtime, so it is dropped first: it holds a handle of that runtime.
    generator: EngineGenerator,
    _runtime: tokio::runtime::Runtime,
}

impl Local {
    fn new(args: &LockArgs) -> Result<Local> {
        let (config, engine) = engine_setup::engine(args.nixpkgs.as_deref(), args.max_attempts)?;
        let setup = engine_setup::model(&config, &args.model)?;
        let store = jobs::open_store(args.store.as_deref())?;
        let runtime = super::runtime()?;
        let generator = EngineGenerator::new(config, engine, setup, runtime.handle().clone());
        Ok(Local {
            store,
            generator,
            _runtime: runtime,
        })
    }

    /// The verified text for `prompt`: from the store, else by running the engine (on this
    /// thread, outside the runtime: the engine drives its own network stages on it).
    fn derivation(&self, prompt: &str, printer: &Printer) -> Result<String> {
        let store_error = |e: ai_drv_store::StoreError| CliError::usage(e.to_string());
        if let Some(known) = self.store.request(prompt).map_err(store_error)? {
            if known.state == ai_drv_store::JobState::Succeeded {
                if let Some(hash) = &known.hash {
                    if let Some(derivation) = self.store.derivation(hash).map_err(store_error)? {
                        return Ok(derivation.text);
                    }
                }
            }
        }
        let job = self.store.create_job(prompt).map_err(store_error)?;
        self.store.start_job(job).map_err(store_error)?;
        printer.status(&format!("packaging \"{prompt}\" here (job {job})"));
        let progress = |attempt: &ai_drv_store::AttemptRecord| {
            let why = attempt
                .diagnosis
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            printer.status(&format!(
                "  attempt {}: {}{why}",
                attempt.number, attempt.outcome
            ));
        };
        let finished = self.generator.run(prompt, &progress);
        self.store.finish_job(job, &finished).map_err(store_error)?;
        match finished {
            ai_drv_store::Finished::Succeeded { derivation, .. } => Ok(derivation.text),
            ai_drv_store::Finished::Failed { error, .. } => Err(CliError::failed(format!(
                "ai-drv could not package \"{prompt}\": {error}"
            ))),
        }
    }
}

/// `sha256-` + base64 of the text's SHA-256: the lock's `hash`.
pub(crate) fn sri(text: &str) -> String {
    ai_drv_hash::hash_bytes(Algorithm::Sha256, text.as_bytes()).to_sri()
}

/// `pname` and `version` as the text states them literally.
pub(crate) fn name_and_version(text: &str) -> (Option<String>, Option<String>) {
    match ai_drv_syntax::Document::parse(text) {
        Ok(doc) => (doc.get_string("pname"), doc.get_string("version")),
        Err(_) => (None, None),
    }
}

/// The Nix to add texts to the store with; without one, a warning (the lock still works while
/// the server runs).
fn store_adder(printer: &Printer) -> Option<ai_drv_nix::Nix> {
    match ai_drv_nix::Nix::detect() {
        Ok(nix) => Some(nix),
        Err(e) => {
            printer.warn(&format!(
                "derivations not added to the Nix store ({e}); building will need the server"
            ));
            None
        }
    }
}

/// Adds `text` to the Nix store as the flat fixed-output path named `ai-drv.nix` — the path of
/// the library's `fetchurl { name = "ai-drv.nix"; hash = …; }` — and checks Nix put it where
/// ai-drv computes it would be.
pub(crate) fn add_to_store(nix: &ai_drv_nix::Nix, text: &str) -> Result<String> {
    let dir = tempfile::tempdir()
        .map_err(|e| CliError::usage(format!("cannot create a temporary directory: {e}")))?;
    let file = dir.path().join(STORE_NAME);
    fs_err::write(&file, text).map_err(|e| CliError::usage(e.to_string()))?;
    let path = nix.add_fixed(&file, false, "sha256")?;
    let hash = ai_drv_hash::hash_bytes(Algorithm::Sha256, text.as_bytes());
    let expected = ai_drv_hash::fixed_output_path(STORE_NAME, &hash, false)
        .map_err(|e| CliError::failed(e.to_string()))?;
    if path != expected {
        return Err(CliError::failed(format!(
            "Nix stored the derivation at {path}, but ai-drv computed {expected}: please report this"
        )));
    }
    Ok(path)
}

/// Everything but `A–Z a–z 0–9 - _ . ~` is percent-encoded, as nixpkgs' `lib.escapeURL` does,
/// so the server sees the query the Nix library sends. (`lib.escapeURL` leaves non-ASCII bytes
/// raw; a URL cannot carry them raw, and both forms decode to the same prompt.)
const ESCAPE_URL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub(crate) fn escape_url(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, ESCAPE_URL).to_string()
}

/// An ai-drv server spoken to with the original protocol.
pub(crate) struct Server {
    base: String,
    token: Option<String>,
    client: reqwest::Client,
    /// What to do when nothing listens at `base`.
    unreachable_advice: String,
}

/// What went wrong at the server, before it is worded for a command.
enum Failure {
    /// Nothing listens there.
    Unreachable,
    /// Any other transport error, worded.
    Transport(String),
    /// An HTTP status other than 200, and the server's one-line reason.
    Status(u16, String),
}

impl Server {
    pub(crate) fn new(url: &str, token: Option<String>) -> Result<Server> {
        // `AI_DRV_SERVER=` (set but empty) means the default, as an unset variable would.
        let url = if url.trim().is_empty() {
            DEFAULT_SERVER
        } else {
            url
        };
        let parsed = url::Url::parse(url).map_err(|e| {
            CliError::usage(format!(
                "--server {url} is not a URL ({e}); give one like {DEFAULT_SERVER}"
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(CliError::usage(format!(
                "--server {url} is not an http:// or https:// URL; give one like {DEFAULT_SERVER}"
            )));
        }
        // No overall or read timeout: the first `/hash` answer waits for the whole job, which
        // can take many minutes.
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(30))
            .user_agent(concat!("ai-drv/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CliError::usage(format!("cannot set up an HTTP client: {e}")))?;
        Ok(Server {
            base: url.trim_end_matches('/').to_string(),
            token: token.filter(|t| !t.is_empty()),
            client,
            unreachable_advice: "start one with `ai-drv serve` or use --local".to_string(),
        })
    }

    /// Replaces the advice given when no server answers.
    pub(crate) fn unreachable_advice(mut self, advice: &str) -> Server {
        self.unreachable_advice = advice.to_string();
        self
    }

    async fn get(&self, path_and_query: &str) -> std::result::Result<Vec<u8>, Failure> {
        let mut request = self.client.get(format!("{}{path_and_query}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_connect() {
                Failure::Unreachable
            } else {
                Failure::Transport(reason(&e))
            }
        })?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| Failure::Transport(reason(&e)))?;
        if status.is_success() {
            Ok(body.to_vec())
        } else {
            Err(Failure::Status(status.as_u16(), one_line_reason(&body)))
        }
    }

    /// Words a failure as one line with what to do.
    fn error(&self, failure: Failure, prompt: &str) -> CliError {
        let url = &self.base;
        match failure {
            Failure::Unreachable => CliError::usage(format!(
                "no ai-drv server at {url}; {}",
                self.unreachable_advice
            )),
            Failure::Transport(reason) => {
                CliError::failed(format!("the server at {url} did not answer: {reason}"))
            }
            Failure::Status(401, _) | Failure::Status(403, _) => CliError::usage(format!(
                "the server at {url} refused the request: it needs a token; pass it with --token or AI_DRV_TOKEN"
            )),
            Failure::Status(422, reason) => CliError::failed(format!(
                "the server could not package \"{prompt}\": {reason}"
            )),
            Failure::Status(status, reason) => CliError::failed(format!(
                "the server at {url} answered {status} for \"{prompt}\": {reason}"
            )),
        }
    }

    /// `/hash?req=`: the base64 SHA-256 of the prompt's verified derivation (waits for the job).
    pub(crate) async fn hash(&self, prompt: &str) -> Result<String> {
        let body = self
            .get(&format!("/hash?req={}", escape_url(prompt)))
            .await
            .map_err(|f| self.error(f, prompt))?;
        let hash = String::from_utf8(body)
            .ok()
            .filter(|h| is_sha256_base64(h))
            .ok_or_else(|| {
                CliError::failed(format!(
                    "the server at {} answered /hash for \"{prompt}\" with something that is not a SHA-256 in base64; is it an ai-drv server?",
                    self.base
                ))
            })?;
        Ok(hash)
    }

    /// `/drv?hash=`: the text whose SHA-256 is `hash` (base64); anything else is refused.
    pub(crate) async fn derivation(&self, hash: &str, prompt: &str) -> Result<String> {
        let body = self
            .get(&format!("/drv?hash={}", escape_url(hash)))
            .await
            .map_err(|f| self.error(f, prompt))?;
        let got = ai_drv_hash::hash_bytes(Algorithm::Sha256, &body).to_base64();
        if got != hash {
            return Err(CliError::failed(format!(
                "the server at {} sent a derivation for \"{prompt}\" whose SHA-256 is {got}, not the announced {hash}; refusing it",
                self.base
            )));
        }
        String::from_utf8(body).map_err(|_| {
            CliError::failed(format!(
                "the server at {} sent a derivation for \"{prompt}\" that is not UTF-8 text; refusing it",
                self.base
            ))
        })
    }
}

/// Whether `s` is 44 characters of standard base64 decoding to 32 bytes.
fn is_sha256_base64(s: &str) -> bool {
    s.len() == 44
        && ai_drv_hash::Hash::parse(&format!("sha256-{s}"), None)
            .is_ok_and(|h| h.algorithm() == Algorithm::Sha256)
}

/// A server's error body as one line: the `error`/`message` of a JSON object, else the first
/// non-empty line of the text, cut to a readable length.
fn one_line_reason(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let json = serde_json::from_str::<serde_json::Value>(&text).ok();
    let from_json = json.as_ref().and_then(|v| {
        ["error", "message", "reason"]
            .iter()
            .find_map(|k| v.get(k).and_then(serde_json::Value::as_str))
            .map(str::to_string)
    });
    let line = from_json
        .unwrap_or_else(|| text.to_string())
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("(no reason given)")
        .to_string();
    const MAX: usize = 300;
    if line.chars().count() > MAX {
        let cut: String = line.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        line
    }
}

/// The causes of an HTTP error as one line (reqwest's own message repeats the URL, which ours
/// already names).
fn reason(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let text = s.to_string();
        if !text.starts_with("client error (") && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_lib_escape_url() {
        assert_eq!(
            escape_url("Generate a derivation for building `sl`"),
            "Generate%20a%20derivation%20for%20building%20%60sl%60"
        );
        assert_eq!(
            escape_url("ab+/cd=AZaz09-_.~é"),
            "ab%2B%2Fcd%3DAZaz09-_.~%C3%A9"
        );
    }

    #[test]
    fn reasons_are_one_line() {
        assert_eq!(
            one_line_reason(b"\n  no build system recognised\nmore"),
            "no build system recognised"
        );
        assert_eq!(
            one_line_reason(br#"{"error": "prompt too long", "code": 413}"#),
            "prompt too long"
        );
        assert_eq!(one_line_reason(b""), "(no reason given)");
    }

    #[test]
    fn hash_answers_are_checked() {
        assert!(is_sha256_base64(
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        ));
        assert!(!is_sha256_base64(
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"
        ));
        assert!(!is_sha256_base64("<html>not a hash</html>"));
    }
}

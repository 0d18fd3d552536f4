//! The lock file `ai-drv.lock`: which verified derivation each `mkAIDerivation` prompt stands
//! for, so the Nix library can fetch it as a fixed-output path under pure evaluation.
//!
//! The format is shared with the Nix library (`nix/lib/`), which reads it with
//! `builtins.fromJSON`; keep it exactly: pretty JSON with 2-space indentation, keys sorted, a
//! trailing newline, written atomically.
//!
//! ```json
//! {
//!   "prompts": {
//!     "<normalised prompt>": {
//!       "file": "ai-drv/sl-0123abcd.nix",
//!       "hash": "sha256-<44-char base64>",
//!       "pname": "sl",
//!       "version": "5.02"
//!     }
//!   },
//!   "version": 1
//! }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The lock format this ai-drv writes and reads.
pub const VERSION: u32 = 1;

/// The default lock file name, and the directory next to it that `ai-drv freeze` writes.
pub const FILE_NAME: &str = "ai-drv.lock";
pub const FREEZE_DIR: &str = "ai-drv";

/// Why a lock file could not be read or written; one line each.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path} is not an ai-drv lock file ({message}); fix or delete it and run `ai-drv lock` again")]
    Invalid { path: PathBuf, message: String },
    #[error("{path} was written by a newer ai-drv (lock version {found}, this one knows up to {VERSION}); upgrade ai-drv")]
    TooNew { path: PathBuf, found: u32 },
    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },
}

/// A whole lock file. Field order is the serialised key order, which must stay sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockFile {
    /// Normalised prompt (`ai_drv_store::normalise`) → its entry. A BTreeMap keeps keys sorted.
    pub prompts: BTreeMap<String, LockEntry>,
    pub version: u32,
}

/// What one prompt is locked to. Field order is the serialised key order (sorted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockEntry {
    /// The frozen copy, relative to the lock's directory (`ai-drv/sl-0123abcd.nix`); set by
    /// `ai-drv freeze`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `sha256-` + standard base64 of the SHA-256 of the derivation text.
    pub hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Default for LockFile {
    fn default() -> Self {
        LockFile {
            prompts: BTreeMap::new(),
            version: VERSION,
        }
    }
}

impl LockFile {
    /// Reads the lock at `path`; `None` when there is no file.
    pub fn read(path: &Path) -> Result<Option<LockFile>, LockError> {
        let text = match fs_err::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(LockError::Read {
                    path: path.to_path_buf(),
                    message: io_reason(&e),
                })
            }
        };
        LockFile::parse(&text, path).map(Some)
    }

    /// Parses lock text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<LockFile, LockError> {
        let invalid = |message: String| LockError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        // The version is checked first, so a newer format with a different shape still gets the
        // "upgrade" message rather than a parse error.
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let found = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| invalid("no \"version\" number".to_string()))?;
        let found = u32::try_from(found).unwrap_or(u32::MAX);
        if found > VERSION {
            return Err(LockError::TooNew {
                path: path.to_path_buf(),
                found,
            });
        }
        if found < VERSION {
            return Err(invalid(format!("unknown lock version {found}")));
        }
        serde_json::from_value(value).map_err(|e| invalid(e.to_string()))
    }

    /// The file's exact text: pretty JSON (2-space indentation), sorted keys, trailing newline.
    pub fn to_text(&self) -> Result<String, LockError> {
        // Serialising the structs directly (not through serde_json::Value) keeps the key order
        // independent of serde_json's `preserve_order` feature, which another crate may enable.
        let mut text = serde_json::to_string_pretty(self).map_err(|e| LockError::Write {
            path: PathBuf::from(FILE_NAME),
            message: e.to_string(),
        })?;
        text.push('\n');
        Ok(text)
    }

    /// Writes the lock atomically: a temporary file in the same directory, renamed over `path`.
    pub fn write(&self, path: &Path) -> Result<(), LockError> {
        write_atomically(path, self.to_text()?.as_bytes()).map_err(|e| LockError::Write {
            path: path.to_path_buf(),
            message: io_reason(&e),
        })
    }
}

pub use crate::files::write_atomically;

/// An I/O error's reason without the path (the caller's message names it).
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(hash: &str) -> LockEntry {
        LockEntry {
            file: None,
            hash: hash.to_string(),
            pname: None,
            version: None,
        }
    }

    #[test]
    fn text_is_sorted_pretty_with_newline() {
        let mut lock = LockFile::default();
        lock.prompts.insert(
            "b prompt".into(),
            LockEntry {
                file: Some("ai-drv/sl-01234567.nix".into()),
                hash: "sha256-B".into(),
                pname: Some("sl".into()),
                version: Some("5.02".into()),
            },
        );
        lock.prompts.insert("a prompt".into(), entry("sha256-A"));
        assert_eq!(
            lock.to_text().unwrap(),
            r#"{
  "prompts": {
    "a prompt": {
      "hash": "sha256-A"
    },
    "b prompt": {
      "file": "ai-drv/sl-01234567.nix",
      "hash": "sha256-B",
      "pname": "sl",
      "version": "5.02"
    }
  },
  "version": 1
}
"#
        );
        assert_eq!(
            LockFile::parse(&lock.to_text().unwrap(), Path::new("x")).unwrap(),
            lock
        );
    }

    #[test]
    fn newer_version_is_one_line_error() {
        let err = LockFile::parse(r#"{"version": 2, "entries": []}"#, Path::new("ai-drv.lock"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ai-drv.lock was written by a newer ai-drv (lock version 2, this one knows up to 1); upgrade ai-drv"
        );
    }

    #[test]
    fn garbage_is_invalid() {
        let err = LockFile::parse("{}", Path::new("l")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "l is not an ai-drv lock file (no \"version\" number); fix or delete it and run `ai-drv lock` again"
        );
        assert!(matches!(
            LockFile::parse("not json", Path::new("l")),
            Err(LockError::Invalid { .. })
        ));
    }

    #[test]
    fn write_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(LockFile::read(&path).unwrap(), None);
        let mut lock = LockFile::default();
        lock.prompts.insert("p".into(), entry("sha256-X"));
        lock.write(&path).unwrap();
        lock.write(&path).unwrap();
        assert_eq!(LockFile::read(&path).unwrap(), Some(lock));
        let names: Vec<_> = fs_err::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(FILE_NAME)]);
    }
}

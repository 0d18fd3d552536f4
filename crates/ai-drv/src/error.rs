//! The binary's error: a message, an optional hint saying what to do, and an exit code.

use std::fmt;

/// How a command failed, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The command ran and the thing it checked or built failed (exit 1).
    Failed,
    /// Bad input or a missing prerequisite (exit 2).
    Usage,
}

#[derive(Debug)]
pub struct CliError {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn usage(message: impl fmt::Display) -> CliError {
        CliError {
            kind: Kind::Usage,
            message: message.to_string(),
            hint: None,
        }
    }

    pub fn failed(message: impl fmt::Display) -> CliError {
        CliError {
            kind: Kind::Failed,
            message: message.to_string(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl fmt::Display) -> CliError {
        self.hint = Some(hint.to_string());
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Failed => 1,
            Kind::Usage => 2,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<ai_drv_config::ConfigError> for CliError {
    fn from(e: ai_drv_config::ConfigError) -> Self {
        CliError::usage(e)
    }
}

impl From<ai_drv_nix::NixError> for CliError {
    fn from(e: ai_drv_nix::NixError) -> Self {
        match e {
            ai_drv_nix::NixError::NotInstalled(_) | ai_drv_nix::NixError::UnknownVersion(_) => {
                CliError::usage(e)
            }
            _ => CliError::failed(e),
        }
    }
}

pub type Result<T, E = CliError> = std::result::Result<T, E>;

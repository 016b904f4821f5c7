//! The one error type commands return. Every variant knows its exit code and, where there is one,
//! the hint that tells the user what to do next; `ui::render_error` draws both.

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::db::DbError;
use crate::docker::DockerError;

/// Exit codes: 0 success, 1 a step failed, 2 usage or configuration error or a refusal, 130 interrupted.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INTERRUPTED: u8 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Docker(#[from] DockerError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },
    #[error("{message}")]
    Refused {
        message: String,
        hint: Option<String>,
    },
    #[error("{program} is not installed (needed by `{needed_by}`)")]
    ProgramMissing {
        program: String,
        needed_by: String,
        hint: String,
    },
    #[error("`{command}` failed with {status}")]
    CommandFailed { command: String, status: String },
    #[error("failed to run `{command}`: {source}")]
    CommandSpawn {
        command: String,
        source: std::io::Error,
    },
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{message}")]
    Step {
        message: String,
        hint: Option<String>,
        details: Vec<String>,
    },
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Config(_) | Error::Usage { .. } | Error::Refused { .. } => exit::USAGE,
            Error::Interrupted => exit::INTERRUPTED,
            _ => exit::FAILURE,
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Config(e) => e.hint(),
            Error::Docker(e) => e.hint(),
            Error::Db(e) => e.hint(),
            Error::Usage { hint, .. } | Error::Refused { hint, .. } | Error::Step { hint, .. } => {
                hint.clone()
            }
            Error::ProgramMissing { hint, .. } => Some(hint.clone()),
            _ => None,
        }
    }

    /// Extra lines shown under the error (e.g. the tail of a container's logs).
    pub fn details(&self) -> &[String] {
        match self {
            Error::Step { details, .. } => details,
            Error::Db(e) => e.details(),
            _ => &[],
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

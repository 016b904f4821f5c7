//! Configuration errors: each names the file (and line and column where there is one) and says
//! what to do. All of them exit with status 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no devctl.toml found in {start} or any parent directory")]
    NotFound { start: PathBuf },
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ConfigError {
    /// What the user can do about it, shown under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::NotFound { .. } => Some(
                "run devctl from inside the project, pass -C DIR, or create devctl.toml (see README.md)".into(),
            ),
            _ => None,
        }
    }
}

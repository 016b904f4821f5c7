//! Reads an Alembic project's migration history from disk without running Python, so that
//! `devctl status` can say which revisions are applied, pending or unknown even when the
//! project's virtualenv is missing or broken. It reads `alembic.ini` the way Python's
//! `configparser` does, reads the module-level `revision` / `down_revision` / `branch_labels` /
//! `depends_on` literals of each version file with a small tokenizer (never evaluating code), and
//! compares the heads on disk with the versions the caller read from the database's
//! `alembic_version` table. Nothing here touches the database.

mod config;
mod history;
mod ini;
mod python_tokens;
mod version_file;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use config::{AlembicConfig, versions_dirs};
pub use history::{AlembicStatus, History, status};
pub use version_file::{Revision, read_revisions};

/// Something in `alembic.ini` or a version file that devctl cannot read. Each names the file
/// (and line where there is one) and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum AlembicError {
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{path}: no script_location in its [alembic] section (or [tool.alembic] in pyproject.toml); add one, for example `script_location = %(here)s/alembic` (the directory holding env.py)"
    )]
    NoScriptLocation { path: PathBuf },
    #[error(
        "{path}:{line}: {key} = {value} names a Python package, which devctl cannot resolve without running Python; write it as a directory, for example `%(here)s/...`"
    )]
    PackageLocation {
        path: PathBuf,
        line: usize,
        key: String,
        value: String,
    },
    #[error(
        "{path}:{line}: script_location {dir} does not exist; point script_location at the directory holding env.py and versions/"
    )]
    NoScriptDir {
        path: PathBuf,
        line: usize,
        dir: PathBuf,
    },
}

impl AlembicError {
    fn syntax(path: &Path, line: usize, message: impl Into<String>) -> AlembicError {
        AlembicError::Syntax {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    fn read(path: &Path, source: std::io::Error) -> AlembicError {
        AlembicError::Read {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Reads the history of the project configured by `config`: its version directories and every
/// revision in them.
pub fn load(config: &AlembicConfig) -> Result<History, AlembicError> {
    let dirs = versions_dirs(config)?;
    Ok(History::new(read_revisions(&dirs)?))
}

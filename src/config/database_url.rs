//! Database URLs as projects write them (SQLAlchemy's `postgresql+pg8000://`, `sqlite:///path`,
//! plain `postgres://`) turned into what sqlx accepts. The original value is kept untouched for the
//! project's own commands.

use std::path::{Path, PathBuf};

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres {
        /// Exactly as the user wrote it.
        original: String,
        /// `postgres://user:pass@host:port/db` for sqlx.
        sqlx: String,
        host: String,
        port: u16,
        user: String,
        database: String,
    },
    Sqlite {
        original: String,
        /// Absolute (relative paths resolve against the project root).
        path: PathBuf,
    },
}

impl DatabaseUrl {
    /// `root` resolves relative SQLite paths. Errors say which forms are accepted.
    pub fn parse(_value: &str, _root: &Path) -> Result<DatabaseUrl, String> {
        todo!()
    }
}

/// The database devctl works on, after `url_env` and defaults are applied.
#[derive(Debug, Clone)]
pub struct Database {
    pub url: DatabaseUrl,
    /// Where the URL came from: "LETTA_PG_URI from .env", "the default SQLite path", ...
    pub source: String,
    /// The compose service that hosts it (Postgres only).
    pub service: Option<String>,
    /// Absolute host path of the data directory (Postgres with a bind mount or `data_dir`).
    pub data_dir: Option<PathBuf>,
}

impl DatabaseUrl {
    /// The URL sqlx connects with (for SQLite: `sqlite://PATH?mode=rwc`).
    pub fn sqlx_url(&self) -> String {
        todo!()
    }

    /// The value exported to the project's commands: the original text.
    pub fn original(&self) -> &str {
        match self {
            DatabaseUrl::Postgres { original, .. } | DatabaseUrl::Sqlite { original, .. } => {
                original
            }
        }
    }

    /// The URL with its password replaced by `***`, for display.
    pub fn redacted(&self) -> String {
        todo!()
    }
}

//! `devctl.toml`: the project's own settings. Key names are a contract with users' files.

use std::path::PathBuf;
use std::time::Duration;

/// The validated contents of `devctl.toml`, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Relative to the project root; `None` means "look for the usual compose file names".
    pub compose_file: Option<PathBuf>,
    /// What `ready` and `up` start; `None` means every service with an image.
    pub services: Option<Vec<String>>,
    pub database: DatabaseSettings,
    pub migrations: MigrationSettings,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// The compose service that hosts the database.
    pub service: Option<String>,
    /// The variable holding the database URL (environment first, then `.env`). Default `DATABASE_URL`.
    pub url_env: String,
    /// Relative to the project root. Default `data/dev.sqlite`.
    pub sqlite_path: PathBuf,
    /// Relative to the project root; `None` means the service's bind mount on PGDATA.
    pub data_dir: Option<PathBuf>,
    pub extensions: Vec<String>,
    /// Default 60 s. Written as "60s", "500ms", "2m".
    pub ready_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct MigrationSettings {
    /// sqlx-format migrations applied natively. Default `migrations` when neither `dir` nor `command` is set.
    pub dir: Option<PathBuf>,
    /// The project's own command, e.g. `uv run alembic upgrade head`.
    pub command: Option<String>,
    /// e.g. `uv run alembic revision --autogenerate -m {message}`.
    pub autogenerate: Option<String>,
    /// Where commands run, relative to the project root. Default `.`.
    pub workdir: PathBuf,
}

impl Settings {
    /// Parses `devctl.toml` text; errors carry `path`, line and column.
    pub fn parse(_path: &std::path::Path, _text: &str) -> Result<Settings, super::ConfigError> {
        todo!()
    }
}

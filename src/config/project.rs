//! One project as devctl sees it: its root, settings, environment, compose file and database.

use std::path::{Path, PathBuf};

use super::{Compose, ConfigError, Database, Env, Settings};

#[derive(Debug, Clone)]
pub struct Project {
    /// The directory holding `devctl.toml`, canonicalised.
    pub root: PathBuf,
    pub settings: Settings,
    pub env: Env,
    /// `None` when the project has no compose file (SQLite-only projects).
    pub compose: Option<Compose>,
    pub database: Database,
}

impl Project {
    /// Walks up from `start` to the first directory holding `devctl.toml`.
    pub fn discover(_start: &Path) -> Result<PathBuf, ConfigError> {
        todo!()
    }

    /// Reads everything under `root`: `devctl.toml`, `.env` (or `.env.example`), the compose file,
    /// then resolves the database: `url_env` set -> that URL; unset -> SQLite at `sqlite_path`.
    /// Validates cross-references (services named in `services` and `database.service` exist).
    pub fn load(_root: &Path) -> Result<Project, ConfigError> {
        todo!()
    }

    /// The services `ready` / `up` start: `settings.services`, else every compose service.
    pub fn selected_services(&self) -> Vec<&super::Service> {
        todo!()
    }

    /// Resolves a path from the settings against the root.
    pub fn path(&self, relative: &Path) -> PathBuf {
        self.root.join(relative)
    }
}

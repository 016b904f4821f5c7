//! The variables a project's configuration may refer to: the process environment over the `.env`
//! file. When `.env` does not exist yet, `.env.example` stands in for it, because `ready` creates
//! `.env` as a copy of it; so a plan (and `--dry-run`) sees what the run will see.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Values from the file (`.env`, or `.env.example` standing in).
    pub file_vars: BTreeMap<String, String>,
    /// The file the values came from, if any.
    pub file: Option<PathBuf>,
    /// A snapshot of the process environment.
    pub process: BTreeMap<String, String>,
}

impl Env {
    /// Reads `root/.env` (or `root/.env.example` when `.env` is missing) with dotenvy's syntax.
    pub fn load(_root: &Path) -> Result<Env, super::ConfigError> {
        todo!()
    }

    /// Keys present in `.env.example` but missing from `.env` (empty when either file is missing).
    pub fn keys_missing_from_dotenv(_root: &Path) -> Result<Vec<String>, super::ConfigError> {
        todo!()
    }

    /// The process environment first, then the file.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.process
            .get(key)
            .or_else(|| self.file_vars.get(key))
            .map(String::as_str)
    }

    /// Where a variable's value comes from, for messages: "the environment" or ".env".
    pub fn origin(&self, key: &str) -> Option<String> {
        if self.process.contains_key(key) {
            Some("the environment".into())
        } else if self.file_vars.contains_key(key) {
            self.file
                .as_ref()
                .and_then(|f| f.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        } else {
            None
        }
    }
}

//! Brings the schema up to date: natively with sqlx's migrator for a directory of SQL files, or by
//! running the project's own command (Alembic, ...) with the database URL exported, so the tool
//! can never silently fall back to another database.

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::config::MigrationSettings;
use crate::db;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

use super::{CommandLine, run_command};

pub struct Migrations {
    pub session: Arc<Session>,
}

/// The variables the project's commands receive: the `.env` file's, then the database URL
/// (its original text) under the configured name. The process environment is inherited.
pub fn command_env(session: &Session) -> BTreeMap<String, String> {
    let project = &session.project;
    let mut env: BTreeMap<String, String> = project.env.file_vars.clone();
    env.retain(|key, _| !project.env.process.contains_key(key));
    env.insert(
        project.settings.database.url_env.clone(),
        project.database.url.original().to_string(),
    );
    env
}

impl Step for Migrations {
    fn name(&self) -> String {
        "migrations".into()
    }

    fn describe(&self) -> String {
        let settings = &self.session.project.settings.migrations;
        match (&settings.command, &settings.dir) {
            (Some(command), _) => format!(
                "run `{command}` in {} with {} set",
                settings.workdir.display(),
                self.session.project.settings.database.url_env
            ),
            (None, Some(dir))
                if settings.dir_is_default && !self.session.project.root.join(dir).exists() =>
            {
                format!("nothing: no {}/ directory", dir.display())
            }
            (None, Some(dir)) => format!("apply pending migrations from {}/", dir.display()),
            (None, None) => "nothing: no migrations configured".into(),
        }
    }

    fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let project = &self.session.project;
            let settings = &project.settings.migrations;
            if let Some(command) = &settings.command {
                let line = CommandLine::new(command, &[])?;
                run_command(
                    &line,
                    &project.root.join(&settings.workdir),
                    &command_env(&self.session),
                    cx,
                )
                .await?;
                return Ok(Outcome::done(format!("`{}` succeeded", line.text)));
            }
            let Some(dir) = &settings.dir else {
                return Ok(Outcome::skipped("no migrations configured"));
            };
            let dir = project.root.join(dir);
            if settings.dir_is_default && !dir.exists() {
                return Ok(Outcome::skipped(format!(
                    "no {}/ directory: nothing to apply",
                    MigrationSettings::DEFAULT_DIR
                )));
            }
            let applied = db::apply_migrations(&project.database.url, &dir, &|file, took| {
                cx.output(&format!(
                    "applied {} ({})",
                    file.file_name(),
                    crate::ui::duration(took.as_millis() as u64)
                ));
            })
            .await?;
            Ok(if applied.is_empty() {
                Outcome::unchanged("up to date")
            } else {
                Outcome::done(format!(
                    "applied {}",
                    crate::ui::count(applied.len(), "migration", "migrations")
                ))
            })
        })
    }
}

//! The Postgres extensions the project needs (`vector`), created when missing.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::config::DatabaseUrl;
use crate::db;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

pub struct Extensions {
    pub session: Arc<Session>,
}

impl Step for Extensions {
    fn name(&self) -> String {
        "extensions".into()
    }

    fn describe(&self) -> String {
        format!(
            "CREATE EXTENSION IF NOT EXISTS {}",
            self.session.project.settings.database.extensions.join(", ")
        )
    }

    fn run<'a>(&'a self, _cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let wanted = &self.session.project.settings.database.extensions;
            let url = &self.session.project.database.url;
            if matches!(url, DatabaseUrl::Sqlite { .. }) {
                return Ok(Outcome::skipped(
                    "extensions are for Postgres; the database is SQLite",
                ));
            }
            let created = db::ensure_extensions(url, wanted).await?;
            Ok(if created.is_empty() {
                Outcome::unchanged(format!("{} present", wanted.join(", ")))
            } else {
                Outcome::done(format!("created {}", created.join(", ")))
            })
        })
    }
}

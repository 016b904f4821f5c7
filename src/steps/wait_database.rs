//! Waits until the database really answers: from the host, over TCP, log in to the target
//! database and run `SELECT 1`, retrying only transient conditions within one deadline, while
//! watching the container. For SQLite it creates the file (and its directory).

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::config::DatabaseUrl;
use crate::db;
use crate::engine::{Backoff, Outcome, PollError, Probe, Step, StepContext, poll_until};
use crate::session::Session;

use super::container_watch::ContainerWatch;

pub struct WaitDatabase {
    pub session: Arc<Session>,
}

impl Step for WaitDatabase {
    fn name(&self) -> String {
        match &self.session.project.database.url {
            DatabaseUrl::Postgres { .. } => "wait for database".into(),
            DatabaseUrl::Sqlite { .. } => "database".into(),
        }
    }

    fn describe(&self) -> String {
        let database = &self.session.project.database;
        match &database.url {
            DatabaseUrl::Postgres { .. } => format!(
                "connect to {} and run SELECT 1 until it answers (at most {}s)",
                database.url.redacted(),
                self.session
                    .project
                    .settings
                    .database
                    .ready_timeout
                    .as_secs()
            ),
            DatabaseUrl::Sqlite { path, .. } => format!(
                "open {} (created when missing; {})",
                path.display(),
                database.source
            ),
        }
    }

    fn run<'a>(&'a self, _cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let url = &self.session.project.database.url;
            match url {
                DatabaseUrl::Sqlite { path, .. } => {
                    let existed = path.exists();
                    let mut conn = db::Connection::open_or_fail(url).await?;
                    conn.execute("SELECT 1")
                        .await
                        .map_err(|e| db::DbError::connect(url, &e))?;
                    conn.close().await;
                    let shown = path
                        .strip_prefix(&self.session.project.root)
                        .unwrap_or(path)
                        .display()
                        .to_string();
                    Ok(if existed {
                        Outcome::unchanged(format!("{shown} ready"))
                    } else {
                        Outcome::done(format!("created {shown}"))
                    })
                }
                DatabaseUrl::Postgres { .. } => self.wait_postgres(url).await,
            }
        })
    }
}

fn into_error(probe: Probe<db::DbError>) -> Probe<Error> {
    match probe {
        Probe::Ready => Probe::Ready,
        Probe::Transient(reason) => Probe::Transient(reason),
        Probe::Fatal(error) => Probe::Fatal(error.into()),
    }
}

impl WaitDatabase {
    async fn wait_postgres(&self, url: &DatabaseUrl) -> Result<Outcome, Error> {
        let timeout = self.session.project.settings.database.ready_timeout;
        let mut watch = None;
        if let Some(service) = self.session.database_service() {
            let docker = self.session.docker().await?;
            let compose = self.session.compose();
            if let Some(container) = docker.find_container(compose, service).await? {
                watch = Some(ContainerWatch::new(docker, &container.id, &container.name).await?);
            }
        }
        let result = poll_until(
            timeout,
            Backoff::READINESS,
            || async { into_error(db::probe(url).await) },
            || async {
                match &watch {
                    Some(w) => w.check().await,
                    None => Ok(()),
                }
            },
        )
        .await;
        match result {
            Ok(1) => Ok(Outcome::unchanged("answering")),
            Ok(attempts) => Ok(Outcome::done(format!(
                "answering after {attempts} attempts"
            ))),
            Err(PollError::Fatal(error)) => Err(error),
            Err(PollError::TimedOut { waited, last, .. }) => {
                let message = format!(
                    "the database at {} did not answer within {:.0?}: {last}",
                    url.redacted(),
                    waited
                );
                let hint = Some(
                    "check that the URL's host and port match the port the database service publishes, \
                     or raise [database] ready_timeout in devctl.toml"
                        .to_string(),
                );
                Err(match &watch {
                    Some(w) => w.failure(message, hint).await,
                    None => Error::Step {
                        message,
                        hint,
                        details: Vec::new(),
                    },
                })
            }
        }
    }
}

//! `devctl status`: a read-only look at the environment that names drift before it bites. Each
//! part (services, database, native migrations, Alembic) is gathered concurrently, and every
//! problem found carries the command that fixes it.

mod alembic;
mod database;
mod migrations;
mod services;

use serde::Serialize;

use crate::session::Session;

pub use alembic::AlembicReport;
pub use database::{DatabaseStatus, ExtensionStatus};
pub use migrations::MigrationStatus;
pub use services::{ContainerStatus, ServiceStatus};

/// Something that has drifted or is down, and the command that fixes it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub fix: String,
}

impl Problem {
    pub fn new(message: impl Into<String>, fix: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// "2 migrations pending: a, b", fixed by `devctl ready`; `None` when nothing is pending.
    /// `noun` is the singular and plural, e.g. `("revision", "revisions")`.
    pub fn pending(noun: (&str, &str), names: &[String]) -> Option<Problem> {
        (!names.is_empty()).then(|| {
            Problem::new(
                format!(
                    "{} pending: {}",
                    crate::ui::count(names.len(), noun.0, noun.1),
                    names.join(", ")
                ),
                "devctl ready",
            )
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub services: Vec<ServiceStatus>,
    pub database: DatabaseStatus,
    /// Native (sqlx) migrations, when the project uses them.
    pub migrations: Option<MigrationStatus>,
    /// Alembic, when `alembic.ini` is in the migrations workdir.
    pub alembic: Option<AlembicReport>,
    pub problems: Vec<Problem>,
}

impl StatusReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Gathers everything; only configuration errors (a broken alembic.ini, an unreadable migrations
/// directory) are errors; anything down or drifted is a problem in the report.
pub async fn gather(session: &Session) -> Result<StatusReport, crate::Error> {
    let mut problems = Vec::new();
    let (services, inspection) =
        tokio::join!(services::gather(session), database::inspect(session));
    let (services, service_problems) = services;
    problems.extend(service_problems);
    let (database, inspection) = database::report(session, inspection, &mut problems);
    let migrations = migrations::report(session, inspection.as_ref(), &mut problems).await?;
    let alembic = alembic::report(session, inspection.as_ref(), &mut problems)?;
    Ok(StatusReport {
        services,
        database,
        migrations,
        alembic,
        problems,
    })
}

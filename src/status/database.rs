//! The database's side of `status`: reachable or not (and why), server version, and whether the
//! configured extensions are there.

use serde::Serialize;

use super::Problem;
use crate::config::DatabaseUrl;
use crate::db::{self, Inspection};
use crate::session::Session;

#[derive(Debug, Clone, Serialize)]
pub struct ExtensionStatus {
    pub name: String,
    pub present: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatabaseStatus {
    /// Password hidden.
    pub url: String,
    /// Where the URL came from.
    pub source: String,
    pub reachable: bool,
    pub error: Option<String>,
    pub server: Option<String>,
    pub extensions: Vec<ExtensionStatus>,
}

pub async fn inspect(session: &Session) -> Result<Inspection, db::DbError> {
    let url = &session.project.database.url;
    // One quick attempt: status reports, it does not wait.
    match tokio::time::timeout(std::time::Duration::from_secs(3), db::inspect(url)).await {
        Ok(result) => result,
        Err(_) => Err(db::DbError::failed(
            "the database did not answer within 3 s",
            None,
        )),
    }
}

pub fn report(
    session: &Session,
    inspection: Result<Inspection, db::DbError>,
    problems: &mut Vec<Problem>,
) -> (DatabaseStatus, Option<Inspection>) {
    let database = &session.project.database;
    let wanted = &session.project.settings.database.extensions;
    let postgres = matches!(database.url, DatabaseUrl::Postgres { .. });
    let mut status = DatabaseStatus {
        url: database.url.redacted(),
        source: database.source.clone(),
        reachable: false,
        error: None,
        server: None,
        extensions: Vec::new(),
    };
    match inspection {
        Ok(inspection) => {
            status.reachable = true;
            status.server = Some(inspection.server.clone());
            if postgres {
                status.extensions = wanted
                    .iter()
                    .map(|name| ExtensionStatus {
                        name: name.clone(),
                        present: inspection.extensions.contains(name),
                    })
                    .collect();
                for missing in status.extensions.iter().filter(|e| !e.present) {
                    problems.push(Problem::new(
                        format!("extension {} is not created", missing.name),
                        "devctl ready",
                    ));
                }
            }
            (status, Some(inspection))
        }
        Err(error) => {
            status.error = Some(error.to_string());
            problems.push(Problem::new(
                format!("the database is not reachable: {error}"),
                if postgres {
                    "devctl up (or devctl ready)"
                } else {
                    "devctl ready"
                },
            ));
            (status, None)
        }
    }
}

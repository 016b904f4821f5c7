//! Stops and removes every container of the database service before its data is wiped: the one
//! devctl or compose made, the one named `container_name`, and any container of the service's
//! image that publishes the database's port or mounts its data directory (what
//! `docker stop $(docker ps -q --filter ancestor=IMAGE)` did by hand, without touching unrelated
//! containers of the same image). They are killed, not stopped gracefully: their data is about to go.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::config::{Compose, DatabaseUrl, Service};
use crate::docker::{ContainerInfo, Docker};
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

use super::WipeTarget;

pub struct StopDatabase {
    pub session: Arc<Session>,
    pub target: WipeTarget,
}

/// Every container holding the database service's port or data.
pub async fn database_containers(
    session: &Session,
    docker: &Docker,
    compose: &Compose,
    service: &Service,
) -> Result<Vec<ContainerInfo>, Error> {
    let data_dir = session.project.database.data_dir.as_deref();
    let port = match &session.project.database.url {
        DatabaseUrl::Postgres { port, .. } => Some(*port),
        DatabaseUrl::Sqlite { .. } => None,
    };
    let mut found: Vec<ContainerInfo> = Vec::new();
    if let Some(container) = docker.find_container(compose, service).await? {
        found.push(container);
    }
    for container in docker
        .containers_of_image(&service.image, data_dir, port)
        .await?
    {
        if !found.iter().any(|c| c.id == container.id) {
            found.push(container);
        }
    }
    Ok(found)
}

impl Step for StopDatabase {
    fn name(&self) -> String {
        "stop database".into()
    }

    fn describe(&self) -> String {
        "kill and remove every container of the database service (by labels, name, or its image holding the port or data)".into()
    }

    fn run<'a>(&'a self, _cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let session = &self.session;
            let Some(service) = session.database_service() else {
                return Ok(Outcome::skipped("no database container"));
            };
            let compose = session.compose();
            let docker = session.docker().await?;
            let containers = database_containers(session, docker, compose, service).await?;
            if containers.is_empty() {
                return Ok(Outcome::unchanged("no container"));
            }
            for container in &containers {
                docker.ensure_stopped(&container.id, 0).await?;
                docker.remove(&container.id).await?;
            }
            let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
            Ok(Outcome::done(format!("removed {}", names.join(", "))))
        })
    }
}

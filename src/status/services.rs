//! The services' side of `status`: each selected service's container (state, image, health,
//! published ports, who made it), or who holds its port when it is not running.

use serde::Serialize;

use super::Problem;
use crate::docker::{Origin, port_holder};
use crate::session::Session;

#[derive(Debug, Clone, Serialize)]
pub struct ContainerStatus {
    pub id: String,
    pub name: String,
    /// "running", "exited", ...
    pub state: String,
    pub image: String,
    pub health: Option<String>,
    /// "127.0.0.1:5432->5432/tcp"
    pub ports: Vec<String>,
    pub created_by: Origin,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceStatus {
    pub name: String,
    pub container: Option<ContainerStatus>,
    /// Who holds a host port the service publishes, when it is not the service.
    pub port_taken_by: Option<String>,
}

/// The services `ready` would start, with their problems.
pub async fn gather(session: &Session) -> (Vec<ServiceStatus>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut names: Vec<String> = session
        .services(&[])
        .map(|s| s.iter().map(|s| s.name.clone()).collect())
        .unwrap_or_default();
    if let Some(db) = session.database_service()
        && !names.contains(&db.name)
    {
        names.push(db.name.clone());
    }
    if names.is_empty() {
        return (Vec::new(), problems);
    }
    let compose = session
        .project
        .compose
        .as_ref()
        .expect("services imply a compose file");
    let docker = match session.docker().await {
        Ok(docker) => docker,
        Err(error) => {
            problems.push(Problem::new(
                format!("Docker is not reachable: {error}"),
                error
                    .hint()
                    .unwrap_or_else(|| "start the Docker daemon".into()),
            ));
            let services = names
                .into_iter()
                .map(|name| ServiceStatus {
                    name,
                    container: None,
                    port_taken_by: None,
                })
                .collect();
            return (services, problems);
        }
    };
    let lookups = names.iter().map(|name| async move {
        let service = compose
            .service(name)
            .expect("validated by Session::services");
        let container = docker.find_container(compose, service).await.ok().flatten();
        let state = match &container {
            Some(c) => docker.state(&c.id).await.ok(),
            None => None,
        };
        let running = state.as_ref().is_some_and(|s| s.running);
        let mut taken = None;
        if !running {
            for port in service.ports.iter().filter(|p| p.protocol == "tcp") {
                if let Some(host_port) = port.host_port
                    && let Some(holder) =
                        port_holder(Some(docker), port.host_ip.as_deref(), host_port).await
                {
                    taken = Some(format!("port {host_port}: {holder}"));
                    break;
                }
            }
        }
        let container = container.map(|c| {
            let state = state.unwrap_or_default();
            ContainerStatus {
                id: c.id.chars().take(12).collect(),
                name: c.name,
                state: state.status,
                image: c.image,
                health: state.health,
                ports: state
                    .ports
                    .iter()
                    .map(|(spec, ip, port)| {
                        format!(
                            "{}{port}->{spec}",
                            if ip.is_empty() {
                                String::new()
                            } else {
                                format!("{ip}:")
                            }
                        )
                    })
                    .collect(),
                created_by: c.origin,
            }
        });
        ServiceStatus {
            name: name.clone(),
            container,
            port_taken_by: taken,
        }
    });
    let services: Vec<ServiceStatus> = futures_util::future::join_all(lookups).await;
    for service in &services {
        match &service.container {
            None => problems.push(Problem::new(
                format!("{} has no container", service.name),
                "devctl up",
            )),
            Some(c) if c.state != "running" => problems.push(Problem::new(
                format!("{} is {} ({})", service.name, c.state, c.name),
                "devctl up",
            )),
            Some(c) if c.health.as_deref() == Some("unhealthy") => problems.push(Problem::new(
                format!("{} is unhealthy ({})", service.name, c.name),
                format!(
                    "look at its logs (docker logs {}), then devctl down and devctl up",
                    c.name
                ),
            )),
            Some(_) => {}
        }
        if let Some(taken) = &service.port_taken_by {
            problems.push(Problem::new(
                format!("{} cannot start: {taken}", service.name),
                "stop what holds the port, or publish another port in the compose file",
            ));
        }
    }
    (services, problems)
}

//! Makes one compose service's container exist and run, as `docker compose up -d` would: an
//! existing container of the service (made by devctl, by compose, or by a person with its
//! `container_name`) is adopted, never duplicated; a stopped one is started; a missing one is
//! created from the compose definition. Taken host ports are reported with their holder before
//! Docker's "address already in use" can happen.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::config::Service;
use crate::docker::{Docker, Origin, port_holder};
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

pub struct StartService {
    pub session: Arc<Session>,
    pub service: String,
}

impl StartService {
    fn service(&self) -> Result<&Service, Error> {
        self.session
            .project
            .compose
            .as_ref()
            .and_then(|c| c.service(&self.service))
            .ok_or_else(|| Error::Usage {
                message: format!("no service named {:?}", self.service),
                hint: None,
            })
    }
}

fn origin(origin: Origin) -> &'static str {
    match origin {
        Origin::Devctl => "",
        Origin::Compose => " (made by docker compose, adopted)",
        Origin::Manual => " (started by hand, adopted)",
    }
}

/// Fails when a host port the service publishes is held by something else.
pub async fn check_ports(
    docker: &Docker,
    service: &Service,
    compose_file: &std::path::Path,
) -> Result<(), Error> {
    for port in &service.ports {
        let Some(host_port) = port.host_port else {
            continue;
        };
        if port.protocol != "tcp" {
            continue;
        }
        if let Some(holder) = port_holder(Some(docker), port.host_ip.as_deref(), host_port).await {
            return Err(Error::Step {
                message: format!(
                    "cannot start {}: host port {host_port} is already in use by {holder}",
                    service.name
                ),
                hint: Some(format!(
                    "stop {holder}, or publish another port for {} in {} (and use it in the database URL)",
                    service.name,
                    compose_file.display()
                )),
                details: Vec::new(),
            });
        }
    }
    Ok(())
}

impl Step for StartService {
    fn name(&self) -> String {
        format!("start {}", self.service)
    }

    fn describe(&self) -> String {
        match self.service() {
            Ok(s) => format!(
                "adopt or create container {} from {}, and start it",
                s.container_name.clone().unwrap_or_else(|| format!(
                    "{}-{}-1",
                    self.session
                        .project
                        .compose
                        .as_ref()
                        .map(|c| c.project_name.as_str())
                        .unwrap_or_default(),
                    s.name
                )),
                s.image
            ),
            Err(e) => e.to_string(),
        }
    }

    fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let service = self.service()?;
            let compose = self.session.compose();
            let docker = self.session.docker().await?;
            if let Some(container) = docker.find_container(compose, service).await? {
                if container.running {
                    return Ok(Outcome::unchanged(format!(
                        "{} running{}",
                        container.name,
                        origin(container.origin)
                    )));
                }
                check_ports(docker, service, &compose.path).await?;
                docker.ensure_started(&container.id).await?;
                return Ok(Outcome::done(format!(
                    "started {}{}",
                    container.name,
                    origin(container.origin)
                )));
            }
            if !docker.image_present(&service.image).await? {
                cx.progress(&format!("pulling {}", service.image));
                docker
                    .pull_image(&service.image, &|line| cx.progress(line))
                    .await?;
            }
            check_ports(docker, service, &compose.path).await?;
            let container = docker
                .create_container(compose, service, &self.session.project.root)
                .await?;
            docker.ensure_started(&container.id).await?;
            Ok(Outcome::done(format!(
                "created and started {}",
                container.name
            )))
        })
    }
}

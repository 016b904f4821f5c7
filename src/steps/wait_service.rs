//! Waits for a service that is not the database: its compose healthcheck when it has one, else a
//! TCP connection to its first published port; the container is watched meanwhile.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::engine::{Backoff, Outcome, PollError, Probe, Step, StepContext, poll_until};
use crate::session::Session;

use super::container_watch::ContainerWatch;

pub struct WaitService {
    pub session: Arc<Session>,
    pub service: String,
}

impl Step for WaitService {
    fn name(&self) -> String {
        format!("wait for {}", self.service)
    }

    fn describe(&self) -> String {
        format!(
            "wait until {} is healthy, or its port accepts connections",
            self.service
        )
    }

    fn run<'a>(&'a self, _cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let compose = self.session.compose();
            let service = self.session.service(&self.service);
            let docker = self.session.docker().await?;
            let Some(container) = docker.find_container(compose, service).await? else {
                return Err(Error::Step {
                    message: format!("the container of {} is gone", self.service),
                    hint: Some("run devctl up again".into()),
                    details: Vec::new(),
                });
            };
            let watch = ContainerWatch::new(docker, &container.id, &container.name).await?;
            let has_healthcheck = service
                .healthcheck
                .as_ref()
                .is_some_and(|h| h.test.first().map(String::as_str) != Some("NONE"));
            let state = docker.state(&container.id).await?;
            let port = state
                .ports
                .iter()
                .find(|(spec, _, _)| spec.ends_with("/tcp"))
                .map(|(_, _, port)| *port);
            let timeout = self.session.project.settings.database.ready_timeout;
            let (what, result) = if has_healthcheck || state.health.is_some() {
                let id = container.id.clone();
                let result = poll_until(
                    timeout,
                    Backoff::READINESS,
                    || async {
                        match docker.state(&id).await {
                            Ok(s) if s.health.as_deref() == Some("healthy") => Probe::Ready,
                            Ok(s) => Probe::Transient(format!(
                                "health: {}",
                                s.health.unwrap_or_else(|| "unknown".into())
                            )),
                            Err(e) => Probe::Fatal(Error::from(e)),
                        }
                    },
                    || watch.check(),
                )
                .await;
                ("healthy", result)
            } else if let Some(port) = port {
                let result = poll_until(
                    timeout,
                    Backoff::READINESS,
                    || async move {
                        match tokio::time::timeout(
                            Duration::from_secs(1),
                            tokio::net::TcpStream::connect(("127.0.0.1", port)),
                        )
                        .await
                        {
                            Ok(Ok(_)) => Probe::Ready,
                            Ok(Err(e)) => Probe::Transient(e.to_string()),
                            Err(_) => Probe::Transient("connection timed out".into()),
                        }
                    },
                    || watch.check(),
                )
                .await;
                ("accepting connections", result)
            } else {
                watch.check().await?;
                return Ok(Outcome::unchanged(
                    "running (no healthcheck or published port to wait for)",
                ));
            };
            match result {
                Ok(1) => Ok(Outcome::unchanged(what)),
                Ok(_) => Ok(Outcome::done(what)),
                Err(PollError::Fatal(error)) => Err(error),
                Err(PollError::TimedOut { waited, last, .. }) => Err(watch
                    .failure(
                        format!(
                            "{} was not ready within {:.0?}: {last}",
                            self.service, waited
                        ),
                        Some(
                            "raise [database] ready_timeout in devctl.toml, or read the logs above"
                                .into(),
                        ),
                    )
                    .await),
            }
        })
    }
}

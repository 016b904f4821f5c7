//! Stops one service's container (gracefully) and keeps it and its data: `down` never deletes.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

pub struct StopService {
    pub session: Arc<Session>,
    pub service: String,
}

impl Step for StopService {
    fn name(&self) -> String {
        format!("stop {}", self.service)
    }

    fn describe(&self) -> String {
        format!("stop the container of {} (its data is kept)", self.service)
    }

    fn run<'a>(&'a self, _cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let compose = self.session.compose();
            let service = self.session.service(&self.service);
            let docker = self.session.docker().await?;
            match docker.find_container(compose, service).await? {
                None => Ok(Outcome::unchanged("no container")),
                Some(container) if !container.running => Ok(Outcome::unchanged(format!(
                    "{} already stopped",
                    container.name
                ))),
                Some(container) => {
                    docker.ensure_stopped(&container.id, 10).await?;
                    Ok(Outcome::done(format!("stopped {}", container.name)))
                }
            }
        })
    }
}

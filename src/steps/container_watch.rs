//! Watches a container while devctl waits for it: if it exits or restarts, the wait ends at once
//! with the container's state (exit code, OOM) and the tail of its logs, instead of at the deadline.

use crate::Error;
use crate::docker::Docker;

/// How many log lines a failure shows.
const LOG_LINES: usize = 50;

pub struct ContainerWatch<'a> {
    docker: &'a Docker,
    id: String,
    name: String,
    restart_count: i64,
    started_at: Option<String>,
}

impl<'a> ContainerWatch<'a> {
    pub async fn new(
        docker: &'a Docker,
        id: &str,
        name: &str,
    ) -> Result<ContainerWatch<'a>, Error> {
        let state = docker.state(id).await?;
        Ok(ContainerWatch {
            docker,
            id: id.to_string(),
            name: name.to_string(),
            restart_count: state.restart_count,
            started_at: state.started_at,
        })
    }

    /// `Err` when the container is no longer running, or has restarted since the watch began.
    pub async fn check(&self) -> Result<(), Error> {
        let state = self.docker.state(&self.id).await?;
        let restarted =
            state.restart_count != self.restart_count || state.started_at != self.started_at;
        if state.running && !state.restarting && !restarted {
            return Ok(());
        }
        let mut what = if state.running || state.restarting {
            format!("container {} restarted while starting", self.name)
        } else {
            format!(
                "container {} stopped while starting ({}{})",
                self.name,
                state
                    .exit_code
                    .map_or_else(|| state.status.clone(), |code| format!("exit code {code}")),
                if state.oom_killed {
                    ", killed for lack of memory"
                } else {
                    ""
                }
            )
        };
        if state.oom_killed && state.running {
            what.push_str(" (it was killed for lack of memory)");
        }
        Err(self.failure(what, Some("read its logs above; fix the cause (often the compose file's environment or a stale data directory) and run devctl again".into())).await)
    }

    /// An error about this container, with the tail of its logs as details.
    pub async fn failure(&self, message: String, hint: Option<String>) -> Error {
        let mut details = vec![format!("last lines of the logs of {}:", self.name)];
        match self.docker.logs_tail(&self.id, LOG_LINES).await {
            Ok(lines) if lines.is_empty() => details.push("  (no output)".into()),
            Ok(lines) => details.extend(lines.into_iter().map(|l| format!("  {l}"))),
            Err(e) => details.push(format!("  (cannot read them: {e})")),
        }
        Error::Step {
            message,
            hint,
            details,
        }
    }
}

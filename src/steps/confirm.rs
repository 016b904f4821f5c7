//! Shows exactly what `reset-db` will destroy (containers, data directory with its size, the
//! database URL) and asks before anything happens.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;
use crate::wipe::DataDirState;

use super::WipeTarget;

pub struct Confirm {
    pub session: Arc<Session>,
    pub target: WipeTarget,
}

impl Step for Confirm {
    fn name(&self) -> String {
        "confirm".into()
    }

    fn describe(&self) -> String {
        format!(
            "show what will be destroyed and ask (skipped with --yes): {}",
            self.target.describe(&self.session)
        )
    }

    fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let session = &self.session;
            let mut lines = Vec::new();
            if let Some(service) = session.database_service() {
                let docker = session.docker().await?;
                let compose = session.compose();
                for c in
                    super::stop_database::database_containers(session, docker, compose, service)
                        .await?
                {
                    lines.push(format!(
                        "container {} ({})",
                        c.name,
                        &c.id[..c.id.len().min(12)]
                    ));
                }
                if let WipeTarget::DataDir {
                    path,
                    state: DataDirState::Unreadable,
                } = &self.target
                {
                    super::wipe_data::verify_unreadable(docker, &service.image, path).await?;
                }
            }
            match &self.target {
                WipeTarget::DataDir { path, state } => {
                    let size = match state {
                        DataDirState::Unreadable => "owned by the container's user".to_string(),
                        DataDirState::Missing => "does not exist yet".to_string(),
                        _ => human_size(crate::wipe::size(path)),
                    };
                    lines.push(format!("data directory {} ({size})", path.display()));
                }
                WipeTarget::Sqlite { path } => {
                    lines.push(format!("database file {}", path.display()))
                }
                other => lines.push(other.describe(session)),
            }
            lines.push(format!(
                "database {}",
                session.project.database.url.redacted()
            ));
            for line in &lines {
                cx.output(&format!("will destroy: {line}"));
            }
            if session.options.yes {
                return Ok(Outcome::unchanged("confirmed by --yes"));
            }
            cx.pause();
            crate::ui::confirm(
                "Destroy this database and rebuild it from the migrations?",
                false,
            )
            .await?;
            Ok(Outcome::unchanged("confirmed"))
        })
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

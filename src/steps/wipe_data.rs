//! Wipes the database's storage. A data directory is first moved aside (one atomic rename), then
//! deleted, so an interrupted reset never leaves a half-deleted data directory in place; leftovers
//! of interrupted runs are removed by the next one. Files that belong to the container's user are
//! deleted through a short-lived container of the same image, so no sudo is needed.

use std::path::Path;
use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::docker::Docker;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;
use crate::wipe::{self, DataDirState};

use super::WipeTarget;

pub struct WipeData {
    pub session: Arc<Session>,
    pub target: WipeTarget,
}

/// Checks, through a container (the host user cannot read it), that an unreadable directory is a
/// Postgres data directory or empty; refuses otherwise.
pub async fn verify_unreadable(docker: &Docker, image: &str, dir: &Path) -> Result<(), Error> {
    let bind = format!("{}:/devctl-data", dir.display());
    let check = wipe::STORAGE_CHECK;
    let (code, _) = docker
        .run_oneoff(image, &[bind], &["sh", "-c", check])
        .await?;
    if code != 0 {
        return Err(Error::Refused {
            message: format!(
                "refusing to wipe {}: it is neither empty nor a Postgres data directory (no PG_VERSION)",
                dir.display()
            ),
            hint: Some("check [database] data_dir in devctl.toml and the service's volumes".into()),
        });
    }
    Ok(())
}

/// Deletes `path`; files this user may not delete are removed by a container of `image` (when
/// there is one) that mounts the parent directory.
async fn delete(docker: Option<(&Docker, &str)>, path: &Path) -> Result<bool, Error> {
    let owned = path.to_path_buf();
    let result = tokio::task::spawn_blocking(move || std::fs::remove_dir_all(&owned)).await;
    match result {
        Ok(Ok(())) => Ok(false),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            let Some((docker, image)) = docker else {
                return Err(Error::io("failed to delete", path, e));
            };
            let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                return Err(Error::io("failed to delete", path, e));
            };
            let bind = format!("{}:/devctl-wipe", parent.display());
            let target = format!("/devctl-wipe/{}", name.to_string_lossy());
            let (code, logs) = docker
                .run_oneoff(image, &[bind], &["rm", "-rf", &target])
                .await?;
            if code != 0 || path.exists() {
                return Err(Error::Step {
                    message: format!(
                        "failed to delete {} through a container (exit code {code})",
                        path.display()
                    ),
                    hint: Some(format!(
                        "delete it by hand (sudo rm -rf {})",
                        path.display()
                    )),
                    details: logs,
                });
            }
            Ok(true)
        }
        Ok(Err(e)) => Err(Error::io("failed to delete", path, e)),
        Err(e) => Err(Error::Step {
            message: format!("the deletion of {} stopped: {e}", path.display()),
            hint: None,
            details: Vec::new(),
        }),
    }
}

impl Step for WipeData {
    fn name(&self) -> String {
        "wipe".into()
    }

    fn describe(&self) -> String {
        self.target.describe(&self.session)
    }

    fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let session = &self.session;
            let image = session.database_service().map(|s| s.image.clone());
            let docker = match &image {
                Some(_) if !matches!(self.target, WipeTarget::Sqlite { .. }) => {
                    Some(session.docker().await?)
                }
                _ => None,
            };
            let helper = docker.zip(image.as_deref());
            match &self.target {
                WipeTarget::Sqlite { path } => {
                    let mut removed = 0;
                    for suffix in ["", "-wal", "-shm", "-journal"] {
                        let file = Path::new(&format!("{}{suffix}", path.display())).to_path_buf();
                        match std::fs::remove_file(&file) {
                            Ok(()) => removed += 1,
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                            Err(e) => return Err(Error::io("failed to delete", &file, e)),
                        }
                    }
                    Ok(if removed == 0 {
                        Outcome::unchanged("no database file yet")
                    } else {
                        Outcome::done(format!("deleted {}", path.display()))
                    })
                }
                WipeTarget::Volume { name } => {
                    let docker = docker.expect("a volume implies Docker");
                    let compose = session
                        .project
                        .compose
                        .as_ref()
                        .expect("a volume implies a compose file");
                    docker.recreate_volume(name, &compose.project_name).await?;
                    Ok(Outcome::done(format!("recreated volume {name}")))
                }
                WipeTarget::ContainerOnly => Ok(Outcome::unchanged("removed with the container")),
                WipeTarget::DataDir { path, .. } => {
                    for leftover in wipe::leftovers(path) {
                        cx.output(&format!(
                            "removing {} left by an interrupted reset",
                            leftover.display()
                        ));
                        delete(helper, &leftover).await?;
                    }
                    match wipe::inspect(path) {
                        DataDirState::Missing => {
                            return Ok(Outcome::unchanged("no data directory yet"));
                        }
                        DataDirState::Empty => return Ok(Outcome::unchanged("already empty")),
                        DataDirState::Foreign => {
                            return Err(Error::Refused {
                                message: format!(
                                    "refusing to wipe {}: it is no longer a Postgres data directory",
                                    path.display()
                                ),
                                hint: None,
                            });
                        }
                        DataDirState::Postgres | DataDirState::Unreadable => {}
                    }
                    let trash = wipe::move_aside(path)?;
                    std::fs::create_dir(path)
                        .map_err(|e| Error::io("failed to recreate", path, e))?;
                    let through_container = delete(helper, &trash).await?;
                    let shown = path
                        .strip_prefix(&session.project.root)
                        .unwrap_or(path)
                        .display()
                        .to_string();
                    Ok(Outcome::done(if through_container {
                        format!(
                            "deleted {shown} (through a container: its files belong to the container's user)"
                        )
                    } else {
                        format!("deleted {shown}")
                    }))
                }
            }
        })
    }
}

//! What `reset-db` destroys, worked out and checked before anything runs: the database's data
//! directory (inside the project, a Postgres data directory or empty), its named volume, or the
//! SQLite file. Anything else is refused with exit 2, and nothing is touched.

use std::path::PathBuf;

use crate::Error;
use crate::config::{DatabaseUrl, VolumeMount};
use crate::session::Session;
use crate::wipe::{self, DataDirState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WipeTarget {
    /// A bind-mounted data directory, resolved and checked.
    DataDir { path: PathBuf, state: DataDirState },
    /// A named volume on the data directory.
    Volume { name: String },
    /// No data directory or volume: the container's anonymous volume goes with the container.
    ContainerOnly,
    /// The SQLite file, with its `-wal` and `-shm` companions.
    Sqlite { path: PathBuf },
}

impl WipeTarget {
    pub fn resolve(session: &Session) -> Result<WipeTarget, Error> {
        let project = &session.project;
        match &project.database.url {
            DatabaseUrl::Sqlite { path, .. } => {
                let path = wipe::check_inside_project(path, &project.root)?;
                Ok(WipeTarget::Sqlite { path })
            }
            DatabaseUrl::Postgres { .. } => {
                if let Some(dir) = &project.database.data_dir {
                    let path = wipe::check_inside_project(dir, &project.root)?;
                    let state = wipe::inspect(&path);
                    if state == DataDirState::Foreign {
                        return Err(Error::Refused {
                            message: format!(
                                "refusing to wipe {}: it is neither empty nor a Postgres data directory (no PG_VERSION)",
                                path.display()
                            ),
                            hint: Some("check [database] data_dir in devctl.toml and the service's volumes".into()),
                        });
                    }
                    return Ok(WipeTarget::DataDir { path, state });
                }
                let Some(service) = session.database_service() else {
                    return Err(Error::Refused {
                        message: "refusing to reset a database devctl does not run: no database service is configured".into(),
                        hint: Some("set [database] service in devctl.toml to the compose service that hosts it".into()),
                    });
                };
                let volume = match service.storage_mount() {
                    Some((VolumeMount::Named { volume, .. }, _)) => Some(volume.clone()),
                    _ => None,
                };
                Ok(
                    volume.map_or(WipeTarget::ContainerOnly, |name| WipeTarget::Volume {
                        name,
                    }),
                )
            }
        }
    }

    /// One line for the plan and the confirmation.
    pub fn describe(&self, session: &Session) -> String {
        let shown = |p: &PathBuf| {
            p.strip_prefix(&session.project.root)
                .map(|r| r.display().to_string())
                .unwrap_or_else(|_| p.display().to_string())
        };
        match self {
            WipeTarget::DataDir { path, .. } => {
                format!("delete the data directory {}", shown(path))
            }
            WipeTarget::Volume { name } => format!("remove and recreate the volume {name}"),
            WipeTarget::ContainerOnly => "remove the container with its anonymous volume".into(),
            WipeTarget::Sqlite { path } => {
                format!("delete {} (and its -wal and -shm files)", shown(path))
            }
        }
    }
}

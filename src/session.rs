//! What the steps of one run share: the project, the options, and a Docker connection made once,
//! on first use, so a SQLite-only run never needs Docker.

use tokio::sync::OnceCell;

use crate::Error;
use crate::cli::Options;
use crate::config::{Compose, DatabaseUrl, Project, Service};
use crate::docker::Docker;

pub struct Session {
    pub project: Project,
    pub options: Options,
    docker: OnceCell<Docker>,
}

impl Session {
    pub fn new(project: Project, options: Options) -> Session {
        Session {
            project,
            options,
            docker: OnceCell::new(),
        }
    }

    pub async fn docker(&self) -> Result<&Docker, Error> {
        Ok(self.docker.get_or_try_init(Docker::connect).await?)
    }

    /// The compose service hosting the database, when the database is Postgres in a container.
    /// The compose file, for steps that act on a service (a service implies a compose file).
    pub fn compose(&self) -> &Compose {
        self.project
            .compose
            .as_ref()
            .expect("a service implies a compose file")
    }

    /// A service a plan was built with; [`Session::services`] checked that it exists.
    pub fn service(&self, name: &str) -> &Service {
        self.compose()
            .service(name)
            .expect("validated by Session::services")
    }

    pub fn database_service(&self) -> Option<&Service> {
        if !matches!(self.project.database.url, DatabaseUrl::Postgres { .. }) {
            return None;
        }
        let name = self.project.database.service.as_deref()?;
        self.project.compose.as_ref()?.service(name)
    }

    /// The services a command acts on: `names` when given (each must exist), else the selected
    /// ones; the database service is left out when the database is SQLite.
    pub fn services(&self, names: &[String]) -> Result<Vec<&Service>, Error> {
        let Some(compose) = self.project.compose.as_ref() else {
            if names.is_empty() {
                return Ok(Vec::new());
            }
            return Err(Error::Usage {
                message: "this project has no compose file, so it has no services".into(),
                hint: Some("set compose_file in devctl.toml".into()),
            });
        };
        if !names.is_empty() {
            return names
                .iter()
                .map(|name| {
                    compose.service(name).ok_or_else(|| Error::Usage {
                        message: format!("no service named {name:?} in {}", compose.path.display()),
                        hint: Some(format!(
                            "services: {}",
                            compose
                                .services
                                .iter()
                                .map(|s| s.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    })
                })
                .collect();
        }
        let sqlite = matches!(self.project.database.url, DatabaseUrl::Sqlite { .. });
        let db_service = self.project.database.service.as_deref().or(self
            .project
            .settings
            .database
            .service
            .as_deref());
        Ok(self
            .project
            .selected_services()
            .into_iter()
            .filter(|s| !(sqlite && Some(s.name.as_str()) == db_service))
            .collect())
    }
}

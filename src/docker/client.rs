//! Connecting to the daemon, images, and container lifecycle.

use super::{ContainerInfo, ContainerState, DockerError};
use crate::config::{Compose, Service};

#[derive(Clone)]
pub struct Docker {
    #[allow(dead_code)]
    inner: bollard::Docker,
}

impl Docker {
    /// Connects (honouring `DOCKER_HOST`), negotiates the API version and pings. Errors explain an
    /// unreachable socket, a bad `DOCKER_HOST` or a permission problem, with the fix.
    pub async fn connect() -> Result<Docker, DockerError> {
        todo!()
    }

    pub async fn image_present(&self, _image: &str) -> Result<bool, DockerError> {
        todo!()
    }

    /// Pulls `image`, calling `progress` with short human lines ("Downloading 12/40 MB").
    pub async fn pull_image(
        &self,
        _image: &str,
        _progress: &(dyn Fn(&str) + Sync),
    ) -> Result<(), DockerError> {
        todo!()
    }

    /// The existing container of a service: compose labels (project + service) first, then
    /// `container_name`, then compose's default name `{project}-{service}-1`.
    pub async fn find_container(
        &self,
        _compose: &Compose,
        _service: &Service,
    ) -> Result<Option<ContainerInfo>, DockerError> {
        todo!()
    }

    /// Creates the service's container as compose would (labels `com.docker.compose.project`,
    /// `com.docker.compose.service`, plus `LABEL_MANAGED`), on network `{project}_default` with the
    /// service name as alias; named volumes are created when missing. Does not start it.
    pub async fn create_container(
        &self,
        _compose: &Compose,
        _service: &Service,
        _project_root: &std::path::Path,
    ) -> Result<ContainerInfo, DockerError> {
        todo!()
    }

    /// Starts the container; `Ok(false)` when it was already running.
    pub async fn ensure_started(&self, _id: &str) -> Result<bool, DockerError> {
        todo!()
    }

    pub async fn state(&self, _id: &str) -> Result<ContainerState, DockerError> {
        todo!()
    }

    /// The last `lines` lines of stdout and stderr, in order.
    pub async fn logs_tail(&self, _id: &str, _lines: usize) -> Result<Vec<String>, DockerError> {
        todo!()
    }

    /// Stops the container; `timeout` seconds before SIGKILL (0 = kill at once). `Ok(false)` when already stopped.
    pub async fn ensure_stopped(&self, _id: &str, _timeout: i32) -> Result<bool, DockerError> {
        todo!()
    }

    /// Removes the container (forced), its anonymous volumes too; a missing container is fine.
    pub async fn remove(&self, _id: &str) -> Result<(), DockerError> {
        todo!()
    }
}

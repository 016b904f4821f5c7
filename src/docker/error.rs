//! Docker errors: one variant per operation, each naming what it acted on, with a hint.

#[derive(Debug, thiserror::Error)]
pub enum DockerError {
    #[error("cannot reach the Docker daemon at {endpoint}: {message}")]
    Unreachable {
        endpoint: String,
        message: String,
        hint: String,
    },
    #[error("image {image} is not available locally and could not be pulled: {message}")]
    Pull { image: String, message: String },
    #[error("failed to {action} container {name}: {message}")]
    Container {
        action: &'static str,
        name: String,
        message: String,
    },
    #[error("failed to create network {name}: {message}")]
    Network { name: String, message: String },
    #[error("failed to {action}: {message}")]
    Other { action: String, message: String },
}

impl DockerError {
    pub fn hint(&self) -> Option<String> {
        match self {
            DockerError::Unreachable { hint, .. } => Some(hint.clone()),
            DockerError::Pull { image, .. } => Some(format!(
                "provide the image locally (docker load -i FILE, or docker build -t {image} .), or check the name in the compose file"
            )),
            DockerError::Network { message, .. } if message.contains("address pool") => Some(
                "Docker has run out of address ranges for networks: remove unused ones with `docker network prune`".into(),
            ),
            _ => None,
        }
    }
}

//! The one wrapper around the Docker Engine API (bollard). Every Docker call devctl makes goes
//! through here, and status codes (304, 404, 409) are interpreted here and nowhere else, so the
//! steps speak in terms of "ensure started" rather than HTTP.

mod client;
mod container;
mod error;
mod ports;

pub use client::Docker;
pub use container::{ContainerInfo, ContainerState, Origin};
pub use error::DockerError;
pub use ports::{PortHolder, port_holder};

/// Label devctl puts on every container it creates, with the project root as value.
pub const LABEL_MANAGED: &str = "dev.devctl.project";

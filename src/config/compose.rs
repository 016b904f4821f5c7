//! The project's existing compose file, read so that nobody describes a service twice. Only what
//! devctl needs to create an equivalent container is kept; everything is interpolated and paths are
//! made absolute here, so the Docker layer receives final values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Compose {
    pub path: PathBuf,
    /// `name:`, else `COMPOSE_PROJECT_NAME`, else the compose file's directory name, normalised like compose does.
    pub project_name: String,
    /// Services with an image, in file order.
    pub services: Vec<Service>,
    /// Services devctl cannot start (only `build:`), with the reason, to show as a note.
    pub skipped: Vec<SkippedService>,
    /// Top-level `volumes:` key -> the Docker volume name (`{project}_{key}` unless `name:` or `external`).
    pub volumes: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct SkippedService {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct Service {
    pub name: String,
    pub image: String,
    pub container_name: Option<String>,
    /// `env_file` entries first, then `environment` (map or list) over them.
    pub environment: BTreeMap<String, String>,
    pub ports: Vec<PortMapping>,
    pub volumes: Vec<VolumeMount>,
    pub command: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub healthcheck: Option<Healthcheck>,
    pub labels: BTreeMap<String, String>,
    pub restart: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortMapping {
    pub host_ip: Option<String>,
    /// `None` for a container port published on a random host port.
    pub host_port: Option<u16>,
    pub container_port: u16,
    /// "tcp" or "udp".
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeMount {
    /// Source is absolute, resolved against the compose file's directory.
    Bind {
        source: PathBuf,
        target: String,
        read_only: bool,
    },
    /// `volume` is the Docker volume name (already project-prefixed).
    Named {
        volume: String,
        target: String,
        read_only: bool,
    },
    Anonymous {
        target: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Healthcheck {
    /// Docker's form: `["CMD-SHELL", "pg_isready"]`, `["CMD", "redis-cli", "ping"]` or `["NONE"]`.
    pub test: Vec<String>,
    pub interval: Option<Duration>,
    pub timeout: Option<Duration>,
    pub retries: Option<u32>,
    pub start_period: Option<Duration>,
}

impl Compose {
    /// Reads and interpolates a compose file. `env` supplies `${VAR}` values (process environment
    /// first, then `.env`). Errors name the file, line and column where the YAML parser gives them.
    pub fn load(_path: &Path, _env: &super::Env) -> Result<Compose, super::ConfigError> {
        todo!()
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }
}

impl Service {
    /// The host directory bind-mounted on the container's PGDATA (the `PGDATA` variable, else
    /// `/var/lib/postgresql/data`), if any.
    pub fn data_bind_mount(&self) -> Option<&Path> {
        todo!()
    }
}

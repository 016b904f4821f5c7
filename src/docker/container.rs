//! What devctl knows about a container.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Carries `LABEL_MANAGED`.
    Devctl,
    /// Carries compose labels but not devctl's.
    Compose,
    /// Started by a person (`docker run --name ...`).
    Manual,
}

#[derive(Debug, Clone)]
pub struct ContainerInfo {
    pub id: String,
    /// Without the leading slash.
    pub name: String,
    pub image: String,
    pub labels: BTreeMap<String, String>,
    pub origin: Origin,
    pub running: bool,
    /// Host ports it publishes.
    pub ports: Vec<u16>,
    /// Host paths (or volume paths) it mounts.
    pub mounts: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ContainerState {
    pub running: bool,
    pub restarting: bool,
    /// "created", "running", "exited", ...
    pub status: String,
    pub exit_code: Option<i64>,
    pub oom_killed: bool,
    pub restart_count: i64,
    pub started_at: Option<String>,
    /// "starting", "healthy", "unhealthy" when the container has a healthcheck.
    pub health: Option<String>,
    /// Published host ports: (container port/proto, host ip, host port).
    pub ports: Vec<(String, String, u16)>,
}

//! Connecting to the daemon, images, and container lifecycle. HTTP status codes are interpreted
//! here: 304 means "already so", 404 "not there", 409 "name taken".

use std::collections::HashMap;
use std::path::Path;

use bollard::errors::Error as BollardError;
use bollard::models::{
    ContainerCreateBody, EndpointSettings, HealthConfig, HostConfig, NetworkCreateRequest,
    NetworkingConfig, PortBinding, RestartPolicy, RestartPolicyNameEnum, VolumeCreateRequest,
};
use bollard::query_parameters::{
    CreateContainerOptions, CreateImageOptions, InspectContainerOptions, ListContainersOptions,
    ListNetworksOptions, LogsOptions, RemoveContainerOptions, RemoveVolumeOptions,
    StartContainerOptions, StopContainerOptions, WaitContainerOptions,
};
use futures_util::StreamExt;

use super::{ContainerInfo, ContainerState, DockerError, LABEL_MANAGED, Origin};
use crate::config::{Compose, Service, VolumeMount};

pub const LABEL_PROJECT: &str = "com.docker.compose.project";
pub const LABEL_SERVICE: &str = "com.docker.compose.service";

#[derive(Clone)]
pub struct Docker {
    pub(super) inner: bollard::Docker,
}

/// The status code of an API error, if the daemon answered.
fn status(error: &BollardError) -> Option<u16> {
    match error {
        BollardError::DockerResponseServerError { status_code, .. } => Some(*status_code),
        _ => None,
    }
}

fn message(error: &BollardError) -> String {
    match error {
        BollardError::DockerResponseServerError { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

fn container_error(action: &'static str, name: &str, error: &BollardError) -> DockerError {
    DockerError::Container {
        action,
        name: name.to_string(),
        message: message(error),
    }
}

fn labels(map: Option<HashMap<String, String>>) -> std::collections::BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().collect()
}

fn origin_of(labels: &std::collections::BTreeMap<String, String>) -> Origin {
    if labels.contains_key(LABEL_MANAGED) {
        Origin::Devctl
    } else if labels.contains_key(LABEL_PROJECT) {
        Origin::Compose
    } else {
        Origin::Manual
    }
}

fn nanos(duration: Option<std::time::Duration>) -> Option<i64> {
    duration.map(|d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// The name compose gives a service's container.
pub fn default_name(compose: &Compose, service: &Service) -> String {
    service
        .container_name
        .clone()
        .unwrap_or_else(|| format!("{}-{}-1", compose.project_name, service.name))
}

impl Docker {
    /// Connects (honouring `DOCKER_HOST`), negotiates the API version and pings.
    pub async fn connect() -> Result<Docker, DockerError> {
        let docker_host = std::env::var("DOCKER_HOST").ok().filter(|v| !v.is_empty());
        let endpoint = docker_host
            .clone()
            .unwrap_or_else(|| "unix:///var/run/docker.sock".into());
        let unreachable = |e: &BollardError| {
            let text = e.to_string();
            let lower = format!("{text} {e:?}").to_lowercase();
            let hint = if let Some(host) = &docker_host {
                format!(
                    "DOCKER_HOST is set to {host}: check that a daemon listens there, or unset it to use the local socket"
                )
            } else if lower.contains("permission denied") {
                "add your user to the docker group (sudo usermod -aG docker $USER) and log in again"
                    .to_string()
            } else {
                "start the Docker daemon (sudo systemctl start docker, or run dockerd in the background)".to_string()
            };
            DockerError::Unreachable {
                endpoint: endpoint.clone(),
                message: text,
                hint,
            }
        };
        let client = bollard::Docker::connect_with_defaults().map_err(|e| unreachable(&e))?;
        let client = client
            .negotiate_version()
            .await
            .map_err(|e| unreachable(&e))?;
        client.ping().await.map_err(|e| unreachable(&e))?;
        Ok(Docker { inner: client })
    }

    pub async fn image_present(&self, image: &str) -> Result<bool, DockerError> {
        match self.inner.inspect_image(image).await {
            Ok(_) => Ok(true),
            Err(e) if status(&e) == Some(404) => Ok(false),
            Err(e) => Err(DockerError::Other {
                action: format!("inspect image {image}"),
                message: message(&e),
            }),
        }
    }

    /// Pulls `image`, calling `progress` with short lines ("Downloading 12.0/40.0 MB").
    pub async fn pull_image(
        &self,
        image: &str,
        progress: &(dyn Fn(&str) + Sync),
    ) -> Result<(), DockerError> {
        let options = CreateImageOptions {
            from_image: Some(image.to_string()),
            ..Default::default()
        };
        let mut stream = self.inner.create_image(Some(options), None, None);
        while let Some(item) = stream.next().await {
            match item {
                Ok(info) => {
                    if let Some(error) = info.error_detail.and_then(|d| d.message) {
                        return Err(DockerError::Pull {
                            image: image.into(),
                            message: error,
                        });
                    }
                    let line = [info.id, info.status]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    if !line.is_empty() {
                        progress(&line);
                    }
                }
                Err(e) => {
                    return Err(DockerError::Pull {
                        image: image.into(),
                        message: message(&e),
                    });
                }
            }
        }
        Ok(())
    }

    async fn list(
        &self,
        filters: HashMap<String, Vec<String>>,
    ) -> Result<Vec<ContainerInfo>, DockerError> {
        let options = ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        };
        let list = self
            .inner
            .list_containers(Some(options))
            .await
            .map_err(|e| DockerError::Other {
                action: "list containers".into(),
                message: message(&e),
            })?;
        Ok(list
            .into_iter()
            .map(|c| {
                let labels = labels(c.labels);
                ContainerInfo {
                    id: c.id.unwrap_or_default(),
                    name: c
                        .names
                        .unwrap_or_default()
                        .first()
                        .map(|n| n.trim_start_matches('/').to_string())
                        .unwrap_or_default(),
                    image: c.image.unwrap_or_default(),
                    origin: origin_of(&labels),
                    labels,
                    running: c.state.map(|s| s.to_string()) == Some("running".into()),
                    ports: c
                        .ports
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|p| p.public_port)
                        .collect(),
                    mounts: c
                        .mounts
                        .unwrap_or_default()
                        .into_iter()
                        .filter_map(|m| m.source)
                        .collect(),
                }
            })
            .collect())
    }

    /// Running containers matching `filters`.
    pub async fn list_running(
        &self,
        mut filters: HashMap<String, Vec<String>>,
    ) -> Result<Vec<ContainerInfo>, DockerError> {
        filters.insert("status".into(), vec!["running".into()]);
        self.list(filters).await
    }

    /// The existing container of a service: compose labels first, then `container_name`, then
    /// compose's default names. A running one is preferred.
    pub async fn find_container(
        &self,
        compose: &Compose,
        service: &Service,
    ) -> Result<Option<ContainerInfo>, DockerError> {
        let by_labels = HashMap::from([(
            "label".to_string(),
            vec![
                format!("{LABEL_PROJECT}={}", compose.project_name),
                format!("{LABEL_SERVICE}={}", service.name),
            ],
        )]);
        let mut found = self.list(by_labels).await?;
        if found.is_empty() {
            let mut names = vec![
                format!("{}-{}-1", compose.project_name, service.name),
                format!("{}_{}_1", compose.project_name, service.name),
            ];
            names.extend(service.container_name.clone());
            for name in names {
                let filter = HashMap::from([(
                    "name".to_string(),
                    vec![format!("^/{}$", regex_escape(&name))],
                )]);
                found.extend(self.list(filter).await?);
            }
        }
        found.sort_by_key(|c| !c.running);
        Ok(found.into_iter().next())
    }

    /// Containers of `image` that publish `port` on the host or mount `data_dir`.
    pub async fn containers_of_image(
        &self,
        image: &str,
        data_dir: Option<&Path>,
        port: Option<u16>,
    ) -> Result<Vec<ContainerInfo>, DockerError> {
        let filter = HashMap::from([("ancestor".to_string(), vec![image.to_string()])]);
        let containers = match self.list(filter).await {
            Ok(list) => list,
            // An image that does not exist has no containers.
            Err(_) if !self.image_present(image).await.unwrap_or(true) => Vec::new(),
            Err(e) => return Err(e),
        };
        Ok(containers
            .into_iter()
            .filter(|c| {
                port.is_some_and(|p| c.ports.contains(&p))
                    || data_dir.is_some_and(|d| c.mounts.iter().any(|m| Path::new(m) == d))
            })
            .collect())
    }

    async fn ensure_network(&self, compose: &Compose) -> Result<String, DockerError> {
        let name = format!("{}_default", compose.project_name);
        let filter = HashMap::from([("name".to_string(), vec![name.clone()])]);
        let existing = self
            .inner
            .list_networks(Some(ListNetworksOptions {
                filters: Some(filter),
            }))
            .await
            .map_err(|e| DockerError::Other {
                action: format!("list networks named {name}"),
                message: message(&e),
            })?;
        if existing
            .iter()
            .any(|n| n.name.as_deref() == Some(name.as_str()))
        {
            return Ok(name);
        }
        let request = NetworkCreateRequest {
            name: name.clone(),
            driver: Some("bridge".into()),
            labels: Some(HashMap::from([
                (LABEL_PROJECT.to_string(), compose.project_name.clone()),
                (
                    "com.docker.compose.network".to_string(),
                    "default".to_string(),
                ),
            ])),
            ..Default::default()
        };
        match self.inner.create_network(request).await {
            Ok(_) => Ok(name),
            Err(e) if status(&e) == Some(409) => Ok(name),
            Err(e) => Err(DockerError::Network {
                name,
                message: message(&e),
            }),
        }
    }

    /// Creates a named volume with compose's labels unless it exists.
    pub async fn ensure_volume(&self, name: &str, project: &str) -> Result<(), DockerError> {
        if self.inner.inspect_volume(name).await.is_ok() {
            return Ok(());
        }
        let request = VolumeCreateRequest {
            name: Some(name.to_string()),
            labels: Some(HashMap::from([(
                LABEL_PROJECT.to_string(),
                project.to_string(),
            )])),
            ..Default::default()
        };
        self.inner
            .create_volume(request)
            .await
            .map(drop)
            .map_err(|e| DockerError::Other {
                action: format!("create volume {name}"),
                message: message(&e),
            })
    }

    /// Removes a named volume (its containers must be gone) and creates it again, empty.
    pub async fn recreate_volume(&self, name: &str, project: &str) -> Result<(), DockerError> {
        match self
            .inner
            .remove_volume(name, Some(RemoveVolumeOptions { force: true }))
            .await
        {
            Ok(()) => {}
            Err(e) if status(&e) == Some(404) => {}
            Err(e) => {
                return Err(DockerError::Other {
                    action: format!("remove volume {name}"),
                    message: message(&e),
                });
            }
        }
        self.ensure_volume(name, project).await
    }

    /// Creates the service's container as compose would, on the project's network. Does not start it.
    pub async fn create_container(
        &self,
        compose: &Compose,
        service: &Service,
        project_root: &Path,
    ) -> Result<ContainerInfo, DockerError> {
        let name = default_name(compose, service);
        let network = self.ensure_network(compose).await?;
        let mut labels: HashMap<String, String> = service.labels.clone().into_iter().collect();
        labels.insert(LABEL_PROJECT.into(), compose.project_name.clone());
        labels.insert(LABEL_SERVICE.into(), service.name.clone());
        labels.insert("com.docker.compose.container-number".into(), "1".into());
        labels.insert("com.docker.compose.oneoff".into(), "False".into());
        labels.insert(LABEL_MANAGED.into(), project_root.display().to_string());

        let mut exposed = Vec::new();
        let mut bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
        for port in &service.ports {
            let key = format!("{}/{}", port.container_port, port.protocol);
            if !exposed.contains(&key) {
                exposed.push(key.clone());
            }
            bindings
                .entry(key)
                .or_insert_with(|| Some(Vec::new()))
                .get_or_insert_with(Vec::new)
                .push(PortBinding {
                    host_ip: Some(port.host_ip.clone().unwrap_or_default()),
                    host_port: Some(port.host_port.map(|p| p.to_string()).unwrap_or_default()),
                });
        }
        let mut binds = Vec::new();
        let mut anonymous = Vec::new();
        let mut tmpfs = HashMap::new();
        for volume in &service.volumes {
            match volume {
                VolumeMount::Bind {
                    source,
                    target,
                    read_only,
                } => {
                    if !source.exists() {
                        std::fs::create_dir_all(source).map_err(|e| DockerError::Other {
                            action: format!("create the bind mount source {}", source.display()),
                            message: e.to_string(),
                        })?;
                    }
                    binds.push(format!(
                        "{}:{target}{}",
                        source.display(),
                        if *read_only { ":ro" } else { "" }
                    ));
                }
                VolumeMount::Named {
                    volume,
                    target,
                    read_only,
                } => {
                    self.ensure_volume(volume, &compose.project_name).await?;
                    binds.push(format!(
                        "{volume}:{target}{}",
                        if *read_only { ":ro" } else { "" }
                    ));
                }
                VolumeMount::Anonymous { target } => anonymous.push(target.clone()),
                VolumeMount::Tmpfs { target, options } => {
                    tmpfs.insert(target.clone(), options.clone());
                }
            }
        }
        let healthcheck = service.healthcheck.as_ref().map(|h| HealthConfig {
            test: Some(h.test.clone()),
            interval: nanos(h.interval),
            timeout: nanos(h.timeout),
            retries: h.retries.map(i64::from),
            start_period: nanos(h.start_period),
            ..Default::default()
        });
        let restart_policy = service.restart.as_deref().map(|r| RestartPolicy {
            name: Some(match r {
                "always" => RestartPolicyNameEnum::ALWAYS,
                "unless-stopped" => RestartPolicyNameEnum::UNLESS_STOPPED,
                r if r.starts_with("on-failure") => RestartPolicyNameEnum::ON_FAILURE,
                _ => RestartPolicyNameEnum::NO,
            }),
            maximum_retry_count: None,
        });
        let body = ContainerCreateBody {
            image: Some(service.image.clone()),
            env: Some(
                service
                    .environment
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect(),
            ),
            cmd: service.command.clone(),
            entrypoint: service.entrypoint.clone(),
            labels: Some(labels),
            exposed_ports: (!exposed.is_empty()).then_some(exposed),
            healthcheck,
            volumes: (!anonymous.is_empty()).then_some(anonymous),
            host_config: Some(HostConfig {
                binds: Some(binds),
                port_bindings: Some(bindings),
                restart_policy,
                tmpfs: (!tmpfs.is_empty()).then_some(tmpfs),
                network_mode: Some(network.clone()),
                ..Default::default()
            }),
            networking_config: Some(NetworkingConfig {
                endpoints_config: Some(HashMap::from([(
                    network,
                    EndpointSettings {
                        aliases: Some(vec![service.name.clone()]),
                        ..Default::default()
                    },
                )])),
            }),
            ..Default::default()
        };
        let options = CreateContainerOptions {
            name: Some(name.clone()),
            ..Default::default()
        };
        match self.inner.create_container(Some(options), body).await {
            Ok(created) => Ok(ContainerInfo {
                id: created.id,
                name,
                image: service.image.clone(),
                labels: Default::default(),
                origin: Origin::Devctl,
                running: false,
                ports: Vec::new(),
                mounts: Vec::new(),
            }),
            Err(e) if status(&e) == Some(409) => Err(DockerError::Container {
                action: "create",
                name: name.clone(),
                message: format!(
                    "the name is taken by another container ({}); remove or rename it, or set container_name for {} in the compose file",
                    message(&e),
                    service.name
                ),
            }),
            Err(e) => Err(container_error("create", &name, &e)),
        }
    }

    /// Starts the container; `Ok(false)` when it was already running.
    pub async fn ensure_started(&self, id: &str) -> Result<bool, DockerError> {
        match self
            .inner
            .start_container(id, None::<StartContainerOptions>)
            .await
        {
            Ok(()) => Ok(true),
            Err(e) if status(&e) == Some(304) => Ok(false),
            Err(e) => Err(container_error("start", id, &e)),
        }
    }

    pub async fn state(&self, id: &str) -> Result<ContainerState, DockerError> {
        let info = self
            .inner
            .inspect_container(id, None::<InspectContainerOptions>)
            .await
            .map_err(|e| container_error("inspect", id, &e))?;
        let state = info.state.unwrap_or_default();
        let mut ports = Vec::new();
        for (spec, bindings) in info
            .network_settings
            .and_then(|n| n.ports)
            .unwrap_or_default()
        {
            for binding in bindings.unwrap_or_default() {
                if let Some(port) = binding.host_port.and_then(|p| p.parse().ok()) {
                    ports.push((spec.clone(), binding.host_ip.unwrap_or_default(), port));
                }
            }
        }
        ports.sort();
        Ok(ContainerState {
            running: state.running.unwrap_or(false),
            restarting: state.restarting.unwrap_or(false),
            status: state.status.map(|s| s.to_string()).unwrap_or_default(),
            exit_code: state.exit_code,
            oom_killed: state.oom_killed.unwrap_or(false),
            restart_count: info.restart_count.unwrap_or(0),
            started_at: state.started_at,
            health: state
                .health
                .and_then(|h| h.status)
                .map(|s| s.to_string())
                .filter(|s| !s.is_empty() && s != "none"),
            ports,
        })
    }

    /// The last `lines` lines of stdout and stderr, in order.
    pub async fn logs_tail(&self, id: &str, lines: usize) -> Result<Vec<String>, DockerError> {
        let options = LogsOptions {
            stdout: true,
            stderr: true,
            tail: lines.to_string(),
            ..Default::default()
        };
        let mut stream = self.inner.logs(id, Some(options));
        let mut text = String::new();
        while let Some(item) = stream.next().await {
            let chunk = item.map_err(|e| container_error("read the logs of", id, &e))?;
            text.push_str(&String::from_utf8_lossy(&chunk.into_bytes()));
        }
        Ok(text.lines().map(str::to_string).collect())
    }

    /// Stops the container; `timeout` seconds before SIGKILL (0 = kill at once). `Ok(false)` when already stopped.
    pub async fn ensure_stopped(&self, id: &str, timeout: i32) -> Result<bool, DockerError> {
        let options = StopContainerOptions {
            t: Some(timeout),
            ..Default::default()
        };
        match self.inner.stop_container(id, Some(options)).await {
            Ok(()) => Ok(true),
            Err(e) if matches!(status(&e), Some(304 | 404)) => Ok(false),
            Err(e) => Err(container_error("stop", id, &e)),
        }
    }

    /// Removes the container (forced) with its anonymous volumes; a missing container is fine.
    pub async fn remove(&self, id: &str) -> Result<(), DockerError> {
        let options = RemoveContainerOptions {
            force: true,
            v: true,
            ..Default::default()
        };
        match self.inner.remove_container(id, Some(options)).await {
            Ok(()) => Ok(()),
            Err(e) if status(&e) == Some(404) => Ok(()),
            // Already being removed.
            Err(e) if status(&e) == Some(409) && message(&e).contains("in progress") => Ok(()),
            Err(e) => Err(container_error("remove", id, &e)),
        }
    }

    /// Runs `command` in a short-lived root container of `image` with `binds`, waits for it, and
    /// returns its exit code and output. The container is removed whatever happens.
    pub async fn run_oneoff(
        &self,
        image: &str,
        binds: &[String],
        command: &[&str],
    ) -> Result<(i64, Vec<String>), DockerError> {
        let body = ContainerCreateBody {
            image: Some(image.to_string()),
            entrypoint: Some(vec![command[0].to_string()]),
            cmd: Some(command[1..].iter().map(|s| (*s).to_string()).collect()),
            user: Some("0:0".into()),
            labels: Some(HashMap::from([(
                LABEL_MANAGED.to_string(),
                "oneoff".to_string(),
            )])),
            host_config: Some(HostConfig {
                binds: Some(binds.to_vec()),
                network_mode: Some("none".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let created = self
            .inner
            .create_container(None::<CreateContainerOptions>, body)
            .await
            .map_err(|e| container_error("create a helper container from", image, &e))?;
        let result = async {
            self.inner
                .start_container(&created.id, None::<StartContainerOptions>)
                .await
                .map_err(|e| container_error("start", &created.id, &e))?;
            let mut wait = self
                .inner
                .wait_container(&created.id, None::<WaitContainerOptions>);
            let mut code = 0;
            while let Some(item) = wait.next().await {
                match item {
                    Ok(response) => code = response.status_code,
                    // bollard reports a non-zero exit as an error carrying the code.
                    Err(BollardError::DockerContainerWaitError { code: c, .. }) => code = c,
                    Err(e) => return Err(container_error("wait for", &created.id, &e)),
                }
            }
            let logs = self.logs_tail(&created.id, 50).await.unwrap_or_default();
            Ok((code, logs))
        }
        .await;
        let _ = self.remove(&created.id).await;
        result
    }
}

fn regex_escape(name: &str) -> String {
    name.chars().fold(String::new(), |mut out, c| {
        if ".+*?()[]{}|^$\\".contains(c) {
            out.push('\\');
        }
        out.push(c);
        out
    })
}

//! The project's existing compose file, read so that nobody describes a service twice. Only what
//! devctl needs to create an equivalent container is kept; everything is interpolated and paths are
//! made absolute here, so the Docker layer receives final values.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_norway::{Mapping, Value};

use super::duration::{DURATION_FORMS, parse_duration};
use super::env::read_env_file;
use super::interpolate::interpolate;
use super::paths::normalize;
use super::{ConfigError, Env};

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
    /// `profiles:`; a service with profiles starts only when one of them is active.
    pub profiles: Vec<String>,
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
    /// From the `tmpfs:` key or a `type: tmpfs` volume. `options` is Docker's form
    /// (`size=1000000,mode=1777`), possibly empty.
    Tmpfs {
        target: String,
        options: String,
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

/// Where Postgres keeps its data when the image's `PGDATA` is not overridden.
pub const DEFAULT_PGDATA: &str = "/var/lib/postgresql/data";

/// Why a service with only `build:` is skipped.
pub const BUILD_ONLY_REASON: &str = "has only `build:`; devctl starts services from images (build it with docker compose build first)";

impl Compose {
    /// Reads and interpolates a compose file. `env` supplies `${VAR}` values (process environment
    /// first, then `.env`). Errors name the file, line and column where the YAML parser gives them.
    ///
    /// Like `docker compose`, it merges the override file beside it (`compose.override.yaml`,
    /// `docker-compose.override.yml`, ...) when there is one.
    pub fn load(path: &Path, env: &super::Env) -> Result<Compose, super::ConfigError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_path_buf(),
                source,
            })
        };
        let mut root = parse_yaml(path, &read(path)?)?;
        if let Some(over) = super::compose_override::override_path(path) {
            let over_root = parse_yaml(&over, &read(&over)?)?;
            super::compose_override::merge(&mut root, over_root);
        }
        Compose::from_value(path, root, env)
    }

    /// [`Compose::load`] on text already read (without an override file); `path` names the file
    /// in errors and anchors relative paths.
    pub fn parse(path: &Path, text: &str, env: &Env) -> Result<Compose, ConfigError> {
        Compose::from_value(path, parse_yaml(path, text)?, env)
    }

    fn from_value(path: &Path, mut root: Value, env: &Env) -> Result<Compose, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let lookup = |name: &str| env.get(name).map(str::to_string);
        interpolate_tree(&mut root, "", &lookup).map_err(invalid)?;

        let top = match root {
            Value::Mapping(top) => top,
            Value::Null => {
                return Err(invalid(
                    "the compose file is empty; add a `services:` section".into(),
                ));
            }
            other => {
                return Err(invalid(format!(
                    "expected a mapping with a `services:` key at the top level, found {}",
                    describe(&other)
                )));
            }
        };

        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let dir = normalize(absolute.parent().unwrap_or(Path::new("/")));
        let project_name = project_name(&top, env, &dir).map_err(invalid)?;
        let volumes = top_level_volumes(&top, &project_name).map_err(invalid)?;

        let mut compose = Compose {
            path: path.to_path_buf(),
            project_name,
            services: Vec::new(),
            skipped: Vec::new(),
            volumes,
        };
        let services = match top.get("services") {
            None | Some(Value::Null) => return Ok(compose),
            Some(Value::Mapping(services)) => services,
            Some(other) => {
                return Err(invalid(format!(
                    "`services:` must be a mapping, found {}",
                    describe(other)
                )));
            }
        };
        let context = Context {
            dir: &dir,
            env,
            volumes: &compose.volumes,
        };
        for (name, definition) in services {
            let name =
                scalar(name).ok_or_else(|| invalid("a service name must be a string".into()))?;
            let Value::Mapping(definition) = definition else {
                return Err(invalid(format!(
                    "service `{name}` must be a mapping, found {}",
                    describe(definition)
                )));
            };
            match context.service(&name, definition) {
                Ok(Some(service)) => compose.services.push(service),
                Ok(None) => compose.skipped.push(SkippedService {
                    name,
                    reason: BUILD_ONLY_REASON.into(),
                }),
                Err(Failure::Message(message)) => {
                    return Err(invalid(format!("service `{name}`: {message}")));
                }
                Err(Failure::Config(err)) => return Err(err),
            }
        }
        Ok(compose)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// Every service name in the file, including skipped ones, for messages.
    pub fn service_names(&self) -> Vec<&str> {
        self.services
            .iter()
            .map(|s| s.name.as_str())
            .chain(self.skipped.iter().map(|s| s.name.as_str()))
            .collect()
    }
}

impl Service {
    /// The host directory bind-mounted on the container's PGDATA (the `PGDATA` variable, else
    /// `/var/lib/postgresql/data`), if any. Only an exact bind on PGDATA counts here; see
    /// [`Service::data_host_dir`] for a bind on one of its parents.
    pub fn data_bind_mount(&self) -> Option<&Path> {
        let pgdata = self.pgdata();
        self.volumes.iter().find_map(|mount| match mount {
            VolumeMount::Bind { source, target, .. } if same_target(target, &pgdata) => {
                Some(source.as_path())
            }
            _ => None,
        })
    }

    /// The host directory that holds the database's storage: the bind mount on PGDATA, else the
    /// deepest bind mount on a parent of it (e.g. `./pgdata:/var/lib/postgresql`, which the
    /// postgres:18 images recommend, with PGDATA at `/var/lib/postgresql/18/docker`). For a
    /// parent bind the whole mount is the database's: it is what a reset deletes.
    pub fn data_host_dir(&self) -> Option<PathBuf> {
        self.pgdata_bind().map(|(source, _)| source.to_path_buf())
    }

    /// Where PGDATA itself lies on the host (the directory holding `PG_VERSION`): the
    /// [`Service::data_host_dir`], or beneath it for a parent bind (`pgdata/18/docker`).
    pub fn pgdata_host_dir(&self) -> Option<PathBuf> {
        self.pgdata_bind().map(|(source, rest)| source.join(rest))
    }

    /// The bind mount holding the database's storage (see [`Service::storage_mount`]), with
    /// PGDATA's path below the mount's target (empty for an exact bind).
    fn pgdata_bind(&self) -> Option<(&Path, PathBuf)> {
        match self.storage_mount()? {
            (VolumeMount::Bind { source, .. }, rest) => Some((source.as_path(), rest)),
            _ => None,
        }
    }

    /// The mount that holds the database's storage: the one on PGDATA, else on its deepest
    /// parent (never `/`), of any kind but tmpfs; with PGDATA's path below the mount's target.
    /// Whether the storage is a bind (wiped on the host), a named volume (recreated) or an
    /// anonymous one (gone with the container) follows from it.
    pub fn storage_mount(&self) -> Option<(&VolumeMount, PathBuf)> {
        let pgdata = self.pgdata();
        self.volumes
            .iter()
            .filter_map(|mount| {
                let target = match mount {
                    VolumeMount::Bind { target, .. }
                    | VolumeMount::Named { target, .. }
                    | VolumeMount::Anonymous { target } => target.trim_end_matches('/'),
                    VolumeMount::Tmpfs { .. } => return None,
                };
                if target.is_empty() {
                    return None;
                }
                let rest = Path::new(&pgdata).strip_prefix(target).ok()?;
                Some((
                    Path::new(target).components().count(),
                    mount,
                    rest.to_path_buf(),
                ))
            })
            .max_by_key(|(depth, ..)| *depth)
            .map(|(_, mount, rest)| (mount, rest))
    }

    /// Whether `docker compose up` starts this service when `active` profiles are enabled (from
    /// `COMPOSE_PROFILES`; `*` enables every profile). A service without profiles always starts.
    pub fn enabled_by(&self, active: &[&str]) -> bool {
        self.profiles.is_empty()
            || active.contains(&"*")
            || self.profiles.iter().any(|p| active.contains(&p.as_str()))
    }

    /// The container's data directory: the `PGDATA` variable, else Postgres's default.
    pub fn pgdata(&self) -> String {
        match self.environment.get("PGDATA") {
            Some(pgdata) if !pgdata.is_empty() => pgdata.clone(),
            _ => DEFAULT_PGDATA.to_string(),
        }
    }
}

fn same_target(a: &str, b: &str) -> bool {
    let trim = |s: &str| {
        if s.len() > 1 {
            s.trim_end_matches('/').to_string()
        } else {
            s.to_string()
        }
    };
    trim(a) == trim(b)
}

/// serde_norway's message without its " at line L column C" suffix (the position is reported
/// separately).
/// One compose file's YAML, with `<<` merge keys applied. Errors name the file, line and column.
fn parse_yaml(path: &Path, text: &str) -> Result<Value, ConfigError> {
    let mut root: Value = serde_norway::from_str(text).map_err(|err| {
        let mut message = yaml_message(&err);
        let line = err
            .location()
            .and_then(|at| text.lines().nth(at.line() - 1));
        if line.is_some_and(|line| line.starts_with([' ', '\t']) && line.contains('\t')) {
            message.push_str(" (YAML indentation must use spaces, not tabs)");
        }
        match err.location() {
            Some(at) => ConfigError::Syntax {
                path: path.to_path_buf(),
                line: at.line(),
                column: at.column(),
                message,
            },
            None => ConfigError::Invalid {
                path: path.to_path_buf(),
                message,
            },
        }
    })?;
    root.apply_merge().map_err(|err| ConfigError::Invalid {
        path: path.to_path_buf(),
        message: format!("cannot apply a `<<` merge key: {err}"),
    })?;
    Ok(root)
}

fn yaml_message(err: &serde_norway::Error) -> String {
    let message = err.to_string();
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

/// Interpolates every string value (not keys) in place; errors name the key path.
fn interpolate_tree(
    value: &mut Value,
    at: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<(), String> {
    match value {
        Value::String(text) => {
            *text = interpolate(text, lookup).map_err(|err| {
                if at.is_empty() {
                    err
                } else {
                    format!("{at}: {err}")
                }
            })?;
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                interpolate_tree(item, &format!("{at}[{i}]"), lookup)?;
            }
        }
        Value::Mapping(map) => {
            for (key, item) in map.iter_mut() {
                let key = scalar(key).unwrap_or_else(|| "?".into());
                let path = if at.is_empty() {
                    key
                } else {
                    format!("{at}.{key}")
                };
                interpolate_tree(item, &path, lookup)?;
            }
        }
        Value::Tagged(tagged) => interpolate_tree(&mut tagged.value, at, lookup)?,
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    Ok(())
}

/// `name:`, else `COMPOSE_PROJECT_NAME`, else the directory name normalised like compose does
/// (lowercase, only `a-z0-9_-`, no leading `_` or `-`).
fn project_name(top: &Mapping, env: &Env, dir: &Path) -> Result<String, String> {
    if let Some(name) = top.get("name").and_then(scalar).filter(|n| !n.is_empty()) {
        return Ok(name);
    }
    if let Some(name) = env.get("COMPOSE_PROJECT_NAME").filter(|n| !n.is_empty()) {
        return Ok(name.to_string());
    }
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let name: String = base
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == '-')
        .collect();
    let name = name.trim_start_matches(['_', '-']).to_string();
    if name.is_empty() {
        return Err(format!(
            "cannot derive a project name from the directory {}; set `name:` at the top of the compose file",
            dir.display()
        ));
    }
    Ok(name)
}

fn top_level_volumes(top: &Mapping, project: &str) -> Result<BTreeMap<String, String>, String> {
    let mut volumes = BTreeMap::new();
    let entries = match top.get("volumes") {
        None | Some(Value::Null) => return Ok(volumes),
        Some(Value::Mapping(entries)) => entries,
        Some(other) => {
            return Err(format!(
                "top-level `volumes:` must be a mapping, found {}",
                describe(other)
            ));
        }
    };
    for (key, entry) in entries {
        let key = scalar(key).ok_or("a volume name must be a string")?;
        let (name, external) = match entry {
            Value::Null => (None, false),
            Value::Mapping(entry) => {
                let name = entry.get("name").and_then(scalar);
                match entry.get("external") {
                    None | Some(Value::Null) => (name, false),
                    Some(Value::Mapping(external)) => {
                        (external.get("name").and_then(scalar).or(name), true)
                    }
                    Some(flag) => (
                        name,
                        boolean(flag).map_err(|e| format!("volumes.{key}.external: {e}"))?,
                    ),
                }
            }
            other => {
                return Err(format!(
                    "volume `{key}` must be a mapping or empty, found {}",
                    describe(other)
                ));
            }
        };
        let docker_name = match (name, external) {
            (Some(name), _) => name,
            (None, true) => key.clone(),
            (None, false) => format!("{project}_{key}"),
        };
        volumes.insert(key, docker_name);
    }
    Ok(volumes)
}

/// What went wrong while building a service: a message to prefix with the service name, or an
/// error that already names its own file (an `env_file`).
enum Failure {
    Message(String),
    Config(ConfigError),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Message(message)
    }
}

struct Context<'a> {
    /// The compose file's directory, absolute.
    dir: &'a Path,
    env: &'a Env,
    volumes: &'a BTreeMap<String, String>,
}

impl Context<'_> {
    /// `None` for a service that only has `build:`.
    fn service(&self, name: &str, def: &Mapping) -> Result<Option<Service>, Failure> {
        let image = match def.get("image") {
            None | Some(Value::Null) if def.contains_key("build") => return Ok(None),
            None | Some(Value::Null) => {
                return Err("has neither `image:` nor `build:`; add the image to run"
                    .to_string()
                    .into());
            }
            Some(image) => scalar(image).filter(|i| !i.is_empty()).ok_or_else(|| {
                format!(
                    "`image:` must be a non-empty string, found {}",
                    describe(image)
                )
            })?,
        };

        let mut environment = BTreeMap::new();
        if let Some(files) = def.get("env_file") {
            for (path, required) in env_files(files)? {
                let path = normalize(&self.dir.join(path));
                if !path.is_file() {
                    if required {
                        return Err(format!(
                            "env_file {} does not exist; create it, or mark it `required: false`",
                            path.display()
                        )
                        .into());
                    }
                    continue;
                }
                environment.extend(read_env_file(&path).map_err(Failure::Config)?);
            }
        }
        if let Some(value) = def.get("environment") {
            for (key, value) in key_values(value, "environment")? {
                match value.or_else(|| self.env.get(&key).map(str::to_string)) {
                    Some(value) => {
                        environment.insert(key, value);
                    }
                    None => {
                        environment.remove(&key);
                    }
                }
            }
        }

        let labels = match def.get("labels") {
            Some(value) => key_values(value, "labels")?
                .into_iter()
                .map(|(k, v)| (k, v.unwrap_or_default()))
                .collect(),
            None => BTreeMap::new(),
        };

        let mut ports = Vec::new();
        match def.get("ports") {
            None | Some(Value::Null) => {}
            Some(Value::Sequence(items)) => {
                for item in items {
                    ports.extend(port(item).map_err(|e| format!("ports: {e}"))?);
                }
            }
            Some(other) => {
                return Err(format!("`ports:` must be a list, found {}", describe(other)).into());
            }
        }

        let mut volumes = Vec::new();
        match def.get("volumes") {
            None | Some(Value::Null) => {}
            Some(Value::Sequence(items)) => {
                for item in items {
                    volumes.push(self.volume(item).map_err(|e| format!("volumes: {e}"))?);
                }
            }
            Some(other) => {
                return Err(format!("`volumes:` must be a list, found {}", describe(other)).into());
            }
        }
        match def.get("tmpfs") {
            None | Some(Value::Null) => {}
            Some(Value::Sequence(items)) => {
                for item in items {
                    volumes.push(short_tmpfs(item).map_err(|e| format!("tmpfs: {e}"))?);
                }
            }
            Some(item) => volumes.push(short_tmpfs(item).map_err(|e| format!("tmpfs: {e}"))?),
        }

        Ok(Some(Service {
            name: name.to_string(),
            image,
            container_name: optional_string(def, "container_name")?,
            environment,
            ports,
            volumes,
            command: command(def.get("command"), "command")?,
            entrypoint: command(def.get("entrypoint"), "entrypoint")?,
            healthcheck: match def.get("healthcheck") {
                None | Some(Value::Null) => None,
                Some(value) => Some(healthcheck(value).map_err(|e| format!("healthcheck: {e}"))?),
            },
            labels,
            restart: optional_string(def, "restart")?,
            profiles: profiles(def.get("profiles"))?,
        }))
    }

    fn volume(&self, item: &Value) -> Result<VolumeMount, String> {
        match item {
            Value::String(text) => self.short_volume(text),
            Value::Mapping(map) => self.long_volume(map),
            other => Err(format!(
                "expected a string or a mapping, found {}",
                describe(other)
            )),
        }
    }

    /// `SOURCE:TARGET[:MODE]` or `TARGET`.
    fn short_volume(&self, text: &str) -> Result<VolumeMount, String> {
        let parts: Vec<&str> = text.split(':').collect();
        let (source, target, mode) = match parts.as_slice() {
            [target] => {
                return Ok(VolumeMount::Anonymous {
                    target: target.to_string(),
                });
            }
            [source, target] => (*source, *target, ""),
            [source, target, mode] => (*source, *target, *mode),
            _ => return Err(format!("{text:?}: expected SOURCE:TARGET[:MODE] or TARGET")),
        };
        if source.is_empty() || target.is_empty() {
            return Err(format!("{text:?}: expected SOURCE:TARGET[:MODE] or TARGET"));
        }
        let read_only = mode.split(',').any(|option| option == "ro");
        let target = target.to_string();
        if source.starts_with(['/', '.', '~']) {
            Ok(VolumeMount::Bind {
                source: self.bind_source(source)?,
                target,
                read_only,
            })
        } else {
            Ok(VolumeMount::Named {
                volume: self.named_volume(source)?,
                target,
                read_only,
            })
        }
    }

    /// `{type: bind|volume|tmpfs, source, target, read_only, tmpfs: {size, mode}}`.
    fn long_volume(&self, map: &Mapping) -> Result<VolumeMount, String> {
        let kind = map
            .get("type")
            .and_then(scalar)
            .unwrap_or_else(|| "volume".into());
        let target = map
            .get("target")
            .and_then(scalar)
            .filter(|t| !t.is_empty())
            .ok_or("a volume in long syntax needs `target:`")?;
        let source = map.get("source").and_then(scalar).filter(|s| !s.is_empty());
        let read_only = match map.get("read_only") {
            None | Some(Value::Null) => false,
            Some(flag) => boolean(flag).map_err(|e| format!("read_only: {e}"))?,
        };
        match (kind.as_str(), source) {
            ("bind", Some(source)) => Ok(VolumeMount::Bind {
                source: self.bind_source(&source)?,
                target,
                read_only,
            }),
            ("bind", None) => Err(format!("the bind mount on {target} needs `source:`")),
            ("volume", Some(source)) => Ok(VolumeMount::Named {
                volume: self.named_volume(&source)?,
                target,
                read_only,
            }),
            ("volume", None) => Ok(VolumeMount::Anonymous { target }),
            ("tmpfs", _) => {
                let mut options = match map.get("tmpfs") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(value) => {
                        tmpfs_options(value).map_err(|e| format!("tmpfs on {target}: {e}"))?
                    }
                };
                if read_only {
                    options.push("ro".to_string());
                }
                Ok(VolumeMount::Tmpfs {
                    target,
                    options: options.join(","),
                })
            }
            (other, _) => Err(format!(
                "volume type `{other}` on {target} is not supported; devctl handles `bind`, `volume` and `tmpfs` mounts"
            )),
        }
    }

    /// Absolute, with `~` expanded and `.`/`..` resolved against the compose file's directory.
    fn bind_source(&self, source: &str) -> Result<PathBuf, String> {
        let path = if source == "~" || source.starts_with("~/") {
            let home = self
                .env
                .get("HOME")
                .filter(|h| !h.is_empty())
                .ok_or_else(|| format!("cannot expand `~` in {source:?}: HOME is not set"))?;
            Path::new(home).join(source.trim_start_matches('~').trim_start_matches('/'))
        } else {
            self.dir.join(source)
        };
        Ok(normalize(&path))
    }

    fn named_volume(&self, key: &str) -> Result<String, String> {
        self.volumes.get(key).cloned().ok_or_else(|| {
            format!(
                "volume `{key}` is not declared in the top-level `volumes:`; declare it there, or write \
                 ./{key} for a directory next to the compose file"
            )
        })
    }
}

/// One entry of the `tmpfs:` key: `TARGET[:OPTIONS]`, options in Docker's form (`size=64m,mode=1777`).
fn short_tmpfs(item: &Value) -> Result<VolumeMount, String> {
    let text = scalar(item).ok_or_else(|| {
        format!(
            "entries must be TARGET[:OPTIONS] strings, found {}",
            describe(item)
        )
    })?;
    let (target, options) = text.split_once(':').unwrap_or((&text, ""));
    if target.is_empty() {
        return Err(format!(
            "{text:?}: expected TARGET[:OPTIONS], e.g. \"/run:size=64m\""
        ));
    }
    Ok(VolumeMount::Tmpfs {
        target: target.to_string(),
        options: options.to_string(),
    })
}

/// The `tmpfs:` mapping of a long-syntax tmpfs volume (`size`, `mode`) as Docker's options.
fn tmpfs_options(value: &Value) -> Result<Vec<String>, String> {
    let Value::Mapping(map) = value else {
        return Err(format!(
            "`tmpfs:` must be a mapping, found {}",
            describe(value)
        ));
    };
    let mut options = Vec::new();
    for (key, value) in map {
        let key = scalar(key).unwrap_or_default();
        let text = scalar(value).filter(|t| !t.is_empty()).ok_or_else(|| {
            format!(
                "{key} must be a number or a string, found {}",
                describe(value)
            )
        })?;
        match key.as_str() {
            "size" => options.push(format!("size={text}")),
            // Docker reads the mode as octal digits. A YAML number is its value (`0o1777`); a
            // string is octal already ("1777", "0o1777").
            "mode" => match value {
                Value::Number(n) => match n.as_u64() {
                    Some(mode) => options.push(format!("mode={mode:o}")),
                    None => return Err(format!("mode {n} is not a file mode")),
                },
                _ => {
                    let digits = text.trim_start_matches("0o");
                    if u32::from_str_radix(digits, 8).is_err() {
                        return Err(format!("mode {text:?} is not an octal file mode"));
                    }
                    options.push(format!("mode={digits}"));
                }
            },
            other => {
                return Err(format!(
                    "unknown tmpfs option `{other}` (devctl handles size and mode)"
                ));
            }
        }
    }
    Ok(options)
}

/// `profiles:`: a list of names.
fn profiles(value: Option<&Value>) -> Result<Vec<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|item| {
                scalar(item).filter(|p| !p.is_empty()).ok_or_else(|| {
                    format!("profiles: entries must be names, found {}", describe(item))
                })
            })
            .collect(),
        Some(other) => Err(format!(
            "`profiles:` must be a list, found {}",
            describe(other)
        )),
    }
}

/// `env_file:` as a string, or a list of strings and `{path, required}` mappings.
fn env_files(value: &Value) -> Result<Vec<(String, bool)>, String> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Sequence(items) => items.iter().collect(),
        single => vec![single],
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::Mapping(map) => {
                let path = map
                    .get("path")
                    .and_then(scalar)
                    .ok_or("an env_file entry needs `path:`")?;
                let required = match map.get("required") {
                    None | Some(Value::Null) => true,
                    Some(flag) => boolean(flag).map_err(|e| format!("env_file required: {e}"))?,
                };
                Ok((path, required))
            }
            other => scalar(other).map(|path| (path, true)).ok_or_else(|| {
                format!("env_file entries must be paths, found {}", describe(other))
            }),
        })
        .collect()
}

/// A mapping `KEY: value` or a list of `KEY=value` / `KEY`; `None` for a missing value.
fn key_values(value: &Value, what: &str) -> Result<Vec<(String, Option<String>)>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Mapping(map) => map
            .iter()
            .map(|(key, value)| {
                let key = scalar(key).ok_or_else(|| format!("{what}: keys must be strings"))?;
                match value {
                    Value::Null => Ok((key, None)),
                    other => scalar(other)
                        .map(|v| (key.clone(), Some(v)))
                        .ok_or_else(|| {
                            format!(
                                "{what}.{key} must be a string, number or boolean, found {}",
                                describe(other)
                            )
                        }),
                }
            })
            .collect(),
        Value::Sequence(items) => items
            .iter()
            .map(|item| {
                let text = scalar(item).ok_or_else(|| {
                    format!(
                        "{what}: list entries must be KEY=VALUE strings, found {}",
                        describe(item)
                    )
                })?;
                Ok(match text.split_once('=') {
                    Some((key, value)) => (key.to_string(), Some(value.to_string())),
                    None => (text, None),
                })
            })
            .collect(),
        other => Err(format!(
            "`{what}:` must be a mapping or a list, found {}",
            describe(other)
        )),
    }
}

/// One entry of `ports:`, which may expand to several mappings (a range).
fn port(item: &Value) -> Result<Vec<PortMapping>, String> {
    match item {
        Value::Number(n) => {
            let container_port = n
                .as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("{n} is not a port number (1-65535)"))?;
            Ok(vec![PortMapping {
                host_ip: None,
                host_port: None,
                container_port,
                protocol: "tcp".into(),
            }])
        }
        Value::String(text) => short_port(text),
        Value::Mapping(map) => long_port(map).map(|p| vec![p]),
        other => Err(format!(
            "expected a string, number or mapping, found {}",
            describe(other)
        )),
    }
}

/// `[[IP:]HOST:]CONTAINER[/PROTOCOL]`, where HOST and CONTAINER may be ranges like `8000-8001`.
fn short_port(text: &str) -> Result<Vec<PortMapping>, String> {
    let bad = |why: &str| {
        format!(
            "{text:?}: {why}; expected [[IP:]HOST:]CONTAINER[/PROTOCOL], e.g. \"127.0.0.1:5432:5432\""
        )
    };
    let (spec, protocol) = match text.rsplit_once('/') {
        Some((spec, protocol)) => (spec, protocol_name(protocol).map_err(|e| bad(&e))?),
        None => (text, "tcp".to_string()),
    };
    let (host_ip, rest) = if let Some(bracketed) = spec.strip_prefix('[') {
        let (ip, rest) = bracketed
            .split_once("]:")
            .ok_or_else(|| bad("unclosed `[` around the IP address"))?;
        (Some(ip.to_string()), rest)
    } else {
        (None, spec)
    };
    let mut parts: Vec<&str> = rest.rsplitn(3, ':').collect();
    parts.reverse();
    let (host_ip, host, container) = match (host_ip, parts.as_slice()) {
        (None, [container]) => (None, "", *container),
        (ip, [host, container]) => (ip, *host, *container),
        (None, [ip, host, container]) => (Some(ip.to_string()), *host, *container),
        _ => return Err(bad("too many `:`")),
    };
    let host_ip = host_ip.filter(|ip| !ip.is_empty());
    let containers = port_range(container).map_err(|e| bad(&e))?;
    let hosts = if host.is_empty() {
        None
    } else {
        Some(port_range(host).map_err(|e| bad(&e))?)
    };
    let mapping = |host_port, container_port| PortMapping {
        host_ip: host_ip.clone(),
        host_port,
        container_port,
        protocol: protocol.clone(),
    };
    match hosts {
        None => Ok(containers.map(|c| mapping(None, c)).collect()),
        Some(hosts) if hosts.len() == containers.len() => Ok(hosts
            .zip(containers)
            .map(|(h, c)| mapping(Some(h), c))
            .collect()),
        Some(_) => Err(bad(
            "the host and container port ranges have different lengths",
        )),
    }
}

fn long_port(map: &Mapping) -> Result<PortMapping, String> {
    let number = |key: &str| -> Result<Option<u16>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => {
                let text = scalar(value).unwrap_or_default();
                if text.is_empty() {
                    return Ok(None);
                }
                single_port(&text)
                    .map(Some)
                    .map_err(|e| format!("{key}: {e}"))
            }
        }
    };
    let container_port = number("target")?.ok_or("a port in long syntax needs `target:`")?;
    Ok(PortMapping {
        host_ip: map
            .get("host_ip")
            .and_then(scalar)
            .filter(|ip| !ip.is_empty()),
        host_port: number("published")?,
        container_port,
        protocol: match map.get("protocol").and_then(scalar) {
            Some(protocol) => protocol_name(&protocol)?,
            None => "tcp".into(),
        },
    })
}

fn protocol_name(protocol: &str) -> Result<String, String> {
    let lower = protocol.to_ascii_lowercase();
    if ["tcp", "udp", "sctp"].contains(&lower.as_str()) {
        Ok(lower)
    } else {
        Err(format!(
            "unknown protocol {protocol:?} (expected tcp, udp or sctp)"
        ))
    }
}

fn single_port(text: &str) -> Result<u16, String> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|&p| p > 0)
        .ok_or_else(|| format!("{text:?} is not a port number (1-65535)"))
}

fn port_range(text: &str) -> Result<std::ops::RangeInclusive<u16>, String> {
    match text.split_once('-') {
        Some((start, end)) => {
            let (start, end) = (single_port(start)?, single_port(end)?);
            if start > end {
                return Err(format!("the port range {text:?} runs backwards"));
            }
            Ok(start..=end)
        }
        None => single_port(text).map(|p| p..=p),
    }
}

/// `command:` / `entrypoint:`: a string split like a shell would, or a list.
fn command(value: Option<&Value>, what: &str) -> Result<Option<Vec<String>>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => shell_words::split(text).map(Some).map_err(|err| {
            format!("{what}: cannot split {text:?} into words ({err}); check its quotes")
        }),
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|item| {
                scalar(item).ok_or_else(|| {
                    format!(
                        "{what}: list entries must be strings, found {}",
                        describe(item)
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(other) => Err(format!(
            "`{what}:` must be a string or a list, found {}",
            describe(other)
        )),
    }
}

fn healthcheck(value: &Value) -> Result<Healthcheck, String> {
    let Value::Mapping(map) = value else {
        return Err(format!("expected a mapping, found {}", describe(value)));
    };
    let disabled = match map.get("disable") {
        None | Some(Value::Null) => false,
        Some(flag) => boolean(flag).map_err(|e| format!("disable: {e}"))?,
    };
    let test = if disabled {
        vec!["NONE".to_string()]
    } else {
        match map.get("test") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(text)) => vec!["CMD-SHELL".to_string(), text.clone()],
            Some(Value::Sequence(items)) => items
                .iter()
                .map(|item| {
                    scalar(item).ok_or_else(|| {
                        format!(
                            "test: list entries must be strings, found {}",
                            describe(item)
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(format!(
                    "test must be a string or a list, found {}",
                    describe(other)
                ));
            }
        }
    };
    let duration = |key: &str| -> Result<Option<Duration>, String> {
        match map.get(key).and_then(scalar) {
            None => Ok(None),
            Some(text) => parse_duration(&text)
                .map(Some)
                .map_err(|_| format!("invalid duration {text:?} for {key}: {DURATION_FORMS}")),
        }
    };
    let retries = match map.get("retries") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            scalar(value)
                .and_then(|text| text.parse::<u32>().ok())
                .ok_or_else(|| {
                    format!("retries must be a whole number, found {}", describe(value))
                })?,
        ),
    };
    Ok(Healthcheck {
        test,
        interval: duration("interval")?,
        timeout: duration("timeout")?,
        retries,
        start_period: duration("start_period")?,
    })
}

fn optional_string(map: &Mapping, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => scalar(value)
            .map(Some)
            .ok_or_else(|| format!("`{key}:` must be a string, found {}", describe(value))),
    }
}

/// A string, number or boolean as text; `None` for anything else. Interpolated values are strings
/// even where compose expects a number, so every reader goes through this.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Tagged(tagged) => scalar(&tagged.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

fn boolean(value: &Value) -> Result<bool, String> {
    match value {
        Value::Bool(flag) => Ok(*flag),
        Value::String(text) if text.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(text) if text.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(format!("expected true or false, found {}", describe(other))),
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::Null => "nothing".into(),
        Value::Bool(flag) => format!("the boolean {flag}"),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => format!("the string {text:?}"),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a mapping".into(),
        Value::Tagged(tagged) => describe(&tagged.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        Env {
            file_vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            file: Some(PathBuf::from(".env")),
            process: BTreeMap::new(),
        }
    }

    /// Writes `text` as `my-app/docker-compose.yml` in a temp dir and loads it.
    fn load_with(
        text: &str,
        vars: &[(&str, &str)],
    ) -> (tempfile::TempDir, Result<Compose, ConfigError>) {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("my-app");
        std::fs::create_dir(&project).unwrap();
        let path = project.join("docker-compose.yml");
        std::fs::write(&path, text).unwrap();
        let result = Compose::load(&path, &env(vars));
        (dir, result)
    }

    fn load(text: &str) -> Compose {
        let (_dir, result) = load_with(text, &[]);
        result.unwrap()
    }

    fn error(text: &str) -> String {
        let (_dir, result) = load_with(text, &[]);
        result.unwrap_err().to_string()
    }

    fn service(text: &str) -> Service {
        load(text).services.remove(0)
    }

    fn project_dir(dir: &tempfile::TempDir) -> PathBuf {
        normalize(&std::path::absolute(dir.path().join("my-app")).unwrap())
    }

    const LETTA: &str = r#"
services:
  letta_db:
    image: ankane/pgvector:v0.5.1
    networks:
      default:
        aliases: [pgvector_db]
    environment:
      - POSTGRES_USER=${LETTA_PG_USER:-letta}
      - POSTGRES_PASSWORD=${LETTA_PG_PASSWORD:-letta}
      - POSTGRES_DB=${LETTA_PG_DB:-letta}
    volumes:
      - ./.persist/pgdata:/var/lib/postgresql/data
      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro
    ports:
      - "${LETTA_PG_PORT:-5432}:5432"
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U letta"]
      interval: 5s
      timeout: 5s
      retries: 5
  redis:
    image: redis:alpine
    container_name: letta-redis
    volumes:
      - redis_data:/data
    ports: [6379]
    command: redis-server --appendonly "yes"
    restart: unless-stopped
  letta_server:
    build: .
    depends_on: [letta_db]
volumes:
  redis_data:
"#;

    #[test]
    fn letta_style_file() {
        let (dir, result) = load_with(LETTA, &[("LETTA_PG_PASSWORD", "secret")]);
        let compose = result.unwrap();
        let root = project_dir(&dir);
        assert_eq!(compose.project_name, "my-app");
        assert_eq!(
            compose.volumes.get("redis_data").map(String::as_str),
            Some("my-app_redis_data")
        );
        assert_eq!(
            compose
                .services
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["letta_db", "redis"]
        );
        assert_eq!(compose.skipped.len(), 1);
        assert_eq!(compose.skipped[0].name, "letta_server");
        assert!(compose.skipped[0].reason.contains("has only `build:`"));
        assert_eq!(
            compose.service_names(),
            ["letta_db", "redis", "letta_server"]
        );

        let db = compose.service("letta_db").unwrap();
        assert_eq!(db.image, "ankane/pgvector:v0.5.1");
        assert_eq!(db.environment.get("POSTGRES_USER").unwrap(), "letta");
        assert_eq!(db.environment.get("POSTGRES_PASSWORD").unwrap(), "secret");
        assert_eq!(
            db.ports,
            [PortMapping {
                host_ip: None,
                host_port: Some(5432),
                container_port: 5432,
                protocol: "tcp".into()
            }]
        );
        assert_eq!(
            db.volumes,
            [
                VolumeMount::Bind {
                    source: root.join(".persist/pgdata"),
                    target: "/var/lib/postgresql/data".into(),
                    read_only: false
                },
                VolumeMount::Bind {
                    source: root.join("init.sql"),
                    target: "/docker-entrypoint-initdb.d/init.sql".into(),
                    read_only: true
                },
            ]
        );
        assert_eq!(
            db.data_bind_mount(),
            Some(root.join(".persist/pgdata").as_path())
        );
        assert_eq!(db.data_host_dir(), Some(root.join(".persist/pgdata")));
        let health = db.healthcheck.as_ref().unwrap();
        assert_eq!(health.test, ["CMD-SHELL", "pg_isready -U letta"]);
        assert_eq!(health.interval, Some(Duration::from_secs(5)));
        assert_eq!(health.timeout, Some(Duration::from_secs(5)));
        assert_eq!(health.retries, Some(5));
        assert_eq!(health.start_period, None);

        let redis = compose.service("redis").unwrap();
        assert_eq!(redis.container_name.as_deref(), Some("letta-redis"));
        assert_eq!(
            redis.volumes,
            [VolumeMount::Named {
                volume: "my-app_redis_data".into(),
                target: "/data".into(),
                read_only: false
            }]
        );
        assert_eq!(redis.ports[0].host_port, None);
        assert_eq!(redis.ports[0].container_port, 6379);
        assert_eq!(
            redis.command.as_deref().unwrap(),
            ["redis-server", "--appendonly", "yes"]
        );
        assert_eq!(redis.restart.as_deref(), Some("unless-stopped"));
        assert_eq!(redis.data_bind_mount(), None);
    }

    #[test]
    fn project_name_sources() {
        assert_eq!(
            load("name: explicit\nservices: {}\n").project_name,
            "explicit"
        );
        let (_dir, result) = load_with("services: {}\n", &[("COMPOSE_PROJECT_NAME", "fromenv")]);
        assert_eq!(result.unwrap().project_name, "fromenv");

        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("_My App.v2");
        std::fs::create_dir(&project).unwrap();
        std::fs::write(
            project.join("compose.yaml"),
            "services: {}\nvolumes:\n  pg: {}\n",
        )
        .unwrap();
        let compose = Compose::load(&project.join("compose.yaml"), &env(&[])).unwrap();
        assert_eq!(compose.project_name, "myappv2");
        assert_eq!(compose.volumes["pg"], "myappv2_pg");
    }

    #[test]
    fn top_level_volume_names() {
        let compose = load(
            "name: p\nvolumes:\n  plain:\n  named:\n    name: custom\n  ext:\n    external: true\n  \
             ext_named:\n    external: true\n    name: shared\n  legacy:\n    external:\n      name: old\n",
        );
        assert_eq!(compose.volumes["plain"], "p_plain");
        assert_eq!(compose.volumes["named"], "custom");
        assert_eq!(compose.volumes["ext"], "ext");
        assert_eq!(compose.volumes["ext_named"], "shared");
        assert_eq!(compose.volumes["legacy"], "old");
        assert!(compose.services.is_empty());
    }

    #[test]
    fn environment_map_list_and_bare_keys() {
        let (_dir, result) = load_with(
            "services:\n  a:\n    image: x\n    environment:\n      NUM: 5\n      BOOL: true\n      FROM_ENV:\n      \
             NOT_SET:\n      EMPTY: ''\n  b:\n    image: x\n    environment:\n      - K=V=W\n      - FROM_ENV\n      \
             - NOT_SET\n      - EMPTY=\n",
            &[("FROM_ENV", "yes")],
        );
        let compose = result.unwrap();
        let a = &compose.service("a").unwrap().environment;
        assert_eq!(a.get("NUM").unwrap(), "5");
        assert_eq!(a.get("BOOL").unwrap(), "true");
        assert_eq!(a.get("FROM_ENV").unwrap(), "yes");
        assert_eq!(a.get("EMPTY").unwrap(), "");
        assert!(!a.contains_key("NOT_SET"));
        let b = &compose.service("b").unwrap().environment;
        assert_eq!(b.get("K").unwrap(), "V=W");
        assert_eq!(b.get("FROM_ENV").unwrap(), "yes");
        assert_eq!(b.get("EMPTY").unwrap(), "");
        assert!(!b.contains_key("NOT_SET"));
    }

    #[test]
    fn env_files_are_read_relative_to_the_compose_file() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        std::fs::create_dir_all(project.join("config")).unwrap();
        std::fs::write(project.join("config/db.env"), "A=from-file\nB=from-file\n").unwrap();
        std::fs::write(project.join("extra.env"), "C=extra\n").unwrap();
        let path = project.join("compose.yaml");
        std::fs::write(
            &path,
            "services:\n  db:\n    image: x\n    env_file:\n      - ./config/db.env\n      - path: extra.env\n        \
             required: true\n      - path: missing.env\n        required: false\n    environment:\n      B: override\n",
        )
        .unwrap();
        let compose = Compose::load(&path, &env(&[])).unwrap();
        let environment = &compose.services[0].environment;
        assert_eq!(environment.get("A").unwrap(), "from-file");
        assert_eq!(environment.get("B").unwrap(), "override");
        assert_eq!(environment.get("C").unwrap(), "extra");

        std::fs::write(
            &path,
            "services:\n  db:\n    image: x\n    env_file: nope.env\n",
        )
        .unwrap();
        let err = Compose::load(&path, &env(&[])).unwrap_err().to_string();
        assert!(err.contains("service `db`: env_file"), "{err}");
        assert!(err.contains("nope.env does not exist"), "{err}");

        std::fs::write(project.join("bad.env"), "OK=1\nNOT VALID\n").unwrap();
        std::fs::write(
            &path,
            "services:\n  db:\n    image: x\n    env_file: [bad.env]\n",
        )
        .unwrap();
        let err = Compose::load(&path, &env(&[])).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Syntax { path, line: 2, .. } if path.ends_with("bad.env")),
            "{err:?}"
        );
    }

    #[test]
    fn short_port_syntax() {
        let s = service(
            "services:\n  s:\n    image: x\n    ports:\n      - \"5432\"\n      - 5433:5432\n      - \
             127.0.0.1:5434:5432\n      - \"127.0.0.1::5435\"\n      - 53:53/udp\n      - \"[::1]:8080:80\"\n      - \
             8000-8001:9000-9001\n      - 7000-7001\n",
        );
        let p = |ip: Option<&str>, host: Option<u16>, container: u16, protocol: &str| PortMapping {
            host_ip: ip.map(str::to_string),
            host_port: host,
            container_port: container,
            protocol: protocol.into(),
        };
        assert_eq!(
            s.ports,
            [
                p(None, None, 5432, "tcp"),
                p(None, Some(5433), 5432, "tcp"),
                p(Some("127.0.0.1"), Some(5434), 5432, "tcp"),
                p(Some("127.0.0.1"), None, 5435, "tcp"),
                p(None, Some(53), 53, "udp"),
                p(Some("::1"), Some(8080), 80, "tcp"),
                p(None, Some(8000), 9000, "tcp"),
                p(None, Some(8001), 9001, "tcp"),
                p(None, None, 7000, "tcp"),
                p(None, None, 7001, "tcp"),
            ]
        );
    }

    #[test]
    fn long_port_syntax() {
        let s = service(
            "services:\n  s:\n    image: x\n    ports:\n      - target: 5432\n        published: \"15432\"\n        \
             host_ip: 127.0.0.1\n        protocol: tcp\n        mode: host\n      - target: 53\n        protocol: UDP\n",
        );
        assert_eq!(
            s.ports,
            [
                PortMapping {
                    host_ip: Some("127.0.0.1".into()),
                    host_port: Some(15432),
                    container_port: 5432,
                    protocol: "tcp".into()
                },
                PortMapping {
                    host_ip: None,
                    host_port: None,
                    container_port: 53,
                    protocol: "udp".into()
                },
            ]
        );
    }

    #[test]
    fn bad_ports_are_errors() {
        for (port, expected) in [
            ("\"abc\"", "is not a port number"),
            ("\"70000:5432\"", "is not a port number"),
            ("\"5432/icmp\"", "unknown protocol"),
            ("\"8000-8002:9000-9001\"", "different lengths"),
            ("\"9-8\"", "runs backwards"),
            ("{published: 80}", "needs `target:`"),
        ] {
            let err = error(&format!(
                "services:\n  s:\n    image: x\n    ports:\n      - {port}\n"
            ));
            assert!(err.contains("service `s`: ports: "), "{port}: {err}");
            assert!(err.contains(expected), "{port}: {err}");
        }
    }

    #[test]
    fn volume_syntaxes() {
        let (dir, result) = load_with(
            "name: p\nservices:\n  s:\n    image: x\n    volumes:\n      - ./data/../data/./pg:/var/lib/postgresql/data\n      \
             - /abs/path:/abs:ro\n      - ~/cache:/cache:ro,z\n      - named:/named\n      - /anonymous\n      \
             - type: bind\n        source: ../shared\n        target: /shared\n        read_only: true\n      \
             - type: volume\n        source: named\n        target: /long\n      - type: volume\n        target: /anon2\n\
             volumes:\n  named: {}\n",
            &[("HOME", "/home/dev")],
        );
        let root = project_dir(&dir);
        let s = result.unwrap().services.remove(0);
        assert_eq!(
            s.volumes,
            [
                VolumeMount::Bind {
                    source: root.join("data/pg"),
                    target: "/var/lib/postgresql/data".into(),
                    read_only: false
                },
                VolumeMount::Bind {
                    source: "/abs/path".into(),
                    target: "/abs".into(),
                    read_only: true
                },
                VolumeMount::Bind {
                    source: "/home/dev/cache".into(),
                    target: "/cache".into(),
                    read_only: true
                },
                VolumeMount::Named {
                    volume: "p_named".into(),
                    target: "/named".into(),
                    read_only: false
                },
                VolumeMount::Anonymous {
                    target: "/anonymous".into()
                },
                VolumeMount::Bind {
                    source: root.parent().unwrap().join("shared"),
                    target: "/shared".into(),
                    read_only: true
                },
                VolumeMount::Named {
                    volume: "p_named".into(),
                    target: "/long".into(),
                    read_only: false
                },
                VolumeMount::Anonymous {
                    target: "/anon2".into()
                },
            ]
        );
    }

    #[test]
    fn bad_volumes_are_errors() {
        let err = error("services:\n  s:\n    image: x\n    volumes: [\"undeclared:/data\"]\n");
        assert!(
            err.contains("service `s`: volumes: volume `undeclared` is not declared"),
            "{err}"
        );
        let err =
            error("services:\n  s:\n    image: x\n    volumes: [{type: npipe, target: /tmp}]\n");
        assert!(
            err.contains("volume type `npipe` on /tmp is not supported"),
            "{err}"
        );
        let err = error(
            "services:\n  s:\n    image: x\n    volumes: [{type: tmpfs, target: /x, tmpfs: {uid: 1}}]\n",
        );
        assert!(
            err.contains("service `s`: volumes: tmpfs on /x: unknown tmpfs option `uid`"),
            "{err}"
        );
        let err = error("services:\n  s:\n    image: x\n    tmpfs: [\":size=1\"]\n");
        assert!(
            err.contains("service `s`: tmpfs: \":size=1\": expected TARGET"),
            "{err}"
        );
        let err = error("services:\n  s:\n    image: x\n    volumes: [{type: bind, target: /x}]\n");
        assert!(err.contains("needs `source:`"), "{err}");
        let err = error("services:\n  s:\n    image: x\n    volumes: [\"a:b:c:d\"]\n");
        assert!(err.contains("expected SOURCE:TARGET[:MODE]"), "{err}");
    }

    #[test]
    fn tmpfs_key_and_long_syntax() {
        let tmpfs = |target: &str, options: &str| VolumeMount::Tmpfs {
            target: target.into(),
            options: options.into(),
        };
        let s = service(
            "services:\n  s:\n    image: x\n    volumes:\n      - type: tmpfs\n        target: /x\n        \
             tmpfs:\n          size: 1000000\n          mode: 0o1777\n      - type: tmpfs\n        target: /z\n        \
             tmpfs: {mode: \"755\"}\n      - type: tmpfs\n        target: /y\n        \
             read_only: true\n    tmpfs:\n      - /run\n      - /cache:size=64m,mode=1777\n",
        );
        assert_eq!(
            s.volumes,
            [
                tmpfs("/x", "size=1000000,mode=1777"),
                tmpfs("/z", "mode=755"),
                tmpfs("/y", "ro"),
                tmpfs("/run", ""),
                tmpfs("/cache", "size=64m,mode=1777"),
            ]
        );
        let s = service("services:\n  s:\n    image: x\n    tmpfs: /tmp:size=1g\n");
        assert_eq!(s.volumes, [tmpfs("/tmp", "size=1g")]);
    }

    #[test]
    fn profiles_gate_a_service() {
        let compose = load(
            "services:\n  db:\n    image: x\n  debug:\n    image: x\n    profiles: [debug, tools]\n  \
             empty:\n    image: x\n    profiles: []\n",
        );
        let db = compose.service("db").unwrap();
        let debug = compose.service("debug").unwrap();
        assert!(db.profiles.is_empty());
        assert_eq!(debug.profiles, ["debug", "tools"]);
        assert!(compose.service("empty").unwrap().enabled_by(&[]));
        assert!(db.enabled_by(&[]));
        assert!(!debug.enabled_by(&[]));
        assert!(!debug.enabled_by(&["other"]));
        assert!(debug.enabled_by(&["other", "tools"]));
        assert!(debug.enabled_by(&["*"]));
        let err = error("services:\n  a:\n    image: x\n    profiles: debug\n");
        assert!(
            err.contains("service `a`: `profiles:` must be a list"),
            "{err}"
        );
    }

    #[test]
    fn commands_entrypoints_and_labels() {
        let compose = load(
            "services:\n  a:\n    image: x\n    command: [\"postgres\", \"-c\", \"fsync=off\"]\n    \
             entrypoint: /bin/sh -c 'echo hi'\n    labels:\n      com.example.a: one\n      n: 1\n  \
             b:\n    image: x\n    labels: [\"k=v\", \"flag\"]\n",
        );
        let a = compose.service("a").unwrap();
        assert_eq!(
            a.command.as_deref().unwrap(),
            ["postgres", "-c", "fsync=off"]
        );
        assert_eq!(
            a.entrypoint.as_deref().unwrap(),
            ["/bin/sh", "-c", "echo hi"]
        );
        assert_eq!(a.labels.get("com.example.a").unwrap(), "one");
        assert_eq!(a.labels.get("n").unwrap(), "1");
        let b = compose.service("b").unwrap();
        assert_eq!(b.command, None);
        assert_eq!(b.labels.get("k").unwrap(), "v");
        assert_eq!(b.labels.get("flag").unwrap(), "");
        let err = error("services:\n  a:\n    image: x\n    command: echo 'unclosed\n");
        assert!(err.contains("service `a`: command: cannot split"), "{err}");
    }

    #[test]
    fn healthcheck_forms() {
        let compose = load(
            "services:\n  a:\n    image: x\n    healthcheck:\n      test: pg_isready\n      interval: 1m30s\n      \
             start_period: 500ms\n      retries: \"3\"\n  b:\n    image: x\n    healthcheck:\n      disable: true\n  \
             c:\n    image: x\n    healthcheck:\n      test: [\"CMD\", \"redis-cli\", \"ping\"]\n",
        );
        let a = compose.service("a").unwrap().healthcheck.clone().unwrap();
        assert_eq!(a.test, ["CMD-SHELL", "pg_isready"]);
        assert_eq!(a.interval, Some(Duration::from_secs(90)));
        assert_eq!(a.start_period, Some(Duration::from_millis(500)));
        assert_eq!(a.retries, Some(3));
        assert_eq!(
            compose
                .service("b")
                .unwrap()
                .healthcheck
                .as_ref()
                .unwrap()
                .test,
            ["NONE"]
        );
        assert_eq!(
            compose
                .service("c")
                .unwrap()
                .healthcheck
                .as_ref()
                .unwrap()
                .test,
            ["CMD", "redis-cli", "ping"]
        );
        let err =
            error("services:\n  a:\n    image: x\n    healthcheck:\n      interval: 10 seconds\n");
        assert!(
            err.contains("service `a`: healthcheck: invalid duration \"10 seconds\" for interval"),
            "{err}"
        );
    }

    #[test]
    fn interpolation_applies_to_every_value() {
        let (_dir, result) = load_with(
            "name: ${PROJECT:-demo}\nservices:\n  db:\n    image: postgres:${PG_VERSION:-16}\n    ports:\n      \
             - target: 5432\n        published: ${PG_PORT}\n    environment:\n      PRICE: $$5\n      \
             URL: postgresql://${USER_NAME:-postgres}@db/${DB:-app}\n",
            &[("PG_PORT", "15432"), ("DB", "letta")],
        );
        let compose = result.unwrap();
        assert_eq!(compose.project_name, "demo");
        let db = compose.service("db").unwrap();
        assert_eq!(db.image, "postgres:16");
        assert_eq!(db.ports[0].host_port, Some(15432));
        assert_eq!(db.environment.get("PRICE").unwrap(), "$5");
        assert_eq!(
            db.environment.get("URL").unwrap(),
            "postgresql://postgres@db/letta"
        );
    }

    #[test]
    fn required_variable_error_names_the_key() {
        let (_dir, result) = load_with(
            "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${PGPASS:?set PGPASS in .env}\n",
            &[],
        );
        let err = result.unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { .. }), "{err:?}");
        assert!(
            err.to_string().ends_with(
                "services.db.environment.POSTGRES_PASSWORD: required variable PGPASS is missing a value: set PGPASS in .env"
            ),
            "{err}"
        );
    }

    #[test]
    fn yaml_syntax_error_has_line_and_column() {
        let (_dir, result) = load_with("services:\n  db:\n    image: [unclosed\n", &[]);
        match result.unwrap_err() {
            ConfigError::Syntax {
                path,
                line,
                column,
                message,
            } => {
                assert!(path.ends_with("docker-compose.yml"));
                assert!(line >= 3, "{line}:{column}");
                assert!(!message.contains(" at line "), "{message}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        let (_dir, result) = load_with("services:\n  db:\n\timage: x\n", &[]);
        let err = result.unwrap_err();
        assert!(
            matches!(err, ConfigError::Syntax { line: 3, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .ends_with("(YAML indentation must use spaces, not tabs)"),
            "{err}"
        );
    }

    #[test]
    fn structural_errors() {
        assert!(error("").contains("the compose file is empty"));
        assert!(error("- a\n").contains("expected a mapping with a `services:` key"));
        assert!(error("services: [a]\n").contains("`services:` must be a mapping"));
        assert!(error("services:\n  a: 1\n").contains("service `a` must be a mapping"));
        assert!(
            error("services:\n  a:\n    restart: always\n")
                .contains("service `a`: has neither `image:` nor `build:`")
        );
        assert!(
            error("services:\n  a:\n    image: [x]\n")
                .contains("`image:` must be a non-empty string")
        );
    }

    #[test]
    fn merge_keys_and_extensions() {
        let compose = load(
            "x-common: &common\n  restart: always\n  environment:\n    SHARED: \"1\"\nservices:\n  a:\n    <<: *common\n    \
             image: x\n",
        );
        let a = compose.service("a").unwrap();
        assert_eq!(a.restart.as_deref(), Some("always"));
        assert_eq!(a.environment.get("SHARED").unwrap(), "1");
    }

    fn with_volumes(environment: &[(&str, &str)], volumes: Vec<VolumeMount>) -> Service {
        Service {
            name: "db".into(),
            image: "postgres".into(),
            environment: environment
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            volumes,
            ..Service::default()
        }
    }

    fn bind(source: &str, target: &str) -> VolumeMount {
        VolumeMount::Bind {
            source: source.into(),
            target: target.into(),
            read_only: false,
        }
    }

    #[test]
    fn data_bind_mount_follows_pgdata() {
        let s = with_volumes(
            &[],
            vec![
                bind("/p/other", "/other"),
                bind("/p/pg", "/var/lib/postgresql/data/"),
            ],
        );
        assert_eq!(s.data_bind_mount(), Some(Path::new("/p/pg")));
        let s = with_volumes(
            &[("PGDATA", "/pgdata")],
            vec![
                bind("/p/pg", "/var/lib/postgresql/data"),
                bind("/p/x", "/pgdata"),
            ],
        );
        assert_eq!(s.data_bind_mount(), Some(Path::new("/p/x")));
        let s = with_volumes(
            &[],
            vec![VolumeMount::Named {
                volume: "v".into(),
                target: "/var/lib/postgresql/data".into(),
                read_only: false,
            }],
        );
        assert_eq!(s.data_bind_mount(), None);
        assert_eq!(s.data_host_dir(), None);
    }

    #[test]
    fn data_host_dir_accepts_a_parent_bind() {
        let s = with_volumes(
            &[("PGDATA", "/var/lib/postgresql/18/docker")],
            vec![bind("/p/pg", "/var/lib/postgresql")],
        );
        assert_eq!(s.data_bind_mount(), None);
        // postgres:18: the whole mount is the database's storage.
        assert_eq!(s.data_host_dir(), Some(PathBuf::from("/p/pg")));
        assert_eq!(s.pgdata_host_dir(), Some(PathBuf::from("/p/pg/18/docker")));
        let s = with_volumes(&[], vec![bind("/p/pg", "/var/lib/postgresql/")]);
        assert_eq!(s.data_host_dir(), Some(PathBuf::from("/p/pg")));
        assert_eq!(s.pgdata_host_dir(), Some(PathBuf::from("/p/pg/data")));
        // The deepest parent wins; `/` never counts.
        let s = with_volumes(
            &[("PGDATA", "/var/lib/postgresql/18/docker")],
            vec![
                bind("/p/all", "/"),
                bind("/p/lib", "/var/lib"),
                bind("/p/pg", "/var/lib/postgresql"),
            ],
        );
        assert_eq!(s.data_host_dir(), Some(PathBuf::from("/p/pg")));
        let s = with_volumes(&[], vec![bind("/p/all", "/")]);
        assert_eq!(s.data_host_dir(), None);
        let s = with_volumes(&[], vec![bind("/p/pg", "/var/lib/postgresql/data")]);
        assert_eq!(s.data_host_dir(), Some(PathBuf::from("/p/pg")));
        assert_eq!(s.pgdata_host_dir(), Some(PathBuf::from("/p/pg")));
        let s = with_volumes(&[], vec![bind("/p/elsewhere", "/var/lib/postgres")]);
        assert_eq!(s.data_host_dir(), None);
        assert_eq!(s.pgdata_host_dir(), None);
    }
}

//! `compose.override.yaml` (or `docker-compose.override.yml`, ...): `docker compose up` reads it
//! beside the compose file and merges it in, and local development settings (published ports,
//! bind mounts) often live there. devctl must start the same containers, so it merges the same
//! way: mappings recursively, `command` / `entrypoint` / `healthcheck.test` replaced, list-or-map
//! keys (`environment`, `labels`, ...) as mappings, service `volumes` by container path, other
//! sequences appended without repeats.

use std::path::{Path, PathBuf};

use serde_norway::{Mapping, Value};

/// The override file `docker compose` would read beside `compose_file`: the same name with
/// `.override` before the extension, when it exists.
pub fn override_path(compose_file: &Path) -> Option<PathBuf> {
    let name = compose_file.file_name()?.to_str()?;
    let (stem, extension) = name.rsplit_once('.')?;
    if !matches!(extension, "yml" | "yaml") || stem.ends_with(".override") {
        return None;
    }
    let candidate = compose_file.with_file_name(format!("{stem}.override.{extension}"));
    candidate.is_file().then_some(candidate)
}

/// Keys whose value is written as a list of `KEY=VALUE` (or `KEY: VALUE`) strings or as a
/// mapping; both merge as mappings.
const LIST_OR_MAP: [&str; 5] = [
    "environment",
    "labels",
    "extra_hosts",
    "sysctls",
    "annotations",
];

/// Keys whose value the override replaces whole.
const REPLACED: [&str; 3] = ["command", "entrypoint", "test"];

/// Merges `over` into `base`, as `docker compose` merges an override file into the compose file.
pub fn merge(base: &mut Value, over: Value) {
    merge_at(base, over, &[]);
}

fn merge_at(base: &mut Value, over: Value, path: &[&str]) {
    let key = path.last().copied().unwrap_or_default();
    let in_service = path.len() == 3 && path[0] == "services";
    if REPLACED.contains(&key) {
        *base = over;
        return;
    }
    if in_service && LIST_OR_MAP.contains(&key) {
        let mut merged = as_mapping(base);
        for (k, v) in as_mapping(&over) {
            merged.insert(k, v);
        }
        *base = Value::Mapping(merged);
        return;
    }
    match (base, over) {
        (Value::Mapping(base), Value::Mapping(over)) => {
            for (k, v) in over {
                let name = k.as_str().unwrap_or_default().to_string();
                match base.get_mut(&k) {
                    Some(existing) => {
                        let mut nested = path.to_vec();
                        nested.push(&name);
                        merge_at(existing, v, &nested);
                    }
                    None => {
                        base.insert(k, v);
                    }
                }
            }
        }
        (Value::Sequence(base), Value::Sequence(over)) if in_service && key == "volumes" => {
            for volume in over {
                let target = volume_target(&volume);
                match base
                    .iter_mut()
                    .find(|v| target.is_some() && volume_target(v) == target)
                {
                    Some(existing) => *existing = volume,
                    None => base.push(volume),
                }
            }
        }
        (Value::Sequence(base), Value::Sequence(over)) => {
            for item in over {
                if !base.contains(&item) {
                    base.push(item);
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// A list-or-map value as a mapping: `["A=1", "B"]` gives `{A: "1", B: null}`.
fn as_mapping(value: &Value) -> Mapping {
    match value {
        Value::Mapping(map) => map.clone(),
        Value::Sequence(items) => items
            .iter()
            .filter_map(|item| {
                let text = item.as_str()?;
                let (k, v) = match text.split_once('=') {
                    Some((k, v)) => (k, Value::String(v.to_string())),
                    None => match text.split_once(':') {
                        // extra_hosts: `host:ip`
                        Some((k, v)) => (k, Value::String(v.to_string())),
                        None => (text, Value::Null),
                    },
                };
                Some((Value::String(k.trim().to_string()), v))
            })
            .collect(),
        _ => Mapping::new(),
    }
}

/// The container path of a service volume, short (`src:/target[:mode]`, `/target`) or long
/// (`{target: /x}`) syntax.
fn volume_target(volume: &Value) -> Option<String> {
    match volume {
        Value::String(short) => {
            let parts: Vec<&str> = short.split(':').collect();
            let target = if parts.len() == 1 { parts[0] } else { parts[1] };
            Some(target.trim_end_matches('/').to_string())
        }
        Value::Mapping(long) => long
            .get("target")
            .and_then(Value::as_str)
            .map(|t| t.trim_end_matches('/').to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_norway::from_str(text).unwrap()
    }

    #[test]
    fn override_file_names() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("docker-compose.yml");
        assert_eq!(override_path(&base), None, "only when it exists");
        std::fs::write(dir.path().join("docker-compose.override.yml"), "").unwrap();
        assert_eq!(
            override_path(&base),
            Some(dir.path().join("docker-compose.override.yml"))
        );
        std::fs::write(dir.path().join("compose.override.yaml"), "").unwrap();
        assert_eq!(
            override_path(&dir.path().join("compose.yaml")),
            Some(dir.path().join("compose.override.yaml"))
        );
        assert_eq!(
            override_path(&dir.path().join("compose.override.yaml")),
            None
        );
    }

    #[test]
    fn merges_like_docker_compose() {
        let mut base = yaml(
            "services:\n  db:\n    image: postgres:16\n    command: [postgres, -c, fsync=off]\n    \
             environment:\n      - POSTGRES_PASSWORD=a\n      - POSTGRES_DB=app\n    \
             ports: [\"5432:5432\"]\n    volumes:\n      - ./data:/var/lib/postgresql/data\n      \
             - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n    healthcheck:\n      \
             test: [CMD, pg_isready]\n      interval: 5s\n  redis:\n    image: redis\n",
        );
        let over = yaml(
            "services:\n  db:\n    command: [postgres]\n    environment:\n      POSTGRES_PASSWORD: b\n    \
             ports: [\"127.0.0.1:6543:5432\"]\n    volumes:\n      - ./local:/var/lib/postgresql/data/\n    \
             healthcheck:\n      test: [CMD-SHELL, pg_isready -U app]\n  adminer:\n    image: adminer\n",
        );
        merge(&mut base, over);
        let expected = yaml(
            "services:\n  db:\n    image: postgres:16\n    command: [postgres]\n    \
             environment:\n      POSTGRES_PASSWORD: b\n      POSTGRES_DB: app\n    \
             ports: [\"5432:5432\", \"127.0.0.1:6543:5432\"]\n    volumes:\n      \
             - ./local:/var/lib/postgresql/data/\n      \
             - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n    healthcheck:\n      \
             test: [CMD-SHELL, pg_isready -U app]\n      interval: 5s\n  redis:\n    image: redis\n  \
             adminer:\n    image: adminer\n",
        );
        assert_eq!(base, expected);
    }
}

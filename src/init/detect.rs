//! Detection: reads a project that has no `devctl.toml` yet (compose file, `.env.example`,
//! migrations) and works out what its `devctl.toml` should say. It only reads; the compose file
//! goes through the same loader `ready` uses, so init and ready cannot disagree about a service.

use std::path::{Path, PathBuf};

use super::url_variable;
use super::walk::{directories, find_file, relative_join};
use super::{Detected, DetectedMigrations};
use crate::config::{COMPOSE_FILE_NAMES, Compose, ConfigError, Env, MigrationSettings, Service};

/// Image name fragments that mark a compose service as the Postgres server.
const POSTGRES_IMAGES: [&str; 4] = ["postgres", "pgvector", "postgis", "timescale"];

/// Postgres's port inside the container.
const POSTGRES_PORT: u16 = 5432;

/// How far below the root a compose file, `alembic.ini` or `Cargo.toml` may be.
const COMPOSE_DEPTH: usize = 2;
const ALEMBIC_DEPTH: usize = 3;
const CARGO_DEPTH: usize = 2;

/// Detects the layout of the project at `root`. Errors come from reading `.env` and the compose
/// file (syntax, `${VAR:?}` without a value), named like `ready` names them.
pub fn detect(root: &Path) -> Result<Detected, ConfigError> {
    let root = root.canonicalize().map_err(|source| ConfigError::Read {
        path: root.to_path_buf(),
        source,
    })?;
    let mut notes = Vec::new();
    let env = Env::load(&root)?;

    let compose_file = find_file(&root, COMPOSE_DEPTH, &COMPOSE_FILE_NAMES);
    let compose = match &compose_file {
        Some(file) => {
            notes.push(format!("compose file: {}", file.display()));
            Some(Compose::load(&root.join(file), &env)?)
        }
        None => {
            notes.push(
                "no compose file found: the project runs on the SQLite default only".to_string(),
            );
            None
        }
    };
    let services: Vec<String> = compose
        .iter()
        .flat_map(|c| c.services.iter().map(|s| s.name.clone()))
        .collect();
    for skipped in compose.iter().flat_map(|c| &c.skipped) {
        notes.push(format!("{} has only build:, skipped", skipped.name));
    }

    let database = compose
        .as_ref()
        .and_then(|c| database_service(c, &mut notes));
    let data_dir = database.and_then(|s| data_dir(&root, s, &mut notes));
    let url = url_variable::find(&root)?;
    notes.push(match url.found_in {
        Some(file) => format!("database URL variable: {} (from {file})", url.name),
        None => format!(
            "no database URL variable in {} or {}: using {}",
            Env::EXAMPLE,
            Env::DOTENV,
            url.name
        ),
    });
    let migrations = migrations(&root, &mut notes);
    let url_scheme = match (url.scheme, &migrations) {
        (Some(scheme), _) => scheme,
        (None, DetectedMigrations::Alembic { workdir, .. }) => {
            python_driver(&root, &root.join(workdir), &mut notes)
        }
        (None, _) => "postgresql".to_string(),
    };

    let setting = |key: &str| {
        database
            .and_then(|s| s.environment.get(key))
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let user = setting("POSTGRES_USER").unwrap_or_else(|| "postgres".into());
    let password = setting("POSTGRES_PASSWORD").unwrap_or_else(|| "postgres".into());
    let database_name = setting("POSTGRES_DB").unwrap_or_else(|| user.clone());
    let host_port = database.and_then(|s| {
        s.ports
            .iter()
            .find(|p| p.container_port == POSTGRES_PORT && p.protocol == "tcp")
            .and_then(|p| p.host_port)
    });
    if let Some(service) = database
        && host_port.is_none()
    {
        notes.push(format!(
            "{} publishes no fixed host port for {POSTGRES_PORT}; the example URL assumes {POSTGRES_PORT}",
            service.name
        ));
    }
    let extensions = match database {
        Some(s) if s.image.to_ascii_lowercase().contains("vector") => vec!["vector".to_string()],
        _ => Vec::new(),
    };

    Ok(Detected {
        compose_file,
        services,
        database_service: database.map(|s| s.name.clone()),
        data_dir,
        user,
        password,
        database: database_name,
        host_port,
        url_env: url.name,
        url_env_in_example: url.in_example,
        url_set_in_example: url.set_in_example,
        url_scheme,
        migrations,
        extensions,
        notes,
    })
}

fn is_postgres_image(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    POSTGRES_IMAGES
        .iter()
        .any(|fragment| image.contains(fragment))
}

/// The Postgres-like service; among several, the first whose name says it is the database.
fn database_service<'a>(compose: &'a Compose, notes: &mut Vec<String>) -> Option<&'a Service> {
    let candidates: Vec<&Service> = compose
        .services
        .iter()
        .filter(|s| is_postgres_image(&s.image))
        .collect();
    let chosen = candidates
        .iter()
        .find(|s| {
            let name = s.name.to_ascii_lowercase();
            name.contains("db") || name.contains("postgres")
        })
        .or(candidates.first())
        .copied();
    match (chosen, candidates.len()) {
        (None, _) => notes.push(format!(
            "no Postgres service in {}: the database stays the SQLite default",
            compose
                .path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
        )),
        (Some(s), 1) => notes.push(format!("database service: {} ({})", s.name, s.image)),
        (Some(s), _) => notes.push(format!(
            "several Postgres services ({}); chose {}",
            candidates
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            s.name
        )),
    }
    chosen
}

/// The host side of the bind mount on PGDATA, relative to the root, when it lies inside it.
fn data_dir(root: &Path, service: &Service, notes: &mut Vec<String>) -> Option<PathBuf> {
    let Some(host) = service.data_host_dir() else {
        notes.push(format!(
            "{} has no bind mount on its data directory: data_dir is left unset (reset-db \
             needs one to wipe)",
            service.name
        ));
        return None;
    };
    match host.strip_prefix(root) {
        Ok(relative) if relative.components().next().is_some() => {
            notes.push(format!("data directory: {}", relative.display()));
            Some(relative.to_path_buf())
        }
        _ => {
            notes.push(format!(
                "{} keeps its data in {}, outside the project: data_dir is left unset",
                service.name,
                host.display()
            ));
            None
        }
    }
}

/// Files naming a Python project's dependencies.
const PYTHON_DEPENDENCY_FILES: [&str; 5] = [
    "uv.lock",
    "pyproject.toml",
    "poetry.lock",
    "requirements.txt",
    "requirements-dev.txt",
];

/// The SQLAlchemy URL scheme for the Postgres driver an Alembic project depends on, read from its
/// dependency files in `workdir` and its parents up to the root. pg8000 first (pure Python, so
/// listed means importable), then psycopg2 (SQLAlchemy's default for `postgresql://`), psycopg 3
/// and asyncpg.
fn python_driver(root: &Path, workdir: &Path, notes: &mut Vec<String>) -> String {
    let mut text = String::new();
    for dir in workdir.ancestors().take_while(|dir| dir.starts_with(root)) {
        for name in PYTHON_DEPENDENCY_FILES {
            if let Ok(contents) = std::fs::read_to_string(dir.join(name)) {
                text.push_str(&contents.to_ascii_lowercase());
                text.push('\n');
            }
        }
    }
    let psycopg3 = text
        .match_indices("psycopg")
        .any(|(at, _)| !text[at + "psycopg".len()..].starts_with('2'));
    let (scheme, driver) = if text.contains("pg8000") {
        ("postgresql+pg8000", Some("pg8000"))
    } else if text.contains("psycopg2") {
        ("postgresql", Some("psycopg2"))
    } else if psycopg3 {
        ("postgresql+psycopg", Some("psycopg"))
    } else if text.contains("asyncpg") {
        ("postgresql+asyncpg", Some("asyncpg"))
    } else {
        ("postgresql", None)
    };
    if let Some(driver) = driver {
        notes.push(format!("Postgres driver: {driver} (URL scheme {scheme})"));
    }
    scheme.to_string()
}

/// Alembic first (`alembic.ini` is explicit), then a sqlx-format migrations directory.
fn migrations(root: &Path, notes: &mut Vec<String>) -> DetectedMigrations {
    let sqlx = sqlx_dir(root);
    if let Some(ini) = find_file(root, ALEMBIC_DEPTH, &["alembic.ini"]) {
        let workdir = match ini.parent() {
            Some(dir) if dir.components().next().is_some() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let uv = root
            .join(&workdir)
            .ancestors()
            .take_while(|dir| dir.starts_with(root))
            .any(|dir| dir.join("uv.lock").is_file());
        notes.push(format!(
            "migrations: Alembic ({}){}",
            ini.display(),
            if uv { ", run with uv" } else { "" }
        ));
        if let Some(dir) = sqlx {
            notes.push(format!(
                "{} also holds SQL migrations; devctl.toml uses Alembic",
                dir.display()
            ));
        }
        return DetectedMigrations::Alembic { workdir, uv };
    }
    match sqlx {
        Some(dir) => {
            notes.push(format!("migrations: sqlx-format SQL in {}", dir.display()));
            DetectedMigrations::Sqlx { dir }
        }
        None => {
            notes.push(format!(
                "no migrations found (no alembic.ini, no {}/ with <digits>_name.sql files)",
                MigrationSettings::DEFAULT_DIR
            ));
            DetectedMigrations::None
        }
    }
}

/// `migrations/` at the root, else next to the shallowest `Cargo.toml`, when it holds
/// `<digits>_name.sql` files.
fn sqlx_dir(root: &Path) -> Option<PathBuf> {
    let beside_cargo = directories(root, CARGO_DEPTH)
        .into_iter()
        .filter(|dir| root.join(dir).join("Cargo.toml").is_file());
    std::iter::once(PathBuf::from("."))
        .chain(beside_cargo)
        .map(|dir| relative_join(&dir, MigrationSettings::DEFAULT_DIR))
        .find(|dir| holds_sqlx_migrations(&root.join(dir)))
}

fn holds_sqlx_migrations(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .any(|name| is_sqlx_file_name(&name))
}

/// `0001_create_users.sql`, `20240101120000_init.up.sql`.
fn is_sqlx_file_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".sql") else {
        return false;
    };
    let Some((version, description)) = stem.split_once('_') else {
        return false;
    };
    !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) && !description.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlx_file_names() {
        for name in [
            "0001_init.sql",
            "20240101120000_users.up.sql",
            "1_x.down.sql",
        ] {
            assert!(is_sqlx_file_name(name), "{name}");
        }
        for name in [
            "init.sql",
            "_x.sql",
            "0001_.sql",
            "0001_init.py",
            "v1_init.sql",
        ] {
            assert!(!is_sqlx_file_name(name), "{name}");
        }
    }
}

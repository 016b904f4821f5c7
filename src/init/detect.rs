//! Detection: reads a project that has no `devctl.toml` yet (compose file, `.env.example`,
//! migrations) and works out what its `devctl.toml` should say. It only reads; the compose file
//! goes through the same loader `ready` uses, so init and ready cannot disagree about a service.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::url_variable;
use super::walk::{directories, find_file, relative_join};
use super::{Detected, DetectedMigrations};
use crate::alembic::AlembicConfig;
use crate::config::postgres_service::{self, POSTGRES_PORT};
use crate::config::{
    COMPOSE_FILE_NAMES, Compose, ConfigError, Env, MigrationSettings, Service, VolumeMount,
};

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
    // What `docker compose up` starts: services behind a profile are left out of the list (it
    // would start them every time), with a note.
    let services: Vec<String> = compose
        .iter()
        .flat_map(|c| c.services.iter())
        .filter(|s| s.profiles.is_empty())
        .map(|s| s.name.clone())
        .collect();
    for profiled in compose
        .iter()
        .flat_map(|c| c.services.iter())
        .filter(|s| !s.profiles.is_empty())
    {
        notes.push(format!(
            "{} is behind the profile {}: left out of services (add it there to start it too)",
            profiled.name,
            profiled.profiles.join(", ")
        ));
    }
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

/// The Postgres server among the services; among several, the first whose name says it is the
/// database. Services with a Postgres image that do not look like a server get a note, so a
/// database that was passed over is not a silent mystery.
fn database_service<'a>(compose: &'a Compose, notes: &mut Vec<String>) -> Option<&'a Service> {
    let (candidates, passed_over): (Vec<&Service>, Vec<&Service>) = compose
        .services
        .iter()
        .filter(|s| postgres_service::is_postgres_like(s))
        .partition(|s| postgres_service::looks_like_server(s));
    for service in passed_over {
        notes.push(format!(
            "{} ({}) is not taken for the database: it neither publishes port {POSTGRES_PORT}, \
             nor sets POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB or POSTGRES_HOST_AUTH_METHOD, \
             nor keeps storage on its data directory",
            service.name, service.image
        ));
    }
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
        notes.push(volume_note(service));
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

/// Where a service without a bind mount on PGDATA keeps its data. reset-db needs no data_dir
/// for a volume (it removes and recreates a named one, and an anonymous one goes with the
/// container), so the note says so instead of implying the database cannot be reset.
fn volume_note(service: &Service) -> String {
    match service.storage_mount().map(|(mount, _)| mount) {
        Some(VolumeMount::Named { volume, .. }) => format!(
            "{} keeps its data in the named volume {volume}, which reset-db removes and \
             recreates: data_dir is left unset",
            service.name
        ),
        Some(VolumeMount::Anonymous { .. }) => format!(
            "{} keeps its data in an anonymous volume in the container, which reset-db removes \
             with the container: data_dir is left unset",
            service.name
        ),
        _ => format!(
            "{} has no bind mount on its data directory: data_dir is left unset (reset-db \
             needs one to wipe)",
            service.name
        ),
    }
}

/// Postgres drivers in order of preference: the name shown, the distributions that provide it
/// (PEP 503 names) and the SQLAlchemy URL scheme that selects it. pg8000 first (pure Python, so
/// listed means importable), then psycopg2 (SQLAlchemy's default for `postgresql://`), psycopg 3
/// and asyncpg.
const PYTHON_DRIVERS: [(&str, &[&str], &str); 4] = [
    ("pg8000", &["pg8000"], "postgresql+pg8000"),
    ("psycopg2", &["psycopg2", "psycopg2-binary"], "postgresql"),
    (
        "psycopg",
        &["psycopg", "psycopg-binary", "psycopg-c"],
        "postgresql+psycopg",
    ),
    ("asyncpg", &["asyncpg"], "postgresql+asyncpg"),
];

/// The SQLAlchemy URL scheme for the Postgres driver an Alembic project depends on, read from its
/// dependency files in `workdir` and its parents up to the root.
fn python_driver(root: &Path, workdir: &Path, notes: &mut Vec<String>) -> String {
    let packages: BTreeSet<String> = workdir
        .ancestors()
        .take_while(|dir| dir.starts_with(root))
        .flat_map(python_packages)
        .collect();
    let driver = PYTHON_DRIVERS
        .iter()
        .find(|(_, names, _)| names.iter().any(|name| packages.contains(*name)));
    let Some((driver, _, scheme)) = driver else {
        return "postgresql".to_string();
    };
    notes.push(format!("Postgres driver: {driver} (URL scheme {scheme})"));
    (*scheme).to_string()
}

/// The normalised names of the packages a Python project in `dir` locks or requires. Names, not
/// text: a lock file also mentions packages it does not install (SQLAlchemy's extras name pg8000
/// and asyncpg), and picking a driver that is not installed breaks Alembic.
fn python_packages(dir: &Path) -> Vec<String> {
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let mut names = Vec::new();
    for lock in ["uv.lock", "poetry.lock"] {
        if let Some(text) = read(&dir.join(lock)) {
            names.extend(locked_packages(&text));
        }
    }
    if let Some(text) = read(&dir.join("pyproject.toml")) {
        names.extend(pyproject_requirements(&text));
    }
    for file in requirements_files(dir) {
        if let Some(text) = read(&file) {
            names.extend(requirements(&text));
        }
    }
    names
}

/// The packages of a `uv.lock` or `poetry.lock`: the `name = "…"` line at column 0 of each
/// `[[package]]` table. Dependencies, extras and metadata sit in sub-tables or indented inline
/// tables, so they are not read as packages.
fn locked_packages(text: &str) -> Vec<String> {
    let mut in_package = false;
    let mut names = Vec::new();
    for line in text.lines() {
        if line.starts_with('[') {
            in_package = line.trim_end() == "[[package]]";
        } else if in_package
            && let Some(value) = line.strip_prefix("name")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            names.push(normalise(value.trim().trim_matches(['"', '\''])));
        }
    }
    names
}

/// The requirement names in a `pyproject.toml`: PEP 621 dependencies and optional
/// dependencies, PEP 735 dependency groups (their `{include-group}` tables name no package),
/// and Poetry's dependency tables, whose keys are the names.
fn pyproject_requirements(text: &str) -> Vec<String> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let document = toml::Value::Table(table);
    let at = |path: &[&str]| path.iter().try_fold(&document, |value, key| value.get(key));
    let specifiers = strings(at(&["project", "dependencies"]))
        .chain(
            entries(at(&["project", "optional-dependencies"])).flat_map(|(_, v)| strings(Some(v))),
        )
        .chain(entries(at(&["dependency-groups"])).flat_map(|(_, v)| strings(Some(v))));
    let poetry = entries(at(&["tool", "poetry", "dependencies"]))
        .chain(entries(at(&["tool", "poetry", "dev-dependencies"])))
        .chain(
            entries(at(&["tool", "poetry", "group"]))
                .flat_map(|(_, group)| entries(group.get("dependencies"))),
        )
        .map(|(name, _)| name.as_str())
        .filter(|name| *name != "python");
    specifiers
        .filter_map(requirement_name)
        .chain(poetry.map(normalise))
        .collect()
}

/// The string entries of a TOML array.
fn strings(value: Option<&toml::Value>) -> impl Iterator<Item = &str> {
    value
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
}

/// The entries of a TOML table.
fn entries(value: Option<&toml::Value>) -> impl Iterator<Item = (&String, &toml::Value)> {
    value.and_then(toml::Value::as_table).into_iter().flatten()
}

/// `requirements.txt`, `requirements-dev.txt` and the other `requirements*.txt` in `dir`.
fn requirements_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with("requirements") && name.ends_with(".txt")
        })
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// The requirement names in a requirements file; comments and options (`-r`, `-e`, `--hash`)
/// name none.
fn requirements(text: &str) -> impl Iterator<Item = String> {
    text.lines()
        .map(str::trim_start)
        .filter(|line| !line.starts_with('#') && !line.starts_with('-'))
        .filter_map(requirement_name)
}

/// The normalised name at the start of a PEP 508 requirement: `psycopg[binary]>=3.1; …` gives
/// `psycopg`.
fn requirement_name(requirement: &str) -> Option<String> {
    let requirement = requirement.trim_start();
    let end = requirement
        .find(|c: char| "<>=!~[;@ \t(,".contains(c))
        .unwrap_or(requirement.len());
    let name = &requirement[..end];
    (!name.is_empty()).then(|| normalise(name))
}

/// A package name normalised per PEP 503: lowercase, each run of `-`, `_` and `.` one `-`, so
/// `Psycopg2_Binary` and `psycopg2-binary` are the same package.
fn normalise(name: &str) -> String {
    let mut normalised = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !normalised.ends_with('-') {
                normalised.push('-');
            }
        } else {
            normalised.push(c.to_ascii_lowercase());
        }
    }
    normalised
}

/// The shallowest file holding Alembic's settings, relative to the root: `alembic.ini`, or a
/// `pyproject.toml` with a `[tool.alembic]` table (Alembic 1.16+, no `alembic.ini` needed).
fn alembic_settings(root: &Path) -> Option<PathBuf> {
    directories(root, ALEMBIC_DEPTH)
        .into_iter()
        .find_map(|dir| {
            let config = AlembicConfig::find(&root.join(&dir))?;
            let file = config.path().file_name()?.to_str()?;
            Some(relative_join(&dir, file))
        })
}

/// Alembic first (`alembic.ini` is explicit), then a sqlx-format migrations directory.
fn migrations(root: &Path, notes: &mut Vec<String>) -> DetectedMigrations {
    let sqlx = sqlx_dir(root);
    if let Some(ini) = alembic_settings(root) {
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

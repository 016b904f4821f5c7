//! What `devctl init` learned about a project, as plain data: detection fills it in, rendering
//! turns it into `devctl.toml` and `.env.example`, and the command shows its notes. Keeping the
//! two halves apart lets each be tested without the other.

use std::path::PathBuf;

/// A project's layout as far as devctl cares. Paths are relative to the project root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// The compose file, relative to the root; `None` for a project without one (SQLite only).
    pub compose_file: Option<PathBuf>,
    /// Compose services with an image, in file order (what `services = [...]` lists).
    pub services: Vec<String>,
    /// The Postgres-like compose service.
    pub database_service: Option<String>,
    /// Host side of the database service's bind mount on PGDATA, relative to the root.
    pub data_dir: Option<PathBuf>,
    /// `POSTGRES_USER`, default `postgres`.
    pub user: String,
    /// `POSTGRES_PASSWORD`, default `postgres`.
    pub password: String,
    /// `POSTGRES_DB`, default the user.
    pub database: String,
    /// The host port published for the database's container port 5432.
    pub host_port: Option<u16>,
    /// The variable holding the database URL; default `DATABASE_URL`.
    pub url_env: String,
    /// Whether `.env.example` already mentions `url_env` (set or commented out).
    pub url_env_in_example: bool,
    /// Whether `.env.example` gives `url_env` a value on a line that is not commented out.
    pub url_set_in_example: bool,
    /// The scheme of the URL devctl proposes: the one the project's files already use for
    /// `url_env`, else the Python driver the project depends on (`postgresql+pg8000`), else
    /// `postgresql`.
    pub url_scheme: String,
    pub migrations: DetectedMigrations,
    /// `["vector"]` when the database image is a pgvector one, else empty.
    pub extensions: Vec<String>,
    /// Human-readable lines about what was found or skipped, in the order they were found.
    pub notes: Vec<String>,
}

impl Detected {
    /// The URL of the detected database as seen from the host, credentials percent-encoded.
    pub fn database_url(&self) -> String {
        format!(
            "{}://{}:{}@localhost:{}/{}",
            self.url_scheme,
            percent_encode(&self.user),
            percent_encode(&self.password),
            self.host_port.unwrap_or(5432),
            percent_encode(&self.database)
        )
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for URL user info and paths.
pub(super) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// How the project migrates its database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectedMigrations {
    /// `alembic.ini` in `workdir` (relative to the root, `.` for the root itself); `uv` when a
    /// `uv.lock` sits in `workdir` or one of its parents up to the root.
    Alembic {
        workdir: PathBuf,
        uv: bool,
    },
    /// A directory of sqlx-format SQL files (`<digits>_name.sql`), relative to the root.
    Sqlx {
        dir: PathBuf,
    },
    None,
}

impl DetectedMigrations {
    /// The command that applies every migration, for Alembic.
    pub fn command(&self) -> Option<String> {
        match self {
            DetectedMigrations::Alembic { uv, .. } => {
                Some(format!("{}alembic upgrade head", uv_prefix(*uv)))
            }
            _ => None,
        }
    }

    /// The command that autogenerates a migration, for Alembic; `{message}` is one argument.
    pub fn autogenerate(&self) -> Option<String> {
        match self {
            DetectedMigrations::Alembic { uv, .. } => Some(format!(
                "{}alembic revision --autogenerate -m {{message}}",
                uv_prefix(*uv)
            )),
            _ => None,
        }
    }
}

fn uv_prefix(uv: bool) -> &'static str {
    if uv { "uv run " } else { "" }
}

//! `devctl.toml`: the project's own settings. Key names are a contract with users' files, so an
//! unknown key is an error (a typo must not silently fall back to a default).

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::ConfigError;
use super::duration::{DURATION_FORMS, parse_duration};

/// The validated contents of `devctl.toml`, with defaults filled in.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Relative to the project root; `None` means "look for the usual compose file names".
    pub compose_file: Option<PathBuf>,
    /// What `ready` and `up` start; `None` means every service with an image.
    pub services: Option<Vec<String>>,
    pub database: DatabaseSettings,
    pub migrations: MigrationSettings,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// The compose service that hosts the database.
    pub service: Option<String>,
    /// The variable holding the database URL (environment first, then `.env`). Default `DATABASE_URL`.
    pub url_env: String,
    /// Relative to the project root. Default `data/dev.sqlite`.
    pub sqlite_path: PathBuf,
    /// Relative to the project root; `None` means the service's bind mount on PGDATA.
    pub data_dir: Option<PathBuf>,
    pub extensions: Vec<String>,
    /// Default 60 s. Written as "60s", "500ms", "2m".
    pub ready_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct MigrationSettings {
    /// sqlx-format migrations applied natively. Default `migrations` when neither `dir` nor `command` is set.
    pub dir: Option<PathBuf>,
    /// The project's own command, e.g. `uv run alembic upgrade head`.
    pub command: Option<String>,
    /// e.g. `uv run alembic revision --autogenerate -m {message}`.
    pub autogenerate: Option<String>,
    /// Where commands run, relative to the project root. Default `.`.
    pub workdir: PathBuf,
    /// True when `dir` is the default rather than written in devctl.toml: a project without a
    /// `migrations/` directory then simply has no migrations, where a configured directory that
    /// is missing is an error.
    pub dir_is_default: bool,
}

impl DatabaseSettings {
    pub const DEFAULT_URL_ENV: &str = "DATABASE_URL";
    pub const DEFAULT_SQLITE_PATH: &str = "data/dev.sqlite";
    pub const DEFAULT_READY_TIMEOUT: Duration = Duration::from_secs(60);
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            service: None,
            url_env: Self::DEFAULT_URL_ENV.into(),
            sqlite_path: Self::DEFAULT_SQLITE_PATH.into(),
            data_dir: None,
            extensions: Vec::new(),
            ready_timeout: Self::DEFAULT_READY_TIMEOUT,
        }
    }
}

impl MigrationSettings {
    pub const DEFAULT_DIR: &str = "migrations";
}

impl Default for MigrationSettings {
    fn default() -> Self {
        MigrationSettings {
            dir: Some(Self::DEFAULT_DIR.into()),
            command: None,
            autogenerate: None,
            workdir: ".".into(),
            dir_is_default: true,
        }
    }
}

/// The file as written, before defaults and checks.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    compose_file: Option<PathBuf>,
    services: Option<Vec<String>>,
    #[serde(default)]
    database: RawDatabase,
    #[serde(default)]
    migrations: RawMigrations,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    service: Option<String>,
    url_env: Option<Spanned<String>>,
    sqlite_path: Option<PathBuf>,
    data_dir: Option<PathBuf>,
    extensions: Option<Vec<String>>,
    ready_timeout: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMigrations {
    dir: Option<PathBuf>,
    command: Option<String>,
    autogenerate: Option<String>,
    workdir: Option<PathBuf>,
}

impl Settings {
    /// Parses `devctl.toml` text; errors carry `path`, line and column.
    pub fn parse(path: &Path, text: &str) -> Result<Settings, ConfigError> {
        let raw: RawSettings = toml::from_str(text).map_err(|err| match err.span() {
            Some(span) => ConfigError::at_offset(path, text, span.start, err.message().trim_end()),
            None => ConfigError::Invalid {
                path: path.to_path_buf(),
                message: err.message().trim_end().into(),
            },
        })?;
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };

        let url_env = match raw.database.url_env {
            None => DatabaseSettings::DEFAULT_URL_ENV.to_string(),
            Some(spanned) => {
                let name = spanned.get_ref();
                if name.is_empty()
                    || name.contains(['=', '\0'])
                    || name.chars().any(char::is_whitespace)
                {
                    return Err(ConfigError::at_offset(
                        path,
                        text,
                        spanned.span().start,
                        format!(
                            "invalid variable name {name:?} for url_env: expected a name such as \"DATABASE_URL\""
                        ),
                    ));
                }
                spanned.into_inner()
            }
        };

        let ready_timeout = match raw.database.ready_timeout {
            None => DatabaseSettings::DEFAULT_READY_TIMEOUT,
            Some(spanned) => {
                let at = |message: String| {
                    ConfigError::at_offset(path, text, spanned.span().start, message)
                };
                let timeout = parse_duration(spanned.get_ref()).map_err(|forms| {
                    at(format!(
                        "invalid duration {:?} for ready_timeout: {forms}",
                        spanned.get_ref()
                    ))
                })?;
                if timeout.is_zero() {
                    return Err(at(format!(
                        "ready_timeout must be longer than zero: {DURATION_FORMS}"
                    )));
                }
                timeout
            }
        };

        if let Some(data_dir) = &raw.database.data_dir
            && !is_inside(data_dir)
        {
            return Err(invalid(format!(
                "database.data_dir = {:?} must be a path inside the project, relative to the \
                 directory holding devctl.toml (e.g. \"data/postgres\"); devctl may delete it on \
                 reset, so it refuses paths outside the project",
                data_dir.display()
            )));
        }

        let migrations = raw.migrations;
        if migrations.dir.is_some() && migrations.command.is_some() {
            return Err(invalid(
                "[migrations] sets both `dir` and `command`; keep `dir` for sqlx-format migrations \
                 that devctl applies itself, or `command` for the project's own migration tool \
                 (e.g. \"uv run alembic upgrade head\"), not both"
                    .into(),
            ));
        }
        for (key, value) in [
            ("command", &migrations.command),
            ("autogenerate", &migrations.autogenerate),
        ] {
            if let Some(command) = value {
                if command.trim().is_empty() {
                    return Err(invalid(format!(
                        "migrations.{key} is empty; remove it or write the command to run"
                    )));
                }
                if let Err(err) = shell_words::split(command) {
                    return Err(invalid(format!(
                        "migrations.{key} = {command:?} cannot be split into words ({err}); check its quotes"
                    )));
                }
            }
        }
        let dir_is_default = migrations.dir.is_none() && migrations.command.is_none();
        let dir = match dir_is_default {
            true => Some(PathBuf::from(MigrationSettings::DEFAULT_DIR)),
            false => migrations.dir.clone(),
        };

        Ok(Settings {
            compose_file: raw.compose_file,
            services: raw.services,
            database: DatabaseSettings {
                service: raw.database.service,
                url_env,
                sqlite_path: raw
                    .database
                    .sqlite_path
                    .unwrap_or_else(|| DatabaseSettings::DEFAULT_SQLITE_PATH.into()),
                data_dir: raw.database.data_dir,
                extensions: raw.database.extensions.unwrap_or_default(),
                ready_timeout,
            },
            migrations: MigrationSettings {
                dir,
                command: migrations.command,
                autogenerate: migrations.autogenerate,
                workdir: migrations.workdir.unwrap_or_else(|| ".".into()),
                dir_is_default,
            },
        })
    }
}

/// True when `path` is relative and never climbs above its starting directory.
fn is_inside(path: &Path) -> bool {
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && path.components().any(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, ConfigError> {
        Settings::parse(Path::new("devctl.toml"), text)
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn empty_file_gives_defaults() {
        let settings = parse("").unwrap();
        assert_eq!(settings.compose_file, None);
        assert_eq!(settings.services, None);
        assert_eq!(settings.database.service, None);
        assert_eq!(settings.database.url_env, "DATABASE_URL");
        assert_eq!(
            settings.database.sqlite_path,
            PathBuf::from("data/dev.sqlite")
        );
        assert_eq!(settings.database.data_dir, None);
        assert!(settings.database.extensions.is_empty());
        assert_eq!(settings.database.ready_timeout, Duration::from_secs(60));
        assert_eq!(settings.migrations.dir, Some(PathBuf::from("migrations")));
        assert_eq!(settings.migrations.command, None);
        assert_eq!(settings.migrations.autogenerate, None);
        assert_eq!(settings.migrations.workdir, PathBuf::from("."));
    }

    #[test]
    fn default_matches_empty_file() {
        let default = Settings::default();
        let parsed = parse("").unwrap();
        assert_eq!(format!("{default:?}"), format!("{parsed:?}"));
    }

    #[test]
    fn full_file() {
        let settings = parse(
            r#"
compose_file = "docker-compose.yml"
services = ["redis", "postgres"]

[database]
service = "postgres"
url_env = "LETTA_PG_URI"
sqlite_path = "var/dev.sqlite"
data_dir = "data/postgres"
extensions = ["vector"]
ready_timeout = "1m30s"

[migrations]
command = "uv run alembic upgrade head"
autogenerate = "uv run alembic revision --autogenerate -m {message}"
workdir = "server"
"#,
        )
        .unwrap();
        assert_eq!(
            settings.compose_file,
            Some(PathBuf::from("docker-compose.yml"))
        );
        assert_eq!(
            settings.services,
            Some(vec!["redis".to_string(), "postgres".to_string()])
        );
        assert_eq!(settings.database.service.as_deref(), Some("postgres"));
        assert_eq!(settings.database.url_env, "LETTA_PG_URI");
        assert_eq!(
            settings.database.sqlite_path,
            PathBuf::from("var/dev.sqlite")
        );
        assert_eq!(
            settings.database.data_dir,
            Some(PathBuf::from("data/postgres"))
        );
        assert_eq!(settings.database.extensions, vec!["vector".to_string()]);
        assert_eq!(settings.database.ready_timeout, Duration::from_secs(90));
        assert_eq!(settings.migrations.dir, None);
        assert_eq!(
            settings.migrations.command.as_deref(),
            Some("uv run alembic upgrade head")
        );
        assert!(
            settings
                .migrations
                .autogenerate
                .as_deref()
                .unwrap()
                .contains("{message}")
        );
        assert_eq!(settings.migrations.workdir, PathBuf::from("server"));
    }

    #[test]
    fn explicit_migrations_dir() {
        let settings = parse("[migrations]\ndir = \"db/migrations\"\n").unwrap();
        assert_eq!(
            settings.migrations.dir,
            Some(PathBuf::from("db/migrations"))
        );
    }

    #[test]
    fn ready_timeout_forms() {
        for (text, expected) in [
            ("500ms", 500),
            ("60s", 60_000),
            ("2m", 120_000),
            ("1m30s", 90_000),
        ] {
            let settings = parse(&format!("[database]\nready_timeout = \"{text}\"\n")).unwrap();
            assert_eq!(
                settings.database.ready_timeout,
                Duration::from_millis(expected)
            );
        }
    }

    #[test]
    fn bad_duration_points_at_the_value() {
        assert_eq!(
            error("[database]\nservice = \"db\"\nready_timeout = \"6o s\"\n"),
            "devctl.toml:3:17: invalid duration \"6o s\" for ready_timeout: expected a number \
             followed by ms, s, m or h (e.g. \"60s\", \"500ms\", \"1m30s\")"
        );
        assert!(
            error("[database]\nready_timeout = \"0s\"\n")
                .starts_with("devctl.toml:2:17: ready_timeout must be longer than zero")
        );
    }

    #[test]
    fn unknown_key_is_named_with_its_position() {
        let err = parse("[database]\nurl_evn = \"X\"\n").unwrap_err();
        match &err {
            ConfigError::Syntax {
                line,
                column,
                message,
                ..
            } => {
                assert_eq!((*line, *column), (2, 1));
                assert!(message.contains("unknown field `url_evn`"), "{message}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
        let err = error("colour = \"red\"\n");
        assert!(
            err.starts_with("devctl.toml:1:1: unknown field `colour`"),
            "{err}"
        );
        let err = error("[database]\nservice = \"db\"\n[migration]\ndir = \"m\"\n");
        assert!(
            err.starts_with("devctl.toml:3:2: unknown field `migration`"),
            "{err}"
        );
    }

    #[test]
    fn toml_syntax_error_has_line_and_column() {
        let err = parse("services = [\"a\",\n  \"b\"\nx = 1\n").unwrap_err();
        assert!(
            matches!(err, ConfigError::Syntax { line: 3, .. }),
            "{err:?}"
        );
        let err = error("[database]\nservice = postgres\n");
        assert!(err.starts_with("devctl.toml:2:11: "), "{err}");
    }

    #[test]
    fn wrong_type_is_a_syntax_error_at_the_value() {
        let err = error("services = \"redis\"\n");
        assert!(err.starts_with("devctl.toml:1:12: invalid type"), "{err}");
        let err = error("[database]\nready_timeout = 60\n");
        assert!(err.starts_with("devctl.toml:2:17: invalid type"), "{err}");
    }

    #[test]
    fn dir_and_command_together_are_invalid() {
        let err = parse("[migrations]\ndir = \"migrations\"\ncommand = \"alembic upgrade head\"\n")
            .unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { .. }), "{err:?}");
        assert!(
            err.to_string().contains("both `dir` and `command`"),
            "{err}"
        );
    }

    #[test]
    fn unbalanced_quotes_in_command_are_invalid() {
        let err = parse("[migrations]\ncommand = \"alembic 'upgrade\"\n").unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { .. }), "{err:?}");
        assert!(err.to_string().contains("check its quotes"), "{err}");
        let err = parse("[migrations]\ncommand = \"  \"\n").unwrap_err();
        assert!(
            err.to_string().contains("migrations.command is empty"),
            "{err}"
        );
    }

    #[test]
    fn data_dir_must_stay_inside_the_project() {
        for bad in ["/var/lib/postgres", "../elsewhere", "data/../../x", "."] {
            let err = parse(&format!("[database]\ndata_dir = \"{bad}\"\n")).unwrap_err();
            assert!(matches!(err, ConfigError::Invalid { .. }), "{bad}: {err:?}");
            assert!(
                err.to_string()
                    .contains("must be a path inside the project"),
                "{err}"
            );
        }
        for good in ["data/postgres", "./data/pg", ".pgdata"] {
            let settings = parse(&format!("[database]\ndata_dir = \"{good}\"\n")).unwrap();
            assert_eq!(settings.database.data_dir, Some(PathBuf::from(good)));
        }
    }

    #[test]
    fn empty_url_env_is_rejected() {
        let err = error("[database]\nurl_env = \"\"\n");
        assert!(
            err.starts_with("devctl.toml:2:11: invalid variable name \"\""),
            "{err}"
        );
    }
}

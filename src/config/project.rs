//! One project as devctl sees it: its root, settings, environment, compose file and database.
//! Cross-file checks live here (a service named in `devctl.toml` must exist in the compose file),
//! so every command starts from a project that is known to be consistent.

use std::path::{Path, PathBuf};

use super::paths::normalize;
use super::{Compose, ConfigError, Database, DatabaseUrl, Env, Settings};

#[derive(Debug, Clone)]
pub struct Project {
    /// The directory holding `devctl.toml`, canonicalised.
    pub root: PathBuf,
    pub settings: Settings,
    pub env: Env,
    /// `None` when the project has no compose file (SQLite-only projects).
    pub compose: Option<Compose>,
    pub database: Database,
}

/// The file that marks a project root.
pub const SETTINGS_FILE: &str = "devctl.toml";

/// Compose file names looked for in the root when `compose_file` is not set, in compose's order.
pub const COMPOSE_FILE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

impl Project {
    /// Walks up from `start` to the first directory holding `devctl.toml`.
    pub fn discover(start: &Path) -> Result<PathBuf, ConfigError> {
        let absolute = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        absolute
            .ancestors()
            .find(|dir| dir.join(SETTINGS_FILE).is_file())
            .map(Path::to_path_buf)
            .ok_or_else(|| ConfigError::NotFound {
                start: start.to_path_buf(),
            })
    }

    /// Reads everything under `root`: `devctl.toml`, `.env` (or `.env.example`), the compose file,
    /// then resolves the database: `url_env` set -> that URL; unset -> SQLite at `sqlite_path`.
    /// Validates cross-references (services named in `services` and `database.service` exist).
    pub fn load(root: &Path) -> Result<Project, ConfigError> {
        let root = root.canonicalize().map_err(|source| ConfigError::Read {
            path: root.to_path_buf(),
            source,
        })?;
        let settings_path = root.join(SETTINGS_FILE);
        let text = std::fs::read_to_string(&settings_path).map_err(|source| ConfigError::Read {
            path: settings_path.clone(),
            source,
        })?;
        let settings = Settings::parse(&settings_path, &text)?;
        let env = Env::load(&root)?;
        let compose = load_compose(&root, &settings_path, &settings, &env)?;
        check_service_names(&settings_path, &settings, compose.as_ref())?;
        let database = resolve_database(&root, &settings_path, &settings, &env, compose.as_ref())?;
        Ok(Project {
            root,
            settings,
            env,
            compose,
            database,
        })
    }

    /// The services `ready` / `up` start: `settings.services` (whatever their profiles), else
    /// the compose services `docker compose up` would start: those without `profiles:` or with
    /// an active one.
    pub fn selected_services(&self) -> Vec<&super::Service> {
        let Some(compose) = &self.compose else {
            return Vec::new();
        };
        match &self.settings.services {
            Some(names) => names
                .iter()
                .filter_map(|name| compose.service(name))
                .collect(),
            None => {
                let active = self.active_profiles();
                compose
                    .services
                    .iter()
                    .filter(|s| s.enabled_by(&active))
                    .collect()
            }
        }
    }

    /// The profiles in `COMPOSE_PROFILES` (comma-separated, from the environment or `.env`).
    pub fn active_profiles(&self) -> Vec<&str> {
        self.env
            .get("COMPOSE_PROFILES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }

    /// Resolves a path from the settings against the root.
    pub fn path(&self, relative: &Path) -> PathBuf {
        self.root.join(relative)
    }

    /// `root/devctl.toml`.
    pub fn settings_path(&self) -> PathBuf {
        self.root.join(SETTINGS_FILE)
    }
}

fn load_compose(
    root: &Path,
    settings_path: &Path,
    settings: &Settings,
    env: &Env,
) -> Result<Option<Compose>, ConfigError> {
    let path = match &settings.compose_file {
        Some(file) => {
            let path = root.join(file);
            if !path.is_file() {
                return Err(ConfigError::Invalid {
                    path: settings_path.to_path_buf(),
                    message: format!(
                        "compose_file = {:?}, but {} does not exist; fix the path, or remove \
                         compose_file to use one of {}",
                        file.display(),
                        path.display(),
                        COMPOSE_FILE_NAMES.join(", ")
                    ),
                });
            }
            path
        }
        None => match COMPOSE_FILE_NAMES
            .iter()
            .map(|name| root.join(name))
            .find(|p| p.is_file())
        {
            Some(path) => path,
            None => return Ok(None),
        },
    };
    Compose::load(&path, env).map(Some)
}

/// Every service `devctl.toml` names must be a compose service devctl can start.
fn check_service_names(
    settings_path: &Path,
    settings: &Settings,
    compose: Option<&Compose>,
) -> Result<(), ConfigError> {
    let named = settings
        .services
        .iter()
        .flatten()
        .map(|name| ("services", name))
        .chain(
            settings
                .database
                .service
                .iter()
                .map(|name| ("database.service", name)),
        );
    for (key, name) in named {
        let Some(compose) = compose else {
            return Err(ConfigError::Invalid {
                path: settings_path.to_path_buf(),
                message: format!(
                    "{key} names the compose service `{name}`, but the project has no compose file \
                     (looked for {}); add one, or set compose_file",
                    COMPOSE_FILE_NAMES.join(", ")
                ),
            });
        };
        if compose.service(name).is_some() {
            continue;
        }
        let message = match compose.skipped.iter().find(|s| &s.name == name) {
            Some(skipped) => format!("{key} names `{name}`, but that service {}", skipped.reason),
            None => {
                let available: Vec<&str> =
                    compose.services.iter().map(|s| s.name.as_str()).collect();
                format!(
                    "{key} names `{name}`, which is not a service in {}; available: {}",
                    compose.path.display(),
                    if available.is_empty() {
                        "none".to_string()
                    } else {
                        available.join(", ")
                    }
                )
            }
        };
        return Err(ConfigError::Invalid {
            path: settings_path.to_path_buf(),
            message,
        });
    }
    Ok(())
}

fn resolve_database(
    root: &Path,
    settings_path: &Path,
    settings: &Settings,
    env: &Env,
    compose: Option<&Compose>,
) -> Result<Database, ConfigError> {
    let url_env = &settings.database.url_env;
    let Some(value) = env.get(url_env).filter(|v| !v.trim().is_empty()) else {
        let path = normalize(&root.join(&settings.database.sqlite_path));
        return Ok(Database {
            url: DatabaseUrl::Sqlite {
                original: format!("sqlite:///{}", path.display()),
                path,
            },
            source: format!("no {url_env} set: the SQLite default"),
            service: None,
            data_dir: None,
        });
    };

    let origin = env
        .origin(url_env)
        .unwrap_or_else(|| "the environment".into());
    let url = DatabaseUrl::parse(value, root).map_err(|err| ConfigError::Invalid {
        // Point at the file that holds the value; for the process environment, at devctl.toml,
        // which names the variable.
        path: match (&env.file, env.process.contains_key(url_env.as_str())) {
            (Some(file), false) => file.clone(),
            _ => settings_path.to_path_buf(),
        },
        message: format!("{url_env} (from {origin}) is not a database URL devctl can use: {err}"),
    })?;
    let source = format!("{url_env} from {origin}");
    if url.is_sqlite() {
        return Ok(Database {
            url,
            source,
            service: None,
            data_dir: None,
        });
    }

    let service = settings.database.service.clone().or_else(|| {
        let compose = compose?;
        let mut candidates = compose
            .services
            .iter()
            .filter(|s| super::postgres_service::is_postgres_server(s));
        match (candidates.next(), candidates.next()) {
            (Some(only), None) => Some(only.name.clone()),
            _ => None,
        }
    });
    let data_dir = match &settings.database.data_dir {
        Some(dir) => Some(normalize(&root.join(dir))),
        None => service
            .as_deref()
            .and_then(|name| compose?.service(name))
            .and_then(|s| s.data_host_dir()),
    };
    Ok(Database {
        url,
        source,
        service,
        data_dir,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A variable name no test environment sets, so the process environment cannot interfere.
    const URL_ENV: &str = "DEVCTL_TEST_PROJECT_DB_URL";

    const COMPOSE: &str = "services:\n  redis:\n    image: redis:7\n  db:\n    image: pgvector/pgvector:pg16\n    \
                           volumes:\n      - ./data/pg:/var/lib/postgresql/data\n  app:\n    build: .\n";

    struct Files(tempfile::TempDir);

    impl Files {
        fn new() -> Files {
            Files(tempfile::tempdir().unwrap())
        }

        fn file(self, name: &str, text: &str) -> Files {
            let path = self.0.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
            self
        }

        fn settings(self, extra: &str) -> Files {
            self.file(
                SETTINGS_FILE,
                &format!("{extra}\n[database]\nurl_env = \"{URL_ENV}\"\n"),
            )
        }

        fn root(&self) -> PathBuf {
            self.0.path().canonicalize().unwrap()
        }

        fn load(&self) -> Result<Project, ConfigError> {
            Project::load(self.0.path())
        }
    }

    #[test]
    fn discover_walks_up() {
        let files = Files::new()
            .file(SETTINGS_FILE, "")
            .file("src/deep/er/x.txt", "");
        let found = Project::discover(&files.0.path().join("src/deep/er")).unwrap();
        assert_eq!(found.canonicalize().unwrap(), files.root());
        assert_eq!(
            Project::discover(files.0.path())
                .unwrap()
                .canonicalize()
                .unwrap(),
            files.root()
        );
    }

    #[test]
    fn discover_without_settings_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let start = dir.path().join("nested");
        std::fs::create_dir(&start).unwrap();
        // A devctl.toml above the temp dir would be found; skip the check in that unusual case.
        if std::path::absolute(&start)
            .unwrap()
            .ancestors()
            .any(|d| d.join(SETTINGS_FILE).is_file())
        {
            return;
        }
        let err = Project::discover(&start).unwrap_err();
        assert!(
            matches!(&err, ConfigError::NotFound { start: s } if s == &start),
            "{err:?}"
        );
        assert!(err.hint().is_some());
    }

    #[test]
    fn minimal_project_uses_sqlite() {
        let files = Files::new().settings("");
        let project = files.load().unwrap();
        let root = files.root();
        assert_eq!(project.root, root);
        assert!(project.compose.is_none());
        assert!(project.selected_services().is_empty());
        let expected = root.join("data/dev.sqlite");
        assert_eq!(
            project.database.url,
            DatabaseUrl::Sqlite {
                original: format!("sqlite:///{}", expected.display()),
                path: expected.clone()
            }
        );
        assert_eq!(
            project.database.source,
            format!("no {URL_ENV} set: the SQLite default")
        );
        assert_eq!(project.database.service, None);
        assert_eq!(project.database.data_dir, None);
        // The generated URL reads back as the same file.
        assert_eq!(
            DatabaseUrl::parse(project.database.url.original(), Path::new("/elsewhere")).unwrap(),
            project.database.url
        );
        assert_eq!(
            project.path(Path::new("migrations")),
            root.join("migrations")
        );
        assert_eq!(project.settings_path(), root.join(SETTINGS_FILE));
    }

    #[test]
    fn postgres_from_dotenv_with_detected_service_and_data_dir() {
        let files = Files::new()
            .settings("")
            .file("docker-compose.yml", COMPOSE)
            .file(
                ".env",
                &format!(
                    "{URL_ENV}=postgresql+pg8000://postgres:postgres@localhost:5432/letta-core\n"
                ),
            );
        let project = files.load().unwrap();
        let root = files.root();
        let compose = project.compose.as_ref().unwrap();
        assert_eq!(compose.path, root.join("docker-compose.yml"));
        assert_eq!(project.database.source, format!("{URL_ENV} from .env"));
        assert_eq!(
            project.database.url.sqlx_url(),
            "postgres://postgres:postgres@localhost:5432/letta-core"
        );
        assert_eq!(project.database.service.as_deref(), Some("db"));
        assert_eq!(project.database.data_dir, Some(root.join("data/pg")));
        let selected: Vec<&str> = project
            .selected_services()
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(selected, ["redis", "db"]);
    }

    #[test]
    fn example_stands_in_for_a_missing_dotenv() {
        let files = Files::new()
            .settings("")
            .file("compose.yaml", COMPOSE)
            .file(
                ".env.example",
                &format!("{URL_ENV}=postgres://u:p@localhost/app\n"),
            );
        let project = files.load().unwrap();
        assert_eq!(
            project.database.source,
            format!("{URL_ENV} from .env.example")
        );
        assert_eq!(
            project.compose.unwrap().path,
            files.root().join("compose.yaml")
        );
    }

    #[test]
    fn compose_file_order_and_explicit_setting() {
        let files = Files::new()
            .settings("")
            .file("docker-compose.yml", "services: {}\n")
            .file("compose.yml", "services: {}\n");
        assert_eq!(
            files.load().unwrap().compose.unwrap().path,
            files.root().join("compose.yml")
        );

        let files = Files::new()
            .settings("compose_file = \"deploy/dev.yml\"")
            .file("compose.yaml", "services: {}\n")
            .file("deploy/dev.yml", "services:\n  only:\n    image: x\n");
        let compose = files.load().unwrap().compose.unwrap();
        assert_eq!(compose.path, files.root().join("deploy/dev.yml"));
        assert_eq!(compose.project_name, "deploy");

        let files = Files::new().settings("compose_file = \"missing.yml\"");
        let err = files.load().unwrap_err();
        assert!(matches!(err, ConfigError::Invalid { .. }), "{err:?}");
        assert!(
            err.to_string()
                .contains("compose_file = \"missing.yml\", but"),
            "{err}"
        );
    }

    #[test]
    fn explicit_services_and_data_dir() {
        let files = Files::new()
            .file(
                SETTINGS_FILE,
                &format!(
                    "services = [\"db\", \"redis\"]\n[database]\nurl_env = \"{URL_ENV}\"\nservice = \"db\"\n\
                     data_dir = \"./var/pgdata\"\n"
                ),
            )
            .file("compose.yaml", COMPOSE)
            .file(".env", &format!("{URL_ENV}=postgres://localhost/app\n"));
        let project = files.load().unwrap();
        let selected: Vec<&str> = project
            .selected_services()
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(selected, ["db", "redis"]);
        assert_eq!(project.database.service.as_deref(), Some("db"));
        assert_eq!(
            project.database.data_dir,
            Some(files.root().join("var/pgdata"))
        );
    }

    #[test]
    fn default_selection_follows_compose_profiles() {
        let compose = "services:\n  db:\n    image: postgres\n  debug:\n    image: x\n    profiles: [debug]\n  \
                       tools:\n    image: x\n    profiles: [tools, ci]\n";
        let names = |project: &Project| -> Vec<String> {
            project
                .selected_services()
                .iter()
                .map(|s| s.name.clone())
                .collect()
        };
        let mut project = Files::new()
            .settings("")
            .file("compose.yaml", compose)
            .load()
            .unwrap();
        project.env.process.remove("COMPOSE_PROFILES");
        project.env.file_vars.remove("COMPOSE_PROFILES");
        assert_eq!(names(&project), ["db"]);
        project
            .env
            .file_vars
            .insert("COMPOSE_PROFILES".into(), " ci , other".into());
        assert_eq!(project.active_profiles(), ["ci", "other"]);
        assert_eq!(names(&project), ["db", "tools"]);
        // The process environment wins over .env, as compose does.
        project
            .env
            .process
            .insert("COMPOSE_PROFILES".into(), "debug".into());
        assert_eq!(names(&project), ["db", "debug"]);
        project
            .env
            .process
            .insert("COMPOSE_PROFILES".into(), "*".into());
        assert_eq!(names(&project), ["db", "debug", "tools"]);

        // Services named in devctl.toml start whatever their profiles.
        let mut project = Files::new()
            .settings("services = [\"tools\", \"db\"]")
            .file("compose.yaml", compose)
            .load()
            .unwrap();
        project.env.process.remove("COMPOSE_PROFILES");
        project.env.file_vars.remove("COMPOSE_PROFILES");
        assert_eq!(names(&project), ["tools", "db"]);
    }

    #[test]
    fn unknown_services_are_invalid_and_list_the_available_ones() {
        let files = Files::new()
            .settings("services = [\"redis\", \"postgres\"]")
            .file("compose.yaml", COMPOSE);
        let err = files.load().unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { path, .. } if path.ends_with(SETTINGS_FILE)),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("services names `postgres`, which is not a service in"),
            "{message}"
        );
        assert!(message.ends_with("available: redis, db"), "{message}");

        let files = Files::new()
            .settings("services = [\"app\"]")
            .file("compose.yaml", COMPOSE);
        let message = files.load().unwrap_err().to_string();
        assert!(
            message.contains("services names `app`, but that service has only `build:`"),
            "{message}"
        );

        let files = Files::new()
            .file(
                SETTINGS_FILE,
                &format!("[database]\nurl_env = \"{URL_ENV}\"\nservice = \"pg\"\n"),
            )
            .file("compose.yaml", COMPOSE);
        let message = files.load().unwrap_err().to_string();
        assert!(message.contains("database.service names `pg`"), "{message}");

        let files = Files::new().settings("services = [\"redis\"]");
        let message = files.load().unwrap_err().to_string();
        assert!(
            message.contains("the project has no compose file"),
            "{message}"
        );
    }

    #[test]
    fn bad_database_url_names_the_variable_and_its_file() {
        let files = Files::new()
            .settings("")
            .file(".env", &format!("{URL_ENV}=mysql://u:p@h/db\n"));
        let err = files.load().unwrap_err();
        match &err {
            ConfigError::Invalid { path, message } => {
                assert_eq!(path, &files.root().join(".env"));
                assert!(
                    message.starts_with(&format!("{URL_ENV} (from .env) is not a database URL")),
                    "{message}"
                );
                assert!(message.contains("postgresql+DRIVER://"), "{message}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn errors_from_each_file_surface() {
        let files = Files::new().file(SETTINGS_FILE, "nope = 1\n");
        assert!(matches!(
            files.load().unwrap_err(),
            ConfigError::Syntax {
                line: 1,
                column: 1,
                ..
            }
        ));
        let files = Files::new().settings("").file(".env", "BROKEN LINE\n");
        assert!(
            matches!(files.load().unwrap_err(), ConfigError::Syntax { path, .. } if path.ends_with(".env"))
        );
        let files = Files::new()
            .settings("")
            .file("compose.yaml", "services: [\n");
        assert!(
            matches!(files.load().unwrap_err(), ConfigError::Syntax { path, .. } if path.ends_with("compose.yaml"))
        );
        let dir = tempfile::tempdir().unwrap();
        assert!(
            matches!(Project::load(dir.path()).unwrap_err(), ConfigError::Read { path, .. } if path.ends_with(SETTINGS_FILE))
        );
        assert!(matches!(
            Project::load(&dir.path().join("gone")).unwrap_err(),
            ConfigError::Read { .. }
        ));
    }

    fn env_with(process: &[(&str, &str)], file: &[(&str, &str)]) -> Env {
        let map = |vars: &[(&str, &str)]| -> BTreeMap<String, String> {
            vars.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Env {
            file_vars: map(file),
            file: Some(PathBuf::from("/p/.env")),
            process: map(process),
        }
    }

    #[test]
    fn database_from_the_process_environment() {
        let settings = Settings::default();
        let env = env_with(
            &[("DATABASE_URL", "sqlite:///db.sqlite")],
            &[("DATABASE_URL", "postgres://h/db")],
        );
        let database = resolve_database(
            Path::new("/p"),
            Path::new("/p/devctl.toml"),
            &settings,
            &env,
            None,
        )
        .unwrap();
        assert_eq!(database.source, "DATABASE_URL from the environment");
        assert_eq!(
            database.url,
            DatabaseUrl::Sqlite {
                original: "sqlite:///db.sqlite".into(),
                path: "/p/db.sqlite".into()
            }
        );

        let env = env_with(&[("DATABASE_URL", "oracle://x")], &[]);
        let err = resolve_database(
            Path::new("/p"),
            Path::new("/p/devctl.toml"),
            &settings,
            &env,
            None,
        )
        .unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { path, .. } if path == Path::new("/p/devctl.toml")),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .contains("DATABASE_URL (from the environment)"),
            "{err}"
        );

        // An empty value counts as unset.
        let env = env_with(&[("DATABASE_URL", "")], &[]);
        let database = resolve_database(
            Path::new("/p"),
            Path::new("/p/devctl.toml"),
            &settings,
            &env,
            None,
        )
        .unwrap();
        assert!(database.url.is_sqlite());
        assert_eq!(database.source, "no DATABASE_URL set: the SQLite default");
    }

    #[test]
    fn ambiguous_postgres_services_are_not_guessed() {
        let files = Files::new()
            .settings("")
            .file(
                "compose.yaml",
                "services:\n  a:\n    image: postgres:16\n  b:\n    image: timescale/timescaledb:latest-pg16\n",
            )
            .file(".env", &format!("{URL_ENV}=postgres://localhost/app\n"));
        let project = files.load().unwrap();
        assert_eq!(project.database.service, None);
        assert_eq!(project.database.data_dir, None);
    }
}

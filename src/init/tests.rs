//! Whole-project scenarios for `devctl init`: real files in a temp dir, detected, rendered, and the
//! rendered `devctl.toml` loaded back through `Project::load`, which is the check that matters:
//! what init writes, ready must read the same way.

use std::path::{Path, PathBuf};

use super::{
    Detected, DetectedMigrations, amend_env_example, detect, render_env_example, render_settings,
};
use crate::config::{DatabaseUrl, Project, SETTINGS_FILE, Settings};

/// A project directory built file by file.
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

    fn root(&self) -> PathBuf {
        self.0.path().canonicalize().unwrap()
    }

    fn detect(&self) -> Detected {
        detect(self.0.path()).unwrap()
    }

    /// Writes the rendered settings and loads the project back.
    fn adopt(&self, detected: &Detected) -> Project {
        let text = render_settings(detected);
        Settings::parse(Path::new(SETTINGS_FILE), &text)
            .unwrap_or_else(|err| panic!("{err}\n{text}"));
        std::fs::write(self.0.path().join(SETTINGS_FILE), &text).unwrap();
        Project::load(self.0.path()).unwrap_or_else(|err| panic!("{err}\n{text}"))
    }
}

/// What a SQLite-only project with nothing detected looks like.
pub(crate) fn sqlite_only() -> Detected {
    Detected {
        compose_file: None,
        services: Vec::new(),
        database_service: None,
        data_dir: None,
        user: "postgres".into(),
        password: "postgres".into(),
        database: "postgres".into(),
        host_port: None,
        url_env: "DATABASE_URL".into(),
        url_env_in_example: false,
        url_set_in_example: false,
        url_scheme: "postgresql".into(),
        migrations: DetectedMigrations::None,
        extensions: Vec::new(),
        notes: Vec::new(),
    }
}

const LETTA_COMPOSE: &str = r#"services:
  redis:
    image: redis:alpine
  letta_db:
    image: ankane/pgvector:v0.5.1
    environment:
      - POSTGRES_USER=${LETTA_PG_USER:-letta}
      - POSTGRES_PASSWORD=${LETTA_PG_PASSWORD:-letta}
      - POSTGRES_DB=${LETTA_PG_DB:-letta-core}
    ports:
      - "${LETTA_PG_PORT:-5432}:5432"
    volumes:
      - ./.persist/pgdata:/var/lib/postgresql/data
      - ./init.sql:/docker-entrypoint-initdb.d/init.sql
  letta_server:
    build: .
"#;

fn letta() -> Files {
    Files::new()
        .file("compose.yaml", LETTA_COMPOSE)
        .file("init.sql", "CREATE EXTENSION IF NOT EXISTS vector;\n")
        .file(
            "uv.lock",
            "[[package]]\nname = \"pg8000\"\nversion = \"1.31.2\"\n",
        )
        .file("apps/core/alembic.ini", "[alembic]\n")
        .file("apps/core/node_modules/x/alembic.ini", "")
        .file(
            ".env.example",
            "OPENAI_API_KEY=\nREDIS_URL=redis://localhost:6379\nLETTA_PG_URI=\n",
        )
}

#[test]
fn letta_style_monorepo() {
    let files = letta();
    let d = files.detect();
    assert_eq!(d.compose_file, Some(PathBuf::from("compose.yaml")));
    assert_eq!(d.services, ["redis", "letta_db"]);
    assert_eq!(d.database_service.as_deref(), Some("letta_db"));
    assert_eq!(d.data_dir, Some(PathBuf::from(".persist/pgdata")));
    assert_eq!(
        (d.user.as_str(), d.password.as_str(), d.database.as_str()),
        ("letta", "letta", "letta-core")
    );
    assert_eq!(d.host_port, Some(5432));
    assert_eq!(d.url_env, "LETTA_PG_URI");
    assert!(d.url_env_in_example);
    assert_eq!(
        d.migrations,
        DetectedMigrations::Alembic {
            workdir: "apps/core".into(),
            uv: true
        }
    );
    assert_eq!(d.extensions, ["vector"]);
    assert!(
        d.notes
            .iter()
            .any(|n| n == "letta_server has only build:, skipped"),
        "{:?}",
        d.notes
    );

    let text = render_settings(&d);
    assert!(
        text.contains("command = \"uv run alembic upgrade head\""),
        "{text}"
    );
    assert!(
        text.contains("autogenerate = \"uv run alembic revision --autogenerate -m {message}\""),
        "{text}"
    );
    assert!(
        text.contains("#   - letta_server has only build:, skipped"),
        "{text}"
    );

    let project = files.adopt(&d);
    let settings = &project.settings;
    assert_eq!(settings.compose_file, Some(PathBuf::from("compose.yaml")));
    assert_eq!(
        settings.services,
        Some(vec!["redis".to_string(), "letta_db".to_string()])
    );
    assert_eq!(settings.database.service.as_deref(), Some("letta_db"));
    assert_eq!(settings.database.url_env, "LETTA_PG_URI");
    assert_eq!(
        settings.database.data_dir,
        Some(PathBuf::from(".persist/pgdata"))
    );
    assert_eq!(settings.database.extensions, ["vector"]);
    assert_eq!(settings.migrations.dir, None);
    assert_eq!(
        settings.migrations.command.as_deref(),
        Some("uv run alembic upgrade head")
    );
    assert_eq!(settings.migrations.workdir, PathBuf::from("apps/core"));
    assert_eq!(project.selected_services().len(), 2);
    // `LETTA_PG_URI=` is empty in .env.example: the SQLite default.
    assert!(project.database.url.is_sqlite());

    // With the URL set, the database resolves to the detected service and data directory.
    std::fs::write(
        files.0.path().join(".env"),
        "LETTA_PG_URI=postgresql+pg8000://letta:letta@localhost:5432/letta-core\n",
    )
    .unwrap();
    let project = Project::load(files.0.path()).unwrap();
    assert_eq!(project.database.service.as_deref(), Some("letta_db"));
    assert_eq!(
        project.database.data_dir,
        Some(files.root().join(".persist/pgdata"))
    );
}

#[test]
fn sqlx_project_without_compose() {
    let files = Files::new()
        .file("Cargo.toml", "[package]\nname = \"x\"\n")
        .file("migrations/0001_init.sql", "CREATE TABLE t (id INT);\n")
        .file("migrations/README.md", "");
    let d = files.detect();
    assert_eq!(d.compose_file, None);
    assert!(d.services.is_empty());
    assert_eq!(d.database_service, None);
    assert_eq!(d.data_dir, None);
    assert_eq!(d.url_env, "DATABASE_URL");
    assert!(!d.url_env_in_example);
    assert_eq!(
        d.migrations,
        DetectedMigrations::Sqlx {
            dir: "migrations".into()
        }
    );
    assert!(d.extensions.is_empty());

    let text = render_settings(&d);
    assert!(!text.contains("\nservices ="), "{text}");
    let project = files.adopt(&d);
    assert!(project.compose.is_none());
    assert_eq!(project.settings.services, None);
    assert_eq!(project.settings.database.service, None);
    assert_eq!(
        project.settings.migrations.dir,
        Some(PathBuf::from("migrations"))
    );
    assert_eq!(project.settings.migrations.command, None);
}

#[test]
fn sqlx_migrations_beside_a_nested_cargo_toml() {
    let files = Files::new()
        .file("server/Cargo.toml", "[package]\nname = \"x\"\n")
        .file("server/migrations/20240101120000_init.up.sql", "")
        .file("other/migrations/0001_x.sql", "");
    assert_eq!(
        files.detect().migrations,
        DetectedMigrations::Sqlx {
            dir: "server/migrations".into()
        }
    );
}

const SUBDIR_COMPOSE: &str = "services:\n  postgres:\n    image: postgres:16\n    environment:\n      \
    POSTGRES_PASSWORD: secret\n      POSTGRES_DB: app\n    ports:\n      - \"5433:5432\"\n    \
    volumes:\n      - ../data/pg:/var/lib/postgresql/data\n";

#[test]
fn compose_file_in_a_subdirectory() {
    let files = Files::new()
        .file("docker/docker-compose.yml", SUBDIR_COMPOSE)
        .file("deploy/dev/prod/compose.yaml", "services: {}\n");
    let d = files.detect();
    assert_eq!(
        d.compose_file,
        Some(PathBuf::from("docker/docker-compose.yml"))
    );
    assert_eq!(d.database_service.as_deref(), Some("postgres"));
    assert_eq!(d.data_dir, Some(PathBuf::from("data/pg")));
    assert_eq!(
        (d.user.as_str(), d.password.as_str(), d.database.as_str()),
        ("postgres", "secret", "app")
    );
    assert_eq!(d.host_port, Some(5433));
    assert!(d.extensions.is_empty());
    assert_eq!(d.migrations, DetectedMigrations::None);

    let text = render_settings(&d);
    assert!(text.contains("# dir = \"migrations\""), "{text}");
    let project = files.adopt(&d);
    assert_eq!(
        project.settings.compose_file,
        Some(PathBuf::from("docker/docker-compose.yml"))
    );
    assert_eq!(
        project.settings.database.data_dir,
        Some(PathBuf::from("data/pg"))
    );
    assert_eq!(project.compose.as_ref().map(|c| c.services.len()), Some(1));
}

#[test]
fn env_example_for_a_project_without_one() {
    let files = Files::new().file("docker/docker-compose.yml", SUBDIR_COMPOSE);
    let d = files.detect();
    assert!(!d.url_env_in_example);
    let text = render_env_example(&d);
    // A database service was found: the URL points at it, so ready uses the project's Postgres.
    let line = "DATABASE_URL=postgresql://postgres:secret@localhost:5433/app";
    assert!(text.lines().any(|l| l == line), "{text}");
    files.adopt(&d);
    std::fs::write(files.0.path().join(".env.example"), &text).unwrap();
    let project = Project::load(files.0.path()).unwrap();
    assert!(!project.database.url.is_sqlite());
    assert_eq!(project.database.service.as_deref(), Some("postgres"));

    // Without one, the line is commented out and the default stays SQLite.
    let odd = Detected {
        user: "me".into(),
        password: "p@ss:/#".into(),
        database: "my db".into(),
        url_env: "APP_DB_URL".into(),
        ..sqlite_only()
    };
    let text = render_env_example(&odd);
    assert!(
        text.contains("# APP_DB_URL=postgresql://me:p%40ss%3A%2F%23@localhost:5432/my%20db\n"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.is_empty() || l.starts_with('#')));
    let url = DatabaseUrl::parse(
        "postgresql://me:p%40ss%3A%2F%23@localhost:5432/my%20db",
        &files.root(),
    )
    .unwrap();
    assert!(!url.is_sqlite());
}

#[test]
fn an_existing_env_example_gets_the_url_only_when_it_lacks_one() {
    let files = letta();
    let d = files.detect();
    assert_eq!(d.url_scheme, "postgresql+pg8000", "from uv.lock");
    let existing = files.0.path().join(".env.example");
    let existing = std::fs::read_to_string(existing).unwrap();
    // `LETTA_PG_URI=` is empty: filled in place, the other lines kept as they were.
    let amended = amend_env_example(&d, &existing).unwrap();
    assert_eq!(
        amended,
        "OPENAI_API_KEY=\nREDIS_URL=redis://localhost:6379\nLETTA_PG_URI=postgresql+pg8000://letta:letta@localhost:5432/letta-core\n"
    );
    // Absent or only commented out: appended, with a comment saying where it came from.
    let commented = "A=1\n# LETTA_PG_URI=postgresql+asyncpg://x@y/z";
    let amended = amend_env_example(&d, commented).unwrap();
    assert!(amended.starts_with("A=1\n# LETTA_PG_URI=postgresql+asyncpg://x@y/z\n\n# The database: Postgres from the compose service letta_db"), "{amended}");
    assert!(
        amended.ends_with(
            "\nLETTA_PG_URI=postgresql+pg8000://letta:letta@localhost:5432/letta-core\n"
        ),
        "{amended}"
    );
    // Set by the project: left alone.
    let set = Files::new().file("compose.yaml", LETTA_COMPOSE).file(
        ".env.example",
        "LETTA_PG_URI=postgresql+pg8000://me:x@localhost:6000/mine\n",
    );
    let d = set.detect();
    assert!(d.url_set_in_example);
    assert_eq!(
        amend_env_example(
            &d,
            "LETTA_PG_URI=postgresql+pg8000://me:x@localhost:6000/mine\n"
        ),
        None
    );
    // No database service: nothing to point at.
    assert_eq!(amend_env_example(&sqlite_only(), "A=1\n"), None);
}

#[test]
fn python_driver_picks_the_url_scheme() {
    for (lock, scheme) in [
        ("name = \"psycopg2-binary\"", "postgresql"),
        (
            "name = \"psycopg\"\nname = \"psycopg-binary\"",
            "postgresql+psycopg",
        ),
        ("name = \"asyncpg\"", "postgresql+asyncpg"),
        (
            "name = \"psycopg2\"\nname = \"pg8000\"",
            "postgresql+pg8000",
        ),
        ("", "postgresql"),
    ] {
        let files = Files::new()
            .file("alembic.ini", "[alembic]\n")
            .file("uv.lock", lock)
            .file("compose.yaml", SUBDIR_COMPOSE);
        assert_eq!(files.detect().url_scheme, scheme, "{lock}");
    }
}

#[test]
fn url_env_from_a_commented_line() {
    let files = Files::new().file(
        ".env.example",
        "# The database; unset means SQLite.\n# DATABASE_URL=postgresql+asyncpg://u:p@localhost/app\n",
    );
    let d = files.detect();
    assert_eq!(d.url_env, "DATABASE_URL");
    assert!(d.url_env_in_example);

    let files = Files::new().file(
        ".env.example",
        "SECRET=x\n#ASYNC_URL=postgresql+asyncpg://u:p@localhost/app\n",
    );
    let d = files.detect();
    assert_eq!(d.url_env, "ASYNC_URL");
    assert!(d.url_env_in_example);
    files.adopt(&d);
}

#[test]
fn several_postgres_services_prefer_the_database_name() {
    let files = Files::new().file(
        "compose.yml",
        "services:\n  cache:\n    image: redis\n  analytics:\n    image: timescale/timescaledb:latest-pg16\n  \
         main_db:\n    image: postgis/postgis:16-3.4\n",
    );
    let d = files.detect();
    assert_eq!(d.database_service.as_deref(), Some("main_db"));
    assert!(
        d.notes.iter().any(|n| n.contains("chose main_db")),
        "{:?}",
        d.notes
    );
    assert_eq!(d.data_dir, None);
    assert_eq!(d.host_port, None);
    let project = files.adopt(&d);
    assert_eq!(
        project.settings.database.service.as_deref(),
        Some("main_db")
    );
    assert_eq!(project.settings.services.map(|s| s.len()), Some(3));
}

#[test]
fn alembic_at_the_root_without_uv() {
    let files = Files::new()
        .file("alembic.ini", "")
        .file("migrations/0001_init.sql", "");
    let d = files.detect();
    assert_eq!(
        d.migrations,
        DetectedMigrations::Alembic {
            workdir: ".".into(),
            uv: false
        }
    );
    let project = files.adopt(&d);
    assert_eq!(
        project.settings.migrations.command.as_deref(),
        Some("alembic upgrade head")
    );
    assert_eq!(
        project.settings.migrations.autogenerate.as_deref(),
        Some("alembic revision --autogenerate -m {message}")
    );
    assert_eq!(project.settings.migrations.workdir, PathBuf::from("."));
}

#[test]
fn a_broken_compose_file_is_an_error() {
    let files = Files::new().file("compose.yaml", "services: [\n");
    assert!(detect(files.0.path()).is_err());
}

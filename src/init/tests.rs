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
    let package = |name: &str| format!("[[package]]\nname = \"{name}\"\nversion = \"1.0\"\n\n");
    for (packages, scheme) in [
        (vec!["psycopg2-binary"], "postgresql"),
        (vec!["psycopg", "psycopg-binary"], "postgresql+psycopg"),
        (vec!["asyncpg"], "postgresql+asyncpg"),
        (vec!["psycopg2", "pg8000"], "postgresql+pg8000"),
        (vec!["Psycopg2_Binary"], "postgresql"),
        (vec!["types-psycopg2", "sqlalchemy"], "postgresql"),
        (vec![], "postgresql"),
    ] {
        let lock: String = packages.iter().map(|name| package(name)).collect();
        let files = Files::new()
            .file("alembic.ini", "[alembic]\n")
            .file("uv.lock", &lock)
            .file("compose.yaml", SUBDIR_COMPOSE);
        assert_eq!(files.detect().url_scheme, scheme, "{lock}");
    }
}

/// A poetry.lock where only psycopg2-binary is installed, but SQLAlchemy's extras name pg8000
/// and asyncpg, as every poetry.lock with SQLAlchemy does.
const POETRY_LOCK: &str = r#"# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.

[[package]]
name = "psycopg2-binary"
version = "2.9.9"
description = "psycopg2 - Python-PostgreSQL Database Adapter"
optional = false
python-versions = ">=3.7"
files = [
    {file = "psycopg2-binary-2.9.9.tar.gz", hash = "sha256:7f01846810177d829c7692f1f5ada8096762d9172af1b1a28d4ab5b77c923c1c"},
]

[[package]]
name = "sqlalchemy"
version = "2.0.30"
description = "Database Abstraction Library"
optional = false
python-versions = ">=3.7"
files = [
    {file = "SQLAlchemy-2.0.30.tar.gz", hash = "sha256:2b1708916730f4830bc69d6f49d37f7698b5bd7530aca7f04f785f8849e95255"},
]

[package.dependencies]
greenlet = {version = "!=0.4.17", markers = "platform_machine == \"x86_64\""}
typing-extensions = ">=4.6.0"

[package.extras]
aiosqlite = ["aiosqlite", "greenlet (!=0.4.17)", "typing_extensions (!=3.10.0.1)"]
asyncio = ["greenlet (!=0.4.17)"]
postgresql = ["psycopg2 (>=2.7)"]
postgresql-asyncpg = ["asyncpg", "greenlet (!=0.4.17)"]
postgresql-pg8000 = ["pg8000 (>=1.29.1)"]
postgresql-psycopg = ["psycopg (>=3.0.7)"]
postgresql-psycopg2binary = ["psycopg2-binary"]

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "0123456789abcdef"
"#;

/// The same in uv.lock syntax: SQLAlchemy's extra naming pg8000 as an inline table, and the
/// project's metadata naming it for an extra nobody requested.
const UV_LOCK: &str = r#"version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "psycopg2-binary" },
    { name = "sqlalchemy", extra = ["asyncio"] },
]

[package.metadata]
requires-dist = [
    { name = "pg8000", marker = "extra == 'legacy'" },
    { name = "psycopg2-binary" },
    { name = "sqlalchemy", extras = ["asyncio"] },
]

[[package]]
name = "psycopg2-binary"
version = "2.9.9"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sqlalchemy"
version = "2.0.30"
source = { registry = "https://pypi.org/simple" }

[package.optional-dependencies]
asyncio = [
    { name = "greenlet" },
]
postgresql-pg8000 = [
    { name = "pg8000" },
]
"#;

#[test]
fn lock_files_count_packages_not_the_extras_that_name_them() {
    for (lock, text) in [("poetry.lock", POETRY_LOCK), ("uv.lock", UV_LOCK)] {
        let files = Files::new()
            .file("alembic.ini", "[alembic]\n")
            .file(lock, text);
        let d = files.detect();
        assert_eq!(d.url_scheme, "postgresql", "{lock}");
        assert!(
            d.notes
                .iter()
                .any(|n| n == "Postgres driver: psycopg2 (URL scheme postgresql)"),
            "{lock}: {:?}",
            d.notes
        );
    }
}

#[test]
fn pyproject_and_requirements_name_the_driver() {
    let scheme = |file: &str, text: &str| {
        Files::new()
            .file("db/alembic.ini", "[alembic]\n")
            .file(file, text)
            .detect()
            .url_scheme
    };
    let pep621 = "[project]\nname = \"pg8000-notes\"\ndescription = \"not pg8000\"\n\
                  dependencies = [\"sqlalchemy[postgresql-pg8000]\", \
                  \"psycopg[binary]>=3.1; python_version >= '3.9'\"]\n";
    assert_eq!(scheme("pyproject.toml", pep621), "postgresql+psycopg");
    let groups = "[project]\nname = \"x\"\n[project.optional-dependencies]\nasync = [\"asyncpg>=0.29\"]\n\
                  [dependency-groups]\ndev = [{include-group = \"lint\"}, \"pytest\"]\nlint = [\"ruff\"]\n";
    assert_eq!(scheme("pyproject.toml", groups), "postgresql+asyncpg");
    let grouped = "[dependency-groups]\ndb = [\"Psycopg2-Binary==2.9.9\"]\n";
    assert_eq!(scheme("db/pyproject.toml", grouped), "postgresql");
    let poetry = "[tool.poetry]\nname = \"x\"\n[tool.poetry.dependencies]\npython = \"^3.11\"\n\
                  sqlalchemy = {version = \"^2\", extras = [\"postgresql-pg8000\"]}\n\
                  [tool.poetry.group.dev.dependencies]\npsycopg-binary = \"^3.1\"\n";
    assert_eq!(scheme("pyproject.toml", poetry), "postgresql+psycopg");
    assert_eq!(
        scheme("pyproject.toml", "not [valid toml pg8000"),
        "postgresql"
    );

    let requirements = "# pg8000 is too slow for us\n-r base.txt\n--index-url https://x/simple\n\
                        sqlalchemy[asyncio]==2.0.30  # not pg8000\n\n  asyncpg>=0.29 \\\n    --hash=sha256:abc\n";
    assert_eq!(
        scheme("requirements.txt", requirements),
        "postgresql+asyncpg"
    );
    assert_eq!(
        scheme(
            "requirements-prod.txt",
            "psycopg2 @ https://example.com/psycopg2.tar.gz\n"
        ),
        "postgresql"
    );
    assert_eq!(scheme("db/requirements.in", "pg8000\n"), "postgresql");
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
        "services:\n  cache:\n    image: redis\n  analytics:\n    image: timescale/timescaledb:latest-pg16\n    \
         environment: [POSTGRES_PASSWORD=x]\n  main_db:\n    image: postgis/postgis:16-3.4\n    \
         environment: [POSTGRES_HOST_AUTH_METHOD=trust]\n",
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

/// A monitoring stack listed before the database: none of its Postgres-named images is a server.
const EXPORTER_FIRST_COMPOSE: &str = r#"services:
  postgres-exporter:
    image: prometheuscommunity/postgres-exporter:v0.15.0
    environment:
      DATA_SOURCE_NAME: postgresql://app:secret@db:5432/app?sslmode=disable
      POSTGRES_PASSWORD: secret
    ports:
      - "9187:9187"
  api:
    image: postgrest/postgrest:v12.0.2
    environment:
      PGRST_DB_URI: postgres://app:secret@db:5432/app
    ports:
      - "3000:3000"
  backups:
    image: prodrigestivill/postgres-backup-local:16
    environment:
      POSTGRES_HOST: db
      POSTGRES_DB: app
      POSTGRES_USER: app
      POSTGRES_PASSWORD: secret
  pgadmin:
    image: dpage/pgadmin4
    ports:
      - "5050:80"
  psql:
    image: postgres:16
    command: ["psql", "-h", "db"]
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: secret
      POSTGRES_DB: app
    ports:
      - "5432:5432"
    volumes:
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata: {}
"#;

#[test]
fn postgres_companions_are_not_the_database() {
    let files = Files::new().file("compose.yaml", EXPORTER_FIRST_COMPOSE);
    let d = files.detect();
    assert_eq!(d.database_service.as_deref(), Some("db"));
    assert_eq!(
        (d.user.as_str(), d.password.as_str(), d.database.as_str()),
        ("app", "secret", "app")
    );
    assert_eq!(d.host_port, Some(5432));
    assert!(
        d.notes
            .iter()
            .any(|n| n == "database service: db (postgres:16)"),
        "{:?}",
        d.notes
    );
    // The bare postgres:16 running psql is passed over, and the note says why.
    assert!(
        d.notes.iter().any(|n| n.starts_with(
            "psql (postgres:16) is not taken for the database: it neither publishes port 5432"
        )),
        "{:?}",
        d.notes
    );
    assert!(
        !d.notes
            .iter()
            .any(|n| n.contains("several Postgres services")),
        "{:?}",
        d.notes
    );
    files.adopt(&d);
}

#[test]
fn postgres_server_images_by_name() {
    let database = |image: &str, settings: &str| {
        let compose = format!("services:\n  server:\n    image: \"{image}\"\n{settings}");
        Files::new()
            .file("compose.yaml", &compose)
            .detect()
            .database_service
    };
    let password = "    environment:\n      POSTGRES_PASSWORD: x\n";
    for image in [
        "devctl-test/pgvector:pg17-0123abcd",
        "ankane/pgvector:v0.5.1",
        "ankane/pgvector",
        "pgvector/pgvector:pg17",
        "postgis/postgis:16-3.4",
        "timescale/timescaledb-ha:pg16",
        "timescale/timescaledb:latest-pg16",
        "bitnami/postgresql:16",
        "supabase/postgres:15.1.0.147",
        "postgres",
        "POSTGRES:16-alpine",
        "docker.io/library/postgres:16@sha256:0123abcd",
        "localhost:5000/team/postgres:16",
        "postgres@sha256:0123abcd",
    ] {
        assert_eq!(
            database(image, password).as_deref(),
            Some("server"),
            "{image}"
        );
    }
    for image in [
        "prometheuscommunity/postgres-exporter",
        "postgrest/postgrest:v12",
        "prodrigestivill/postgres-backup-local:16",
        "dpage/pgadmin4",
        "edoburu/pgbouncer",
        "postgres-proxy/proxy:1",
        "redis:7",
        "postgres.example.com:5000/redis:7",
        "bitnami/pgbouncer:1",
    ] {
        assert_eq!(database(image, password), None, "{image}");
    }
    // A server publishes 5432 or configures its first start; a secret file counts too.
    for settings in [
        "    ports: [\"15432:5432\"]\n",
        "    ports: [\"5432\"]\n",
        "    environment: [POSTGRES_HOST_AUTH_METHOD=trust]\n",
        "    environment: [POSTGRES_PASSWORD_FILE=/run/secrets/pg]\n",
        "    environment: [POSTGRES_DB=app]\n",
        "    environment: [POSTGRESQL_PASSWORD=x]\n",
    ] {
        assert_eq!(
            database("postgres:16", settings).as_deref(),
            Some("server"),
            "{settings}"
        );
    }
    for settings in [
        "",
        "    ports: [\"8080:80\"]\n",
        "    environment: [PGPASSWORD=x, PGHOST=db]\n",
    ] {
        assert_eq!(database("postgres:16", settings), None, "{settings}");
    }
    // A companion named by its service, on the server's own image.
    let compose = "services:\n  postgres_backup:\n    image: postgres:16\n    environment: [POSTGRES_PASSWORD=x]\n  \
                   store:\n    image: postgres:16\n    environment: [POSTGRES_PASSWORD=x]\n";
    let d = Files::new().file("compose.yaml", compose).detect();
    assert_eq!(d.database_service.as_deref(), Some("store"));
}

#[test]
fn data_notes_say_where_the_data_lives() {
    let note = |mount: &str| {
        let compose = format!(
            "name: p\nservices:\n  db:\n    image: postgres:16\n    environment:\n      \
             POSTGRES_PASSWORD: x\n      PGDATA: /var/lib/postgresql/data/pgdata\n{mount}volumes:\n  pgdata: {{}}\n"
        );
        let d = Files::new().file("compose.yaml", &compose).detect();
        assert_eq!(d.data_dir, None, "{mount}");
        d.notes
            .into_iter()
            .find(|n| n.starts_with("db "))
            .unwrap_or_else(|| panic!("no note for db: {mount}"))
    };
    let named = "db keeps its data in the named volume p_pgdata, which reset-db removes and \
                 recreates: data_dir is left unset";
    assert_eq!(
        note("    volumes: [\"pgdata:/var/lib/postgresql/data/pgdata\"]\n"),
        named
    );
    assert_eq!(
        note(
            "    volumes: [\"pgdata:/var/lib/postgresql/\", \"./init.sql:/docker-entrypoint-initdb.d/init.sql\"]\n"
        ),
        named,
        "a named volume on a parent of PGDATA"
    );
    assert_eq!(
        note("    volumes: [\"/var/lib/postgresql/data\"]\n"),
        "db keeps its data in an anonymous volume in the container, which reset-db removes with \
         the container: data_dir is left unset"
    );
    let none = "db has no bind mount on its data directory: data_dir is left unset (reset-db \
                needs one to wipe)";
    assert_eq!(note(""), none);
    assert_eq!(
        note("    volumes: [\"pgdata:/var/lib/postgres\"]\n"),
        none,
        "a volume beside PGDATA, not above it"
    );
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

#[test]
fn alembic_configured_in_pyproject_only() {
    let files = Files::new()
        .file(
            "backend/pyproject.toml",
            "[project]\nname = \"api\"\ndependencies = [\"alembic\", \"psycopg[binary]\"]\n\n[tool.alembic]\nscript_location = \"%(here)s/alembic\"\n",
        )
        .file("backend/alembic/env.py", "")
        .file("backend/uv.lock", "");
    let d = files.detect();
    assert_eq!(
        d.migrations,
        DetectedMigrations::Alembic {
            workdir: "backend".into(),
            uv: true
        }
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n == "migrations: Alembic (backend/pyproject.toml), run with uv"),
        "{:?}",
        d.notes
    );
}

#[test]
fn services_behind_a_profile_are_left_out_with_a_note() {
    let files = Files::new().file(
        "compose.yaml",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: x\n  pgadmin:\n    image: dpage/pgadmin4\n    profiles: [tools]\n",
    );
    let d = files.detect();
    assert_eq!(d.services, ["db"]);
    assert!(
        d.notes
            .iter()
            .any(|n| n.starts_with("pgadmin is behind the profile tools")),
        "{:?}",
        d.notes
    );
}

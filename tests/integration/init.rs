//! `devctl init` on real layouts, each followed by `devctl ready`: a letta-style monorepo (Redis
//! and pgvector in compose, an init SQL script, Alembic under `apps/core` run through uv), a
//! compose file in a subdirectory, and a plain sqlx project. What init writes must be what ready
//! needs, without an edit.

use crate::alembic_project::{ENV_PY, INITIAL, SCRIPT_MAKO, alembic_available};
use crate::support::{DockerGuard, Output, Project, free_port, postgres_image, query, unique};

/// letta's `compose.yaml` for local development, as its docs describe it: Redis, pgvector with its
/// data under `./data/postgres` and an init script, and the app itself (build only).
fn letta_compose(name: Option<&str>, images: (&str, &str), ports: (u16, u16)) -> String {
    let name = name.map_or_else(String::new, |n| format!("name: {n}\n"));
    let (redis_image, pg_image) = images;
    let (redis_port, pg_port) = ports;
    // The suite's image has redis-server but not Redis's entrypoint.
    let redis_command = if redis_image.starts_with("redis") {
        String::new()
    } else {
        "    command: [\"redis-server\", \"--protected-mode\", \"no\"]\n".to_string()
    };
    format!(
        "{name}services:\n  redis:\n    image: {redis_image}\n{redis_command}    ports:\n      - \"127.0.0.1:{redis_port}:6379\"\n  postgres:\n    image: {pg_image}\n    environment:\n      POSTGRES_USER: postgres\n      POSTGRES_PASSWORD: postgres\n      POSTGRES_DB: letta-core\n    ports:\n      - \"127.0.0.1:{pg_port}:5432\"\n    volumes:\n      - ./data/postgres:/var/lib/postgresql/data\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n  letta_server:\n    build: .\n    depends_on: [postgres, redis]\n"
    )
}

/// The letta-style files other than the compose file, with Alembic in `alembic_dir` (`apps/core`
/// or `.`). Its `env.py` falls back to SQLite when `LETTA_PG_URI` is unset, as letta's does.
fn letta_files(project: &Project, alembic_dir: &str) {
    let at = |path: &str| {
        if alembic_dir == "." {
            path.to_string()
        } else {
            format!("{alembic_dir}/{path}")
        }
    };
    let env_py = ENV_PY.replace(
        "url = os.environ[\"APP_DATABASE_URL\"]  # no silent fallback: fail when devctl did not export it",
        "url = os.environ.get(\"LETTA_PG_URI\") or \"sqlite:///letta.db\"",
    );
    assert_ne!(env_py, ENV_PY);
    project
        .file("init.sql", "CREATE EXTENSION IF NOT EXISTS vector;\n")
        .file(
            ".env.example",
            "# letta\nOPENAI_API_KEY=\nLETTA_PG_URI=\n",
        )
        .file(
            "pyproject.toml",
            "[project]\nname = \"letta-style\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"alembic\", \"sqlalchemy\", \"pg8000\"]\n\n[tool.uv]\npackage = false\n",
        )
        .file(&at("alembic.ini"), "[alembic]\nscript_location = alembic\nprepend_sys_path = .\n")
        .file(&at("alembic/env.py"), &env_py)
        .file(&at("alembic/script.py.mako"), SCRIPT_MAKO)
        .file(&at("alembic/versions/0001_create_users.py"), INITIAL)
        .file(
            &at("models.py"),
            "import sqlalchemy as sa\nmetadata = sa.MetaData()\n",
        );
}

fn plan(output: &Output) -> Vec<(String, String)> {
    let plan = output
        .events()
        .into_iter()
        .find(|e| e["event"] == "plan")
        .expect("a plan event");
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["description"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn init_on_a_letta_style_checkout_gives_a_correct_plan_without_an_edit() {
    for (alembic_dir, workdir) in [("apps/core", "apps/core"), (".", ".")] {
        let project = Project::new();
        project
            .file(
                "compose.yaml",
                &letta_compose(
                    None,
                    ("redis:alpine", "ankane/pgvector:v0.5.1"),
                    (6379, 5432),
                ),
            )
            .file("uv.lock", "[[package]]\nname = \"pg8000\"\n");
        letta_files(&project, alembic_dir);

        let init = project.devctl(&["init", "--yes"]);
        init.success()
            .stderr_has("letta_server has only build:, skipped");
        let settings = project.read("devctl.toml");
        assert!(
            settings.contains("services = [\"redis\", \"postgres\"]"),
            "{settings}"
        );
        assert!(
            settings.contains("data_dir = \"data/postgres\""),
            "{settings}"
        );
        assert_eq!(
            project.read(".env.example"),
            "# letta\nOPENAI_API_KEY=\nLETTA_PG_URI=postgresql+pg8000://postgres:postgres@localhost:5432/letta-core\n",
            "the empty URL line is filled in place, the rest kept"
        );

        let output = project.devctl(&["ready", "--dry-run", "--json"]);
        output.success();
        let steps = plan(&output);
        let names: Vec<&str> = steps.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "prerequisites",
                ".env",
                "start redis",
                "start postgres",
                "wait for redis",
                "wait for database",
                "extensions",
                "migrations"
            ],
            "{steps:?}"
        );
        let step = |name: &str| &steps.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(step("prerequisites").contains("uv"), "{steps:?}");
        assert!(step("start postgres").contains("ankane/pgvector:v0.5.1"));
        assert!(
            step("wait for database")
                .contains("postgresql+pg8000://postgres:***@localhost:5432/letta-core"),
            "{steps:?}"
        );
        assert_eq!(step("extensions"), "CREATE EXTENSION IF NOT EXISTS vector");
        assert_eq!(
            step("migrations"),
            &format!("run `uv run alembic upgrade head` in {workdir} with LETTA_PG_URI set")
        );
        assert!(
            !project.join(".env").exists() && !project.join("data").exists(),
            "a dry run changes nothing"
        );
    }
}

fn uv_available() -> bool {
    let ok = std::process::Command::new("uv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "uv must be installed under CI=true (scripts/test.sh installs it)"
        );
        eprintln!("skipping: uv is not installed");
    }
    ok
}

#[test]
fn init_then_ready_on_a_letta_style_monorepo_runs_redis_postgres_and_alembic_through_uv() {
    if !alembic_available() || !uv_available() {
        return;
    }
    let Some(image) = postgres_image() else {
        return;
    };
    let name = unique("dl");
    let _guard = DockerGuard::new(&name);
    let (redis_port, pg_port) = (free_port(), free_port());
    let project = Project::new();
    project.file(
        "compose.yaml",
        &letta_compose(Some(&name), (&image, &image), (redis_port, pg_port)),
    );
    letta_files(&project, "apps/core");
    let lock = std::process::Command::new("uv")
        .arg("lock")
        .current_dir(project.path())
        .output()
        .unwrap();
    assert!(
        lock.status.success(),
        "{}",
        String::from_utf8_lossy(&lock.stderr)
    );

    project.devctl(&["init", "--yes"]).success();
    let output = project.devctl(&["ready"]);
    output.success();

    // Alembic ran against Postgres, not a silent SQLite fallback.
    let url = format!("postgres://postgres:postgres@127.0.0.1:{pg_port}/letta-core");
    assert_eq!(
        query(&url, "SELECT version_num FROM alembic_version"),
        ["0001"]
    );
    assert_eq!(
        query(
            &url,
            "SELECT extname::text FROM pg_extension WHERE extname = 'vector'"
        ),
        ["vector"]
    );
    assert!(!project.join("apps/core/letta.db").exists());
    assert!(project.join("data/postgres/PG_VERSION").exists());
    // Redis answers.
    let mut redis = std::net::TcpStream::connect(("127.0.0.1", redis_port)).unwrap();
    std::io::Write::write_all(&mut redis, b"PING\r\n").unwrap();
    let mut reply = [0u8; 7];
    std::io::Read::read_exact(&mut redis, &mut reply).unwrap();
    assert_eq!(&reply, b"+PONG\r\n");

    let status = project.devctl(&["status", "--json"]);
    status.success();
    assert_eq!(
        status.events()[0]["alembic"]["applied"],
        serde_json::json!(["0001"])
    );
    assert_eq!(
        status.events()[0]["alembic"]["ini"],
        "apps/core/alembic.ini"
    );
}

#[test]
fn init_then_ready_with_the_compose_file_in_a_subdirectory() {
    let Some(image) = postgres_image() else {
        return;
    };
    let name = unique("ds");
    let _guard = DockerGuard::new(&name);
    let port = free_port();
    let project = Project::new();
    project
        .file(
            "docker/docker-compose.yml",
            &format!(
                "name: {name}\nservices:\n  db:\n    image: {image}\n    environment:\n      POSTGRES_PASSWORD: s3cr%t@\n      POSTGRES_DB: app\n    ports:\n      - \"127.0.0.1:{port}:5432\"\n    volumes:\n      - ../data/pg:/var/lib/postgresql/data\n"
            ),
        )
        .file(
            "migrations/0001_users.sql",
            "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, embedding vector(3));\n",
        );

    project.devctl(&["init", "--yes"]).success();
    let example = project.read(".env.example");
    assert!(
        example.contains(&format!(
            "\nDATABASE_URL=postgresql://postgres:s3cr%25t%40@localhost:{port}/app\n"
        )),
        "{example}"
    );
    project
        .devctl(&["ready"])
        .success()
        .stderr_has("applied 1 migration");
    let url = format!("postgres://postgres:s3cr%25t%40@127.0.0.1:{port}/app");
    assert_eq!(
        query(&url, "SELECT description FROM _sqlx_migrations"),
        ["users"]
    );
    assert!(
        project.join("data/pg/PG_VERSION").exists(),
        "the bind mount is taken relative to the compose file"
    );
    project.devctl(&["status"]).success();
}

#[test]
fn init_then_ready_on_a_plain_sqlx_project_and_never_overwrites() {
    let project = Project::new();
    project.file(
        "migrations/0001_users.sql",
        "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
    );
    project.devctl(&["init", "--yes"]).success();
    assert!(project.join("devctl.toml").exists() && project.join(".env.example").exists());
    project
        .devctl(&["init", "--yes"])
        .expect_code(2)
        .stderr_has("--force");
    project
        .devctl(&["ready"])
        .success()
        .stderr_has("applied 1 migration");
}

#[test]
fn init_says_when_an_existing_env_keeps_the_sqlite_default() {
    let project = Project::new();
    project.file(
        "compose.yaml",
        &letta_compose(None, ("redis:alpine", "ankane/pgvector"), (6379, 5432)),
    );
    letta_files(&project, "apps/core");
    project.file(".env", "OPENAI_API_KEY=x\n");
    let output = project.devctl(&["init", "--dry-run"]);
    output.success().stderr_has(
        ".env does not set LETTA_PG_URI: devctl uses the SQLite default here until it does",
    );
    assert!(
        !project.join("devctl.toml").exists(),
        "a dry run writes nothing"
    );
    assert_eq!(
        project.read(".env.example"),
        "# letta\nOPENAI_API_KEY=\nLETTA_PG_URI=\n"
    );
}

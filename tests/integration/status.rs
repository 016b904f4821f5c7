//! `devctl status`: read-only, and every kind of drift named with its fix.

use crate::support::{PgProject, Project};

fn sqlite_project() -> Project {
    let project = Project::new();
    project
        .file(
            "devctl.toml",
            "[database]\nurl_env = \"APP_DATABASE_URL\"\n[migrations]\ndir = \"migrations\"\n",
        )
        .file(
            "migrations/0001_users.sql",
            "CREATE TABLE users (id INTEGER PRIMARY KEY);\n",
        )
        .file(
            "migrations/0002_notes.sql",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n",
        );
    project
}

fn sqlite_exec(project: &Project, sql: &str) {
    let url = format!("sqlite://{}", project.join("data/dev.sqlite").display());
    let sql = sql.to_string();
    crate::support::block_on(async move {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    });
}

fn problems(output: &crate::support::Output) -> Vec<(String, String)> {
    output.summary()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["message"].as_str().unwrap().to_string(),
                p["fix"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sqlite_status_is_read_only_and_names_each_drift() {
    let project = sqlite_project();
    let fresh = project.devctl(&["status", "--json"]);
    fresh.expect_code(1);
    assert!(
        !project.join("data/dev.sqlite").exists(),
        "status created nothing"
    );
    assert!(problems(&fresh)[0].0.contains("does not exist yet"));

    project.devctl(&["ready"]).success();
    let clean = project.devctl(&["status", "--json"]);
    clean.success();
    assert_eq!(clean.events()[0]["migrations"]["applied"], 2);

    // Pending.
    project.file(
        "migrations/0003_tags.sql",
        "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n",
    );
    let output = project.devctl(&["status", "--json"]);
    output.expect_code(1);
    assert_eq!(
        problems(&output),
        [(
            "1 migration pending: 0003_tags.sql".to_string(),
            "devctl ready".to_string()
        )]
    );
    project.devctl(&["ready"]).success();

    // Modified after being applied.
    project.file(
        "migrations/0002_notes.sql",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n",
    );
    let output = project.devctl(&["status"]);
    output.expect_code(1);
    assert!(
        output
            .stdout
            .contains("changed after being applied: 0002_notes.sql")
            && output.stdout.contains("fix: devctl reset-db"),
        "{}",
        output.stdout
    );
    project.file(
        "migrations/0002_notes.sql",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n",
    );

    // Applied but missing on disk.
    std::fs::remove_file(project.join("migrations/0003_tags.sql")).unwrap();
    let output = project.devctl(&["status", "--json"]);
    output.expect_code(1);
    assert_eq!(
        output.events()[0]["migrations"]["missing"],
        serde_json::json!([3])
    );
    assert_eq!(problems(&output)[0].1, "devctl reset-db");

    // Failed (dirty).
    sqlite_exec(
        &project,
        "DELETE FROM _sqlx_migrations WHERE version = 3; UPDATE _sqlx_migrations SET success = 0 WHERE version = 2",
    );
    let output = project.devctl(&["status", "--json"]);
    output.expect_code(1);
    assert_eq!(
        output.events()[0]["migrations"]["failed"],
        serde_json::json!(["0002_notes.sql"])
    );
}

#[test]
fn postgres_status_reports_services_extensions_and_what_is_down() {
    let Some(pg) = PgProject::new() else { return };
    pg.devctl(&["ready"]).success();
    let output = pg.devctl(&["status", "--json"]);
    output.success();
    let status = &output.events()[0];
    let container = &status["services"][0]["container"];
    assert_eq!(container["state"], "running", "{status}");
    assert_eq!(container["created_by"], "devctl");
    assert!(
        container["ports"][0]
            .as_str()
            .unwrap()
            .contains(&pg.port.to_string()),
        "{container}"
    );
    assert!(
        status["database"]["server"]
            .as_str()
            .unwrap()
            .starts_with("PostgreSQL 17"),
        "{status}"
    );
    assert_eq!(status["database"]["extensions"][0]["present"], true);

    pg.execute("DROP TABLE items; DROP EXTENSION vector");
    let output = pg.devctl(&["status", "--json"]);
    output.expect_code(1);
    assert!(
        problems(&output)
            .iter()
            .any(|(m, f)| m == "extension vector is not created" && f == "devctl ready"),
        "{:?}",
        problems(&output)
    );

    pg.devctl(&["down"]).success();
    let _holder = std::net::TcpListener::bind(("127.0.0.1", pg.port)).unwrap();
    let output = pg.devctl(&["status", "--json"]);
    output.expect_code(1);
    let problems = problems(&output);
    assert!(
        problems
            .iter()
            .any(|(m, f)| m.starts_with("db is exited") && f == "devctl up"),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|(m, _)| m.contains(&format!(
            "port {}: process {}",
            pg.port,
            std::process::id()
        ))),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|(m, _)| m.starts_with("the database is not reachable")),
        "{problems:?}"
    );
    // Unreachable: the migrations are not compared, so none is called pending.
    let migrations = &output.events()[0]["migrations"];
    assert_eq!(migrations["compared"], false, "{migrations}");
    assert_eq!(migrations["on_disk"], 2);
    assert_eq!(migrations["pending"], serde_json::json!([]));
    assert!(
        !problems.iter().any(|(m, _)| m.contains("pending")),
        "{problems:?}"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = Project::new().devctl(&["completions", shell]);
        output.success();
        assert!(
            output.stdout.contains("reset-db"),
            "{shell}: {}",
            output.stdout
        );
    }
    Project::new()
        .devctl(&["completions", "tcsh"])
        .expect_code(2);
}

#[test]
fn postgres_status_names_each_native_migration_drift() {
    let Some(pg) = PgProject::new() else { return };
    pg.devctl(&["ready"]).success();
    pg.devctl(&["status", "--json"]).success();

    // Pending.
    pg.project.file(
        "migrations/0003_tags.sql",
        "CREATE TABLE tags (id BIGSERIAL PRIMARY KEY);\n",
    );
    let output = pg.devctl(&["status", "--json"]);
    output.expect_code(1);
    assert_eq!(
        problems(&output),
        [(
            "1 migration pending: 0003_tags.sql".to_string(),
            "devctl ready".to_string()
        )]
    );
    pg.devctl(&["ready"]).success();

    // Changed after being applied.
    pg.project.file(
        "migrations/0002_items.sql",
        "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, embedding vector(4));\n",
    );
    let output = pg.devctl(&["status", "--json"]);
    output.expect_code(1);
    assert_eq!(
        output.events()[0]["migrations"]["modified"],
        serde_json::json!(["0002_items.sql"])
    );

    // Applied but missing on disk, and failed (dirty), at once: both named.
    pg.project.file(
        "migrations/0002_items.sql",
        "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, embedding vector(3));\n",
    );
    std::fs::remove_file(pg.project.join("migrations/0003_tags.sql")).unwrap();
    pg.execute("UPDATE _sqlx_migrations SET success = false WHERE version = 2");
    let output = pg.devctl(&["status", "--json"]);
    output.expect_code(1);
    let migrations = &output.events()[0]["migrations"];
    assert_eq!(migrations["missing"], serde_json::json!([3]));
    assert_eq!(migrations["failed"], serde_json::json!(["0002_items.sql"]));
    assert!(
        problems(&output)
            .iter()
            .all(|(_, fix)| fix == "devctl reset-db"),
        "{:?}",
        problems(&output)
    );
    pg.devctl(&["reset-db", "--yes"]).success();
    pg.devctl(&["status", "--json"]).success();
}

//! `devctl reset-db`: back to a clean baseline, safely.

use std::process::{Command, Stdio};

use crate::support::{PgProject, Project, block_on, docker_client, sqlite_tables, start_by_hand};

#[test]
fn drift_is_gone_after_a_reset() {
    let Some(pg) = PgProject::new() else { return };
    pg.devctl(&["ready"]).success();
    pg.execute("CREATE TABLE drift (id int)");
    pg.execute("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99, 'gone', true, '\\x00', 0)");
    pg.execute("CREATE ROLE drifter");

    let output = pg.devctl(&["reset-db", "--yes", "--json"]);
    output.success();
    let statuses = output.statuses();
    assert_eq!(statuses["wipe"], "done", "{statuses:?}");
    assert_eq!(statuses["migrations"], "done");
    assert_eq!(
        pg.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"),
        ["_sqlx_migrations", "items", "users"]
    );
    assert_eq!(
        pg.query("SELECT version::text FROM _sqlx_migrations ORDER BY 1"),
        ["1", "2"]
    );
    assert!(
        pg.query("SELECT rolname::text FROM pg_roles WHERE rolname = 'drifter'")
            .is_empty()
    );
    assert_eq!(pg.containers().len(), 1);
}

#[test]
fn a_bind_on_a_parent_of_pgdata_is_wiped_whole() {
    // `./data/pg:/var/lib/postgresql`, as the postgres:18 images recommend: the data directory
    // is the whole mount, with PGDATA beneath it.
    let Some(pg) = PgProject::new() else { return };
    let compose = pg.project.read("docker-compose.yml").replace(
        "./data/postgres:/var/lib/postgresql/data",
        "./data/pg:/var/lib/postgresql",
    );
    pg.project.file("docker-compose.yml", &compose);
    pg.devctl(&["ready"]).success();
    assert!(pg.project.join("data/pg/data/PG_VERSION").exists());
    pg.execute("CREATE TABLE drift (id int)");
    std::fs::write(pg.project.join("data/notes.txt"), "mine").unwrap();

    let output = pg.devctl(&["reset-db", "--yes", "--json"]);
    output.success();
    assert_eq!(output.statuses()["wipe"], "done");
    assert_eq!(
        pg.query("SELECT coalesce(to_regclass('drift')::text, '')"),
        [""]
    );
    assert_eq!(
        pg.query("SELECT version::text FROM _sqlx_migrations ORDER BY 1"),
        ["1", "2"]
    );
    assert_eq!(
        pg.project.read("data/notes.txt"),
        "mine",
        "only the mount was wiped"
    );

    // Something else inside the mount: refused, nothing deleted.
    pg.devctl(&["down"]).success();
    std::fs::write(pg.project.join("data/pg/keep.txt"), "mine").unwrap();
    pg.devctl(&["reset-db", "--yes"])
        .expect_code(2)
        .stderr_has("neither empty nor a Postgres data directory");
    assert!(pg.project.join("data/pg/data/PG_VERSION").exists());
}

#[test]
fn without_a_terminal_or_yes_it_refuses_and_touches_nothing() {
    let Some(pg) = PgProject::new() else { return };
    pg.devctl(&["ready"]).success();
    let before = pg.containers();
    pg.execute("CREATE TABLE keep_me (id int)");
    pg.devctl(&["reset-db"]).expect_code(2).stderr_has("--yes");
    assert_eq!(pg.containers(), before);
    assert_eq!(pg.query("SELECT to_regclass('keep_me')::text"), ["keep_me"]);
}

#[test]
fn a_data_directory_outside_the_project_is_refused() {
    let Some(pg) = PgProject::new() else { return };
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("PG_VERSION"), "17\n").unwrap();
    std::fs::create_dir_all(pg.project.join("data")).unwrap();
    std::os::unix::fs::symlink(outside.path(), pg.project.join("data/postgres")).unwrap();
    let output = pg.devctl(&["reset-db", "--yes"]);
    output.expect_code(2).stderr_has("outside the project");
    assert!(
        outside.path().join("PG_VERSION").exists(),
        "nothing was deleted"
    );

    // Configured directly, too.
    let toml = pg.project.read("devctl.toml").replace(
        "[database]\n",
        &format!(
            "[database]\ndata_dir = \"../{}\"\n",
            outside.path().file_name().unwrap().to_string_lossy()
        ),
    );
    pg.project.file("devctl.toml", &toml);
    pg.devctl(&["reset-db", "--yes"]).expect_code(2);
    assert!(
        outside.path().join("PG_VERSION").exists(),
        "nothing was deleted"
    );
}

#[test]
fn a_container_started_by_hand_on_the_port_is_replaced() {
    let Some(mut pg) = PgProject::new() else {
        return;
    };
    let name = format!("{}-byhand", pg.name);
    pg.guard.names.push(name.clone());
    let hand_id = start_by_hand(&pg.image, &name, pg.port, None);
    let output = pg.devctl(&["reset-db", "--yes", "--json"]);
    output.success().stderr_has("byhand");
    let gone = block_on(async move {
        docker_client()
            .await
            .unwrap()
            .inspect_container(&hand_id, None)
            .await
            .is_err()
    });
    assert!(gone, "the hand-started container was removed");
    assert_eq!(
        pg.containers().len(),
        1,
        "devctl's own container replaced it"
    );
    assert_eq!(
        pg.query("SELECT count(*)::text FROM _sqlx_migrations"),
        ["2"]
    );
}

#[test]
fn a_second_concurrent_reset_fails_fast_and_the_first_completes() {
    let Some(pg) = PgProject::new() else { return };
    pg.devctl(&["ready"]).success();
    let mut first = Command::new(env!("CARGO_BIN_EXE_devctl"))
        .args(["reset-db", "--yes", "--json"])
        .current_dir(pg.project.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the first run holds the lock: its JSON stream says so.
    let stdout = first.stdout.take().unwrap();
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.contains("\"step_finished\"") && line.contains("\"step\":\"lock\"") {
            break;
        }
    }
    assert!(
        seen.last().is_some_and(|l| l.contains("lock")),
        "the first run never took the lock: {seen:?}"
    );
    let second = pg.devctl(&["reset-db", "--yes"]);
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    second.expect_code(2);
    assert!(
        second.stderr.contains("another devctl run") && second.stderr.contains("pid"),
        "{}",
        second.stderr
    );
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        rest.last().is_some_and(|l| l.contains("\"ok\":true")),
        "{rest:?}"
    );
}

#[test]
fn sqlite_reset_recreates_the_file_and_refuses_autogenerate() {
    let project = Project::new();
    project
        .file("devctl.toml", "[database]\nurl_env = \"APP_DATABASE_URL\"\n[migrations]\ndir = \"migrations\"\nautogenerate = \"true {message}\"\n")
        .file("migrations/0001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
    project.devctl(&["ready"]).success();
    let db = project.join("data/dev.sqlite");
    crate::support::block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::raw_sql("CREATE TABLE drift (id INTEGER)")
            .execute(&mut conn)
            .await
            .unwrap();
    });
    assert!(sqlite_tables(&db).contains(&"drift".to_string()));
    project.devctl(&["reset-db", "--yes"]).success();
    assert_eq!(sqlite_tables(&db), ["_sqlx_migrations", "users"]);

    let output = project.devctl(&["reset-db", "--yes", "--autogenerate", "add email"]);
    output.expect_code(2).stderr_has("SQLite");
}

#[test]
fn on_a_fresh_checkout_reset_db_works_like_ready() {
    let Some(pg) = PgProject::new() else { return };
    let output = pg.devctl(&["reset-db", "--yes", "--json"]);
    output.success();
    assert_eq!(output.statuses()["wipe"], "unchanged");
    assert_eq!(
        pg.query("SELECT count(*)::text FROM _sqlx_migrations"),
        ["2"]
    );
}

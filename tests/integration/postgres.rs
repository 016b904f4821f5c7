//! Postgres + pgvector in a real container, from the project's compose file.

use std::time::{Duration, Instant};

use crate::support::{PgProject, start_by_hand};

#[test]
fn ready_from_scratch_then_again_changes_nothing() {
    let Some(pg) = PgProject::new() else { return };
    let first = pg.devctl(&["ready", "--json"]);
    first.success();
    let statuses = first.statuses();
    assert_eq!(statuses["start db"], "done", "{statuses:?}");
    assert_eq!(statuses["extensions"], "done");
    assert_eq!(statuses["migrations"], "done");
    let containers = pg.containers();
    assert_eq!(containers.len(), 1, "{containers:?}");
    assert_eq!(
        pg.query("SELECT extname::text FROM pg_extension WHERE extname = 'vector'"),
        ["vector"]
    );
    assert_eq!(
        pg.query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"),
        ["_sqlx_migrations", "items", "users"]
    );
    let summary = first.summary();
    assert_eq!(
        summary["export"],
        format!("export APP_DATABASE_URL={}", pg.url()),
        "the export line carries the URL exactly as configured"
    );
    assert!(
        pg.project.join("data/postgres/PG_VERSION").exists(),
        "the data directory is the bind mount"
    );

    let second = pg.devctl(&["ready", "--json"]);
    second.success();
    for (step, status) in second.statuses() {
        assert!(
            status == "unchanged" || status == "skipped",
            "{step} was {status} on a ready environment"
        );
    }
    assert_eq!(pg.containers(), containers, "the same container is kept");
}

#[test]
fn a_container_started_by_hand_is_adopted() {
    let Some(mut pg) = PgProject::new() else {
        return;
    };
    let name = format!("{}-manual", pg.name);
    pg.guard.names.push(name.clone());
    pg.write_compose(&format!("    container_name: {name}\n"));
    let data = pg.project.join("data/postgres");
    std::fs::create_dir_all(&data).unwrap();
    let id = start_by_hand(&pg.image, &name, pg.port, Some(&data));
    let output = pg.devctl(&["ready", "--json"]);
    output.success().stderr_has("adopted");
    assert!(
        pg.containers().is_empty(),
        "no second container was created: {:?}",
        pg.containers()
    );
    assert_eq!(output.statuses()["start db"], "unchanged");
    assert_eq!(
        pg.query("SELECT count(*)::text FROM _sqlx_migrations"),
        ["2"]
    );
    let _ = id;
}

#[test]
fn a_taken_port_is_reported_with_its_holder() {
    let Some(pg) = PgProject::new() else { return };
    let _holder = std::net::TcpListener::bind(("127.0.0.1", pg.port)).unwrap();
    let output = pg.devctl(&["ready"]);
    output.expect_code(1).stderr_has(&format!(
        "port {} is already in use by process {}",
        pg.port,
        std::process::id()
    ));
    assert!(
        pg.containers().is_empty(),
        "nothing was created: {:?}",
        pg.containers()
    );
}

#[test]
fn a_missing_image_is_named_with_how_to_provide_it() {
    let Some(pg) = PgProject::new() else { return };
    let compose = pg
        .project
        .read("docker-compose.yml")
        .replace(&pg.image, "devctl-test/no-such-image:1");
    pg.project.file("docker-compose.yml", &compose);
    pg.devctl(&["ready"])
        .expect_code(1)
        .stderr_has("devctl-test/no-such-image:1")
        .stderr_has("hint:");
}

#[test]
fn a_container_that_exits_during_init_fails_at_once_with_its_logs() {
    let Some(pg) = PgProject::new() else { return };
    pg.project
        .file("initdb/broken.sql", "CREATE TABLE broken (;\n");
    pg.write_compose("      - ./initdb:/docker-entrypoint-initdb.d\n");
    let started = Instant::now();
    let output = pg.devctl(&["ready"]);
    output
        .expect_code(1)
        .stderr_has("stopped while starting")
        .stderr_has("exit code")
        .stderr_has("syntax error");
    assert!(
        started.elapsed() < Duration::from_secs(45),
        "failed at once, not at the 60 s deadline"
    );
}

#[test]
fn dry_run_creates_no_container() {
    let Some(pg) = PgProject::new() else { return };
    let output = pg.devctl(&["ready", "--dry-run"]);
    output.success().stderr_has("start db");
    assert!(pg.containers().is_empty());
    assert!(!pg.project.join("data").exists());
}

#[test]
fn down_stops_and_keeps_data_up_starts_again() {
    let Some(pg) = PgProject::new() else { return };
    pg.devctl(&["ready"]).success();
    pg.devctl(&["down", "--json"]).success();
    assert!(
        pg.project.join("data/postgres/PG_VERSION").exists(),
        "down keeps the data"
    );
    let output = pg.devctl(&["up", "--json"]);
    output.success();
    assert_eq!(output.statuses()["start db"], "done");
    assert_eq!(
        pg.query("SELECT count(*)::text FROM _sqlx_migrations"),
        ["2"]
    );
}

#[test]
fn an_extension_the_image_lacks_is_named() {
    let Some(pg) = PgProject::new() else { return };
    let toml = pg.project.read("devctl.toml").replace(
        "extensions = [\"vector\"]",
        "extensions = [\"vector\", \"devctl_no_such_ext\"]",
    );
    pg.project.file("devctl.toml", &toml);
    pg.devctl(&["ready"])
        .expect_code(1)
        .stderr_has("does not ship the extension \"devctl_no_such_ext\"")
        .stderr_has("hint:");
}

#[test]
fn the_compose_override_file_is_merged_as_docker_compose_does() {
    // The published port lives only in docker-compose.override.yml, as local settings often do.
    let Some(pg) = PgProject::new() else { return };
    let base = pg.project.read("docker-compose.yml");
    let port_lines = format!("    ports:\n      - \"127.0.0.1:{}:5432\"\n", pg.port);
    assert!(base.contains(&port_lines));
    pg.project
        .file("docker-compose.yml", &base.replace(&port_lines, ""))
        .file(
            "docker-compose.override.yml",
            &format!(
                "services:\n  db:\n{port_lines}    command: [\"postgres\", \"-c\", \"work_mem=7MB\"]\n"
            ),
        );
    pg.devctl(&["ready"]).success();
    assert_eq!(pg.query("SELECT current_setting('work_mem')"), ["7MB"]);
    assert_eq!(
        pg.query("SELECT count(*)::text FROM _sqlx_migrations"),
        ["2"]
    );
}

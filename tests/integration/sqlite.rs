//! The embedded SQLite default: no database URL, no Docker, a real file.

use crate::support::{Project, sqlite_tables};

fn sqlite_project() -> Project {
    let project = Project::new();
    project
        .file("devctl.toml", "[database]\nurl_env = \"APP_DATABASE_URL\"\n[migrations]\ndir = \"migrations\"\n")
        .file(".env.example", "# APP_DATABASE_URL=postgresql+pg8000://postgres:postgres@localhost:5432/app\nAPP_SECRET=changeme\n")
        .file("migrations/0001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n")
        .file("migrations/0002_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n");
    project
}

#[test]
fn ready_creates_env_and_database_then_changes_nothing() {
    let project = sqlite_project();
    let first = project.devctl(&["ready", "--json"]);
    first.success();
    assert_eq!(project.read(".env"), project.read(".env.example"));
    let db = project.join("data/dev.sqlite");
    assert_eq!(sqlite_tables(&db), ["_sqlx_migrations", "notes", "users"]);
    let statuses = first.statuses();
    assert_eq!(statuses["migrations"], "done", "{statuses:?}");
    assert_eq!(statuses[".env"], "done");
    assert_eq!(first.summary()["ok"], true);

    let second = project.devctl(&["ready", "--json"]);
    second.success().stderr_has("nothing to do");
    for (step, status) in second.statuses() {
        assert!(
            status == "unchanged" || status == "skipped",
            "{step} was {status} on a ready project"
        );
    }
}

#[test]
fn env_is_never_overwritten_and_missing_keys_are_reported() {
    let project = sqlite_project();
    project.file(".env", "MY_OWN=1\n");
    project
        .devctl(&["ready"])
        .success()
        .stderr_has("APP_SECRET is in .env.example but not in .env");
    assert_eq!(project.read(".env"), "MY_OWN=1\n");
}

#[test]
fn a_failing_migration_names_its_file_and_keeps_the_earlier_ones() {
    let project = sqlite_project();
    project.file(
        "migrations/0003_broken.sql",
        "CREATE TABLE broken (id INTEGER PRIMARY KEY;\n",
    );
    let output = project.devctl(&["ready", "--json"]);
    output.expect_code(1).stderr_has("0003_broken.sql");
    assert_eq!(output.summary()["ok"], false);
    assert_eq!(output.statuses()["migrations"], "failed");
    assert_eq!(
        sqlite_tables(&project.join("data/dev.sqlite")),
        ["_sqlx_migrations", "notes", "users"]
    );

    // Fixed, the next run applies only the repaired migration.
    project.file(
        "migrations/0003_broken.sql",
        "CREATE TABLE broken (id INTEGER PRIMARY KEY);\n",
    );
    project
        .devctl(&["ready"])
        .success()
        .stderr_has("applied 0003_broken.sql");
}

#[test]
fn dry_run_creates_nothing() {
    let project = sqlite_project();
    let output = project.devctl(&["ready", "--dry-run", "--json"]);
    output.success().stderr_has("dry run");
    assert!(!project.join(".env").exists());
    assert!(!project.join("data").exists());
    let statuses = output.statuses();
    assert!(statuses.values().all(|s| s == "planned"), "{statuses:?}");
}

#[test]
fn a_failing_migration_command_fails_the_run_with_its_status() {
    let project = Project::new();
    project.file(
        "devctl.toml",
        "[database]\nurl_env = \"APP_DATABASE_URL\"\n[migrations]\ncommand = \"sh -c 'echo migrating $APP_DATABASE_URL; exit 3'\"\n",
    );
    project.file(".env", "APP_DATABASE_URL=sqlite:///data/app.db\n");
    let output = project.devctl(&["ready", "--json"]);
    output
        .expect_code(1)
        .stderr_has("failed with exit status 3")
        .stderr_has("migrating sqlite:///data/app.db");
    let outputs: Vec<_> = output
        .events()
        .into_iter()
        .filter(|e| e["event"] == "output")
        .collect();
    assert_eq!(outputs[0]["line"], "migrating sqlite:///data/app.db");
}

#[test]
fn a_missing_program_is_named_with_an_install_hint() {
    let project = Project::new();
    project.file(
        "devctl.toml",
        "[migrations]\ncommand = \"devctl-no-such-program upgrade\"\n",
    );
    project
        .devctl(&["ready"])
        .expect_code(1)
        .stderr_has("devctl-no-such-program is not installed")
        .stderr_has("hint:");
}

#[test]
fn json_lines_end_with_a_summary_even_when_configuration_fails() {
    let project = Project::new();
    project.file("devctl.toml", "[database\n");
    let output = project.devctl(&["ready", "--json"]);
    output.expect_code(2);
    let summary = output.summary();
    assert_eq!(summary["ok"], false);
    assert_eq!(summary["error"]["exit_code"], 2);
}

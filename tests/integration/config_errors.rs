//! Bad input: clear errors, exit status 2, nothing touched.

use crate::support::Project;

#[test]
fn malformed_devctl_toml_names_line_and_column() {
    let project = Project::new();
    project.file(
        "devctl.toml",
        "services = [\"db\"]\n[database]\nurl_env = LETTA\n",
    );
    let output = project.devctl(&["ready"]);
    output.expect_code(2).stderr_has("devctl.toml:3:");
    assert!(!project.join("data").exists());
}

#[test]
fn an_unknown_key_is_named() {
    let project = Project::new();
    project.file("devctl.toml", "[database]\nurl_envv = \"X\"\n");
    project
        .devctl(&["ready"])
        .expect_code(2)
        .stderr_has("url_envv");
}

#[test]
fn no_devctl_toml_says_how_to_fix_it() {
    let project = Project::new();
    project
        .devctl(&["ready"])
        .expect_code(2)
        .stderr_has("no devctl.toml")
        .stderr_has("hint:");
}

#[test]
fn an_unsupported_database_url_is_a_configuration_error() {
    let project = Project::new();
    project
        .file(
            "devctl.toml",
            "[database]\nurl_env = \"APP_DATABASE_URL\"\n",
        )
        .file(".env", "APP_DATABASE_URL=mysql://x@y/z\n");
    project
        .devctl(&["ready"])
        .expect_code(2)
        .stderr_has("APP_DATABASE_URL");
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    Project::new()
        .devctl(&["ready", "--frobnicate"])
        .expect_code(2);
}

#[test]
fn status_on_an_unreadable_alembic_history_is_a_configuration_error_a_duplicate_is_not() {
    let project = Project::new();
    project
        .file(
            "devctl.toml",
            "[migrations]\ncommand = \"alembic upgrade head\"\nworkdir = \"server\"\n",
        )
        .file("server/alembic.ini", "[alembic]\nsqlalchemy.url = x\n");
    project
        .devctl(&["status"])
        .expect_code(2)
        .stderr_has("no script_location in its [alembic] section");

    // A history status can read is not a configuration error, even with a duplicate revision:
    // Alembic only warns about it, and status names it as a problem.
    project
        .file(
            "server/alembic.ini",
            "[alembic]\nscript_location = migrations\n",
        )
        .file(
            "server/migrations/versions/a.py",
            "revision = 'abc'\ndown_revision = None\n",
        )
        .file(
            "server/migrations/versions/b.py",
            "revision = 'abc'\ndown_revision = None\n",
        );
    let output = project.devctl(&["status", "--json"]);
    output.expect_code(1);
    let problems = output.summary()["problems"].to_string();
    assert!(
        problems.contains(
            "revision abc is defined twice, in server/migrations/versions/a.py and server/migrations/versions/b.py"
        ),
        "{problems}"
    );
    assert!(!project.join("data").exists(), "status created nothing");
}

#[test]
fn status_on_a_missing_or_unreadable_migrations_directory_is_a_configuration_error() {
    let project = Project::new();
    project.file("devctl.toml", "[migrations]\ndir = \"db/migrations\"\n");
    project
        .devctl(&["status"])
        .expect_code(2)
        .stderr_has("the migrations directory db/migrations does not exist");

    project.file("db/migrations/abc_init.sql", "CREATE TABLE t (id INT);\n");
    let output = project.devctl(&["status"]);
    output.expect_code(2).stderr_has("abc_init.sql");
    assert!(!project.join("data").exists(), "status created nothing");
}

//! `reset-db --autogenerate` with a real Alembic project (alembic, SQLAlchemy and pg8000 from
//! PyPI) whose `env.py` reads the URL variable, against the suite's Postgres.

use crate::alembic_project::{alembic_available, make_alembic_project};
use crate::support::PgProject;

/// The revision files in the versions directory other than the initial one.
fn new_revisions(pg: &PgProject) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(pg.project.join("alembic/versions"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py") && n != "0001_create_users.py")
        .collect();
    files.sort();
    files
}

#[test]
fn autogenerate_against_a_fresh_baseline_holds_the_change_and_nothing_spurious() {
    if !alembic_available() {
        return;
    }
    let Some(pg) = PgProject::new() else { return };
    make_alembic_project(&pg);

    // Drift first: a table the migrations do not know, which must not show up in the revision.
    pg.devctl(&["ready"]).success();
    pg.execute("CREATE TABLE drifted (id int)");

    let message = "add email; echo \"$(id)\"";
    let output = pg.devctl(&["reset-db", "--yes", "--autogenerate", message]);
    output.success().stderr_has("alembic/versions/");
    let revisions = new_revisions(&pg);
    assert_eq!(revisions.len(), 1, "{revisions:?}");
    let revision = pg
        .project
        .read(&format!("alembic/versions/{}", revisions[0]));
    assert!(
        revision.contains("op.add_column('users'") && revision.contains("'email'"),
        "{revision}"
    );
    assert!(
        !revision.contains("drifted"),
        "the drift did not leak into the revision:\n{revision}"
    );
    assert!(
        revision.starts_with(&format!("\"\"\"{message}")),
        "the message arrived as one argument:\n{revision}"
    );

    // Right after, with the new revision applied by the reset, nothing is left to generate.
    let output = pg.devctl(&["reset-db", "--yes", "--autogenerate", "nothing"]);
    output.success();
    let revisions = new_revisions(&pg);
    assert_eq!(revisions.len(), 2, "{revisions:?}");
    let empty = revisions
        .iter()
        .map(|r| pg.project.read(&format!("alembic/versions/{r}")))
        .find(|t| t.starts_with("\"\"\"nothing"))
        .unwrap();
    assert!(!empty.contains("op."), "no spurious operations:\n{empty}");
}

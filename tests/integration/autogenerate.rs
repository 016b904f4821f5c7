//! `reset-db --autogenerate` with a real Alembic project (alembic, SQLAlchemy and pg8000 from
//! PyPI) whose `env.py` reads the URL variable, against the suite's Postgres.

use crate::support::{PG_URL_ENV, PgProject};

const ENV_PY: &str = r#"
import os
from alembic import context
from sqlalchemy import create_engine
import models

url = os.environ["APP_DATABASE_URL"]  # no silent fallback: fail when devctl did not export it

def run():
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=models.metadata)
        with context.begin_transaction():
            context.run_migrations()

run()
"#;

const SCRIPT_MAKO: &str = r#""""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
"#;

const INITIAL: &str = r#""""create users

Revision ID: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("users")
"#;

fn models(with_email: bool) -> String {
    let email = if with_email {
        "    sa.Column(\"email\", sa.String(200), nullable=True),\n"
    } else {
        ""
    };
    format!(
        "import sqlalchemy as sa\nmetadata = sa.MetaData()\nusers = sa.Table(\n    \"users\", metadata,\n    sa.Column(\"id\", sa.Integer(), primary_key=True),\n{email})\n"
    )
}

fn alembic_available() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import alembic, sqlalchemy, pg8000"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "alembic, sqlalchemy and pg8000 must be installed under CI=true (scripts/test.sh installs them)"
        );
        eprintln!("skipping: python3 with alembic, sqlalchemy and pg8000 is not available");
    }
    ok
}

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
    pg.project
        .file(
            "devctl.toml",
            &format!(
                "services = [\"db\"]\n[database]\nservice = \"db\"\nurl_env = \"{PG_URL_ENV}\"\n[migrations]\ncommand = \"python3 -m alembic upgrade head\"\nautogenerate = \"python3 -m alembic revision --autogenerate -m {{message}}\"\n"
            ),
        )
        .file("alembic.ini", "[alembic]\nscript_location = alembic\nprepend_sys_path = .\n")
        .file("alembic/env.py", ENV_PY)
        .file("alembic/script.py.mako", SCRIPT_MAKO)
        .file("alembic/versions/0001_create_users.py", INITIAL)
        .file("models.py", &models(true));

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

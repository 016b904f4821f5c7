//! A real Alembic project (alembic, SQLAlchemy and pg8000 from PyPI) whose `env.py` reads the URL
//! variable, for the tests that run Alembic against the suite's Postgres.

use crate::support::{PG_URL_ENV, PgProject};

pub const ENV_PY: &str = r#"
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

pub const SCRIPT_MAKO: &str = r#""""${message}

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

pub const INITIAL: &str = r#""""create users

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

pub fn models(with_email: bool) -> String {
    let email = if with_email {
        "    sa.Column(\"email\", sa.String(200), nullable=True),\n"
    } else {
        ""
    };
    format!(
        "import sqlalchemy as sa\nmetadata = sa.MetaData()\nusers = sa.Table(\n    \"users\", metadata,\n    sa.Column(\"id\", sa.Integer(), primary_key=True),\n{email})\n"
    )
}

pub fn alembic_available() -> bool {
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

/// Makes `pg` an Alembic project: devctl runs `alembic upgrade head` (and autogenerate) through
/// `python3 -m alembic`, with one initial revision creating `users`.
pub fn make_alembic_project(pg: &PgProject) {
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
}

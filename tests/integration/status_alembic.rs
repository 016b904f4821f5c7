//! `devctl status` on an Alembic project against real Postgres, with real Alembic applying the
//! revisions: pending, multiple heads, merged, and a revision applied but missing on disk.

use crate::alembic_project::{alembic_available, make_alembic_project};
use crate::support::{Output, PgProject};

/// A revision in the style of Alembic 1.13's template: annotated assignments, and a file name
/// that is not its revision id.
const NOTES: &str = r#""""add notes

Revision ID: a1b2c3d4e5f6
Revises: 0001
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = "a1b2c3d4e5f6"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("notes", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("notes")
"#;

/// A second branch off `0001`, labelled, as a teammate's migration arrives after a rebase.
const TAGS: &str = r#"from alembic import op
import sqlalchemy as sa

revision = 'b7e1'
down_revision = '0001'
branch_labels = ('tags',)
depends_on = None


def upgrade():
    op.create_table("tags", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("tags")
"#;

/// The merge `alembic merge heads` writes: a tuple of down revisions.
const MERGE: &str = r#"revision = "c0ffee000001"
down_revision = ("a1b2c3d4e5f6", "b7e1")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
"#;

fn status(pg: &PgProject) -> Output {
    pg.devctl(&["status", "--json"])
}

fn alembic(output: &Output, key: &str) -> serde_json::Value {
    output.events()[0]["alembic"][key].clone()
}

fn fixes(output: &Output) -> Vec<String> {
    output.summary()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["fix"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn alembic_status_names_pending_heads_and_missing_revisions() {
    if !alembic_available() {
        return;
    }
    let Some(pg) = PgProject::new() else { return };
    make_alembic_project(&pg);
    pg.devctl(&["ready"]).success();

    let clean = status(&pg);
    clean.success();
    assert_eq!(alembic(&clean, "ini"), "alembic.ini");
    assert_eq!(alembic(&clean, "applied"), serde_json::json!(["0001"]));
    assert_eq!(alembic(&clean, "heads"), serde_json::json!(["0001"]));

    // Pending: a new revision on disk, read from annotated assignments.
    pg.project.file("alembic/versions/2024_add_notes.py", NOTES);
    let pending = status(&pg);
    pending.expect_code(1);
    assert_eq!(
        alembic(&pending, "pending"),
        serde_json::json!(["a1b2c3d4e5f6"])
    );
    assert_eq!(fixes(&pending), ["devctl ready"]);
    pg.devctl(&["ready"]).success();
    let applied = status(&pg);
    applied.success();
    assert_eq!(
        alembic(&applied, "applied"),
        serde_json::json!(["a1b2c3d4e5f6"])
    );

    // Two heads: Alembic's `upgrade head` fails, and status says how to merge.
    pg.project.file("alembic/versions/tags.py", TAGS);
    let heads = status(&pg);
    heads.expect_code(1);
    assert_eq!(alembic(&heads, "multiple_heads"), true);
    assert_eq!(
        alembic(&heads, "heads"),
        serde_json::json!(["a1b2c3d4e5f6", "b7e1"])
    );
    assert_eq!(alembic(&heads, "pending"), serde_json::json!(["b7e1"]));
    assert!(
        fixes(&heads).contains(&"alembic merge heads -m \"merge heads\"".to_string()),
        "{:?}",
        fixes(&heads)
    );
    pg.devctl(&["ready"]).expect_code(1);

    // Merged: one head again, and the real Alembic agrees with the parser.
    pg.project.file("alembic/versions/merge.py", MERGE);
    pg.devctl(&["ready"]).success();
    let merged = status(&pg);
    merged.success();
    assert_eq!(
        alembic(&merged, "applied"),
        serde_json::json!(["c0ffee000001"])
    );
    assert_eq!(pg.query("SELECT count(*)::text FROM tags"), ["0"]);

    // Applied in the database but missing on disk: the drift that breaks autogenerate.
    pg.execute("UPDATE alembic_version SET version_num = 'deadbeefcafe'");
    let missing = status(&pg);
    missing.expect_code(1);
    assert_eq!(
        alembic(&missing, "missing"),
        serde_json::json!(["deadbeefcafe"])
    );
    assert_eq!(
        fixes(&missing),
        ["devctl reset-db"],
        "upgrading cannot work while a revision is missing, so ready is not offered"
    );
    let human = pg.devctl(&["status"]);
    assert!(
        human.stdout.contains("missing on disk: deadbeefcafe"),
        "{}",
        human.stdout
    );
    pg.devctl(&["reset-db", "--yes"]).success();
    status(&pg).success();
}

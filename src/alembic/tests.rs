//! Unit tests of the Alembic reader: alembic.ini and pyproject.toml settings, version files in
//! real-world forms, and the history questions status asks.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use super::config::*;
use super::history::*;
use super::python_tokens::top_level_statements;
use super::version_file::*;
use super::*;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_string()).collect()
}

/// A version file as `alembic revision` renders it with the pre-1.13 template.
fn classic(id: &str, down: &str) -> String {
    format!(
        r#""""add things

Revision ID: {id}
Revises: {down}
Create Date: 2024-01-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '{id}'
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("t_{id}", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("t_{id}")
"#,
        down = if down.is_empty() {
            "None".to_string()
        } else {
            format!("'{down}'")
        }
    )
}

fn history(dir: &Path) -> History {
    History::new(read_revisions(&[dir.to_path_buf()]).unwrap())
}

#[test]
fn linear_history() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a1_init.py", &classic("a1", ""));
    write(tmp.path(), "b2_users.py", &classic("b2", "a1"));
    write(tmp.path(), "c3_posts.py", &classic("c3", "b2"));
    write(tmp.path(), "__init__.py", "revision = 'not-a-migration'\n");
    write(
        tmp.path(),
        "helpers.py",
        "def column():\n    revision = 'x'\n",
    );
    write(tmp.path(), "__pycache__/a1_init.cpython-312.pyc", "junk");
    let h = history(tmp.path());
    assert_eq!(h.revisions.len(), 3);
    assert_eq!(h.get("b2").unwrap().down_revisions, strings(&["a1"]));
    assert!(h.get("a1").unwrap().down_revisions.is_empty());
    assert_eq!(h.heads(), strings(&["c3"]));
    assert_eq!(
        h.ancestors("b2"),
        BTreeSet::from(["a1".into(), "b2".into()])
    );
    assert_eq!(h.pending(&[]), strings(&["a1", "b2", "c3"]));

    let s = status(&h, &strings(&["c3"]));
    assert!(s.up_to_date && !s.multiple_heads && s.pending.is_empty());
    let s = status(&h, &[]);
    assert!(!s.up_to_date);
    assert_eq!(s.pending, strings(&["a1", "b2", "c3"]));
}

#[test]
fn merge_with_multiline_tuple() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "base.py", &classic("base", ""));
    write(tmp.path(), "left.py", &classic("left", "base"));
    write(tmp.path(), "right.py", &classic("right", "base"));
    write(
        tmp.path(),
        "merge.py",
        r#""""merge heads

Revision ID: m3rg3
Revises: left, right
"""
revision = "m3rg3"
down_revision = (
    "left",  # the users branch
    # a comment line inside the tuple
    'right',
)
branch_labels = None
depends_on = None

def upgrade():
    pass
"#,
    );
    let h = history(tmp.path());
    assert_eq!(
        h.get("m3rg3").unwrap().down_revisions,
        strings(&["left", "right"])
    );
    assert_eq!(h.heads(), strings(&["m3rg3"]));
    assert_eq!(h.pending(&[]).first().unwrap(), "base");
    assert_eq!(h.pending(&[]).last().unwrap(), "m3rg3");
    assert_eq!(h.pending(&strings(&["left"])), strings(&["right", "m3rg3"]));
}

#[test]
fn branch_labels_and_depends_on() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "a.py",
        "revision = 'a'\ndown_revision = None\nbranch_labels = ('core',)\n",
    );
    write(
        tmp.path(),
        "b.py",
        "revision = 'b'\ndown_revision = None\nbranch_labels = {'billing', \"payments\"}\ndepends_on = 'core'\n",
    );
    write(
        tmp.path(),
        "c.py",
        "revision = 'c'\ndown_revision = 'b'\nbranch_labels = 'x'\ndepends_on = ['a']\n",
    );
    let h = history(tmp.path());
    assert_eq!(h.get("a").unwrap().branch_labels, strings(&["core"]));
    assert_eq!(
        h.get("b").unwrap().branch_labels,
        strings(&["billing", "payments"])
    );
    assert_eq!(h.get("b").unwrap().depends_on, strings(&["core"]));
    assert_eq!(h.get("c").unwrap().depends_on, strings(&["a"]));
    assert_eq!(h.get("c").unwrap().branch_labels, strings(&["x"]));
    // Two bases, but `a` is only needed, never a down_revision: a and c are heads.
    assert_eq!(h.heads(), strings(&["a", "c"]));
    // depends_on through a branch label is followed.
    assert_eq!(h.ancestors("b"), BTreeSet::from(["a".into(), "b".into()]));
    assert_eq!(h.pending(&strings(&["b"])), strings(&["c"]));
    assert!(h.dangling().is_empty());
}

#[test]
fn annotated_assignments_of_the_1_13_template() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "2024_01_01_1200-1a2b3c4d5e6f_add_users.py",
        r#""""add users

Revision ID: 1a2b3c4d5e6f
Revises: 0f0f0f0f0f0f
Create Date: 2024-01-01 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "1a2b3c4d5e6f"
down_revision: Union[str, None] = "0f0f0f0f0f0f"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(f"UPDATE users SET name = {"'x'"}")
"#,
    );
    write(
        tmp.path(),
        "merge.py",
        "revision: str = 'm'\ndown_revision: Union[str, Sequence[str], None] = (\n    '1a2b3c4d5e6f',\n    '0f0f0f0f0f0f',\n)\nbranch_labels: str | None = None\n",
    );
    write(
        tmp.path(),
        "base.py",
        "revision: str = '0f0f0f0f0f0f'\ndown_revision: Union[str, None] = None\n",
    );
    let h = history(tmp.path());
    let r = h.get("1a2b3c4d5e6f").unwrap();
    assert_eq!(r.down_revisions, strings(&["0f0f0f0f0f0f"]));
    assert!(r.branch_labels.is_empty() && r.depends_on.is_empty());
    assert!(
        r.path
            .ends_with("2024_01_01_1200-1a2b3c4d5e6f_add_users.py")
    );
    assert_eq!(
        h.get("m").unwrap().down_revisions,
        strings(&["1a2b3c4d5e6f", "0f0f0f0f0f0f"])
    );
    assert_eq!(h.heads(), strings(&["m"]));
}

#[test]
fn revision_id_need_not_match_the_file_name() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "0001_initial.py", &classic("ae1027a6acf", ""));
    let h = history(tmp.path());
    assert_eq!(h.revisions.len(), 1);
    assert_eq!(h.revisions[0].id, "ae1027a6acf");
    assert!(h.get("0001_initial").is_none());
}

#[test]
fn docstring_text_is_not_an_assignment() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "x.py",
        r#"'''Misleading docstring

Revision ID: zzz
Revises: yyy
revision = "zzz"
down_revision = "yyy"
'''
import sqlalchemy as sa

revision = "real1"
down_revision = None  # revision = "comment"

def upgrade():
    revision = "inner"
    down_revision = "inner_down"
"#,
    );
    let h = history(tmp.path());
    assert_eq!(h.revisions.len(), 1);
    let r = &h.revisions[0];
    assert_eq!(r.id, "real1");
    assert!(r.down_revisions.is_empty());
}

#[test]
fn two_heads() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.py", &classic("a", ""));
    write(tmp.path(), "b.py", &classic("b", "a"));
    write(tmp.path(), "c.py", &classic("c", "a"));
    let h = history(tmp.path());
    assert_eq!(h.heads(), strings(&["b", "c"]));
    let s = status(&h, &strings(&["b"]));
    assert!(s.multiple_heads && !s.up_to_date);
    assert_eq!(s.pending, strings(&["c"]));
    let s = status(&h, &strings(&["c", "b"]));
    assert!(s.multiple_heads && s.up_to_date);
    assert_eq!(s.applied, strings(&["b", "c"]));
}

#[test]
fn pending_after_partial_application() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "1.py", &classic("r1", ""));
    write(tmp.path(), "2.py", &classic("r2", "r1"));
    write(tmp.path(), "3.py", &classic("r3", "r2"));
    write(tmp.path(), "4.py", &classic("r4", "r3"));
    let h = history(tmp.path());
    let s = status(&h, &strings(&["r2"]));
    assert_eq!(s.pending, strings(&["r3", "r4"]));
    assert!(s.missing.is_empty() && !s.up_to_date);
}

#[test]
fn applied_revision_missing_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "1.py", &classic("r1", ""));
    write(tmp.path(), "2.py", &classic("r2", "r1"));
    let h = history(tmp.path());
    let s = status(&h, &strings(&["gone42"]));
    assert_eq!(s.missing, strings(&["gone42"]));
    assert_eq!(s.pending, strings(&["r1", "r2"]));
    assert!(!s.up_to_date);
    assert!(h.ancestors("gone42").is_empty());
}

#[test]
fn dangling_down_revision_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "2.py", &classic("r2", "r1"));
    let h = history(tmp.path());
    assert_eq!(h.dangling(), vec![("r2".to_string(), "r1".to_string())]);
}

#[test]
fn a_duplicate_revision_keeps_the_later_file_and_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "one.py", &classic("dup", ""));
    write(tmp.path(), "two.py", &classic("dup", ""));
    write(tmp.path(), "three.py", &classic("next", "dup"));
    let h = history(tmp.path());
    assert_eq!(h.revisions.len(), 2);
    assert_eq!(h.get("dup").unwrap().path, tmp.path().join("two.py"));
    assert_eq!(
        h.duplicates,
        vec![(
            "dup".to_string(),
            tmp.path().join("one.py"),
            tmp.path().join("two.py")
        )]
    );
    assert_eq!(h.heads(), ["next"]);
}

#[test]
fn unreadable_value_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "bad.py",
        "\"\"\"doc\"\"\"\nrevision = 'a'\ndown_revision = compute()\n",
    );
    let err = read_revisions(&[tmp.path().to_path_buf()]).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("bad.py:3:"), "{message}");
    assert!(message.contains("down_revision"), "{message}");
}

#[test]
fn windows_line_endings_and_nested_f_strings() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "\"\"\"doc\r\nRevision ID: no\r\n\"\"\"\r\nrevision = \\\r\n    'w1'\r\ndown_revision = (\r\n  'a',\r\n  'b',\r\n)\r\n\r\ndef upgrade():\r\n    op.execute(f\"SELECT {d[\"k\"]:>{w}} {{x}}\")\r\n";
    write(tmp.path(), "w.py", text);
    let h = history(tmp.path());
    assert_eq!(h.revisions[0].id, "w1");
    assert_eq!(h.revisions[0].down_revisions, strings(&["a", "b"]));
}

#[test]
fn value_forms() {
    let parse = |src: &str| {
        let statements = top_level_statements(src).unwrap();
        let (_, value) = assignment(&statements[0].tokens).unwrap();
        parse_value(value).unwrap().into_strings().unwrap()
    };
    assert_eq!(parse("down_revision = None"), strings(&[]));
    assert_eq!(parse("down_revision = ()"), strings(&[]));
    assert_eq!(parse("down_revision = ('a')"), strings(&["a"]));
    assert_eq!(parse("down_revision = 'a', 'b'"), strings(&["a", "b"]));
    assert_eq!(
        parse("down_revision = [\n 'a',\n 'b'\n]"),
        strings(&["a", "b"])
    );
    assert_eq!(parse("down_revision = \\\n  'a'"), strings(&["a"]));
    assert_eq!(parse("revision = r'ab' 'cd'"), strings(&["abcd"]));
    assert_eq!(parse("revision = \"\"\"abc\"\"\""), strings(&["abc"]));
    let statements = top_level_statements("x = 1; revision = 'semi'").unwrap();
    assert_eq!(statements.len(), 2);
    assert_eq!(assignment(&statements[1].tokens).unwrap().0, "revision");
}

#[test]
fn missing_versions_dir_holds_no_revisions() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a/1.py", &classic("r1", ""));
    let dirs = [
        tmp.path().join("versions"),
        tmp.path().join("a"),
        tmp.path().join("a"),
    ];
    let revisions = read_revisions(&dirs).unwrap();
    assert_eq!(revisions.len(), 1, "a directory listed twice is read once");
}

#[test]
fn revision_without_down_revision_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "x.py", "revision = 'x'\n");
    let err = read_revisions(&[tmp.path().to_path_buf()])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("x.py:1:") && err.contains("down_revision = None"),
        "{err}"
    );
}

#[test]
fn ini_script_location_with_here() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("migrations")).unwrap();
    let ini = write(
        tmp.path(),
        "alembic.ini",
        "# A generic, single database configuration.\n\n[alembic]\n; comment\nscript_location = %(here)s/migrations\nprepend_sys_path = .\nsqlalchemy.url = driver://user:pass@localhost/dbname\n\n[loggers]\nkeys = root\n",
    );
    assert_eq!(
        AlembicConfig::find(tmp.path()),
        Some(AlembicConfig::ini(&ini))
    );
    let here = std::path::absolute(tmp.path()).unwrap();
    assert_eq!(
        versions_dirs(&AlembicConfig::ini(&ini)).unwrap(),
        vec![here.join("migrations").join("versions")]
    );
    assert_eq!(AlembicConfig::find(&tmp.path().join("nowhere")), None);
}

#[test]
fn ini_relative_script_location_is_taken_from_the_ini_directory() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("db")).unwrap();
    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location: db\n",
    );
    let here = std::path::absolute(tmp.path()).unwrap();
    assert_eq!(
        versions_dirs(&AlembicConfig::ini(&ini)).unwrap(),
        vec![here.join("db/versions")]
    );
}

#[test]
fn ini_version_locations() {
    let tmp = tempfile::tempdir().unwrap();
    let here = std::path::absolute(tmp.path()).unwrap();
    fs::create_dir(tmp.path().join("alembic")).unwrap();
    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = alembic\nversion_locations = %(here)s/core/versions, %(here)s/billing/versions extra\n",
    );
    assert_eq!(
        versions_dirs(&AlembicConfig::ini(&ini)).unwrap(),
        vec![
            here.join("core/versions"),
            here.join("billing/versions"),
            here.join("extra")
        ]
    );

    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = alembic\nversion_locations = %(here)s/a:%(here)s/b\nversion_path_separator = os  # Use os.pathsep.\n",
    );
    if cfg!(not(windows)) {
        assert_eq!(
            versions_dirs(&AlembicConfig::ini(&ini)).unwrap(),
            vec![here.join("a"), here.join("b")]
        );
    }

    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = alembic\npath_separator = newline\nversion_locations =\n    %(here)s/with space\n    %(here)s/two\n",
    );
    assert_eq!(
        versions_dirs(&AlembicConfig::ini(&ini)).unwrap(),
        vec![here.join("with space"), here.join("two")]
    );

    // The directories are then read like any other.
    write(tmp.path(), "with space/a.py", &classic("a", ""));
    write(tmp.path(), "two/b.py", &classic("b", "a"));
    let h =
        History::new(read_revisions(&versions_dirs(&AlembicConfig::ini(&ini)).unwrap()).unwrap());
    assert_eq!(h.heads(), strings(&["b"]));
    assert_eq!(load(&AlembicConfig::ini(&ini)).unwrap().revisions.len(), 2);
}

#[test]
fn ini_recursive_version_locations() {
    let tmp = tempfile::tempdir().unwrap();
    let here = std::path::absolute(tmp.path()).unwrap();
    fs::create_dir_all(tmp.path().join("alembic/versions/2024/__pycache__")).unwrap();
    fs::create_dir_all(tmp.path().join("alembic/versions/2025")).unwrap();
    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n",
    );
    let v = here.join("alembic/versions");
    assert_eq!(
        versions_dirs(&AlembicConfig::ini(&ini)).unwrap(),
        vec![v.clone(), v.join("2024"), v.join("2025")]
    );
}

#[test]
fn ini_errors_name_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let ini = write(tmp.path(), "alembic.ini", "[alembic]\nsqlalchemy.url = x\n");
    let err = versions_dirs(&AlembicConfig::ini(&ini))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("alembic.ini") && err.contains("script_location"),
        "{err}"
    );

    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = myapp:migrations\n",
    );
    let err = versions_dirs(&AlembicConfig::ini(&ini))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("alembic.ini:2") && err.contains("Python package"),
        "{err}"
    );

    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = %(nope)s/x\n",
    );
    let err = versions_dirs(&AlembicConfig::ini(&ini))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("alembic.ini:2") && err.contains("%(nope)s"),
        "{err}"
    );

    let ini = write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = gone\n",
    );
    let err = versions_dirs(&AlembicConfig::ini(&ini))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("alembic.ini:2") && err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn pyproject_tool_alembic_alone() {
    // Alembic 1.16's `pyproject` template: no alembic.ini at all.
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("alembic/versions")).unwrap();
    fs::create_dir_all(tmp.path().join("more")).unwrap();
    let pyproject = write(
        tmp.path(),
        "pyproject.toml",
        "[project]\nname = \"app\"\n\n[tool.alembic]\nscript_location = \"%(here)s/alembic\"\nversion_locations = [\n    \"%(here)s/alembic/versions\",\n    \"more\",\n]\nprepend_sys_path = [\".\"]\n",
    );
    let config = AlembicConfig::find(tmp.path()).unwrap();
    assert_eq!(config.ini, None);
    assert_eq!(config.pyproject, Some(pyproject.clone()));
    assert_eq!(config.path(), pyproject);
    let here = std::path::absolute(tmp.path()).unwrap();
    assert_eq!(
        versions_dirs(&config).unwrap(),
        vec![here.join("alembic/versions"), here.join("more")]
    );

    // A pyproject.toml without [tool.alembic] is not an Alembic project.
    let other = tempfile::tempdir().unwrap();
    write(other.path(), "pyproject.toml", "[project]\nname = \"x\"\n");
    assert_eq!(AlembicConfig::find(other.path()), None);
}

#[test]
fn a_slim_alembic_ini_takes_script_location_from_pyproject() {
    // The `pyproject` template's alembic.ini keeps only the URL and logging.
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("migrations/versions")).unwrap();
    write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nsqlalchemy.url = postgresql://x/y\n\n[loggers]\nkeys = root\n",
    );
    write(
        tmp.path(),
        "pyproject.toml",
        "[tool.alembic]\nscript_location = \"migrations\"\nrecursive_version_locations = true\n",
    );
    fs::create_dir_all(tmp.path().join("migrations/versions/2025")).unwrap();
    let config = AlembicConfig::find(tmp.path()).unwrap();
    assert!(config.ini.is_some() && config.pyproject.is_some());
    let here = std::path::absolute(tmp.path()).unwrap();
    assert_eq!(
        versions_dirs(&config).unwrap(),
        vec![
            here.join("migrations/versions"),
            here.join("migrations/versions/2025")
        ]
    );

    // The ini file wins for a key both set.
    fs::create_dir_all(tmp.path().join("db/versions")).unwrap();
    write(
        tmp.path(),
        "alembic.ini",
        "[alembic]\nscript_location = db\n",
    );
    assert_eq!(versions_dirs(&config).unwrap()[0], here.join("db/versions"));
}

#[test]
fn pyproject_errors_name_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "pyproject.toml",
        "[tool.alembic]\nscript_location = [\"a\"]\n",
    );
    let config = AlembicConfig::find(tmp.path()).unwrap();
    let err = versions_dirs(&config).unwrap_err().to_string();
    assert!(
        err.ends_with("pyproject.toml:2: script_location must be a string, not a array"),
        "{err}"
    );

    write(
        tmp.path(),
        "pyproject.toml",
        "[tool.alembic]\nscript_location = \"%(root)s/alembic\"\n",
    );
    let err = versions_dirs(&config).unwrap_err().to_string();
    assert!(err.contains("only %(here)s can be substituted"), "{err}");

    write(
        tmp.path(),
        "pyproject.toml",
        "[tool.alembic]\nscript_location = \n",
    );
    let err = versions_dirs(&config).unwrap_err().to_string();
    assert!(err.contains("pyproject.toml:2:"), "{err}");

    write(
        tmp.path(),
        "pyproject.toml",
        "[tool.alembic]\nsqlalchemy_url = \"x\"\n",
    );
    let err = versions_dirs(&config).unwrap_err().to_string();
    assert!(err.contains("no script_location"), "{err}");
}

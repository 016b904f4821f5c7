//! Alembic in `status`, without running Python: the version files' revision graph against the
//! `alembic_version` table. A revision applied in the database but missing on disk is the drift
//! that makes `alembic revision --autogenerate` fail or produce junk.

use serde::Serialize;

use super::Problem;
use crate::alembic;
use crate::db::Inspection;
use crate::session::Session;

#[derive(Debug, Clone, Serialize)]
pub struct AlembicReport {
    /// `alembic.ini` (or `pyproject.toml` holding `[tool.alembic]`), relative to the project root.
    pub ini: String,
    /// Whether the database could be read; when not, `applied` and `pending` are not known.
    pub compared: bool,
    pub heads: Vec<String>,
    pub applied: Vec<String>,
    pub pending: Vec<String>,
    pub missing: Vec<String>,
    pub multiple_heads: bool,
}

pub fn report(
    session: &Session,
    inspection: Option<&Inspection>,
    problems: &mut Vec<Problem>,
) -> Result<Option<AlembicReport>, crate::Error> {
    let root = &session.project.root;
    let workdir = root.join(&session.project.settings.migrations.workdir);
    let Some(config) = alembic::AlembicConfig::find(&workdir) else {
        return Ok(None);
    };
    let relative = |p: &std::path::Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let shown = relative(config.path());
    let history = alembic::load(&config).map_err(|e| crate::Error::Usage {
        message: e.to_string(),
        hint: None,
    })?;
    let applied = inspection.map_or(&[][..], |i| i.alembic.as_slice());
    let status = alembic::status(&history, applied);
    let compared = inspection.is_some();
    let report = AlembicReport {
        ini: shown,
        compared,
        heads: status.heads,
        applied: status.applied,
        pending: if compared { status.pending } else { Vec::new() },
        missing: status.missing,
        multiple_heads: status.multiple_heads,
    };
    let alembic = alembic_program(session);
    for (revision, target) in history.dangling() {
        let file = history
            .get(&revision)
            .map(|r| relative(&r.path))
            .unwrap_or_default();
        problems.push(Problem::new(
            format!("revision {revision} ({file}) points at {target}, which is not on disk"),
            format!("restore the version file of {target}, or fix down_revision in {file}"),
        ));
    }
    for (id, ignored, used) in &history.duplicates {
        problems.push(Problem::new(
            format!(
                "revision {id} is defined twice, in {} and {}; Alembic warns and uses {}",
                relative(ignored),
                relative(used),
                relative(used)
            ),
            "delete the stray copy, or give one of them a new revision id (and update the \
             down_revision that points at it)",
        ));
    }
    if report.multiple_heads {
        problems.push(Problem::new(
            format!(
                "{} heads on disk ({}): `alembic upgrade head` fails until they are merged",
                report.heads.len(),
                report.heads.join(", ")
            ),
            in_workdir(
                session,
                &format!("{alembic} merge heads -m \"merge heads\""),
            ),
        ));
    }
    // Without a database nothing can be compared; the database problem already says why.
    if !compared {
        return Ok(Some(report));
    }
    if !report.missing.is_empty() {
        problems.push(Problem::new(
            format!(
                "applied in the database but missing on disk: revision {} (autogenerate would \
                 fail with \"Target database is not up to date\" or compare against the wrong \
                 schema)",
                report.missing.join(", ")
            ),
            "devctl reset-db",
        ));
    }
    // With a revision missing on disk, Alembic cannot upgrade at all; reset-db is the one fix.
    if report.missing.is_empty() {
        problems.extend(Problem::pending(("revision", "revisions"), &report.pending));
    }
    Ok(Some(report))
}

/// How the project runs Alembic: through `uv run` when its migration command does.
fn alembic_program(session: &Session) -> &'static str {
    let settings = &session.project.settings.migrations;
    let uses_uv = [&settings.command, &settings.autogenerate]
        .into_iter()
        .flatten()
        .any(|c| c.trim_start().starts_with("uv run"));
    if uses_uv { "uv run alembic" } else { "alembic" }
}

/// `command`, prefixed with a `cd` into the migrations workdir when that is not the root.
fn in_workdir(session: &Session, command: &str) -> String {
    let workdir = &session.project.settings.migrations.workdir;
    if workdir.as_os_str().is_empty() || workdir == std::path::Path::new(".") {
        command.to_string()
    } else {
        format!("cd {} && {command}", workdir.display())
    }
}

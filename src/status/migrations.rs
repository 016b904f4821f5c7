//! Native migrations in `status`: applied, pending, applied but missing on disk, changed after
//! being applied (checksum), and failed. The last three are what make `ready` refuse, and
//! `reset-db` is their fix.

use serde::Serialize;

use super::Problem;
use crate::db::{self, Inspection};
use crate::session::Session;

#[derive(Debug, Clone, Serialize, Default)]
pub struct MigrationStatus {
    pub dir: String,
    /// Migration files in `dir`.
    pub on_disk: usize,
    /// Whether the database could be read; when not, nothing below is known.
    pub compared: bool,
    pub applied: usize,
    pub pending: Vec<String>,
    /// Versions applied in the database whose file is gone.
    pub missing: Vec<i64>,
    /// Files changed after they were applied.
    pub modified: Vec<String>,
    /// Applied with `success = false` (dirty).
    pub failed: Vec<String>,
}

pub async fn report(
    session: &Session,
    inspection: Option<&Inspection>,
    problems: &mut Vec<Problem>,
) -> Result<Option<MigrationStatus>, crate::Error> {
    let settings = &session.project.settings.migrations;
    let (None, Some(dir)) = (&settings.command, &settings.dir) else {
        return Ok(None);
    };
    let path = session.project.root.join(dir);
    if settings.dir_is_default && !path.exists() {
        return Ok(None);
    }
    // A configured directory that is missing or unreadable is a configuration error (exit 2),
    // not drift.
    if !path.is_dir() {
        return Err(crate::Error::Usage {
            message: format!("the migrations directory {} does not exist", dir.display()),
            hint: Some("create it, or fix [migrations] dir in devctl.toml".into()),
        });
    }
    let files = db::migration_files(&path)
        .await
        .map_err(|e| crate::Error::Usage {
            message: e.to_string(),
            hint: e.hint(),
        })?;
    let mut status = MigrationStatus {
        dir: dir.display().to_string(),
        ..MigrationStatus::default()
    };
    status.on_disk = files.len();
    let Some(inspection) = inspection else {
        // Without a database nothing can be compared; the database problem says why.
        return Ok(Some(status));
    };
    status.compared = true;
    let name = |version: i64| {
        files
            .iter()
            .find(|f| f.version == version)
            .map_or_else(|| version.to_string(), db::MigrationFile::file_name)
    };
    for row in &inspection.applied {
        match files.iter().find(|f| f.version == row.version) {
            None => status.missing.push(row.version),
            Some(file) if file.checksum != row.checksum => status.modified.push(file.file_name()),
            Some(_) => {}
        }
        if !row.success {
            status.failed.push(name(row.version));
        }
    }
    status.applied = inspection.applied.iter().filter(|r| r.success).count();
    status.pending = files
        .iter()
        .filter(|f| !inspection.applied.iter().any(|r| r.version == f.version))
        .map(db::MigrationFile::file_name)
        .collect();
    problems.extend(Problem::pending(
        ("migration", "migrations"),
        &status.pending,
    ));
    if !status.missing.is_empty() {
        let versions: Vec<String> = status.missing.iter().map(i64::to_string).collect();
        problems.push(Problem::new(
            format!(
                "applied in the database but missing from {}: version {}",
                status.dir,
                versions.join(", ")
            ),
            "devctl reset-db",
        ));
    }
    if !status.modified.is_empty() {
        problems.push(Problem::new(
            format!(
                "changed after being applied: {}",
                status.modified.join(", ")
            ),
            "devctl reset-db (or restore the applied version)",
        ));
    }
    if !status.failed.is_empty() {
        problems.push(Problem::new(
            format!("failed (dirty): {}", status.failed.join(", ")),
            "devctl reset-db",
        ));
    }
    Ok(Some(status))
}

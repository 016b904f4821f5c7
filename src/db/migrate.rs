//! Native migrations through `sqlx::migrate::Migrator`: the same files, `_sqlx_migrations` table,
//! SHA-384 checksums and advisory lock as sqlx-cli, one transaction per migration. Migrations are
//! applied one at a time so each can be reported, and a failure names its file while the earlier
//! ones stay applied.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use sqlx::migrate::{Migrate, MigrateError, Migration, Migrator};

use super::{Connection, DbError};
use crate::config::DatabaseUrl;

const TABLE: &str = "_sqlx_migrations";

/// A migration file on disk.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub version: i64,
    pub description: String,
    pub path: PathBuf,
    /// SHA-384 of its SQL, as sqlx records it in `_sqlx_migrations`.
    pub checksum: Vec<u8>,
}

impl MigrationFile {
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

struct Resolved {
    migrator: Migrator,
    files: Vec<MigrationFile>,
}

async fn resolve(dir: &Path) -> Result<Resolved, DbError> {
    if !dir.is_dir() {
        return Err(DbError::failed(
            format!("the migrations directory {} does not exist", dir.display()),
            Some("create it, or set [migrations] dir (or command) in devctl.toml".into()),
        ));
    }
    let owned = dir.to_path_buf();
    let resolved = tokio::task::spawn_blocking(move || sqlx::migrate::resolve_blocking(&owned))
        .await
        .map_err(|e| DbError::failed(format!("failed to read migrations: {e}"), None))?
        .map_err(|e| {
            DbError::failed(
                format!("failed to read migrations in {}: {e}", dir.display()),
                Some(
                    "migration files are named <version>_<description>.sql, e.g. \
                     20260101000001_create_users.sql (and optionally .up.sql / .down.sql)"
                        .into(),
                ),
            )
        })?;
    let mut migrations: Vec<Migration> = Vec::new();
    let mut files = Vec::new();
    for (migration, path) in resolved {
        if migration.migration_type.is_down_migration() {
            continue;
        }
        files.push(MigrationFile {
            version: migration.version,
            description: migration.description.to_string(),
            path,
            checksum: migration.checksum.to_vec(),
        });
        migrations.push(migration);
    }
    migrations.sort();
    files.sort_by_key(|f| f.version);
    Ok(Resolved {
        migrator: Migrator::with_migrations(migrations),
        files,
    })
}

/// The up migrations in `dir`, in version order.
pub async fn migration_files(dir: &Path) -> Result<Vec<MigrationFile>, DbError> {
    Ok(resolve(dir).await?.files)
}

/// Applies every pending migration in order, calling `on_applied` after each. Returns the files
/// applied (empty when the database was up to date).
pub async fn apply_migrations(
    url: &DatabaseUrl,
    dir: &Path,
    on_applied: &(dyn Fn(&MigrationFile, std::time::Duration) + Sync),
) -> Result<Vec<MigrationFile>, DbError> {
    let resolved = resolve(dir).await?;
    let mut conn = Connection::open_or_fail(url).await?;
    let result = match &mut conn {
        Connection::Postgres(c) => apply_all(c, &resolved, on_applied).await,
        Connection::Sqlite(c) => apply_all(c, &resolved, on_applied).await,
    };
    conn.close().await;
    result.map_err(|e| migrate_error(e, &resolved.files))
}

async fn applied_versions<C: Migrate>(conn: &mut C) -> Result<HashSet<i64>, MigrateError> {
    conn.ensure_migrations_table(TABLE).await?;
    Ok(conn
        .list_applied_migrations(TABLE)
        .await?
        .into_iter()
        .map(|m| m.version)
        .collect())
}

async fn apply_all<C: Migrate>(
    conn: &mut C,
    resolved: &Resolved,
    on_applied: &(dyn Fn(&MigrationFile, std::time::Duration) + Sync),
) -> Result<Vec<MigrationFile>, MigrateError> {
    let applied = applied_versions(conn).await?;
    let pending: Vec<&MigrationFile> = resolved
        .files
        .iter()
        .filter(|f| !applied.contains(&f.version))
        .collect();
    if pending.is_empty() {
        // Still let the migrator validate checksums and missing files, under its lock.
        resolved.migrator.run_direct(None, conn, false).await?;
        return Ok(Vec::new());
    }
    let mut done = Vec::with_capacity(pending.len());
    for file in pending {
        let started = Instant::now();
        resolved
            .migrator
            .run_direct(Some(file.version), conn, false)
            .await?;
        on_applied(file, started.elapsed());
        done.push(file.clone());
    }
    Ok(done)
}

fn name_of(files: &[MigrationFile], version: i64) -> String {
    files
        .iter()
        .find(|f| f.version == version)
        .map_or_else(|| format!("version {version}"), MigrationFile::file_name)
}

fn migrate_error(error: MigrateError, files: &[MigrationFile]) -> DbError {
    let reset =
        Some("`devctl reset-db` rebuilds the database from the migrations on disk".to_string());
    match error {
        MigrateError::ExecuteMigration(e, version) => DbError::failed(
            format!("migration {} failed: {}", name_of(files, version), super::error::message(&e)),
            Some("fix the migration file and run devctl again; the migrations before it stay applied".into()),
        ),
        MigrateError::VersionMissing(version) => DbError::failed(
            format!("migration {version} was applied to the database but its file is missing from the migrations directory"),
            reset,
        ),
        MigrateError::VersionMismatch(version) => DbError::failed(
            format!("migration {} was changed after it was applied (its checksum differs)", name_of(files, version)),
            Some("restore the applied version of the file and add a new migration instead, or run `devctl reset-db`".into()),
        ),
        MigrateError::Dirty(version) => DbError::failed(
            format!("migration {} is partially applied", name_of(files, version)),
            reset,
        ),
        other => DbError::failed(format!("migration failed: {other}"), None),
    }
}

//! A read-only look at a database for `devctl status`: server version, extensions, the rows of
//! `_sqlx_migrations` and `alembic_version`. It creates nothing: a SQLite file is opened read-only,
//! and a missing bookkeeping table simply means nothing was applied.

use sqlx::Row;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::DbError;
use super::error::message;
use crate::config::DatabaseUrl;

/// One row of `_sqlx_migrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: i64,
    pub success: bool,
    pub checksum: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct Inspection {
    /// "PostgreSQL 17.12", "SQLite 3.46.0".
    pub server: String,
    /// Installed extensions (Postgres).
    pub extensions: Vec<String>,
    pub applied: Vec<AppliedMigration>,
    /// `version_num` values of `alembic_version`.
    pub alembic: Vec<String>,
}

/// A query whose table may not exist yet: a missing table reads as no rows.
fn missing_table(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => {
            e.code().as_deref() == Some("42P01") || e.message().contains("no such table")
        }
        _ => false,
    }
}

fn failed(what: &str, error: &sqlx::Error) -> DbError {
    DbError::failed(format!("failed to read {what}: {}", message(error)), None)
}

pub async fn inspect(url: &DatabaseUrl) -> Result<Inspection, DbError> {
    match url {
        DatabaseUrl::Postgres { .. } => {
            let crate::db::Connection::Postgres(mut conn) =
                crate::db::Connection::open_or_fail(url).await?
            else {
                unreachable!("a Postgres URL opens a Postgres connection")
            };
            let result = inspect_postgres(&mut conn).await;
            let _ = sqlx::Connection::close(conn).await;
            result
        }
        DatabaseUrl::Sqlite { path, .. } => {
            if !path.exists() {
                return Err(DbError::failed(
                    format!("the SQLite database {} does not exist yet", path.display()),
                    Some("`devctl ready` creates and migrates it".into()),
                ));
            }
            let options = SqliteConnectOptions::new().filename(path).read_only(true);
            let mut conn = <SqliteConnection as sqlx::Connection>::connect_with(&options)
                .await
                .map_err(|e| DbError::connect(url, &e))?;
            let result = inspect_sqlite(&mut conn).await;
            let _ = sqlx::Connection::close(conn).await;
            result
        }
    }
}

/// The rows of the two bookkeeping tables, the same way on either database. `alembic_sql` reads
/// `alembic_version` (Postgres needs a cast to text).
async fn tracking_rows<DB>(
    conn: &mut DB::Connection,
    alembic_sql: &'static str,
) -> Result<(Vec<AppliedMigration>, Vec<String>), DbError>
where
    DB: sqlx::Database,
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
    i64: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    bool: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    Vec<u8>: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    String: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
{
    let applied = match sqlx::query::<DB>(
        "SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version",
    )
    .fetch_all(&mut *conn)
    .await
    {
        Ok(rows) => rows
            .iter()
            .map(|r| AppliedMigration {
                version: r.get(0),
                success: r.get(1),
                checksum: r.get(2),
            })
            .collect(),
        Err(e) if missing_table(&e) => Vec::new(),
        Err(e) => return Err(failed("_sqlx_migrations", &e)),
    };
    let alembic = match sqlx::query_scalar::<DB, String>(alembic_sql)
        .fetch_all(&mut *conn)
        .await
    {
        Ok(rows) => rows,
        Err(e) if missing_table(&e) => Vec::new(),
        Err(e) => return Err(failed("alembic_version", &e)),
    };
    Ok((applied, alembic))
}

async fn inspect_postgres(conn: &mut PgConnection) -> Result<Inspection, DbError> {
    let server: String = sqlx::query_scalar("SELECT current_setting('server_version')")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| failed("the server version", &e))?;
    let extensions: Vec<String> =
        sqlx::query_scalar("SELECT extname::text FROM pg_extension ORDER BY 1")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| failed("the extensions", &e))?;
    let (applied, alembic) =
        tracking_rows::<sqlx::Postgres>(conn, "SELECT version_num::text FROM alembic_version")
            .await?;
    Ok(Inspection {
        server: format!(
            "PostgreSQL {}",
            server.split_whitespace().next().unwrap_or_default()
        ),
        extensions,
        applied,
        alembic,
    })
}

async fn inspect_sqlite(conn: &mut SqliteConnection) -> Result<Inspection, DbError> {
    let version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| failed("the SQLite version", &e))?;
    let (applied, alembic) =
        tracking_rows::<sqlx::Sqlite>(conn, "SELECT version_num FROM alembic_version").await?;
    Ok(Inspection {
        server: format!("SQLite {version}"),
        extensions: Vec::new(),
        applied,
        alembic,
    })
}

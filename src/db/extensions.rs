//! `CREATE EXTENSION IF NOT EXISTS` for each configured extension, checking first that the server
//! ships it, so a missing package gets a clear message instead of "could not open control file".

use super::{Connection, DbError};
use crate::config::DatabaseUrl;

/// Returns the extensions that were created (the others were already there).
pub async fn ensure_extensions(
    url: &DatabaseUrl,
    extensions: &[String],
) -> Result<Vec<String>, DbError> {
    let Connection::Postgres(mut conn) = Connection::open_or_fail(url).await? else {
        return Ok(Vec::new());
    };
    let mut created = Vec::new();
    for name in extensions {
        let (available, installed): (bool, bool) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = $1), \
                    EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1)",
        )
        .bind(name)
        .fetch_one(&mut conn)
        .await
        .map_err(|e| {
            DbError::failed(
                format!(
                    "failed to look up extension {name}: {}",
                    super::error::message(&e)
                ),
                None,
            )
        })?;
        if installed {
            continue;
        }
        if !available {
            return Err(DbError::failed(
                format!("the database server does not ship the extension {name:?}"),
                Some(format!(
                    "use an image that includes it (for {name:?}: {}), or remove it from [database] extensions in devctl.toml",
                    image_hint(name)
                )),
            ));
        }
        let sql = format!(
            "CREATE EXTENSION IF NOT EXISTS \"{}\"",
            name.replace('"', "\"\"")
        );
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.map_err(|e| {
            DbError::failed(
                format!("failed to create extension {name}: {}", super::error::message(&e)),
                Some("the database user needs permission to create extensions (a superuser, or the extension marked trusted)".into()),
            )
        })?;
        created.push(name.clone());
    }
    Ok(created)
}

fn image_hint(name: &str) -> &'static str {
    match name {
        "vector" => "pgvector/pgvector:pg17",
        "postgis" => "postgis/postgis",
        "timescaledb" => "timescale/timescaledb",
        _ => "an image built with its package",
    }
}

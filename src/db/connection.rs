//! A connection to either kind of database devctl supports, chosen by the URL.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::DbError;
use crate::config::DatabaseUrl;

pub enum Connection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

impl Connection {
    /// Connects; a SQLite file (and its directory) is created when missing.
    pub async fn open(url: &DatabaseUrl) -> Result<Connection, sqlx::Error> {
        match url {
            DatabaseUrl::Postgres { sqlx, .. } => {
                let options = PgConnectOptions::from_str(sqlx)?.application_name("devctl");
                Ok(Connection::Postgres(
                    PgConnection::connect_with(&options).await?,
                ))
            }
            DatabaseUrl::Sqlite { path, .. } => {
                if let Some(parent) = path.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(5));
                Ok(Connection::Sqlite(
                    SqliteConnection::connect_with(&options).await?,
                ))
            }
        }
    }

    /// Like [`Connection::open`], with the error turned into a [`DbError`] that names the database.
    pub async fn open_or_fail(url: &DatabaseUrl) -> Result<Connection, DbError> {
        Connection::open(url)
            .await
            .map_err(|e| DbError::connect(url, &e))
    }

    /// Runs one statement, ignoring its rows.
    pub async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Connection::Postgres(c) => sqlx::raw_sql(sql).execute(c).await.map(drop),
            Connection::Sqlite(c) => sqlx::raw_sql(sql).execute(c).await.map(drop),
        }
    }

    pub async fn close(self) {
        let _ = match self {
            Connection::Postgres(c) => c.close().await,
            Connection::Sqlite(c) => c.close().await,
        };
    }
}

//! One readiness attempt: log in to the target database and run `SELECT 1`. Only conditions that
//! go away by themselves while a server starts are transient: refused or reset connections (the
//! port is published before the server listens; the official image's temporary init server
//! listens on a socket only), SQLSTATE 57P03 "the database system is starting up", and 3D000
//! while init scripts have not created the database yet.

use std::io::ErrorKind;

use super::{Connection, DbError};
use crate::config::DatabaseUrl;
use crate::engine::Probe;

pub async fn probe(url: &DatabaseUrl) -> Probe<DbError> {
    let result = async {
        let mut conn = Connection::open(url).await?;
        conn.execute("SELECT 1").await?;
        conn.close().await;
        Ok::<(), sqlx::Error>(())
    }
    .await;
    match result {
        Ok(()) => Probe::Ready,
        Err(error) if is_transient(&error) => Probe::Transient(super::error::message(&error)),
        Err(error) => Probe::Fatal(DbError::connect(url, &error)),
    }
}

fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(e) => matches!(
            e.kind(),
            ErrorKind::ConnectionRefused
                | ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::UnexpectedEof
                | ErrorKind::BrokenPipe
                | ErrorKind::NotConnected
                | ErrorKind::TimedOut
        ),
        sqlx::Error::Database(e) => matches!(e.code().as_deref(), Some("57P03" | "3D000")),
        // A proxy that accepted the connection and closed it before the server answered.
        sqlx::Error::Protocol(message) => {
            message.contains("unexpected end") || message.contains("closed")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_and_reset_connections_are_transient() {
        for kind in [
            ErrorKind::ConnectionRefused,
            ErrorKind::ConnectionReset,
            ErrorKind::UnexpectedEof,
        ] {
            assert!(is_transient(&sqlx::Error::Io(kind.into())), "{kind:?}");
        }
        assert!(!is_transient(&sqlx::Error::Io(
            ErrorKind::PermissionDenied.into()
        )));
        assert!(!is_transient(&sqlx::Error::Configuration("bad".into())));
    }

    #[tokio::test]
    async fn a_sqlite_file_is_ready_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite {
            original: String::new(),
            path: dir.path().join("sub/dev.sqlite"),
        };
        assert!(matches!(probe(&url).await, Probe::Ready));
        assert!(dir.path().join("sub/dev.sqlite").exists());
    }

    #[tokio::test]
    async fn a_closed_port_is_transient() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = DatabaseUrl::Postgres {
            original: String::new(),
            sqlx: format!("postgres://postgres:postgres@127.0.0.1:{port}/x"),
            host: "127.0.0.1".into(),
            port,
            user: "postgres".into(),
            database: "x".into(),
        };
        assert!(matches!(probe(&url).await, Probe::Transient(_)));
    }
}

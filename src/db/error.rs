//! Database errors, with the database's own message and SQLSTATE, and a hint.

use crate::config::DatabaseUrl;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to {url}: {message}")]
    Connect {
        url: String,
        message: String,
        hint: Option<String>,
    },
    #[error("{message}")]
    Failed {
        message: String,
        hint: Option<String>,
        details: Vec<String>,
    },
}

impl DbError {
    pub fn hint(&self) -> Option<String> {
        match self {
            DbError::Connect { hint, .. } | DbError::Failed { hint, .. } => hint.clone(),
        }
    }

    pub fn details(&self) -> &[String] {
        match self {
            DbError::Failed { details, .. } => details,
            DbError::Connect { .. } => &[],
        }
    }

    pub fn connect(url: &DatabaseUrl, error: &sqlx::Error) -> DbError {
        let code = sqlstate(error);
        let hint = match code.as_deref() {
            Some("28P01" | "28000") => Some(
                "the credentials in the URL do not match the database: if its data directory was \
                 made with other credentials, `devctl reset-db` recreates it"
                    .to_string(),
            ),
            Some("3D000") => Some(
                "the database does not exist: check POSTGRES_DB in the compose file, or `devctl reset-db` to recreate it"
                    .to_string(),
            ),
            _ => None,
        };
        DbError::Connect {
            url: url.redacted(),
            message: message(error),
            hint,
        }
    }

    pub fn failed(message: impl Into<String>, hint: Option<String>) -> DbError {
        DbError::Failed {
            message: message.into(),
            hint,
            details: Vec::new(),
        }
    }
}

/// The database's SQLSTATE, if the error came from the server.
pub fn sqlstate(error: &sqlx::Error) -> Option<String> {
    match error {
        sqlx::Error::Database(e) => e.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// The error's message without sqlx's wrapping ("error returned from database: ").
pub fn message(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Database(e) => match e.code() {
            Some(code) => format!("{} (SQLSTATE {code})", e.message()),
            None => e.message().to_string(),
        },
        sqlx::Error::Io(e) => e.to_string(),
        other => other.to_string(),
    }
}

//! The one wrapper around sqlx: connecting, readiness, extensions and native migrations, for
//! Postgres and SQLite alike.

mod error;

pub use error::DbError;

//! The one wrapper around sqlx: connecting, readiness probes, extensions and native migrations,
//! for Postgres and SQLite alike. Steps call these functions with a [`DatabaseUrl`] and never
//! touch sqlx themselves.

mod connection;
mod error;
mod extensions;
mod migrate;
mod probe;

pub use connection::Connection;
pub use error::DbError;
pub use extensions::ensure_extensions;
pub use migrate::{MigrationFile, apply_migrations, pending_migrations};
pub use probe::probe;

//! The one wrapper around sqlx: connecting, readiness probes, extensions and native migrations,
//! for Postgres and SQLite alike. Steps call these functions with a [`DatabaseUrl`] and never
//! touch sqlx themselves.

mod connection;
mod error;
mod extensions;
mod inspect;
mod migrate;
mod probe;

pub use connection::Connection;
pub use error::DbError;
pub use extensions::ensure_extensions;
pub use inspect::{AppliedMigration, Inspection, inspect};
pub use migrate::{MigrationFile, apply_migrations, migration_files};
pub use probe::probe;

//! devctl takes a project's local development environment from a fresh checkout, or from a
//! drifted database, to a clean, migrated, ready state in one command.

pub mod config;
pub mod db;
pub mod docker;
pub mod error;

pub use error::Error;

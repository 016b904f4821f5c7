//! devctl's integration tests: the real binary, real files, a real Docker engine and a real
//! Postgres with pgvector. One target, so the suite compiles once.

mod support;

mod alembic_project;

mod autogenerate;
mod config_errors;
mod init;
mod postgres;
mod reset_db;
mod reset_db_wipe;
mod sqlite;
mod status;
mod status_alembic;

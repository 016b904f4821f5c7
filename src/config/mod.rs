//! Everything devctl learns about a project before it acts: `devctl.toml`, the `.env` file, the
//! project's own compose file and the database URL. It is read once, validated, and handed to the
//! commands as one [`Project`], so no step re-reads or re-interprets a file.

mod compose;
mod compose_override;
mod database_url;
mod duration;
mod env;
mod error;
mod interpolate;
mod paths;
pub mod postgres_service;
mod project;
mod settings;

pub use compose::{
    BUILD_ONLY_REASON, Compose, DEFAULT_PGDATA, Healthcheck, PortMapping, Service, SkippedService,
    VolumeMount,
};
pub use database_url::{ACCEPTED_FORMS, Database, DatabaseUrl, redact_password};
pub use env::Env;
pub use error::ConfigError;
pub use interpolate::interpolate;
pub use project::{COMPOSE_FILE_NAMES, Project, SETTINGS_FILE};
pub use settings::{DatabaseSettings, MigrationSettings, Settings};

//! Everything devctl learns about a project before it acts: `devctl.toml`, the `.env` file, the
//! project's own compose file and the database URL. It is read once, validated, and handed to the
//! commands as one [`Project`], so no step re-reads or re-interprets a file.

mod compose;
mod database_url;
mod duration;
mod env;
mod error;
mod interpolate;
mod paths;
mod project;
mod settings;

pub use compose::{Compose, Healthcheck, PortMapping, Service, SkippedService, VolumeMount};
pub use database_url::{Database, DatabaseUrl};
pub use env::Env;
pub use error::ConfigError;
pub use project::Project;
pub use settings::{DatabaseSettings, MigrationSettings, Settings};

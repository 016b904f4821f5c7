//! `devctl init`: adopting devctl should be one step. This module works out a project's layout
//! from the files it already has (compose file, `.env.example`, `alembic.ini` or SQL migrations)
//! and renders the `devctl.toml` and `.env.example` that describe it. It only reads the project;
//! writing the files, prompting and printing belong to the command.

mod detect;
mod detected;
mod render;
mod url_variable;
mod walk;

#[cfg(test)]
pub(crate) mod tests;

pub use detect::detect;
pub use detected::{Detected, DetectedMigrations};
pub use render::{amend_env_example, render_env_example, render_settings};

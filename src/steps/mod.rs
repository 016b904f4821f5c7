//! The concrete steps workflows are made of. Each is small, idempotent (it checks before it acts
//! and reports `unchanged` when there was nothing to do) and holds an `Arc<Session>` for what it
//! shares with the others.

mod container_watch;
mod dotenv;
mod extensions;
mod migrations;
mod prerequisites;
mod run_command;
mod start_service;
mod stop_service;
mod wait_database;
mod wait_service;

pub use dotenv::DotEnv;
pub use extensions::Extensions;
pub use migrations::Migrations;
pub use prerequisites::Prerequisites;
pub use run_command::{CommandLine, run_command};
pub use start_service::StartService;
pub use stop_service::StopService;
pub use wait_database::WaitDatabase;
pub use wait_service::WaitService;

//! The concrete steps workflows are made of. Each is small, idempotent (it checks before it acts
//! and reports `unchanged` when there was nothing to do) and holds an `Arc<Session>` for what it
//! shares with the others.

mod autogenerate;
mod confirm;
mod container_watch;
mod dotenv;
mod extensions;
mod lock;
mod migrations;
mod prerequisites;
mod run_command;
mod start_service;
mod stop_database;
mod stop_service;
mod wait_database;
mod wait_service;
mod wipe_data;
mod wipe_target;

pub use autogenerate::Autogenerate;
pub use confirm::Confirm;
pub use dotenv::DotEnv;
pub use extensions::Extensions;
pub use lock::Lock;
pub use migrations::Migrations;
pub use prerequisites::Prerequisites;
pub use run_command::{CommandLine, run_command};
pub use start_service::StartService;
pub use stop_database::StopDatabase;
pub use stop_service::StopService;
pub use wait_database::WaitDatabase;
pub use wait_service::WaitService;
pub use wipe_data::WipeData;
pub use wipe_target::WipeTarget;

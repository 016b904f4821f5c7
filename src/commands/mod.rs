//! One file per command. Each is thin: it loads the project, builds a plan from the steps, and
//! hands it to the engine.

mod down;
pub mod init;
mod ready;
mod reset_db;
pub mod status;
mod up;

use std::sync::Arc;

use crate::Error;
use crate::cli::{Arguments, Command, Options};
use crate::config::Project;
use crate::engine::{self, Plan, Report, Reporter, RunOptions};
use crate::session::Session;

/// Runs the command `arguments` name. Returns the report (empty when nothing ran) and the error
/// that ended the run, if any.
pub async fn run(arguments: &Arguments, reporter: &dyn Reporter) -> (Report, Option<Error>) {
    let session = match load(arguments) {
        Ok(session) => Arc::new(session),
        Err(error) => return (Report::default(), Some(error)),
    };
    let plan = match &arguments.command {
        Command::Ready => ready::plan(&session),
        Command::Up { services } => up::plan(&session, services),
        Command::Down { services } => down::plan(&session, services),
        Command::ResetDb { autogenerate } => reset_db::plan(&session, autogenerate.as_deref()),
        Command::Status | Command::Completions { .. } | Command::Init { .. } => {
            unreachable!("runs no plan")
        }
    };
    let plan = match plan {
        Ok(plan) => plan,
        Err(error) => return (Report::default(), Some(error)),
    };
    let (mut report, error) = execute(&plan, &session, reporter).await;
    if matches!(arguments.command, Command::Ready | Command::ResetDb { .. }) {
        ready::summarize(&session, &mut report);
    }
    (report, error)
}

pub(crate) fn load(arguments: &Arguments) -> Result<Session, Error> {
    let options: Options = arguments.options()?;
    let root = Project::discover(&options.directory)?;
    let project = Project::load(&root)?;
    Ok(Session::new(project, options))
}

async fn execute(
    plan: &Plan,
    session: &Session,
    reporter: &dyn Reporter,
) -> (Report, Option<Error>) {
    let options = RunOptions {
        dry_run: session.options.dry_run,
    };
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    engine::run(plan, reporter, options, interrupt).await
}

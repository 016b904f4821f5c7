//! devctl takes a project's local development environment from a fresh checkout, or from a
//! drifted database, to a clean, migrated, ready state in one command.

pub mod alembic;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod docker;
pub mod engine;
pub mod error;
pub mod init;
pub mod lock;
pub mod session;
pub mod status;
pub mod steps;
pub mod ui;
pub mod wipe;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

pub use error::Error;

use crate::engine::Reporter;

/// Prints the completion script. clap_complete panics when its writer fails, so the script is
/// generated into memory first; a closed pipe (`devctl completions bash | head -1`) is success.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = <cli::Arguments as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "devctl", &mut script);
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(&script).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("error: cannot write the completion script: {e}");
            ExitCode::from(error::exit::FAILURE)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Parses the command line, runs the command, prints the outcome, and returns the exit status.
pub fn run() -> ExitCode {
    let arguments = match cli::Arguments::try_parse() {
        Ok(arguments) => arguments,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                error::exit::USAGE
            } else {
                error::exit::SUCCESS
            });
        }
    };
    if let cli::Command::Completions { shell } = arguments.command {
        return completions(shell.into());
    }
    ui::init_colors(arguments.color);
    let mut reporters: Vec<Box<dyn Reporter>> = vec![Box::new(ui::Human::new(arguments.verbose))];
    if arguments.json {
        reporters.push(Box::new(ui::Json::new()));
    }
    let reporter = ui::Reporters(reporters);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(error::exit::FAILURE);
        }
    };
    match arguments.command {
        cli::Command::Status => return commands::status::main(&arguments, &runtime),
        cli::Command::Init { force } => return commands::init::main(&arguments, force, &runtime),
        _ => {}
    }
    let (report, error) = runtime.block_on(commands::run(&arguments, &reporter));
    reporter.finished(&report, error.as_ref());
    if matches!(error, Some(Error::Interrupted)) {
        ui::restore_terminal();
    }
    // Steps dropped by Ctrl-C may leave blocking tasks; do not wait for them.
    runtime.shutdown_background();
    ExitCode::from(
        error
            .as_ref()
            .map_or(error::exit::SUCCESS, Error::exit_code),
    )
}

//! `devctl status [--json]`: read-only; exit 0 when all is well, 1 when something has drifted or
//! is down, 2 on configuration errors.

use std::process::ExitCode;

use serde_json::json;

use crate::Error;
use crate::cli::Arguments;
use crate::error::exit;
use crate::session::Session;

pub fn main(arguments: &Arguments, runtime: &tokio::runtime::Runtime) -> ExitCode {
    let result = runtime.block_on(async {
        let session: Session = super::load(arguments)?;
        crate::status::gather(&session).await
    });
    match result {
        Ok(report) => {
            if arguments.json {
                let mut status = serde_json::to_value(&report).unwrap_or_default();
                status["event"] = json!("status");
                println!("{status}");
                println!(
                    "{}",
                    json!({"event": "summary", "ok": report.ok(), "problems": report.problems, "steps": []})
                );
            } else {
                println!("{}", crate::ui::render_status(&report));
            }
            ExitCode::from(if report.ok() {
                exit::SUCCESS
            } else {
                exit::FAILURE
            })
        }
        Err(error) => fail(arguments, &error),
    }
}

/// Prints an error that ended a command outside the workflow engine.
pub fn fail(arguments: &Arguments, error: &Error) -> ExitCode {
    eprintln!("{}", crate::ui::render_error(error));
    if arguments.json {
        println!(
            "{}",
            json!({"event": "summary", "ok": false, "steps": [], "error": crate::ui::error_value(error)})
        );
    }
    ExitCode::from(error.exit_code())
}

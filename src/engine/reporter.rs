//! How the engine tells the outside world what happens. The terminal printer and the `--json`
//! event stream both implement it, so the engine never prints.

use super::{Report, StepReport};
use crate::Error;

pub trait Reporter: Send + Sync {
    /// Before anything runs: the steps in order, with what each will do.
    fn plan(&self, steps: &[(String, String)], dry_run: bool);
    fn step_started(&self, index: usize, name: &str);
    fn step_progress(&self, index: usize, message: &str);
    /// Clears any spinner so a step can ask a question on the terminal.
    fn pause(&self) {}
    fn step_output(&self, index: usize, line: &str);
    fn step_finished(&self, index: usize, step: &StepReport, error: Option<&Error>);
    fn finished(&self, report: &Report, error: Option<&Error>);
}

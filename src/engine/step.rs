//! One unit of work in a plan, and what it reports when it is done.

use futures_util::future::BoxFuture;
use serde::Serialize;

use super::Reporter;
use crate::Error;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// It changed something.
    Done,
    /// Everything was already as it should be.
    Unchanged,
    /// It did not apply (e.g. extensions on SQLite).
    Skipped,
    Failed,
    /// An earlier step failed or the run was interrupted.
    NotRun,
    /// `--dry-run`: what it would do.
    Planned,
}

/// What a successful step reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub detail: String,
}

impl Outcome {
    pub fn done(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Done,
            detail: detail.into(),
        }
    }

    pub fn unchanged(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Unchanged,
            detail: detail.into(),
        }
    }

    pub fn skipped(detail: impl Into<String>) -> Outcome {
        Outcome {
            status: Status::Skipped,
            detail: detail.into(),
        }
    }
}

/// What a running step may use: a way to show output lines (a command's output, pull progress).
pub struct StepContext<'a> {
    pub(super) reporter: &'a dyn Reporter,
    pub(super) index: usize,
}

impl StepContext<'_> {
    /// Shows one line of output under the step.
    pub fn output(&self, line: &str) {
        self.reporter.step_output(self.index, line);
    }

    /// Clears the spinner before the step asks a question.
    pub fn pause(&self) {
        self.reporter.pause();
    }

    /// Replaces the step's progress message (spinners only).
    pub fn progress(&self, message: &str) {
        self.reporter.step_progress(self.index, message);
    }
}

pub trait Step: Send + Sync {
    /// Short and stable, e.g. "start postgres"; it names the step in output and JSON.
    fn name(&self) -> String;

    /// What the step will do, for `--dry-run` and the plan.
    fn describe(&self) -> String;

    fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>>;
}

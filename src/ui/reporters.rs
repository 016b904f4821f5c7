//! Several reporters as one: with `--json`, the event stream on stdout and the human view on
//! stderr both follow the run.

use crate::Error;
use crate::engine::{Report, Reporter, StepReport};

pub struct Reporters(pub Vec<Box<dyn Reporter>>);

impl Reporter for Reporters {
    fn plan(&self, steps: &[(String, String)], dry_run: bool) {
        self.0.iter().for_each(|r| r.plan(steps, dry_run));
    }
    fn step_started(&self, index: usize, name: &str) {
        self.0.iter().for_each(|r| r.step_started(index, name));
    }
    fn step_progress(&self, index: usize, message: &str) {
        self.0.iter().for_each(|r| r.step_progress(index, message));
    }
    fn pause(&self) {
        self.0.iter().for_each(|r| r.pause());
    }
    fn step_output(&self, index: usize, line: &str) {
        self.0.iter().for_each(|r| r.step_output(index, line));
    }
    fn step_finished(&self, index: usize, step: &StepReport, error: Option<&Error>) {
        self.0
            .iter()
            .for_each(|r| r.step_finished(index, step, error));
    }
    fn finished(&self, report: &Report, error: Option<&Error>) {
        self.0.iter().for_each(|r| r.finished(report, error));
    }
}

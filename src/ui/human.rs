//! The terminal view, on stderr: one line per step with its outcome and duration, command output
//! indented under it, a spinner while a step runs (only on a terminal), and errors with their
//! hint and details.

use std::sync::Mutex;
use std::time::Duration;

use console::{Term, style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::Error;
use crate::engine::{Report, Reporter, Status, StepReport};

pub struct Human {
    term: Term,
    spinners: bool,
    verbose: bool,
    spinner: Mutex<Option<ProgressBar>>,
}

impl Human {
    pub fn new(verbose: bool) -> Human {
        let term = Term::stderr();
        let spinners = term.is_term();
        Human {
            term,
            spinners,
            verbose,
            spinner: Mutex::new(None),
        }
    }

    fn line(&self, text: &str) {
        let spinner = self
            .spinner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match spinner.as_ref() {
            Some(bar) => bar.suspend(|| self.write(text)),
            None => self.write(text),
        }
    }

    fn write(&self, text: &str) {
        // stderr closed: nothing useful to do, the exit code still tells.
        let _ = self.term.write_line(text);
    }

    fn stop_spinner(&self) {
        if let Some(bar) = self
            .spinner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            bar.finish_and_clear();
        }
    }

    /// Prints an error that happened outside any step (configuration, usage).
    pub fn error(&self, error: &Error) {
        self.write(&render_error(error));
    }
}

/// `error: message`, then details indented, then `hint: ...`.
pub fn render_error(error: &Error) -> String {
    let mut out = format!("{} {error}", style("error:").red().bold());
    for detail in error.details() {
        out.push_str(&format!("\n  {}", style(detail).dim()));
    }
    if let Some(hint) = error.hint() {
        out.push_str(&format!("\n  {} {hint}", style("hint:").cyan().bold()));
    }
    out
}

fn mark(status: Status) -> console::StyledObject<&'static str> {
    match status {
        Status::Done => style("✓").green().bold(),
        Status::Unchanged => style("✓").green(),
        Status::Skipped => style("-").dim(),
        Status::Failed => style("✗").red().bold(),
        Status::NotRun => style("·").dim(),
        Status::Planned => style("•").cyan(),
    }
}

impl Reporter for Human {
    fn plan(&self, steps: &[(String, String)], dry_run: bool) {
        if dry_run {
            self.write(&format!(
                "{} nothing will be created or changed; the plan:",
                style("dry run:").cyan().bold()
            ));
            for (index, (name, description)) in steps.iter().enumerate() {
                self.write(&format!(
                    "  {:>2}. {:<22} {description}",
                    index + 1,
                    style(name).bold()
                ));
            }
        } else if self.verbose {
            self.write(&format!(
                "{} {}",
                style("plan:").dim(),
                steps
                    .iter()
                    .map(|s| s.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }

    fn step_started(&self, _index: usize, name: &str) {
        if !self.spinners {
            return;
        }
        let bar =
            ProgressBar::with_draw_target(None, ProgressDrawTarget::term(self.term.clone(), 15));
        bar.set_style(
            ProgressStyle::with_template("  {spinner:.cyan} {prefix:<22.bold} {msg:.dim}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(80));
        *self
            .spinner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(bar);
    }

    fn step_progress(&self, _index: usize, message: &str) {
        if let Some(bar) = self
            .spinner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            bar.set_message(message.to_string());
        }
    }

    fn pause(&self) {
        self.stop_spinner();
    }

    fn step_output(&self, _index: usize, line: &str) {
        self.line(&format!("      {}", style(line).dim()));
    }

    fn step_finished(&self, _index: usize, step: &StepReport, error: Option<&Error>) {
        self.stop_spinner();
        let detail = if error.is_some() {
            String::new()
        } else {
            step.detail.clone()
        };
        self.write(&format!(
            "  {} {:<22} {} {}",
            mark(step.status),
            style(&step.name).bold(),
            detail,
            style(super::duration(step.duration_ms)).dim()
        ));
    }

    fn finished(&self, report: &Report, error: Option<&Error>) {
        self.stop_spinner();
        if let Some(error) = error {
            self.write(&render_error(error));
            return;
        }
        if report.steps.iter().all(|s| s.status == Status::Planned) {
            return;
        }
        let changed = report.count(Status::Done);
        let summary = if changed == 0 {
            "nothing to do: already ready".to_string()
        } else {
            format!("{} changed", super::count(changed, "step", "steps"))
        };
        self.write(&format!(
            "{} in {} ({summary})",
            style("done").green().bold(),
            super::duration(report.duration_ms)
        ));
        if let Some(serde_json::Value::String(export)) = report.extra.get("export") {
            self.write(&format!("To use the database from your shell:\n  {export}"));
        }
    }
}

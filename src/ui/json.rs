//! `--json`: one JSON object per line on stdout, each with an `event` field. The last line is
//! always a `summary` with `ok` and every step's name, status and `duration_ms`, also when a step
//! or the configuration fails, so a script can read exactly one line to know what happened.

use std::io::Write;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::Error;
use crate::engine::{Report, Reporter, StepReport};

pub struct Json {
    out: Mutex<std::io::Stdout>,
}

impl Default for Json {
    fn default() -> Self {
        Json {
            out: Mutex::new(std::io::stdout()),
        }
    }
}

impl Json {
    pub fn new() -> Json {
        Json::default()
    }

    fn emit(&self, value: &Value) {
        let mut out = self
            .out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A closed stdout must not end the run; the exit code still tells.
        let _ = writeln!(out, "{value}").and_then(|()| out.flush());
    }
}

pub fn error_value(error: &Error) -> Value {
    json!({
        "message": error.to_string(),
        "hint": error.hint(),
        "details": error.details(),
        "exit_code": error.exit_code(),
    })
}

impl Reporter for Json {
    fn plan(&self, steps: &[(String, String)], dry_run: bool) {
        let steps: Vec<Value> = steps
            .iter()
            .map(|(name, description)| json!({"name": name, "description": description}))
            .collect();
        self.emit(&json!({"event": "plan", "dry_run": dry_run, "steps": steps}));
    }

    fn step_started(&self, _index: usize, name: &str) {
        self.emit(&json!({"event": "step_started", "step": name}));
    }

    fn step_progress(&self, _index: usize, _message: &str) {}

    fn step_output(&self, _index: usize, line: &str) {
        self.emit(&json!({"event": "output", "line": line}));
    }

    fn step_finished(&self, _index: usize, step: &StepReport, error: Option<&Error>) {
        let mut value = json!({
            "event": "step_finished",
            "step": step.name,
            "status": step.status,
            "duration_ms": step.duration_ms,
            "detail": step.detail,
        });
        if let Some(error) = error {
            value["error"] = error_value(error);
        }
        self.emit(&value);
    }

    fn finished(&self, report: &Report, error: Option<&Error>) {
        let mut value = json!({
            "event": "summary",
            "ok": report.ok && error.is_none(),
            "duration_ms": report.duration_ms,
            "steps": report.steps,
        });
        if let Some(error) = error {
            value["error"] = error_value(error);
        }
        for (key, extra) in &report.extra {
            value[key] = extra.clone();
        }
        self.emit(&value);
    }
}

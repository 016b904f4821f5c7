//! The result of running a plan: every step's name, status and duration. It is what the summary
//! and the last `--json` line are made of.

use serde::Serialize;

use super::Status;

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub name: String,
    pub status: Status,
    pub duration_ms: u64,
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub ok: bool,
    pub steps: Vec<StepReport>,
    pub duration_ms: u64,
    /// What the command adds for the reader: `export` (the line that exports the database URL),
    /// `database`, ... They become fields of the `--json` summary.
    #[serde(skip)]
    pub extra: std::collections::BTreeMap<String, serde_json::Value>,
}

impl Report {
    /// How many steps ended with `status`.
    pub fn count(&self, status: Status) -> usize {
        self.steps.iter().filter(|s| s.status == status).count()
    }
}

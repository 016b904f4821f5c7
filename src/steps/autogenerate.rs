//! Runs the project's autogeneration command (`alembic revision --autogenerate -m {message}`)
//! against the fresh baseline, with the message as one argument, and names the file it wrote.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

use super::migrations::command_env;
use super::{CommandLine, run_command};

pub struct Autogenerate {
    pub session: Arc<Session>,
    pub message: String,
}

/// Directories never searched for the new file.
const SKIP: &[&str] = &[
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    "target",
    "data",
    ".mypy_cache",
    ".pytest_cache",
];

fn files(dir: &Path, out: &mut BTreeSet<(PathBuf, Option<SystemTime>)>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let name = entry.file_name();
        match entry.file_type() {
            Ok(t)
                if t.is_dir() && depth < 8 && !SKIP.contains(&name.to_string_lossy().as_ref()) =>
            {
                files(&path, out, depth + 1)
            }
            Ok(t) if t.is_file() => {
                out.insert((path, entry.metadata().and_then(|m| m.modified()).ok()));
            }
            _ => {}
        }
    }
}

impl Step for Autogenerate {
    fn name(&self) -> String {
        "autogenerate".into()
    }

    fn describe(&self) -> String {
        let template = self
            .session
            .project
            .settings
            .migrations
            .autogenerate
            .clone()
            .unwrap_or_default();
        match CommandLine::new(&template, &[("message", &self.message)]) {
            Ok(line) => format!("run `{}` against the fresh database", line.text),
            Err(e) => e.to_string(),
        }
    }

    fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let project = &self.session.project;
            let template = project
                .settings
                .migrations
                .autogenerate
                .as_deref()
                .unwrap_or_default();
            let line = CommandLine::new(template, &[("message", &self.message)])?;
            let workdir = project.root.join(&project.settings.migrations.workdir);
            let mut before = BTreeSet::new();
            files(&workdir, &mut before, 0);
            run_command(&line, &workdir, &command_env(&self.session), cx).await?;
            let mut after = BTreeSet::new();
            files(&workdir, &mut after, 0);
            let known: BTreeSet<&PathBuf> = before.iter().map(|(p, _)| p).collect();
            let new: Vec<&PathBuf> = after
                .iter()
                .map(|(p, _)| p)
                .filter(|p| !known.contains(p))
                .collect();
            let shown: Vec<String> = new
                .iter()
                .map(|p| {
                    p.strip_prefix(&project.root)
                        .unwrap_or(p)
                        .display()
                        .to_string()
                })
                .collect();
            for path in &shown {
                cx.output(&format!("new migration: {path}"));
            }
            Ok(match shown.as_slice() {
                [] => Outcome::done("ran; no new file appeared"),
                [one] => Outcome::done(format!("wrote {one}")),
                many => Outcome::done(format!("wrote {}", many.join(", "))),
            })
        })
    }
}

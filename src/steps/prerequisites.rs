//! Everything the run needs before it changes anything: the programs the configured commands
//! start, and the Docker daemon when containers are involved. Failing here is cheap and says how
//! to install what is missing.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

pub struct Prerequisites {
    pub session: Arc<Session>,
    /// (program, the command that needs it)
    pub programs: Vec<(String, String)>,
    pub needs_docker: bool,
}

impl Prerequisites {
    /// The programs `commands` start (their first word), and Docker when asked.
    pub fn new(session: Arc<Session>, commands: &[&str], needs_docker: bool) -> Prerequisites {
        let mut programs: Vec<(String, String)> = Vec::new();
        for command in commands {
            if let Some(program) = shell_words::split(command)
                .ok()
                .and_then(|words| words.into_iter().next())
                && !programs.iter().any(|(p, _)| *p == program)
            {
                programs.push((program, (*command).to_string()));
            }
        }
        Prerequisites {
            session,
            programs,
            needs_docker,
        }
    }
}

fn install_hint(program: &str) -> String {
    match program {
        "uv" | "uvx" => "install uv (pip install uv, or your package manager), then run devctl again".into(),
        "alembic" => "install Alembic in the project's environment (pip install alembic), or run it through `uv run alembic`".into(),
        "python" | "python3" => "install Python 3 (apt-get install python3), or point the command at your interpreter".into(),
        "poetry" => "install Poetry (pip install poetry)".into(),
        "npm" | "npx" | "node" => "install Node.js (apt-get install nodejs npm)".into(),
        _ => format!("install {program} and make sure it is on PATH"),
    }
}

impl Step for Prerequisites {
    fn name(&self) -> String {
        "prerequisites".into()
    }

    fn describe(&self) -> String {
        let mut what: Vec<String> = self.programs.iter().map(|(p, _)| p.clone()).collect();
        if self.needs_docker {
            what.push("the Docker daemon".into());
        }
        if what.is_empty() {
            "nothing to check".into()
        } else {
            format!("check {}", what.join(", "))
        }
    }

    fn run<'a>(&'a self, _cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let workdir = self
                .session
                .project
                .root
                .join(&self.session.project.settings.migrations.workdir);
            let mut found = Vec::new();
            for (program, needed_by) in &self.programs {
                let path = if program.contains('/') {
                    let candidate = workdir.join(program);
                    candidate.exists().then_some(candidate)
                } else {
                    which::which(program).ok()
                };
                if path.is_none() {
                    return Err(Error::ProgramMissing {
                        program: program.clone(),
                        needed_by: needed_by.clone(),
                        hint: install_hint(program),
                    });
                }
                found.push(program.clone());
            }
            if self.needs_docker {
                self.session.docker().await?;
                found.push("docker".into());
            }
            if found.is_empty() {
                return Ok(Outcome::skipped("nothing needed"));
            }
            Ok(Outcome::unchanged(format!("{} found", found.join(", "))))
        })
    }
}

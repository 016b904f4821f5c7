//! `.env` created from `.env.example` when missing, never overwritten; keys the example has and
//! `.env` lacks are reported, since they are usually new settings a teammate added.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use crate::Error;
use crate::engine::{Outcome, Step, StepContext};
use crate::session::Session;

pub struct DotEnv {
    pub session: Arc<Session>,
}

impl Step for DotEnv {
    fn name(&self) -> String {
        ".env".into()
    }

    fn describe(&self) -> String {
        let root = &self.session.project.root;
        match (
            root.join(".env").exists(),
            root.join(".env.example").exists(),
        ) {
            (true, _) => "keep .env; report keys .env.example has and .env lacks".into(),
            (false, true) => "create .env from .env.example".into(),
            (false, false) => "nothing: no .env.example".into(),
        }
    }

    fn run<'a>(&'a self, cx: &'a StepContext<'a>) -> BoxFuture<'a, Result<Outcome, Error>> {
        Box::pin(async move {
            let root = &self.session.project.root;
            let env = root.join(".env");
            let example = root.join(".env.example");
            if !example.exists() {
                return Ok(Outcome::skipped("no .env.example"));
            }
            if !env.exists() {
                // create_new: never overwrite a .env that appeared meanwhile.
                let text = std::fs::read(&example)
                    .map_err(|e| Error::io("failed to read", &example, e))?;
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&env)
                    .map_err(|e| Error::io("failed to create", &env, e))?;
                std::io::Write::write_all(&mut file, &text)
                    .map_err(|e| Error::io("failed to write", &env, e))?;
                return Ok(Outcome::done("created from .env.example"));
            }
            let missing = crate::config::Env::keys_missing_from_dotenv(root)?;
            if missing.is_empty() {
                return Ok(Outcome::unchanged("up to date with .env.example"));
            }
            for key in &missing {
                cx.output(&format!("{key} is in .env.example but not in .env"));
            }
            Ok(Outcome::unchanged(format!(
                "kept; {} from .env.example missing (copy what you need)",
                crate::ui::count(missing.len(), "key", "keys")
            )))
        })
    }
}

//! Running the project's own commands (`uv run alembic upgrade head`): split like a shell would,
//! started without a shell (so a message can never inject one), in the configured directory,
//! with `.env` and the database URL exported, output streamed line by line under the step.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};

use crate::Error;
use crate::engine::StepContext;

/// A command split into words, with `{message}`-style placeholders filled in as whole words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    pub text: String,
    pub words: Vec<String>,
}

impl CommandLine {
    /// Splits `template`; every `{key}` inside a word is replaced by its value, which stays inside
    /// that one argument whatever it contains.
    pub fn new(template: &str, values: &[(&str, &str)]) -> Result<CommandLine, Error> {
        let words = shell_words::split(template).map_err(|e| Error::Usage {
            message: format!("cannot parse the command `{template}`: {e}"),
            hint: Some("check its quotes in devctl.toml".into()),
        })?;
        if words.is_empty() {
            return Err(Error::Usage {
                message: "the configured command is empty".into(),
                hint: None,
            });
        }
        let words: Vec<String> = words
            .into_iter()
            .map(|word| {
                values.iter().fold(word, |w, (key, value)| {
                    w.replace(&format!("{{{key}}}"), value)
                })
            })
            .collect();
        Ok(CommandLine {
            text: shell_words::join(&words),
            words,
        })
    }
}

/// Runs `command` in `workdir` with `env` added to the environment; each output line goes to
/// `cx.output`, and lines are also returned. A non-zero exit is an error naming the command.
pub async fn run_command(
    command: &CommandLine,
    workdir: &Path,
    env: &BTreeMap<String, String>,
    cx: &StepContext<'_>,
) -> Result<Vec<String>, Error> {
    let mut child = tokio::process::Command::new(&command.words[0])
        .args(&command.words[1..])
        .current_dir(workdir)
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| Error::CommandSpawn {
            command: command.text.clone(),
            source,
        })?;
    let mut stdout = BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut stderr = BufReader::new(child.stderr.take().expect("piped")).lines();
    let mut lines = Vec::new();
    let (mut out_open, mut err_open) = (true, true);
    while out_open || err_open {
        let line = tokio::select! {
            line = stdout.next_line(), if out_open => line.unwrap_or(None).or_else(|| { out_open = false; None }),
            line = stderr.next_line(), if err_open => line.unwrap_or(None).or_else(|| { err_open = false; None }),
        };
        if let Some(line) = line {
            cx.output(&line);
            lines.push(line);
        }
    }
    let status = child.wait().await.map_err(|source| Error::CommandSpawn {
        command: command.text.clone(),
        source,
    })?;
    if !status.success() {
        let status = match status.code() {
            Some(code) => format!("exit status {code}"),
            None => "a signal".into(),
        };
        return Err(Error::CommandFailed {
            command: command.text.clone(),
            status,
        });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_placeholder_stays_one_argument() {
        let line = CommandLine::new(
            "alembic revision --autogenerate -m {message}",
            &[("message", "add x; rm -rf / $(id)")],
        )
        .unwrap();
        assert_eq!(
            line.words,
            [
                "alembic",
                "revision",
                "--autogenerate",
                "-m",
                "add x; rm -rf / $(id)"
            ]
        );
    }

    #[test]
    fn bad_quotes_are_a_usage_error() {
        let error = CommandLine::new("uv run 'alembic", &[]).unwrap_err();
        assert_eq!(error.exit_code(), crate::error::exit::USAGE);
    }
}

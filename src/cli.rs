//! The command line, in two stages: clap's raw [`Arguments`], then validated [`Options`] that the
//! commands receive. Commands never see raw flags.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::ui::ColorChoice;

#[derive(Debug, Parser)]
#[command(
    name = "devctl",
    version,
    about = "From a fresh checkout or a drifted database to a clean, migrated, ready development environment, in one command."
)]
pub struct Arguments {
    /// Run as if started in DIR (devctl.toml is looked for there and in its parents).
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub directory: Option<PathBuf>,

    /// Answer yes to every confirmation (for scripts).
    #[arg(short, long, global = true)]
    pub yes: bool,

    /// Print JSON Lines events on stdout (human output stays on stderr).
    #[arg(long, global = true)]
    pub json: bool,

    /// Print the plan and change nothing.
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// Show more detail.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// When to use colour (NO_COLOR and FORCE_COLOR are honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check prerequisites, write .env, start services, wait, ensure extensions, migrate.
    Ready,
    /// Start services and wait until they answer (no migrations).
    Up {
        /// Services to start (default: the configured ones).
        services: Vec<String>,
    },
    /// Destroy the local database and rebuild it from the migrations (asks first; --yes for scripts).
    ResetDb {
        /// Then run the configured autogenerate command with this message.
        #[arg(long, value_name = "MESSAGE")]
        autogenerate: Option<String>,
    },
    /// Detect the project's layout and write devctl.toml (and .env.example when missing).
    Init {
        /// Replace an existing devctl.toml.
        #[arg(long)]
        force: bool,
    },
    /// Show services, database and migrations, and what has drifted (read-only).
    Status,
    /// Print a shell completion script: devctl completions bash > /etc/bash_completion.d/devctl
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Stop services; never deletes data.
    Down {
        /// Services to stop (default: the configured ones).
        services: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

impl From<CompletionShell> for clap_complete::Shell {
    fn from(shell: CompletionShell) -> clap_complete::Shell {
        match shell {
            CompletionShell::Bash => clap_complete::Shell::Bash,
            CompletionShell::Zsh => clap_complete::Shell::Zsh,
            CompletionShell::Fish => clap_complete::Shell::Fish,
        }
    }
}

/// What every command needs to know about how it was called.
#[derive(Debug, Clone)]
pub struct Options {
    pub directory: PathBuf,
    pub yes: bool,
    pub json: bool,
    pub dry_run: bool,
    pub verbose: bool,
}

impl Arguments {
    pub fn options(&self) -> Result<Options, crate::Error> {
        let cwd = std::env::current_dir()
            .map_err(|e| crate::Error::io("read the current directory", ".", e))?;
        let directory = match &self.directory {
            Some(dir) => cwd.join(dir),
            None => cwd,
        };
        if !directory.is_dir() {
            return Err(crate::Error::Usage {
                message: format!("-C {}: no such directory", directory.display()),
                hint: Some("pass the project's directory to -C".into()),
            });
        }
        Ok(Options {
            directory,
            yes: self.yes,
            json: self.json,
            dry_run: self.dry_run,
            verbose: self.verbose,
        })
    }
}

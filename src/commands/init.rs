//! `devctl init`: adopt devctl in one step. Detects the compose file and its Postgres-like
//! service, the data bind mount, credentials and port, Alembic or sqlx migrations and the URL
//! variable, shows what it found, asks, and writes `devctl.toml` (and `.env.example` when
//! missing). An existing `devctl.toml` is never overwritten without `--force`.

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use crate::Error;
use crate::cli::Arguments;
use crate::error::exit;
use crate::init::{Detected, DetectedMigrations};

pub fn main(arguments: &Arguments, force: bool, runtime: &tokio::runtime::Runtime) -> ExitCode {
    match runtime.block_on(run(arguments, force)) {
        Ok(written) => {
            if arguments.json {
                println!(
                    "{}",
                    json!({"event": "summary", "ok": true, "steps": [], "written": written})
                );
            }
            ExitCode::from(exit::SUCCESS)
        }
        Err(error) => super::status::fail(arguments, &error),
    }
}

fn describe(d: &Detected) -> Vec<String> {
    let mut lines = Vec::new();
    match &d.compose_file {
        Some(file) => lines.push(format!("compose file      {}", file.display())),
        None => lines.push("compose file      none (SQLite only)".into()),
    }
    if !d.services.is_empty() {
        lines.push(format!("services          {}", d.services.join(", ")));
    }
    if let Some(service) = &d.database_service {
        lines.push(format!(
            "database service  {service} (user {}, database {}, port {})",
            d.user,
            d.database,
            d.host_port
                .map_or_else(|| "not published".into(), |p| p.to_string())
        ));
    }
    if let Some(dir) = &d.data_dir {
        lines.push(format!("data directory    {}", dir.display()));
    }
    lines.push(format!(
        "URL variable      {}{}",
        d.url_env,
        if d.url_env_in_example {
            " (from .env.example)"
        } else {
            ""
        }
    ));
    match &d.migrations {
        DetectedMigrations::Alembic { workdir, uv } => lines.push(format!(
            "migrations        Alembic in {}{}",
            workdir.display(),
            if *uv { ", through uv" } else { "" }
        )),
        DetectedMigrations::Sqlx { dir } => lines.push(format!(
            "migrations        sqlx files in {}/",
            dir.display()
        )),
        DetectedMigrations::None => lines.push("migrations        none found".into()),
    }
    if !d.extensions.is_empty() {
        lines.push(format!("extensions        {}", d.extensions.join(", ")));
    }
    // The notes that the lines above do not already say (devctl.toml's header lists them all).
    const SHOWN_ABOVE: [&str; 5] = [
        "compose file: ",
        "database service: ",
        "data directory: ",
        "database URL variable: ",
        "migrations: ",
    ];
    lines.extend(
        d.notes
            .iter()
            .filter(|n| !SHOWN_ABOVE.iter().any(|p| n.starts_with(p)))
            .map(|n| format!("note: {n}")),
    );
    lines
}

fn write_new(path: &Path, text: &str, force: bool) -> Result<(), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options
        .open(path)
        .map_err(|e| Error::io("failed to write", path, e))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| Error::io("failed to write", path, e))
}

/// Replaces `path`'s contents through a temporary file beside it, so an interruption leaves the
/// old file or the new one, never half of either.
fn replace(path: &Path, text: &str) -> Result<(), Error> {
    let temporary = path.with_extension("example.devctl-tmp");
    std::fs::write(&temporary, text).map_err(|e| Error::io("failed to write", &temporary, e))?;
    std::fs::rename(&temporary, path).map_err(|e| Error::io("failed to write", path, e))
}

async fn run(arguments: &Arguments, force: bool) -> Result<Vec<String>, Error> {
    let options = arguments.options()?;
    let root = options.directory.clone();
    let settings_path = root.join("devctl.toml");
    if settings_path.exists() && !force {
        return Err(Error::Refused {
            message: format!(
                "{} already exists; nothing was changed",
                settings_path.display()
            ),
            hint: Some("pass --force to replace it".into()),
        });
    }
    let detected = crate::init::detect(&root)?;
    let settings = crate::init::render_settings(&detected);
    let example_path = root.join(".env.example");
    let example = if example_path.exists() {
        let existing = std::fs::read_to_string(&example_path)
            .map_err(|e| Error::io("failed to read", &example_path, e))?;
        crate::init::amend_env_example(&detected, &existing).map(|text| (text, false))
    } else {
        Some((crate::init::render_env_example(&detected), true))
    };

    eprintln!(
        "{} {}",
        console::style("detected in").bold(),
        root.display()
    );
    for line in describe(&detected) {
        eprintln!("  {line}");
    }
    let mut files = vec!["devctl.toml".to_string()];
    if let Some((_, created)) = &example {
        files.push(".env.example".into());
        if detected.database_service.is_some() {
            eprintln!(
                "  .env.example      {} {}={}",
                if *created { "new, with" } else { "gets" },
                detected.url_env,
                crate::config::redact_password(&detected.database_url())
            );
        }
    }
    if detected.database_service.is_some() && root.join(crate::config::Env::DOTENV).is_file() {
        let env = crate::config::Env::load(&root)?;
        if env.get(&detected.url_env).is_none_or(str::is_empty) {
            eprintln!(
                "  {} .env does not set {name}: devctl uses the SQLite default here until it does \
                 (add {name}={url} to .env)",
                console::style("note:").yellow(),
                name = detected.url_env,
                url = detected.database_url(),
            );
        }
    }
    if options.dry_run {
        eprintln!(
            "{} would write {}:",
            console::style("dry run:").cyan().bold(),
            files.join(" and ")
        );
        eprintln!("{settings}");
        return Ok(Vec::new());
    }
    crate::ui::confirm(&format!("Write {}?", files.join(" and ")), options.yes).await?;
    write_new(&settings_path, &settings, force)?;
    match example {
        Some((text, true)) => write_new(&example_path, &text, false)?,
        Some((text, false)) => replace(&example_path, &text)?,
        None => {}
    }
    eprintln!(
        "{} wrote {}; next: devctl ready --dry-run",
        console::style("done").green().bold(),
        files.join(" and ")
    );
    Ok(files)
}

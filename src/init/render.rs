//! Rendering: turns a [`Detected`] layout into the text of `devctl.toml` and `.env.example`.
//! The settings file is a template with comments (`templates/devctl.toml.in`) so that the file a
//! user adopts explains itself; every value goes through the toml crate's quoting, so odd paths
//! and names still give a file that parses.

use std::path::Path;

use super::{Detected, DetectedMigrations};
use crate::config::{COMPOSE_FILE_NAMES, DatabaseSettings, Env, MigrationSettings};

const TEMPLATE: &str = include_str!("../../templates/devctl.toml.in");

/// Where trailing comments start, so the rendered file reads as a table.
const COMMENT_COLUMN: usize = 38;

/// Lines longer than this put their comment above the setting.
const MAX_WIDTH: usize = 100;

/// The devctl.toml text for `d`: detected values set, the rest shown as commented defaults.
pub fn render_settings(d: &Detected) -> String {
    fill(TEMPLATE, |name| match name {
        "notes" => Some(notes(&d.notes)),
        "compose_file" => Some(compose_file(d)),
        "services" => Some(services(d)),
        "service" => Some(match &d.database_service {
            Some(service) => line(
                &format!("service = {}", quote(service)),
                "the compose service hosting the database",
            ),
            None => line(
                "# service = \"postgres\"",
                "the compose service hosting the database (none found)",
            ),
        }),
        "url_env" => Some(line(
            &format!("url_env = {}", quote(&d.url_env)),
            "set (environment, then .env) -> Postgres at that URL; unset -> SQLite",
        )),
        "data_dir" => Some(match &d.data_dir {
            Some(dir) => line(
                &format!("data_dir = {}", quote_path(dir)),
                "what reset-db wipes: the bind mount on PGDATA",
            ),
            None => line(
                "# data_dir = \"data/postgres\"",
                "what reset-db wipes; must be inside the project",
            ),
        }),
        "extensions" => Some(if d.extensions.is_empty() {
            line(
                "# extensions = [\"vector\"]",
                "Postgres extensions to create",
            )
        } else {
            line(
                &format!("extensions = {}", quote_list(&d.extensions)),
                "Postgres extensions to create",
            )
        }),
        "migrations" => Some(migrations(&d.migrations)),
        _ => None,
    })
}

/// The `.env.example` text for a project without one. With a database service detected, the URL
/// variable points at it, so a fresh checkout runs on the project's Postgres; without one it is
/// commented out and the default stays SQLite.
pub fn render_env_example(d: &Detected) -> String {
    let (what, assignment) = match &d.database_service {
        Some(service) => (
            format!(
                "Postgres from the compose service {service}; unset, devctl uses an embedded SQLite file ({sqlite}).",
                sqlite = DatabaseSettings::DEFAULT_SQLITE_PATH
            ),
            format!("{}={}", d.url_env, d.database_url()),
        ),
        None => (
            format!(
                "unset, devctl uses an embedded SQLite file ({sqlite});\n# uncomment to use a Postgres server.",
                sqlite = DatabaseSettings::DEFAULT_SQLITE_PATH
            ),
            format!("# {}={}", d.url_env, d.database_url()),
        ),
    };
    format!(
        "# Local development settings. `devctl ready` copies this file to {dotenv} when {dotenv} is \
         missing;\n\
         # keep secrets out of it.\n\
         \n\
         # The database: {what}\n\
         {assignment}\n",
        dotenv = Env::DOTENV,
    )
}

/// An existing `.env.example` amended so the URL variable points at the detected database, or
/// `None` when it needs no change: no database service was detected, or the file already sets
/// the variable (the project's own value wins). An empty `NAME=` line is filled in place, so the
/// file keeps one assignment; otherwise the assignment is appended with a comment.
pub fn amend_env_example(d: &Detected, existing: &str) -> Option<String> {
    let service = d.database_service.as_ref()?;
    if d.url_set_in_example {
        return None;
    }
    let assignment = format!("{}={}", d.url_env, d.database_url());
    let mut lines: Vec<String> = existing.lines().map(str::to_string).collect();
    let empty = lines.iter().position(|line| {
        super::url_variable::assignment(line)
            .is_some_and(|a| a.key == d.url_env && !a.commented && a.value.is_empty())
    });
    match empty {
        Some(index) => lines[index] = assignment,
        None => {
            if lines.last().is_some_and(|l| !l.trim().is_empty()) {
                lines.push(String::new());
            }
            lines.push(format!(
                "# The database: Postgres from the compose service {service} (added by devctl init);"
            ));
            lines.push(format!(
                "# unset, devctl uses an embedded SQLite file ({}).",
                DatabaseSettings::DEFAULT_SQLITE_PATH
            ));
            lines.push(assignment);
        }
    }
    Some(lines.join("\n") + "\n")
}

/// Replaces each `{{name}}` in one pass (values are never re-scanned). A line holding only a
/// placeholder whose value is empty is dropped.
fn fill(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    for template_line in template.split_inclusive('\n') {
        let bare = template_line.trim_end_matches('\n');
        if let Some(name) = bare.strip_prefix("{{").and_then(|r| r.strip_suffix("}}"))
            && value(name).is_some_and(|v| v.is_empty())
        {
            continue;
        }
        let mut rest = template_line;
        while let Some(start) = rest.find("{{") {
            let Some(len) = rest[start + 2..].find("}}") else {
                break;
            };
            let name = &rest[start + 2..start + 2 + len];
            out.push_str(&rest[..start]);
            match value(name) {
                Some(text) => out.push_str(&text),
                None => out.push_str(&rest[start..start + 4 + len]),
            }
            rest = &rest[start + 4 + len..];
        }
        out.push_str(rest);
    }
    out
}

/// `setting` with `comment` aligned at [`COMMENT_COLUMN`]; a comment that would not fit goes on
/// the line above instead.
fn line(setting: &str, comment: &str) -> String {
    let width = setting.chars().count();
    if width + 1 < COMMENT_COLUMN && COMMENT_COLUMN + 2 + comment.chars().count() <= MAX_WIDTH {
        format!("{setting}{}# {comment}", " ".repeat(COMMENT_COLUMN - width))
    } else {
        format!("# {comment}\n{setting}")
    }
}

fn notes(notes: &[String]) -> String {
    if notes.is_empty() {
        return "#   (nothing)".to_string();
    }
    notes
        .iter()
        .map(|note| format!("#   - {}", comment_safe(note)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn compose_file(d: &Detected) -> String {
    let default = format!(
        "default: the first of {} at the root",
        COMPOSE_FILE_NAMES.join(", ")
    );
    match &d.compose_file {
        Some(file) => line(&format!("compose_file = {}", quote_path(file)), &default),
        None => line(
            &format!("# compose_file = {}", quote(COMPOSE_FILE_NAMES[0])),
            "none found: devctl needs no Docker for the SQLite default",
        ),
    }
}

fn services(d: &Detected) -> String {
    if d.services.is_empty() {
        return String::new();
    }
    line(
        &format!("services = {}", quote_list(&d.services)),
        "what ready/up start: the compose services with an image",
    )
}

fn migrations(migrations: &DetectedMigrations) -> String {
    match migrations {
        DetectedMigrations::Alembic { workdir, .. } => [
            line(
                &format!(
                    "command = {}",
                    quote(&migrations.command().unwrap_or_default())
                ),
                "run with the URL variable exported",
            ),
            line(
                &format!(
                    "autogenerate = {}",
                    quote(&migrations.autogenerate().unwrap_or_default())
                ),
                "reset-db --autogenerate MESSAGE; {message} is one argument",
            ),
            line(
                &format!("workdir = {}", quote_path(workdir)),
                "where the commands run (holds alembic.ini)",
            ),
        ]
        .join("\n"),
        DetectedMigrations::Sqlx { dir } => line(
            &format!("dir = {}", quote_path(dir)),
            "sqlx-format SQL files, applied natively",
        ),
        DetectedMigrations::None => [
            "# No migrations were found. devctl applies sqlx-format SQL files (0001_name.sql) from"
                .to_string(),
            "# `dir` (default \"migrations\"), or runs your own tool with `command` instead:"
                .to_string(),
            format!("# dir = {}", quote(MigrationSettings::DEFAULT_DIR)),
            "# command = \"uv run alembic upgrade head\"".to_string(),
            "# workdir = \".\"".to_string(),
        ]
        .join("\n"),
    }
}

/// A TOML string, quoted and escaped by the toml crate.
fn quote(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Paths are written with `/` whatever the platform, relative to the root.
fn quote_path(path: &Path) -> String {
    quote(&path.to_string_lossy().replace('\\', "/"))
}

fn quote_list(items: &[String]) -> String {
    toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect()).to_string()
}

/// TOML comments may not hold newlines or other control characters.
fn comment_safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::detected::percent_encode;
    use super::*;

    #[test]
    fn fill_is_one_pass_and_drops_empty_placeholder_lines() {
        let text = fill(
            "a {{x}} b\n{{empty}}\n{{y}}\n{{unknown}}\n",
            |name| match name {
                "x" => Some("{{y}}".into()),
                "y" => Some("Y".into()),
                "empty" => Some(String::new()),
                _ => None,
            },
        );
        assert_eq!(text, "a {{y}} b\nY\n{{unknown}}\n");
    }

    #[test]
    fn template_placeholders_are_all_known() {
        let d = crate::init::tests::sqlite_only();
        let text = render_settings(&d);
        assert!(!text.contains("{{"), "{text}");
    }

    #[test]
    fn comments_line_up() {
        assert_eq!(line("a = 1", "c").find('#'), Some(COMMENT_COLUMN));
        let long = "x".repeat(50);
        assert_eq!(line(&long, "c"), format!("# c\n{long}"));
        let wordy = "w".repeat(MAX_WIDTH);
        assert_eq!(line("a = 1", &wordy), format!("# {wordy}\na = 1"));
    }

    #[test]
    fn quoting_survives_odd_values() {
        assert_eq!(quote("plain"), "\"plain\"");
        let odd = "a \"b\" \\ c\n'd'";
        let parsed: toml::Table = toml::from_str(&format!("k = {}", quote(odd))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some(odd));
        assert_eq!(percent_encode("p@ss:w/rd é"), "p%40ss%3Aw%2Frd%20%C3%A9");
    }
}

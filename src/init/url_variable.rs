//! Which variable holds the database URL. Projects name it after themselves (`LETTA_PG_URI`), and
//! often ship it commented out in `.env.example` so the default stays SQLite; both the name and a
//! commented line are evidence, so this reads the files as lines rather than through a dotenv
//! parser, which would drop comments.

use std::path::Path;

use crate::config::{ConfigError, DatabaseSettings, Env};

/// The detected URL variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UrlVariable {
    pub name: String,
    /// Whether `.env.example` mentions it, set or commented out.
    pub in_example: bool,
    /// Whether `.env.example` assigns it a value on a line that is not commented out, so a
    /// fresh checkout's `.env` will have it.
    pub set_in_example: bool,
    /// The URL scheme of a Postgres value given for it anywhere (`postgresql+pg8000`), commented
    /// out or not, so a URL devctl proposes uses the driver the project already uses.
    pub scheme: Option<String>,
    /// The file it was found in, for notes; `None` when it is the default.
    pub found_in: Option<&'static str>,
}

/// One `KEY=VALUE` line, possibly commented out (`# KEY=VALUE`) or exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Assignment {
    pub key: String,
    pub value: String,
    pub commented: bool,
}

/// Looks through `.env.example`, then `.env`, for the best candidate: a URL-like name with a
/// database URL value, then a URL-like name, then any key with a database URL value; set lines
/// before commented ones; earlier lines first. Defaults to `DATABASE_URL`.
pub(super) fn find(root: &Path) -> Result<UrlVariable, ConfigError> {
    let example = assignments_in(&root.join(Env::EXAMPLE))?;
    let dotenv = assignments_in(&root.join(Env::DOTENV))?;
    let mut best: Option<((bool, bool, bool), &'static str, &str)> = None;
    let files = [(Env::EXAMPLE, &example), (Env::DOTENV, &dotenv)];
    for (file, assignment) in files
        .iter()
        .flat_map(|(file, lines)| lines.iter().map(move |a| (*file, a)))
    {
        let named = is_url_name(&assignment.key);
        let valued = is_database_url(&assignment.value);
        if !named && !valued {
            continue;
        }
        let rank = (named && valued, named, !assignment.commented);
        if best
            .as_ref()
            .is_none_or(|(best_rank, ..)| rank > *best_rank)
        {
            best = Some((rank, file, &assignment.key));
        }
    }
    let (name, found_in) = match best {
        Some((_, file, key)) => (key.to_string(), Some(file)),
        None => (DatabaseSettings::DEFAULT_URL_ENV.to_string(), None),
    };
    let in_example = example.iter().any(|a| a.key == name);
    let set_in_example = example
        .iter()
        .any(|a| a.key == name && !a.commented && !a.value.is_empty());
    let scheme = example
        .iter()
        .chain(&dotenv)
        .filter(|a| a.key == name)
        .find_map(|a| postgres_scheme(&a.value));
    Ok(UrlVariable {
        name,
        in_example,
        set_in_example,
        scheme,
        found_in,
    })
}

/// Every assignment in a dotenv file, commented out or not; a missing file has none.
fn assignments_in(path: &Path) -> Result<Vec<Assignment>, ConfigError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes)
            .lines()
            .filter_map(assignment)
            .collect()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Parses `KEY=VALUE`, `export KEY=VALUE` and their commented-out forms (`# KEY=VALUE`). Prose in
/// comments (`# set DATABASE_URL=...`) is not an assignment.
pub(super) fn assignment(line: &str) -> Option<Assignment> {
    let line = line.trim_start();
    let (line, commented) = match line.strip_prefix('#') {
        Some(rest) => (rest.trim_start_matches(['#', ' ', '\t']), true),
        None => (line, false),
    };
    let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
    let (key, value) = line.split_once('=')?;
    let key = key.trim_end();
    let mut chars = key.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    Some(Assignment {
        key: key.to_string(),
        value: unquote(value.trim()).to_string(),
        commented,
    })
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.split(quote).next())
        {
            return inner;
        }
    }
    value
}

/// `DATABASE_URL`, `*_DATABASE_URL`, `*_PG_URI`, `*_DB_URL`, `*_DB_URI`.
fn is_url_name(key: &str) -> bool {
    let key = key.to_ascii_uppercase();
    key == DatabaseSettings::DEFAULT_URL_ENV
        || ["_DATABASE_URL", "_PG_URI", "_DB_URL", "_DB_URI"]
            .iter()
            .any(|suffix| key.ends_with(suffix))
}

/// `postgres://`, `postgresql://`, `postgresql+DRIVER://`, `sqlite:`.
fn is_database_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.starts_with("sqlite:") || lower.starts_with("sqlite+") || postgres_scheme(value).is_some()
}

/// The scheme of a Postgres URL (`postgres`, `postgresql`, `postgresql+DRIVER`), lowercased.
fn postgres_scheme(value: &str) -> Option<String> {
    let (scheme, _) = value.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let base = scheme.split('+').next().unwrap_or(&scheme);
    (base == "postgres" || base == "postgresql").then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_commented_or_not() {
        let a = |line| assignment(line).map(|a| (a.key, a.value, a.commented));
        assert_eq!(
            a("DATABASE_URL=postgres://h/db"),
            Some(("DATABASE_URL".into(), "postgres://h/db".into(), false))
        );
        assert_eq!(
            a("  # export LETTA_PG_URI = \"postgresql://x\" # later"),
            Some(("LETTA_PG_URI".into(), "postgresql://x".into(), true))
        );
        assert_eq!(a("#X="), Some(("X".to_string(), String::new(), true)));
        assert_eq!(a("# set DATABASE_URL=postgres://h/db"), None);
        assert_eq!(a("# a comment"), None);
        assert_eq!(a(""), None);
        assert_eq!(a("1X=2"), None);
    }

    #[test]
    fn names_and_values() {
        for name in [
            "DATABASE_URL",
            "APP_DATABASE_URL",
            "LETTA_PG_URI",
            "X_DB_URL",
            "x_db_uri",
        ] {
            assert!(is_url_name(name), "{name}");
        }
        for name in ["REDIS_URL", "DATABASE", "PG_URI_X"] {
            assert!(!is_url_name(name), "{name}");
        }
        for value in [
            "postgres://h/db",
            "postgresql://h/db",
            "postgresql+asyncpg://u@h/db",
            "sqlite:///dev.db",
            "SQLITE:relative.db",
        ] {
            assert!(is_database_url(value), "{value}");
        }
        for value in ["redis://h", "mysql://h/db", "", "postgres"] {
            assert!(!is_database_url(value), "{value}");
        }
    }

    fn find_in(example: Option<&str>, dotenv: Option<&str>) -> UrlVariable {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = example {
            std::fs::write(dir.path().join(Env::EXAMPLE), text).unwrap();
        }
        if let Some(text) = dotenv {
            std::fs::write(dir.path().join(Env::DOTENV), text).unwrap();
        }
        find(dir.path()).unwrap()
    }

    #[test]
    fn prefers_name_and_value_then_set_lines() {
        let found = find_in(
            Some("REDIS_URL=redis://h\nOTHER=postgres://h/x\n# APP_DB_URL=postgres://h/db\n"),
            None,
        );
        assert_eq!(found.name, "APP_DB_URL");
        assert!(found.in_example);
        assert!(!found.set_in_example, "commented out");
        assert_eq!(found.scheme.as_deref(), Some("postgres"));
        assert_eq!(found.found_in, Some(Env::EXAMPLE));

        let found = find_in(
            Some("LETTA_PG_URI=\n"),
            Some("LETTA_PG_URI=postgresql+pg8000://u:p@h/db\n"),
        );
        assert!(found.in_example && !found.set_in_example, "empty");
        assert_eq!(found.scheme.as_deref(), Some("postgresql+pg8000"));

        let found = find_in(Some("DATABASE_URL=sqlite:///x.db\n"), None);
        assert!(found.set_in_example);
        assert_eq!(found.scheme, None);

        let found = find_in(Some("A=1\n"), Some("# X_DB_URL=\nX_DB_URI=\n"));
        assert_eq!(found.name, "X_DB_URI");
        assert!(!found.in_example);
        assert_eq!(found.found_in, Some(Env::DOTENV));

        let found = find_in(None, None);
        assert_eq!(found.name, "DATABASE_URL");
        assert!(!found.in_example);
        assert_eq!(found.found_in, None);
    }
}

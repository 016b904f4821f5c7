//! Database URLs as projects write them (SQLAlchemy's `postgresql+pg8000://`, `sqlite:///path`,
//! plain `postgres://`) turned into what sqlx accepts. The original value is kept untouched for the
//! project's own commands.

use std::path::{Path, PathBuf};

use url::Url;

use super::paths::normalize;

/// A parsed database URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres {
        /// Exactly as the user wrote it.
        original: String,
        /// `postgres://user:pass@host:port/db` for sqlx.
        sqlx: String,
        host: String,
        port: u16,
        user: String,
        database: String,
    },
    Sqlite {
        original: String,
        /// Absolute (relative paths resolve against the project root).
        path: PathBuf,
    },
}

/// The forms [`DatabaseUrl::parse`] accepts, for error messages.
pub const ACCEPTED_FORMS: &str = "postgres://USER:PASSWORD@HOST:PORT/DB, postgresql://..., \
     postgresql+DRIVER://... (e.g. postgresql+psycopg://), sqlite:///relative/path.db (relative to \
     the project root), sqlite:////absolute/path.db, sqlite+aiosqlite:///..., sqlite://path or \
     sqlite:path";

/// Query parameters sqlx's Postgres driver understands; SQLAlchemy driver options are dropped.
const SQLX_POSTGRES_PARAMS: &[&str] = &[
    "sslmode",
    "ssl-mode",
    "sslrootcert",
    "ssl-root-cert",
    "sslcert",
    "ssl-cert",
    "sslkey",
    "ssl-key",
    "statement-cache-capacity",
    "host",
    "hostaddr",
    "application_name",
    "options",
];

impl DatabaseUrl {
    /// `root` resolves relative SQLite paths. Errors say which forms are accepted.
    pub fn parse(value: &str, root: &Path) -> Result<DatabaseUrl, String> {
        let trimmed = value.trim();
        let scheme = trimmed
            .split_once(':')
            .map_or("", |(scheme, _)| scheme)
            .to_ascii_lowercase();
        let base = scheme
            .split_once('+')
            .map_or(scheme.as_str(), |(base, _)| base);
        match base {
            "postgres" | "postgresql" => parse_postgres(value, trimmed),
            "sqlite" => parse_sqlite(value, trimmed, root),
            _ if trimmed.is_empty() => Err(format!(
                "the database URL is empty; expected one of: {ACCEPTED_FORMS}"
            )),
            _ if !trimmed.contains(':') => Err(format!(
                "{:?} is not a database URL; expected one of: {ACCEPTED_FORMS}",
                redact_password(trimmed)
            )),
            _ => Err(format!(
                "unsupported database URL scheme {scheme:?}; expected one of: {ACCEPTED_FORMS}"
            )),
        }
    }
}

fn parse_postgres(original: &str, text: &str) -> Result<DatabaseUrl, String> {
    let url = Url::parse(text).map_err(|err| {
        format!(
            "invalid Postgres URL {:?}: {err}; expected one of: {ACCEPTED_FORMS}",
            redact_password(text)
        )
    })?;
    if url.cannot_be_a_base() || !text[url.scheme().len() + 1..].starts_with("//") {
        return Err(format!(
            "invalid Postgres URL {:?}: expected `//` after the scheme; expected one of: {ACCEPTED_FORMS}",
            redact_password(text)
        ));
    }
    let host = match url.host_str() {
        Some(host) if !host.is_empty() => host.to_string(),
        _ => "localhost".to_string(),
    };
    let port = url.port().unwrap_or(5432);
    let user = match percent_decode(url.username()) {
        user if user.is_empty() => "postgres".to_string(),
        user => user,
    };
    let database = match percent_decode(url.path().trim_start_matches('/')) {
        database if database.is_empty() => user.clone(),
        database => database,
    };
    if database.contains('/') {
        return Err(format!(
            "invalid Postgres URL {:?}: the database name {database:?} contains `/`; expected one of: {ACCEPTED_FORMS}",
            redact_password(text)
        ));
    }

    let encoded_user = if url.username().is_empty() {
        "postgres"
    } else {
        url.username()
    };
    let mut sqlx = format!("postgres://{encoded_user}");
    if let Some(password) = url.password() {
        sqlx.push(':');
        sqlx.push_str(password);
    }
    let host_for_url = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.clone()
    };
    sqlx.push_str(&format!(
        "@{host_for_url}:{port}/{}",
        encode_path_segment(&database)
    ));
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(key, _)| SQLX_POSTGRES_PARAMS.contains(&key.as_ref()))
        .map(|(key, value)| format!("{}={}", encode_query(&key), encode_query(&value)))
        .collect();
    if !query.is_empty() {
        sqlx.push('?');
        sqlx.push_str(&query.join("&"));
    }

    Ok(DatabaseUrl::Postgres {
        original: original.to_string(),
        sqlx,
        host,
        port,
        user,
        database,
    })
}

fn parse_sqlite(original: &str, text: &str, root: &Path) -> Result<DatabaseUrl, String> {
    let (_, rest) = text.split_once(':').unwrap_or((text, ""));
    let (location, _query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = if let Some(absolute) = location.strip_prefix("////") {
        // SQLAlchemy: four slashes is an absolute path.
        PathBuf::from(format!("/{absolute}"))
    } else if let Some(relative) = location.strip_prefix("///") {
        // SQLAlchemy: three slashes is relative to the working directory (here: the project root).
        PathBuf::from(relative)
    } else if let Some(path) = location.strip_prefix("//") {
        // sqlx: `sqlite://path`, relative or absolute.
        PathBuf::from(path)
    } else {
        PathBuf::from(location)
    };
    let text_path = path.to_string_lossy();
    if text_path.is_empty()
        || text_path == ":memory:"
        || text_path.starts_with("file::memory:")
        || text.contains("mode=memory")
    {
        return Err(format!(
            "{text:?} is an in-memory SQLite database; devctl needs a file it can create and \
             migrate, e.g. sqlite:///data/dev.sqlite"
        ));
    }
    Ok(DatabaseUrl::Sqlite {
        original: original.to_string(),
        path: normalize(&root.join(path)),
    })
}

/// The database devctl works on, after `url_env` and defaults are applied.
#[derive(Debug, Clone)]
pub struct Database {
    pub url: DatabaseUrl,
    /// Where the URL came from: "LETTA_PG_URI from .env", "the default SQLite path", ...
    pub source: String,
    /// The compose service that hosts it (Postgres only).
    pub service: Option<String>,
    /// Absolute host path of the data directory (Postgres with a bind mount or `data_dir`).
    pub data_dir: Option<PathBuf>,
}

impl DatabaseUrl {
    /// The URL sqlx connects with (for SQLite: `sqlite://PATH?mode=rwc`).
    pub fn sqlx_url(&self) -> String {
        match self {
            DatabaseUrl::Postgres { sqlx, .. } => sqlx.clone(),
            DatabaseUrl::Sqlite { path, .. } => {
                // sqlx percent-decodes the path and splits at `?`.
                let path = path
                    .to_string_lossy()
                    .replace('%', "%25")
                    .replace('?', "%3F")
                    .replace('#', "%23");
                format!("sqlite://{path}?mode=rwc")
            }
        }
    }

    /// The value exported to the project's commands: the original text.
    pub fn original(&self) -> &str {
        match self {
            DatabaseUrl::Postgres { original, .. } | DatabaseUrl::Sqlite { original, .. } => {
                original
            }
        }
    }

    /// The URL with its password replaced by `***`, for display.
    pub fn redacted(&self) -> String {
        redact_password(self.original())
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DatabaseUrl::Postgres { .. })
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite { .. })
    }
}

/// Replaces the password in `scheme://user:password@host...` with `***`, leaving the rest as written.
pub fn redact_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let authority_start = scheme_end + 3;
    let authority_end = url[authority_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| authority_start + i);
    let authority = &url[authority_start..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let Some(colon) = authority[..at].find(':') else {
        return url.to_string();
    };
    format!(
        "{}***{}",
        &url[..authority_start + colon + 1],
        &url[authority_start + at..]
    )
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but unreserved characters.
fn encode_component(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn encode_path_segment(text: &str) -> String {
    encode_component(text, b"!$&'()*+,;=:@")
}

fn encode_query(text: &str) -> String {
    encode_component(text, b"!$'()*,;:@/?")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "/project";

    fn parse(value: &str) -> Result<DatabaseUrl, String> {
        DatabaseUrl::parse(value, Path::new(ROOT))
    }

    fn postgres(value: &str) -> (String, String, u16, String, String) {
        match parse(value).unwrap() {
            DatabaseUrl::Postgres {
                sqlx,
                host,
                port,
                user,
                database,
                original,
            } => {
                assert_eq!(original, value);
                (sqlx, host, port, user, database)
            }
            other => panic!("expected Postgres, got {other:?}"),
        }
    }

    fn sqlite_path(value: &str) -> PathBuf {
        match parse(value).unwrap() {
            DatabaseUrl::Sqlite { path, original } => {
                assert_eq!(original, value);
                path
            }
            other => panic!("expected SQLite, got {other:?}"),
        }
    }

    #[test]
    fn letta_pg8000_url() {
        let value = "postgresql+pg8000://postgres:postgres@localhost:5432/letta-core";
        let (sqlx, host, port, user, database) = postgres(value);
        assert_eq!(
            sqlx,
            "postgres://postgres:postgres@localhost:5432/letta-core"
        );
        assert_eq!(
            (host.as_str(), port, user.as_str(), database.as_str()),
            ("localhost", 5432, "postgres", "letta-core")
        );
        let url = parse(value).unwrap();
        assert_eq!(url.sqlx_url(), sqlx);
        assert_eq!(url.original(), value);
        assert_eq!(
            url.redacted(),
            "postgresql+pg8000://postgres:***@localhost:5432/letta-core"
        );
    }

    #[test]
    fn plain_and_driver_schemes() {
        for scheme in [
            "postgres",
            "postgresql",
            "postgresql+asyncpg",
            "postgresql+psycopg",
            "postgresql+psycopg2",
            "postgresql+anything",
            "POSTGRESQL",
        ] {
            let (sqlx, ..) = postgres(&format!("{scheme}://u:p@db.internal:6543/app"));
            assert_eq!(sqlx, "postgres://u:p@db.internal:6543/app", "{scheme}");
        }
    }

    #[test]
    fn defaults_for_port_user_and_database() {
        let (sqlx, host, port, user, database) = postgres("postgres://localhost");
        assert_eq!(sqlx, "postgres://postgres@localhost:5432/postgres");
        assert_eq!(
            (host.as_str(), port, user.as_str(), database.as_str()),
            ("localhost", 5432, "postgres", "postgres")
        );
        let (_, _, _, user, database) = postgres("postgresql://alice@localhost/");
        assert_eq!((user.as_str(), database.as_str()), ("alice", "alice"));
        let (sqlx, host, ..) = postgres("postgresql:///mydb");
        assert_eq!(host, "localhost");
        assert_eq!(sqlx, "postgres://postgres@localhost:5432/mydb");
    }

    #[test]
    fn percent_encoded_password_is_kept_encoded_for_sqlx() {
        let value = "postgresql+asyncpg://app:p%40ss%3Aword@127.0.0.1:5433/my%20db";
        let (sqlx, host, port, user, database) = postgres(value);
        assert_eq!(sqlx, "postgres://app:p%40ss%3Aword@127.0.0.1:5433/my%20db");
        assert_eq!(
            (host.as_str(), port, user.as_str(), database.as_str()),
            ("127.0.0.1", 5433, "app", "my db")
        );
        assert_eq!(
            parse(value).unwrap().redacted(),
            "postgresql+asyncpg://app:***@127.0.0.1:5433/my%20db"
        );
    }

    #[test]
    fn query_keeps_only_parameters_sqlx_knows() {
        let (sqlx, ..) = postgres(
            "postgresql+psycopg://u:p@h/db?sslmode=require&connect_timeout=10&application_name=x",
        );
        assert_eq!(
            sqlx,
            "postgres://u:p@h:5432/db?sslmode=require&application_name=x"
        );
        let (sqlx, ..) = postgres("postgresql+psycopg://u:p@h/db?client_encoding=utf8");
        assert_eq!(sqlx, "postgres://u:p@h:5432/db");
    }

    #[test]
    fn ipv6_host() {
        let (sqlx, host, ..) = postgres("postgres://u:p@[::1]:5432/db");
        assert_eq!(host, "[::1]");
        assert_eq!(sqlx, "postgres://u:p@[::1]:5432/db");
    }

    #[test]
    fn redaction_without_password_is_unchanged() {
        assert_eq!(
            parse("postgres://u@h/db").unwrap().redacted(),
            "postgres://u@h/db"
        );
        assert_eq!(
            parse("postgres://h/db").unwrap().redacted(),
            "postgres://h/db"
        );
        // An `@` in the path is not a user-info separator.
        assert_eq!(redact_password("postgres://h/db@x"), "postgres://h/db@x");
    }

    #[test]
    fn sqlalchemy_sqlite_forms() {
        assert_eq!(
            sqlite_path("sqlite:///data/dev.sqlite"),
            PathBuf::from("/project/data/dev.sqlite")
        );
        assert_eq!(
            sqlite_path("sqlite:///./data/../dev.db"),
            PathBuf::from("/project/dev.db")
        );
        assert_eq!(
            sqlite_path("sqlite:////var/tmp/app.db"),
            PathBuf::from("/var/tmp/app.db")
        );
        assert_eq!(
            sqlite_path("sqlite+aiosqlite:///data/app.db"),
            PathBuf::from("/project/data/app.db")
        );
        assert_eq!(
            sqlite_path("sqlite+pysqlite:////abs/app.db"),
            PathBuf::from("/abs/app.db")
        );
    }

    #[test]
    fn sqlx_sqlite_forms() {
        assert_eq!(
            sqlite_path("sqlite://data.db"),
            PathBuf::from("/project/data.db")
        );
        assert_eq!(
            sqlite_path("sqlite:data/x.db"),
            PathBuf::from("/project/data/x.db")
        );
        assert_eq!(sqlite_path("sqlite:/abs/x.db"), PathBuf::from("/abs/x.db"));
        assert_eq!(
            sqlite_path("sqlite://data.db?mode=rwc"),
            PathBuf::from("/project/data.db")
        );
    }

    #[test]
    fn sqlite_sqlx_url_and_redaction() {
        let url = parse("sqlite:///data/dev.sqlite").unwrap();
        assert_eq!(url.sqlx_url(), "sqlite:///project/data/dev.sqlite?mode=rwc");
        assert_eq!(url.redacted(), "sqlite:///data/dev.sqlite");
        let url = parse("sqlite:////tmp/a?b#c%d.db").unwrap();
        assert_eq!(url.sqlx_url(), "sqlite:///tmp/a?mode=rwc");
        let url = DatabaseUrl::Sqlite {
            original: String::new(),
            path: "/tmp/a?b#c%d.db".into(),
        };
        assert_eq!(url.sqlx_url(), "sqlite:///tmp/a%3Fb%23c%25d.db?mode=rwc");
    }

    #[test]
    fn in_memory_sqlite_is_rejected() {
        for value in [
            "sqlite:///:memory:",
            "sqlite://",
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite://?mode=memory",
        ] {
            let err = parse(value).unwrap_err();
            assert!(err.contains("in-memory SQLite database"), "{value}: {err}");
        }
    }

    #[test]
    fn other_schemes_list_the_accepted_forms() {
        for value in [
            "mysql://u:p@h/db",
            "localhost:5432",
            "just text",
            "",
            "http://x",
        ] {
            let err = parse(value).unwrap_err();
            assert!(err.contains("postgresql+DRIVER://"), "{value}: {err}");
            assert!(err.contains("sqlite:///relative/path.db"), "{value}: {err}");
        }
        assert!(parse("mysql://u:p@h/db").unwrap_err().contains("\"mysql\""));
    }

    #[test]
    fn malformed_postgres_urls_are_errors() {
        let err = parse("postgres://u:p@host:notaport/db").unwrap_err();
        assert!(
            err.contains("invalid Postgres URL \"postgres://u:***@host:notaport/db\""),
            "{err}"
        );
        let err = parse("postgres:db").unwrap_err();
        assert!(err.contains("expected `//`"), "{err}");
    }
}

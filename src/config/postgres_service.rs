//! Which compose service is the Postgres server. `init` uses it to pick the database service
//! and `ready` to find it when devctl.toml names none, so the two cannot disagree. The image name
//! alone is not enough: `postgres-exporter`, `postgrest` or a backup tool share the word, and a
//! Postgres image run as a `psql` client is not a server.

use super::Service;

/// Postgres's port inside the container.
pub const POSTGRES_PORT: u16 = 5432;

/// Image names that mark a Postgres server: the last path component of the image's repository
/// starts with one of these (`postgres`, `postgresql`, `pgvector`, `postgis`, `timescaledb`,
/// `timescaledb-ha` and friends). Matched on that component only, so a namespace such as
/// `postgrest/` or a registry host cannot make an unrelated image count.
const POSTGRES_IMAGE_PREFIXES: [&str; 4] = ["postgres", "pgvector", "postgis", "timescale"];

/// Words that mark a Postgres companion rather than a server (`postgres-exporter`, `postgrest`,
/// `postgres-backup-local`, a pgbouncer or pgAdmin beside the database).
const COMPANION_WORDS: [&str; 6] = ["exporter", "backup", "rest", "admin", "pgbouncer", "proxy"];

/// Environment variables a Postgres server image reads at first start (each also as `…_FILE`
/// for Docker secrets). A client image for the same database sets `PG*` variables instead. The
/// `POSTGRESQL_*` ones are Bitnami's spelling.
const SERVER_VARIABLES: [&str; 7] = [
    "POSTGRES_PASSWORD",
    "POSTGRES_USER",
    "POSTGRES_DB",
    "POSTGRES_HOST_AUTH_METHOD",
    "POSTGRESQL_PASSWORD",
    "POSTGRESQL_USERNAME",
    "POSTGRESQL_DATABASE",
];

/// The last path component of an image's repository, lowercased, without registry, namespace,
/// `:tag` or `@digest`: `ghcr.io/acme/postgres:16@sha256:…` gives `postgres`.
fn image_name(image: &str) -> String {
    let repository = image.split('@').next().unwrap_or_default();
    let last = repository.rsplit('/').next().unwrap_or_default();
    last.split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether the image is named like a Postgres server image and not like a companion tool.
fn is_postgres_image(image: &str) -> bool {
    let name = image_name(image);
    POSTGRES_IMAGE_PREFIXES
        .iter()
        .any(|prefix| name.starts_with(prefix))
        && !COMPANION_WORDS.iter().any(|word| name.contains(word))
}

/// A service named as a companion (`db-backup`, `pg_exporter`, `rest`). Whole words only, so a
/// `forest_db` is still a database.
fn is_companion_service(name: &str) -> bool {
    name.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| COMPANION_WORDS.contains(&word))
}

/// Whether the service runs a server rather than a client of one: it publishes Postgres's port,
/// configures the server's first start, or keeps storage on its data directory (PGDATA or a
/// parent of it). A Postgres image reused for a one-off `psql`, or for another program
/// altogether, does none of these.
pub fn looks_like_server(service: &Service) -> bool {
    let publishes = service
        .ports
        .iter()
        .any(|p| p.container_port == POSTGRES_PORT && p.protocol == "tcp");
    let configures = service.environment.keys().any(|key| {
        let key = key.strip_suffix("_FILE").unwrap_or(key);
        SERVER_VARIABLES.contains(&key)
    });
    let stores = service.storage_mount().is_some();
    publishes || configures || stores
}

/// A service whose image and name say Postgres server (it may still be a client: see
/// [`looks_like_server`]).
pub fn is_postgres_like(service: &Service) -> bool {
    is_postgres_image(&service.image) && !is_companion_service(&service.name)
}

/// A Postgres server: named like one, and publishing its port or configuring its first start.
pub fn is_postgres_server(service: &Service) -> bool {
    is_postgres_like(service) && looks_like_server(service)
}

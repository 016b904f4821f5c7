//! The test harness: a project in a temporary directory, the real `devctl` binary run in it, and,
//! for Docker tests, the suite's Postgres image, free ports, unique names, and a guard that removes
//! every container, network and volume a test made, even when it panics.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use bollard::query_parameters::{
    ListContainersOptions, ListNetworksOptions, ListVolumesOptions, RemoveContainerOptions,
};
use serde_json::Value;

/// A project directory with files, in which `devctl` runs.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::Builder::new()
                .prefix("devctl-test-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn file(&self, relative: &str, contents: &str) -> &Project {
        let path = self.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.join(relative))
            .unwrap_or_else(|e| panic!("read {relative}: {e}"))
    }

    /// Runs the real binary in the project directory, without colour and without the variables a
    /// developer's shell might hold.
    pub fn devctl(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_devctl"));
        command
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .env_remove("FORCE_COLOR");
        for key in [
            "DATABASE_URL",
            "APP_DATABASE_URL",
            "LETTA_PG_URI",
            "COMPOSE_PROJECT_NAME",
        ] {
            command.env_remove(key);
        }
        Output::of(&mut command)
    }
}

#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn of(command: &mut Command) -> Output {
        let output = command
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run devctl");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Output {
        assert_eq!(
            self.code, code,
            "exit status\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn success(&self) -> &Output {
        self.expect_code(0)
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Output {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    /// Every stdout line parsed as JSON.
    pub fn events(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{}", self.stdout))
            })
            .collect()
    }

    /// The last JSON line, which must be the summary.
    pub fn summary(&self) -> Value {
        let last = self.events().pop().expect("at least one JSON line");
        assert_eq!(last["event"], "summary", "{last}");
        last
    }

    /// step name -> status, from the summary.
    pub fn statuses(&self) -> HashMap<String, String> {
        self.summary()["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().to_string(),
                    s["status"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

/// A name no other test (or run) uses.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}{}x{}x{nanos:x}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `future` on a fresh runtime, from any context (tests and Drop alike).
pub fn block_on<F: std::future::Future + Send>(future: F) -> F::Output
where
    F::Output: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(future)
            })
            .join()
            .unwrap()
    })
}

pub async fn docker_client() -> Option<bollard::Docker> {
    let docker = bollard::Docker::connect_with_defaults()
        .ok()?
        .negotiate_version()
        .await
        .ok()?;
    docker.ping().await.ok()?;
    Some(docker)
}

/// The suite's Postgres + pgvector image, built from Debian's packages on first use. `None` (the
/// test is skipped) when no Docker engine answers, except under `CI=true`, where that fails.
pub fn postgres_image() -> Option<String> {
    static IMAGE: OnceLock<Result<String, String>> = OnceLock::new();
    let result = IMAGE.get_or_init(|| {
        if block_on(docker_client()).is_none() {
            return Err("no Docker engine answers".into());
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/image/build.sh");
        let output = Command::new("bash")
            .arg(script)
            .output()
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!(
                "building the test image failed:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .trim()
            .lines()
            .last()
            .unwrap_or_default()
            .to_string())
    });
    match result {
        Ok(tag) => Some(tag.clone()),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("Docker tests cannot run under CI=true: {e}")
        }
        Err(e) => {
            eprintln!("skipping a Docker test: {e}");
            None
        }
    }
}

/// Removes what a test made in Docker when dropped: containers of the compose project or with
/// the given names, the project's network and volumes.
pub struct DockerGuard {
    pub project: String,
    pub names: Vec<String>,
}

impl DockerGuard {
    pub fn new(project: &str) -> DockerGuard {
        DockerGuard {
            project: project.to_string(),
            names: Vec::new(),
        }
    }
}

impl Drop for DockerGuard {
    fn drop(&mut self) {
        let project = self.project.clone();
        let names = self.names.clone();
        block_on(async move {
            let Some(docker) = docker_client().await else {
                return;
            };
            let mut ids = Vec::new();
            let label = HashMap::from([(
                "label".to_string(),
                vec![format!("com.docker.compose.project={project}")],
            )]);
            let mut filters = vec![label];
            for name in &names {
                filters.push(HashMap::from([(
                    "name".to_string(),
                    vec![format!("^/{name}$")],
                )]));
            }
            for filter in filters {
                let options = ListContainersOptions {
                    all: true,
                    filters: Some(filter),
                    ..Default::default()
                };
                if let Ok(list) = docker.list_containers(Some(options)).await {
                    ids.extend(list.into_iter().filter_map(|c| c.id));
                }
            }
            for id in ids {
                let options = RemoveContainerOptions {
                    force: true,
                    v: true,
                    ..Default::default()
                };
                let _ = docker.remove_container(&id, Some(options)).await;
            }
            let label = HashMap::from([(
                "label".to_string(),
                vec![format!("com.docker.compose.project={project}")],
            )]);
            if let Ok(networks) = docker
                .list_networks(Some(ListNetworksOptions {
                    filters: Some(label.clone()),
                }))
                .await
            {
                for network in networks.into_iter().filter_map(|n| n.id) {
                    let _ = docker.remove_network(&network).await;
                }
            }
            if let Ok(volumes) = docker
                .list_volumes(Some(ListVolumesOptions {
                    filters: Some(label),
                }))
                .await
            {
                for volume in volumes.volumes.unwrap_or_default() {
                    let _ = docker
                        .remove_volume(
                            &volume.name,
                            None::<bollard::query_parameters::RemoveVolumeOptions>,
                        )
                        .await;
                }
            }
        });
    }
}

/// A project whose database is Postgres in a container of the suite's image, published on a free
/// port, with its data bind-mounted under the project.
pub struct PgProject {
    pub project: Project,
    pub name: String,
    pub port: u16,
    pub image: String,
    pub guard: DockerGuard,
}

pub const PG_URL_ENV: &str = "APP_DATABASE_URL";

impl PgProject {
    /// `None` when Docker tests are skipped (see [`postgres_image`]).
    pub fn new() -> Option<PgProject> {
        let image = postgres_image()?;
        let name = unique("dt");
        let port = free_port();
        let project = Project::new();
        let guard = DockerGuard::new(&name);
        let pg = PgProject {
            project,
            name,
            port,
            image,
            guard,
        };
        pg.write_compose("");
        pg.project
            .file(
                "devctl.toml",
                &format!(
                    "services = [\"db\"]\n[database]\nservice = \"db\"\nurl_env = \"{PG_URL_ENV}\"\nextensions = [\"vector\"]\nready_timeout = \"60s\"\n[migrations]\ndir = \"migrations\"\n"
                ),
            )
            .file(".env", &format!("{PG_URL_ENV}={}\n", pg.url()))
            .file("migrations/0001_users.sql", "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL);\n")
            .file("migrations/0002_items.sql", "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, embedding vector(3));\n");
        Some(pg)
    }

    /// The SQLAlchemy-style URL the project's `.env` holds.
    pub fn url(&self) -> String {
        format!(
            "postgresql+pg8000://postgres:secret@127.0.0.1:{}/app",
            self.port
        )
    }

    /// The URL for connecting from the test.
    pub fn sqlx_url(&self) -> String {
        format!("postgres://postgres:secret@127.0.0.1:{}/app", self.port)
    }

    /// (Re)writes the compose file; `extra` is appended to the service's definition.
    pub fn write_compose(&self, extra: &str) {
        self.project.file(
            "docker-compose.yml",
            &format!(
                "name: {name}\nservices:\n  db:\n    image: {image}\n    environment:\n      POSTGRES_PASSWORD: secret\n      POSTGRES_DB: app\n    ports:\n      - \"127.0.0.1:{port}:5432\"\n    volumes:\n      - ./data/postgres:/var/lib/postgresql/data\n{extra}",
                name = self.name,
                image = self.image,
                port = self.port
            ),
        );
    }

    pub fn devctl(&self, args: &[&str]) -> Output {
        self.project.devctl(args)
    }

    /// Containers of this test's compose project, as (id, name).
    pub fn containers(&self) -> Vec<(String, String)> {
        let project = self.name.clone();
        block_on(async move {
            let docker = docker_client().await.expect("docker");
            let filter = HashMap::from([(
                "label".to_string(),
                vec![format!("com.docker.compose.project={project}")],
            )]);
            let options = ListContainersOptions {
                all: true,
                filters: Some(filter),
                ..Default::default()
            };
            docker
                .list_containers(Some(options))
                .await
                .unwrap()
                .into_iter()
                .map(|c| {
                    (
                        c.id.unwrap_or_default(),
                        c.names
                            .unwrap_or_default()
                            .first()
                            .cloned()
                            .unwrap_or_default(),
                    )
                })
                .collect()
        })
    }

    /// Runs statements, ignoring their rows.
    pub fn execute(&self, sql: &str) {
        let url = self.sqlx_url();
        let sql = sql.to_string();
        block_on(async move {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .expect("execute");
        });
    }

    /// Runs one query and returns the first column of every row as text.
    pub fn query(&self, sql: &str) -> Vec<String> {
        query(&self.sqlx_url(), sql)
    }
}

/// Creates and starts a Postgres container by hand, the way a person would with `docker run`:
/// the suite's image, published on `127.0.0.1:port`, with `data` (if any) bound on PGDATA.
/// Returns its id. The caller's [`DockerGuard`] must name it, so it is removed.
pub fn start_by_hand(image: &str, name: &str, port: u16, data: Option<&Path>) -> String {
    use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
    let (image, name) = (image.to_string(), name.to_string());
    let binds = data.map(|d| vec![format!("{}:/var/lib/postgresql/data", d.display())]);
    block_on(async move {
        let docker = docker_client().await.unwrap();
        let body = ContainerCreateBody {
            image: Some(image),
            env: Some(vec![
                "POSTGRES_PASSWORD=secret".into(),
                "POSTGRES_DB=app".into(),
            ]),
            exposed_ports: Some(vec!["5432/tcp".to_string()]),
            host_config: Some(HostConfig {
                binds,
                port_bindings: Some(
                    [(
                        "5432/tcp".to_string(),
                        Some(vec![PortBinding {
                            host_ip: Some("127.0.0.1".into()),
                            host_port: Some(port.to_string()),
                        }]),
                    )]
                    .into(),
                ),
                ..Default::default()
            }),
            ..Default::default()
        };
        let options = bollard::query_parameters::CreateContainerOptions {
            name: Some(name),
            ..Default::default()
        };
        let id = docker
            .create_container(Some(options), body)
            .await
            .unwrap()
            .id;
        docker
            .start_container(
                &id,
                None::<bollard::query_parameters::StartContainerOptions>,
            )
            .await
            .unwrap();
        id
    })
}

/// Runs one query on the Postgres database at `url` and returns the first column of every row as
/// text.
pub fn query(url: &str, sql: &str) -> Vec<String> {
    let url = url.to_string();
    let sql = sql.to_string();
    block_on(async move {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .expect("query");
        rows.into_iter().map(|r| r.0).collect()
    })
}

/// The names of the tables in a SQLite file.
pub fn sqlite_tables(path: &Path) -> Vec<String> {
    let url = format!("sqlite://{}", path.display());
    block_on(async move {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url)
            .await
            .expect("open sqlite");
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .fetch_all(&mut conn)
                .await
                .expect("query");
        rows.into_iter().map(|r| r.0).collect()
    })
}

/// Directories an interrupted wipe moved aside beside `dir`.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{name}.devctl-trash-"))
        })
        .map(|e| e.path())
        .collect()
}

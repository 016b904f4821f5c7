//! Benchmark: `devctl ready` against the floor, in one run, on the suite's Postgres + pgvector image.
//!
//! - cold: empty data directory, no container; devctl creates, starts, waits, creates the
//!   extension and applies the migrations.
//! - floor: the same container created and started by hand through the Engine API, polled with
//!   `SELECT 1` every 10 ms, then the same extension and migrations applied with sqlx.
//! - warm: `devctl ready` again on the ready environment.
//! - status: `devctl status` on the ready environment; then again with the project switched to
//!   an Alembic history of 500 revision files (branches merged every 50), the newest applied.
//!
//! Run: `cargo bench --bench ready` (set DEVCTL_BENCH_ROUNDS to change the number of rounds).
//! Targets: cold <= 1.2x floor, warm <= 0.3 s, status <= 0.3 s.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bollard::models::{ContainerCreateBody, HostConfig, PortBinding};
use bollard::query_parameters::{CreateContainerOptions, StartContainerOptions};
use sqlx::Connection;

const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_users.sql",
        "CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE);",
    ),
    (
        "0002_items.sql",
        "CREATE TABLE items (id BIGSERIAL PRIMARY KEY, user_id BIGINT REFERENCES users (id), embedding vector(3));",
    ),
    (
        "0003_index.sql",
        "CREATE INDEX items_user ON items (user_id);",
    ),
];

mod common;

use common::{build_devctl, build_image, free_port, list, median, project, remove, remove_project};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let image = build_image(&root);
    let devctl = build_devctl(&root);
    let rounds: usize = std::env::var("DEVCTL_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let docker = runtime.block_on(async {
        bollard::Docker::connect_with_defaults()
            .unwrap()
            .negotiate_version()
            .await
            .expect("a Docker engine")
    });

    let (mut cold, mut warm, mut floor, mut status, mut alembic) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate the order so drift in the machine's load hits both sides alike.
        if round % 2 == 0 {
            floor.push(runtime.block_on(floor_once(&docker, &image, round)));
            let (c, w, s, a) = devctl_once(&runtime, &docker, &devctl, &image, round);
            cold.push(c);
            warm.push(w);
            status.push(s);
            alembic.push(a);
        } else {
            let (c, w, s, a) = devctl_once(&runtime, &docker, &devctl, &image, round);
            cold.push(c);
            warm.push(w);
            status.push(s);
            alembic.push(a);
            floor.push(runtime.block_on(floor_once(&docker, &image, round)));
        }
    }
    let (cold_m, warm_m, floor_m) = (median(&mut cold), median(&mut warm), median(&mut floor));
    println!("rounds: {rounds}");
    println!(
        "floor (hand-started, SELECT 1 every 10 ms, migrate): median {:.3}s  all {}",
        floor_m.as_secs_f64(),
        list(&floor)
    );
    println!(
        "devctl ready cold:                                    median {:.3}s  all {}",
        cold_m.as_secs_f64(),
        list(&cold)
    );
    println!(
        "devctl ready warm:                                    median {:.3}s  all {}",
        warm_m.as_secs_f64(),
        list(&warm)
    );
    println!(
        "cold / floor: {:.2}x (target <= 1.20x)",
        cold_m.as_secs_f64() / floor_m.as_secs_f64()
    );
    println!("warm: {:.3}s (target <= 0.300s)", warm_m.as_secs_f64());
    let status_m = median(&mut status);
    println!(
        "devctl status on the ready environment: median {:.3}s  all {} (target <= 0.300s)",
        status_m.as_secs_f64(),
        list(&status)
    );
    let alembic_m = median(&mut alembic);
    println!(
        "devctl status, Alembic history of {ALEMBIC_REVISIONS} revisions: median {:.3}s  all {} (target <= 0.300s)",
        alembic_m.as_secs_f64(),
        list(&alembic)
    );
}

const ALEMBIC_REVISIONS: usize = 500;

/// Switches the project to Alembic: `ALEMBIC_REVISIONS` version files in the annotated style,
/// every 50 revisions a side branch, merged back by the next revision (a tuple down_revision), the newest
/// recorded in `alembic_version`. Returns nothing; `status` reads it all from disk.
fn make_alembic_project(runtime: &tokio::runtime::Runtime, dir: &Path, port: u16) {
    let versions = dir.join("alembic/versions");
    std::fs::create_dir_all(&versions).unwrap();
    std::fs::write(
        dir.join("alembic.ini"),
        "[alembic]\nscript_location = alembic\n",
    )
    .unwrap();
    let id = |n: usize| format!("{n:012x}");
    let mut down = "None".to_string();
    for n in 1..=ALEMBIC_REVISIONS {
        let side = n % 50 == 25;
        let (revision, this_down) = if side {
            (format!("b{n:011x}"), down.clone())
        } else if n % 50 == 26 {
            (id(n), format!("({down}, \"b{:011x}\")", n - 1))
        } else {
            (id(n), down.clone())
        };
        std::fs::write(
            versions.join(format!("{n:04}_step.py")),
            format!(
                "\"\"\"step {n}\n\nRevision ID: {revision}\n\"\"\"\nfrom typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision: str = \"{revision}\"\ndown_revision: Union[str, None] = {this_down}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade() -> None:\n    op.execute(\"SELECT {n}\")\n\n\ndef downgrade() -> None:\n    pass\n"
            ),
        )
        .unwrap();
        if !side {
            down = format!("\"{revision}\"");
        }
    }
    let head = id(ALEMBIC_REVISIONS);
    std::fs::write(
        dir.join("devctl.toml"),
        "services = [\"db\"]\n[database]\nservice = \"db\"\nurl_env = \"APP_DATABASE_URL\"\nextensions = [\"vector\"]\n[migrations]\ncommand = \"alembic upgrade head\"\n",
    )
    .unwrap();
    runtime.block_on(async {
        let url = format!("postgres://postgres:secret@127.0.0.1:{port}/app");
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('{head}')"
        )))
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    });
}

fn devctl_once(
    runtime: &tokio::runtime::Runtime,
    docker: &bollard::Docker,
    devctl: &Path,
    image: &str,
    round: usize,
) -> (Duration, Duration, Duration, Duration) {
    let port = free_port();
    let name = format!("devctl-bench-{}-{round}", std::process::id());
    let dir = project(image, port, &name, MIGRATIONS);
    let run = |command: &str| {
        let started = Instant::now();
        let output = Command::new(devctl)
            .args([command, "--json"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let took = started.elapsed();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        took
    };
    let cold = run("ready");
    let warm = run("ready");
    let status = run("status");
    make_alembic_project(runtime, dir.path(), port);
    let alembic = run("status");
    runtime.block_on(remove_project(docker, &name));
    (cold, warm, status, alembic)
}

async fn floor_once(docker: &bollard::Docker, image: &str, round: usize) -> Duration {
    let port = free_port();
    let name = format!("devctl-bench-floor-{}-{round}", std::process::id());
    let dir = project(image, port, &name, MIGRATIONS);
    let data = dir.path().join("data/postgres");
    std::fs::create_dir_all(&data).unwrap();
    let started = Instant::now();
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        env: Some(vec![
            "POSTGRES_PASSWORD=secret".into(),
            "POSTGRES_DB=app".into(),
        ]),
        exposed_ports: Some(vec!["5432/tcp".to_string()]),
        host_config: Some(HostConfig {
            binds: Some(vec![format!("{}:/var/lib/postgresql/data", data.display())]),
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
    let id = docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(name.clone()),
                ..Default::default()
            }),
            body,
        )
        .await
        .unwrap()
        .id;
    docker
        .start_container(&id, None::<StartContainerOptions>)
        .await
        .unwrap();
    let url = format!("postgres://postgres:secret@127.0.0.1:{port}/app");
    let mut conn = loop {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&url).await
            && sqlx::query("SELECT 1").execute(&mut conn).await.is_ok()
        {
            break conn;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    sqlx::raw_sql("CREATE EXTENSION IF NOT EXISTS vector")
        .execute(&mut conn)
        .await
        .unwrap();
    let migrator = sqlx::migrate::Migrator::new(dir.path().join("migrations"))
        .await
        .unwrap();
    migrator.run(&mut conn).await.unwrap();
    let took = started.elapsed();
    conn.close().await.unwrap();
    remove(docker, &name).await;
    took
}

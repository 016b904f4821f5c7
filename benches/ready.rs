//! Benchmark: `devctl ready` against the floor, in one run, on the suite's Postgres + pgvector image.
//!
//! - cold: empty data directory, no container; devctl creates, starts, waits, creates the
//!   extension and applies the migrations.
//! - floor: the same container created and started by hand through the Engine API, polled with
//!   `SELECT 1` every 10 ms, then the same extension and migrations applied with sqlx.
//! - warm: `devctl ready` again on the ready environment.
//!
//! Run: `cargo bench --bench ready` (set DEVCTL_BENCH_ROUNDS to change the number of rounds).
//! Targets: cold <= 1.2x floor, warm <= 0.3 s.

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

    let (mut cold, mut warm, mut floor, mut status) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate the order so drift in the machine's load hits both sides alike.
        if round % 2 == 0 {
            floor.push(runtime.block_on(floor_once(&docker, &image, round)));
            let (c, w, s) = devctl_once(&runtime, &docker, &devctl, &image, round);
            cold.push(c);
            warm.push(w);
            status.push(s);
        } else {
            let (c, w, s) = devctl_once(&runtime, &docker, &devctl, &image, round);
            cold.push(c);
            warm.push(w);
            status.push(s);
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
}

fn devctl_once(
    runtime: &tokio::runtime::Runtime,
    docker: &bollard::Docker,
    devctl: &Path,
    image: &str,
    round: usize,
) -> (Duration, Duration, Duration) {
    let port = free_port();
    let name = format!("devctl-bench-{}-{round}", std::process::id());
    let dir = project(image, port, &name, MIGRATIONS);
    let run = |command: &str| {
        let started = Instant::now();
        let output = Command::new(devctl)
            .arg(command)
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
    runtime.block_on(remove_project(docker, &name));
    (cold, warm, status)
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

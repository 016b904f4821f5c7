//! Benchmark: `devctl reset-db --yes` against the manual sequence, in one run, on the suite's
//! Postgres + pgvector image, for the repo's own migrations and for 50 generated ones.
//!
//! The manual sequence is the documented fix scripted with the tightest polling: stop the
//! container (killed, as devctl does), `rm -rf` the data directory, start the container again,
//! poll `SELECT 1` every 10 ms, create the extension and apply the same migrations with sqlx.
//!
//! Run: `cargo bench --bench reset_db` (DEVCTL_BENCH_ROUNDS changes the number of rounds).
//! Target: reset-db <= 1.1x the manual sequence.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bollard::query_parameters::{StartContainerOptions, StopContainerOptions};
use common::{build_devctl, build_image, free_port, list, median, project, remove_project};
use sqlx::Connection;

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

    let repo: Vec<(String, String)> = std::fs::read_dir(root.join("migrations"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    let generated: Vec<(String, String)> = (1..=50)
        .map(|i| {
            (
                format!("{i:04}_table_{i}.sql"),
                format!("CREATE TABLE t{i} (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL, embedding vector(3));\nCREATE INDEX t{i}_name ON t{i} (name);\n"),
            )
        })
        .collect();

    println!("rounds: {rounds}");
    for (label, migrations) in [
        ("repo migrations", repo),
        ("50 generated migrations", generated),
    ] {
        let migrations: Vec<(&str, &str)> = migrations
            .iter()
            .map(|(f, s)| (f.as_str(), s.as_str()))
            .collect();
        let port = free_port();
        let name = format!(
            "devctl-bench-reset-{}-{}",
            std::process::id(),
            migrations.len()
        );
        let dir = project(&image, port, &name, &migrations);
        let ready = Command::new(&devctl)
            .arg("ready")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            ready.status.success(),
            "{}",
            String::from_utf8_lossy(&ready.stderr)
        );
        let container = format!("{name}-db-1");
        let (mut tool, mut manual) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let devctl_run = || {
                let started = Instant::now();
                let output = Command::new(&devctl)
                    .args(["reset-db", "--yes"])
                    .current_dir(dir.path())
                    .env("NO_COLOR", "1")
                    .output()
                    .unwrap();
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                started.elapsed()
            };
            if round % 2 == 0 {
                tool.push(devctl_run());
                manual.push(runtime.block_on(manual_once(&docker, &container, dir.path(), port)));
            } else {
                manual.push(runtime.block_on(manual_once(&docker, &container, dir.path(), port)));
                tool.push(devctl_run());
            }
        }
        runtime.block_on(remove_project(&docker, &name));
        let (t, m) = (median(&mut tool), median(&mut manual));
        println!(
            "{label}: manual median {:.3}s (all {}), devctl reset-db median {:.3}s (all {}), ratio {:.2}x (target <= 1.10x)",
            m.as_secs_f64(),
            list(&manual),
            t.as_secs_f64(),
            list(&tool),
            t.as_secs_f64() / m.as_secs_f64()
        );
    }
}

async fn manual_once(docker: &bollard::Docker, container: &str, dir: &Path, port: u16) -> Duration {
    let started = Instant::now();
    docker
        .stop_container(
            container,
            Some(StopContainerOptions {
                t: Some(0),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    let data = dir.join("data/postgres");
    std::fs::remove_dir_all(&data).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    docker
        .start_container(container, None::<StartContainerOptions>)
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
    let migrator = sqlx::migrate::Migrator::new(dir.join("migrations"))
        .await
        .unwrap();
    migrator.run(&mut conn).await.unwrap();
    let took = started.elapsed();
    conn.close().await.unwrap();
    took
}

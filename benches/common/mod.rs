//! What the benchmarks share: the suite's image, the release binary, a project on a free port.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use bollard::query_parameters::RemoveContainerOptions;

pub fn list(values: &[Duration]) -> String {
    values
        .iter()
        .map(|d| format!("{:.3}", d.as_secs_f64()))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

pub fn build_image(root: &Path) -> String {
    let output = Command::new("bash")
        .arg(root.join("tests/image/build.sh"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

pub fn build_devctl(root: &Path) -> PathBuf {
    let status = Command::new("cargo")
        .args(["build", "--release", "--bin", "devctl"])
        .current_dir(root)
        .status()
        .unwrap();
    assert!(status.success());
    root.join("target/release/devctl")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn project(
    image: &str,
    port: u16,
    name: &str,
    migrations: &[(&str, &str)],
) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("devctl-bench-")
        .tempdir()
        .unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "docker-compose.yml",
        &format!(
            "name: {name}\nservices:\n  db:\n    image: {image}\n    environment:\n      POSTGRES_PASSWORD: secret\n      POSTGRES_DB: app\n    ports:\n      - \"127.0.0.1:{port}:5432\"\n    volumes:\n      - ./data/postgres:/var/lib/postgresql/data\n"
        ),
    );
    write(
        "devctl.toml",
        "services = [\"db\"]\n[database]\nservice = \"db\"\nurl_env = \"APP_DATABASE_URL\"\nextensions = [\"vector\"]\n[migrations]\ndir = \"migrations\"\n",
    );
    write(
        ".env",
        &format!("APP_DATABASE_URL=postgresql+pg8000://postgres:secret@127.0.0.1:{port}/app\n"),
    );
    for (file, sql) in migrations {
        write(&format!("migrations/{file}"), sql);
    }
    dir
}

pub async fn remove(docker: &bollard::Docker, name: &str) {
    let _ = docker
        .remove_container(
            name,
            Some(RemoveContainerOptions {
                force: true,
                v: true,
                ..Default::default()
            }),
        )
        .await;
}

/// Removes what `devctl` made for the compose project `name`: its database container and network.
pub async fn remove_project(docker: &bollard::Docker, name: &str) {
    remove(docker, &format!("{name}-db-1")).await;
    let _ = docker.remove_network(&format!("{name}_default")).await;
}

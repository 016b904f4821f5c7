//! `reset-db`'s wipe under hard conditions: files owned by the container's user wiped by an
//! unprivileged user, and an interrupt in the middle of the wipe.

use std::io::BufRead;
use std::process::{Command, Stdio};

use crate::support::{Output, PgProject};

/// Runs devctl as `user` (a member of the docker group) in the project.
fn devctl_as(user: &str, pg: &PgProject, args: &[&str]) -> Output {
    let mut command = Command::new("runuser");
    command
        .args([
            "-u",
            user,
            "--",
            "env",
            "NO_COLOR=1",
            "HOME=/home/devctl-test",
            env!("CARGO_BIN_EXE_devctl"),
        ])
        .args(args)
        .current_dir(pg.project.path());
    Output::of(&mut command)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn files_owned_by_the_containers_user_are_wiped_without_sudo() {
    if !is_root() {
        eprintln!("skipping: creating the unprivileged test user needs root");
        return;
    }
    let Some(pg) = PgProject::new() else { return };
    let user = "devctl-test";
    let exists = Command::new("id")
        .arg(user)
        .output()
        .unwrap()
        .status
        .success();
    if !exists {
        let status = Command::new("useradd")
            .args(["-m", "-d", "/home/devctl-test", "-G", "docker", user])
            .status()
            .unwrap();
        assert!(status.success(), "useradd failed");
    }
    let status = Command::new("chown")
        .args(["-R", &format!("{user}:{user}")])
        .arg(pg.project.path())
        .status()
        .unwrap();
    assert!(status.success());

    devctl_as(user, &pg, &["ready"]).success();
    let data = pg.project.join("data/postgres");
    assert!(std::fs::read_dir(&data).is_ok());
    let owner_check = Command::new("runuser")
        .args(["-u", user, "--", "ls"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        !owner_check.status.success(),
        "the test user cannot read the data directory: its files belong to the container"
    );

    pg.execute("CREATE TABLE drift (id int)");
    let output = devctl_as(user, &pg, &["reset-db", "--yes"]);
    output.success().stderr_has("through a container");
    assert_eq!(
        pg.query("SELECT coalesce(to_regclass('drift')::text, '')"),
        [""],
        "the drift is gone"
    );
    assert_eq!(
        pg.query("SELECT count(*)::text FROM _sqlx_migrations"),
        ["2"]
    );
    assert!(crate::support::leftovers(&data).is_empty());
}

#[test]
fn an_interrupted_wipe_leaves_no_half_deleted_directory_and_the_next_run_recovers() {
    let Some(pg) = PgProject::new() else { return };
    pg.devctl(&["ready"]).success();
    // Enough files that deleting them takes a while.
    let junk = pg.project.join("data/postgres/devctl-junk");
    std::fs::create_dir_all(&junk).unwrap();
    for i in 0..20_000 {
        std::fs::write(junk.join(format!("f{i}")), "x").unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_devctl"))
        .args(["reset-db", "--yes", "--json"])
        .current_dir(pg.project.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.contains("\"step_started\"") && line.contains("\"step\":\"wipe\"") {
            let status = Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status()
                .unwrap();
            assert!(status.success());
            break;
        }
    }
    let output = child.wait_with_output().unwrap();
    let code = output.status.code();
    assert!(
        code == Some(130) || code == Some(0),
        "exit {code:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The data directory is whole or empty, never half deleted.
    let data = pg.project.join("data/postgres");
    if data.join("PG_VERSION").exists() {
        assert_eq!(
            std::fs::read_dir(&junk).unwrap().count(),
            20_000,
            "a data directory in place is whole"
        );
    } else if data.exists() {
        assert_eq!(
            std::fs::read_dir(&data).unwrap().count(),
            0,
            "a data directory in place is empty"
        );
    }

    let rerun = pg.devctl(&["reset-db", "--yes"]);
    rerun.success();
    assert!(
        crate::support::leftovers(&data).is_empty(),
        "leftovers were removed"
    );
    assert!(!junk.exists());
    assert_eq!(
        pg.query("SELECT count(*)::text FROM _sqlx_migrations"),
        ["2"]
    );
}

//! Deciding whether a data directory may be deleted, and deleting it without ever leaving a
//! half-deleted one in place. devctl deletes only what it was configured to delete, only inside
//! the project, and only what looks like a Postgres data directory (or is empty).

use std::path::{Path, PathBuf};

use crate::Error;

/// The prefix of the directory a wipe moves the data to before deleting it.
pub const TRASH_MARK: &str = ".devctl-trash-";

/// What a data directory looks like from the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataDirState {
    Missing,
    Empty,
    /// Holds `PG_VERSION`.
    Postgres,
    /// Cannot be read by this user (its files belong to the container's user).
    Unreadable,
    /// Holds something else: never deleted.
    Foreign,
}

/// Checks that `data_dir` may be wiped: after symlinks it lies strictly inside `root`, and is not
/// the project root, the home directory or `/`. Returns the resolved path.
pub fn check_inside_project(data_dir: &Path, root: &Path) -> Result<PathBuf, Error> {
    let refuse = |why: String| {
        Error::Refused {
        message: format!("refusing to wipe {}: {why}", data_dir.display()),
        hint: Some("set [database] data_dir in devctl.toml to the database's data directory inside the project".into()),
    }
    };
    let root = root
        .canonicalize()
        .map_err(|e| Error::io("failed to resolve", root, e))?;
    // Resolve what exists; a missing tail is taken as written (it cannot be a symlink).
    let mut existing = data_dir.to_path_buf();
    let mut tail = Vec::new();
    while !existing.exists() && existing.symlink_metadata().is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return Err(refuse("it cannot be resolved".into())),
        }
    }
    let mut resolved = existing.canonicalize().map_err(|e| {
        refuse(format!(
            "it cannot be resolved ({e}); a symlink may point nowhere"
        ))
    })?;
    for name in tail.into_iter().rev() {
        if name == ".." || name == "." {
            return Err(refuse("its path holds `..`".into()));
        }
        resolved.push(name);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .and_then(|h| h.canonicalize().ok());
    if resolved == Path::new("/") || Some(&resolved) == home.as_ref() {
        return Err(refuse("it is the root or home directory".into()));
    }
    if resolved == root {
        return Err(refuse("it is the project root itself".into()));
    }
    if !resolved.starts_with(&root) {
        return Err(refuse(format!(
            "it resolves to {}, outside the project {}",
            resolved.display(),
            root.display()
        )));
    }
    Ok(resolved)
}

/// How deep below a data directory `PG_VERSION` may sit: a bind on a parent of PGDATA holds
/// `data/PG_VERSION` (images before 18 with `./pg:/var/lib/postgresql`) or
/// `18/docker/PG_VERSION` (the postgres:18 images' layout).
const PG_VERSION_DEPTH: usize = 2;

/// How the directory looks from the host. It is `Postgres` when it holds `PG_VERSION`, or when
/// everything in it is a directory that is Postgres storage in turn (at most
/// [`PG_VERSION_DEPTH`] levels down), so a directory holding anything else is `Foreign` and
/// never deleted.
pub fn inspect(dir: &Path) -> DataDirState {
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DataDirState::Missing,
        Ok(mut entries) => match entries.next() {
            None => DataDirState::Empty,
            Some(_) => storage(dir, PG_VERSION_DEPTH),
        },
        Err(_) => storage(dir, PG_VERSION_DEPTH),
    }
}

/// `Postgres`, `Unreadable` or `Foreign` for a directory that exists and is not empty.
fn storage(dir: &Path, depth: usize) -> DataDirState {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return DataDirState::Unreadable;
        }
        Err(_) => return DataDirState::Foreign,
        Ok(entries) => entries,
    };
    if dir.join("PG_VERSION").is_file() {
        return DataDirState::Postgres;
    }
    let mut state = DataDirState::Foreign;
    for entry in entries {
        let Ok(entry) = entry else {
            return DataDirState::Foreign;
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if depth == 0 || !is_dir {
            return DataDirState::Foreign;
        }
        match storage(&path, depth - 1) {
            DataDirState::Postgres if state != DataDirState::Unreadable => {
                state = DataDirState::Postgres;
            }
            DataDirState::Postgres => {}
            DataDirState::Unreadable => state = DataDirState::Unreadable,
            _ => return DataDirState::Foreign,
        }
    }
    state
}

/// The same test as [`inspect`], as a shell command run by a container that mounts the directory
/// on `/devctl-data` (for a directory the host user cannot read): exit 0 for Postgres storage or
/// an empty directory. The function body runs in a subshell, so its variables stay local.
pub const STORAGE_CHECK: &str = "is_pg() ( \
    [ -s \"$1/PG_VERSION\" ] && exit 0; \
    [ \"$2\" -gt 0 ] || exit 1; \
    [ -n \"$(ls -A \"$1\")\" ] || exit 1; \
    for e in \"$1\"/* \"$1\"/.[!.]* \"$1\"/..?*; do \
        [ -e \"$e\" ] || [ -L \"$e\" ] || continue; \
        [ -d \"$e\" ] && [ ! -L \"$e\" ] && is_pg \"$e\" $(($2 - 1)) || exit 1; \
    done; \
    exit 0 ); \
    [ -z \"$(ls -A /devctl-data)\" ] || is_pg /devctl-data 2";

/// Leftovers of earlier wipes that were interrupted, beside `dir`.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Vec::new();
    };
    let prefix = format!("{}{TRASH_MARK}", name.to_string_lossy());
    std::fs::read_dir(parent)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// Moves `dir` aside (an atomic rename beside it) and returns where it went.
pub fn move_aside(dir: &Path) -> Result<PathBuf, Error> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let trash = dir.with_file_name(format!("{name}{TRASH_MARK}{}", std::process::id()));
    std::fs::rename(dir, &trash).map_err(|e| Error::io("failed to move aside", dir, e))?;
    Ok(trash)
}

/// Size in bytes of what can be read under `dir` (files of other users are not counted).
pub fn size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => size(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map(|m| m.len()).unwrap_or(0),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_strictly_inside_the_project_pass() {
        let project = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = project.path();
        std::fs::create_dir_all(root.join("data/postgres")).unwrap();
        assert!(check_inside_project(&root.join("data/postgres"), root).is_ok());
        assert!(check_inside_project(&root.join("data/not-yet"), root).is_ok());
        assert!(check_inside_project(root, root).is_err());
        assert!(check_inside_project(&root.join("data/../.."), root).is_err());
        assert!(check_inside_project(outside.path(), root).is_err());
        std::os::unix::fs::symlink(outside.path(), root.join("escape")).unwrap();
        let error = check_inside_project(&root.join("escape"), root).unwrap_err();
        assert_eq!(error.exit_code(), crate::error::exit::USAGE);
        assert!(error.to_string().contains("outside the project"), "{error}");
        assert!(check_inside_project(&root.join("escape/db"), root).is_err());
    }

    #[test]
    fn only_postgres_or_empty_directories_look_wipeable() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("pg");
        assert_eq!(inspect(&d), DataDirState::Missing);
        std::fs::create_dir(&d).unwrap();
        assert_eq!(inspect(&d), DataDirState::Empty);
        std::fs::write(d.join("notes.txt"), "mine").unwrap();
        assert_eq!(inspect(&d), DataDirState::Foreign);
        std::fs::write(d.join("PG_VERSION"), "17").unwrap();
        assert_eq!(inspect(&d), DataDirState::Postgres);
    }

    /// The layouts a bind on PGDATA or a parent of it leaves, and what must never count.
    fn layouts() -> Vec<(&'static str, Vec<&'static str>, DataDirState)> {
        use DataDirState::*;
        vec![
            ("exact bind", vec!["PG_VERSION", "base/1"], Postgres),
            (
                "parent bind before 18",
                vec!["data/PG_VERSION", "data/base/1"],
                Postgres,
            ),
            (
                "parent bind, postgres:18",
                vec!["18/docker/PG_VERSION"],
                Postgres,
            ),
            (
                "two clusters",
                vec!["17/docker/PG_VERSION", "18/docker/PG_VERSION"],
                Postgres,
            ),
            (
                "a file beside",
                vec!["data/PG_VERSION", "notes.txt"],
                Foreign,
            ),
            (
                "a project directory",
                vec!["postgres/PG_VERSION", "uploads/a.png"],
                Foreign,
            ),
            (
                "an empty directory beside",
                vec!["data/PG_VERSION", "empty/"],
                Foreign,
            ),
            ("too deep", vec!["a/b/c/PG_VERSION"], Foreign),
            ("no PG_VERSION", vec!["base/1"], Foreign),
        ]
    }

    fn build(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            if file.ends_with('/') {
                std::fs::create_dir_all(path).unwrap();
            } else {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, "17").unwrap();
            }
        }
        dir
    }

    #[test]
    fn postgres_storage_below_a_parent_bind_is_recognised_and_nothing_else() {
        for (name, files, expected) in layouts() {
            let dir = build(&files);
            assert_eq!(inspect(dir.path()), expected, "{name}");
        }
    }

    #[test]
    fn the_container_side_check_agrees_with_inspect() {
        for (name, files, expected) in layouts() {
            let dir = build(&files);
            let check = STORAGE_CHECK.replace("/devctl-data", &dir.path().display().to_string());
            let ok = std::process::Command::new("sh")
                .args(["-c", &check])
                .status()
                .unwrap()
                .success();
            assert_eq!(ok, expected == DataDirState::Postgres, "{name}");
        }
        let empty = tempfile::tempdir().unwrap();
        let check = STORAGE_CHECK.replace("/devctl-data", &empty.path().display().to_string());
        let status = std::process::Command::new("sh")
            .args(["-c", &check])
            .status();
        assert!(status.unwrap().success(), "an empty directory may be wiped");
    }

    #[test]
    fn moving_aside_leaves_a_leftover_that_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("pg");
        std::fs::create_dir(&d).unwrap();
        let trash = move_aside(&d).unwrap();
        assert!(!d.exists());
        assert_eq!(leftovers(&d), [trash]);
    }
}

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

/// How the directory looks from the host.
pub fn inspect(dir: &Path) -> DataDirState {
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DataDirState::Missing,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => DataDirState::Unreadable,
        Err(_) => DataDirState::Foreign,
        Ok(mut entries) => {
            if entries.next().is_none() {
                DataDirState::Empty
            } else if dir.join("PG_VERSION").is_file() {
                DataDirState::Postgres
            } else {
                DataDirState::Foreign
            }
        }
    }
}

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

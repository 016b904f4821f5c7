//! One devctl workflow per project at a time. The lock is a file under the state directory that
//! `directories` gives (one file per project root), held with an OS file lock for the life of the
//! process, so a crashed run never leaves a stale lock behind. The file holds the holder's pid for
//! the message the second run shows.

use std::fs::{File, OpenOptions, TryLockError};
use std::hash::{Hash, Hasher};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::Error;

/// Held while the workflow runs; released when dropped or when the process ends.
#[derive(Debug)]
pub struct ProjectLock {
    _file: File,
    pub path: PathBuf,
}

/// Where lock files live: `$XDG_STATE_HOME/devctl` (or the platform's equivalent), falling back
/// to the cache directory and then the temporary directory.
pub fn lock_dir() -> PathBuf {
    let dirs = directories::ProjectDirs::from("dev", "devctl", "devctl");
    dirs.as_ref()
        .and_then(|d| d.state_dir().map(Path::to_path_buf))
        .or_else(|| dirs.as_ref().map(|d| d.cache_dir().to_path_buf()))
        .unwrap_or_else(|| std::env::temp_dir().join("devctl"))
        .join("locks")
}

fn lock_path(root: &Path) -> PathBuf {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    root.hash(&mut hasher);
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    lock_dir().join(format!("{name}-{:016x}.lock", hasher.finish()))
}

impl ProjectLock {
    /// Takes the project's lock or fails at once, naming the pid that holds it.
    pub fn acquire(root: &Path) -> Result<ProjectLock, Error> {
        let path = lock_path(root);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io("failed to create", parent, e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io("failed to open the lock file", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(Error::Refused {
                    message: format!(
                        "another devctl run is working on {} (pid {})",
                        root.display(),
                        if holder.is_empty() { "unknown" } else { holder }
                    ),
                    hint: Some(format!(
                        "wait for it to finish; the lock is {}",
                        path.display()
                    )),
                });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io("failed to lock", &path, e)),
        }
        file.set_len(0)
            .map_err(|e| Error::io("failed to write", &path, e))?;
        file.rewind()
            .map_err(|e| Error::io("failed to write", &path, e))?;
        write!(file, "{}", std::process::id())
            .map_err(|e| Error::io("failed to write", &path, e))?;
        Ok(ProjectLock { _file: file, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_project_is_refused_with_the_pid() {
        let dir = tempfile::tempdir().unwrap();
        let first = ProjectLock::acquire(dir.path()).unwrap();
        let error = ProjectLock::acquire(dir.path()).unwrap_err();
        assert_eq!(error.exit_code(), crate::error::exit::USAGE);
        assert!(
            error
                .to_string()
                .contains(&format!("pid {}", std::process::id())),
            "{error}"
        );
        drop(first);
        ProjectLock::acquire(dir.path()).unwrap();
    }
}

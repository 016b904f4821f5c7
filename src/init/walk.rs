//! Looking a few directory levels down for the files that reveal a project's layout (a compose
//! file in `docker/`, `alembic.ini` in `apps/core/`), without wandering into dependencies, build
//! output or database data, and preferring the shallowest hit so the answer does not depend on
//! directory listing order.

use std::path::{Path, PathBuf};

/// Directories never searched: version control, dependencies, virtualenvs, build output, and
/// database data (often unreadable, always irrelevant).
const SKIPPED: [&str; 7] = [
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "target",
    "data",
    "__pycache__",
];

/// The root (as `.`) and every directory below it down to `max_depth` levels, relative to the
/// root, breadth first and sorted by name within a level. Symlinks are not followed; directories
/// that cannot be read are left out.
pub(super) fn directories(root: &Path, max_depth: usize) -> Vec<PathBuf> {
    let mut found = vec![PathBuf::from(".")];
    let mut level = vec![PathBuf::new()];
    for _ in 0..max_depth {
        let mut next = Vec::new();
        for dir in &level {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut children: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
                .filter_map(|entry| entry.file_name().into_string().ok())
                .filter(|name| !SKIPPED.contains(&name.as_str()))
                .map(|name| dir.join(name))
                .collect();
            children.sort();
            next.extend(children);
        }
        found.extend(next.iter().cloned());
        level = next;
    }
    found
}

/// The first file named one of `names` (tried in that order within a directory), in the
/// shallowest directory down to `max_depth` levels. The result is relative to the root.
pub(super) fn find_file(root: &Path, max_depth: usize, names: &[&str]) -> Option<PathBuf> {
    directories(root, max_depth).into_iter().find_map(|dir| {
        names
            .iter()
            .map(|name| relative_join(&dir, name))
            .find(|candidate| root.join(candidate).is_file())
    })
}

/// `dir/name`, without a leading `./` for the root.
pub(super) fn relative_join(dir: &Path, name: &str) -> PathBuf {
    if dir == Path::new(".") {
        PathBuf::from(name)
    } else {
        dir.join(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallowest_first_and_skips_dependencies() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for path in [
            "node_modules/x/alembic.ini",
            "b/alembic.ini",
            "a/deep/alembic.ini",
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), "").unwrap();
        }
        assert_eq!(
            find_file(root, 3, &["alembic.ini"]),
            Some(PathBuf::from("b/alembic.ini"))
        );
        assert_eq!(find_file(root, 0, &["alembic.ini"]), None);
        std::fs::write(root.join("alembic.ini"), "").unwrap();
        assert_eq!(
            find_file(root, 3, &["alembic.ini"]),
            Some(PathBuf::from("alembic.ini"))
        );
        let dirs = directories(root, 1);
        assert!(!dirs.contains(&PathBuf::from("node_modules")), "{dirs:?}");
        assert_eq!(dirs[0], PathBuf::from("."));
    }
}

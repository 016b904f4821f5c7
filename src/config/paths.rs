//! Lexical path clean-up shared by the compose file and database URLs: paths devctl shows and
//! hands to Docker should read `/p/data/db`, not `/p/./compose/../data/db`.

use std::path::{Component, Path, PathBuf};

/// Removes `.` and resolves `..` without touching the file system (symlinks are not followed).
/// A `..` above the root of an absolute path stays at the root.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_dots() {
        assert_eq!(normalize(Path::new("/p/./a/../b/")), PathBuf::from("/p/b"));
        assert_eq!(
            normalize(Path::new("/p/a/b/../../c")),
            PathBuf::from("/p/c")
        );
        assert_eq!(normalize(Path::new("/..")), PathBuf::from("/"));
        assert_eq!(normalize(Path::new("a/../../b")), PathBuf::from("../b"));
        assert_eq!(normalize(Path::new("./x")), PathBuf::from("x"));
    }
}

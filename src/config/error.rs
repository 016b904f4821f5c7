//! Configuration errors: each names the file (and line and column where there is one) and says
//! what to do. All of them exit with status 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("no devctl.toml found in {start} or any parent directory")]
    NotFound { start: PathBuf },
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ConfigError {
    /// What the user can do about it, shown under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            ConfigError::NotFound { .. } => Some(
                "run devctl from inside the project, pass -C DIR, or create devctl.toml (see README.md)".into(),
            ),
            _ => None,
        }
    }
}

impl ConfigError {
    /// A syntax error at byte `offset` of `text`, with the 1-based line and column (in characters)
    /// worked out from the offset.
    pub fn at_offset(
        path: &std::path::Path,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, column) = line_column(text, offset);
        ConfigError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// 1-based line and column (counted in characters) of byte `offset` in `text`. An offset past the
/// end points just after the last character; one inside a character points at that character.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbb = \"é x\"\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (1, 5));
        assert_eq!(line_column(text, 6), (2, 1));
        // "é" is two bytes; the column counts characters.
        let x = text.find('x').unwrap();
        assert_eq!(line_column(text, x), (2, 9));
        assert_eq!(line_column(text, 1000), (3, 1));
    }

    #[test]
    fn syntax_error_displays_path_line_and_column() {
        let err = ConfigError::at_offset(std::path::Path::new("devctl.toml"), "a\nbc", 3, "bad");
        assert_eq!(err.to_string(), "devctl.toml:2:2: bad");
    }
}

//! The variables a project's configuration may refer to: the process environment over the `.env`
//! file. When `.env` does not exist yet, `.env.example` stands in for it, because `ready` creates
//! `.env` as a copy of it; so a plan (and `--dry-run`) sees what the run will see.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::ConfigError;

#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Values from the file (`.env`, or `.env.example` standing in).
    pub file_vars: BTreeMap<String, String>,
    /// The file the values came from, if any.
    pub file: Option<PathBuf>,
    /// A snapshot of the process environment.
    pub process: BTreeMap<String, String>,
}

impl Env {
    pub const DOTENV: &str = ".env";
    pub const EXAMPLE: &str = ".env.example";

    /// Reads `root/.env` (or `root/.env.example` when `.env` is missing) with dotenvy's syntax.
    /// The process environment is only read, never changed.
    pub fn load(root: &Path) -> Result<Env, ConfigError> {
        let process = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let file = [Self::DOTENV, Self::EXAMPLE]
            .into_iter()
            .map(|name| root.join(name))
            .find(|path| path.is_file());
        let file_vars = match &file {
            Some(path) => read_env_file(path)?.into_iter().collect(),
            None => BTreeMap::new(),
        };
        Ok(Env {
            file_vars,
            file,
            process,
        })
    }

    /// Keys that `root/.env.example` defines and `root/.env` does not, in the example's order, so
    /// `ready` can say which settings a drifted `.env` lacks. Empty when either file is missing
    /// (without `.env`, `ready` copies the example whole).
    pub fn keys_missing_from_dotenv(root: &Path) -> Result<Vec<String>, ConfigError> {
        let dotenv = root.join(Self::DOTENV);
        let example = root.join(Self::EXAMPLE);
        if !dotenv.is_file() || !example.is_file() {
            return Ok(Vec::new());
        }
        let present: BTreeMap<String, String> = read_env_file(&dotenv)?.into_iter().collect();
        let mut missing: Vec<String> = Vec::new();
        for (key, _) in read_env_file(&example)? {
            if !present.contains_key(&key) && !missing.contains(&key) {
                missing.push(key);
            }
        }
        Ok(missing)
    }

    /// The process environment first, then the file.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.process
            .get(key)
            .or_else(|| self.file_vars.get(key))
            .map(String::as_str)
    }

    /// Where a variable's value comes from, for messages: "the environment" or ".env".
    pub fn origin(&self, key: &str) -> Option<String> {
        if self.process.contains_key(key) {
            Some("the environment".into())
        } else if self.file_vars.contains_key(key) {
            self.file
                .as_ref()
                .and_then(|f| f.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        } else {
            None
        }
    }
}

/// Parses a dotenv file into its entries in file order (a repeated key keeps its last value when
/// collected into a map). Errors name the file, with the line and column where dotenvy gives them.
pub(crate) fn read_env_file(path: &Path) -> Result<Vec<(String, String)>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_env_text(path, &text)
}

/// [`read_env_file`] on text already read.
pub(crate) fn parse_env_text(
    path: &Path,
    text: &str,
) -> Result<Vec<(String, String)>, ConfigError> {
    dotenvy::from_read_iter(text.as_bytes())
        .map(|item| item.map_err(|err| env_error(path, text, err)))
        .collect()
}

fn env_error(path: &Path, text: &str, err: dotenvy::Error) -> ConfigError {
    match err {
        dotenvy::Error::LineParse(line, index) => {
            let unclosed = index >= line.len() && !line.trim().is_empty();
            let message = if unclosed {
                "a quoted value is never closed; close the quote (values may span lines only inside quotes)"
                    .to_string()
            } else {
                format!(
                    "cannot parse {:?}: expected KEY=VALUE (quote values that contain spaces or `#`, \
                     start comments with `#`)",
                    line.trim()
                )
            };
            match text.find(line.as_str()) {
                Some(start) if !line.is_empty() => {
                    ConfigError::at_offset(path, text, start + index.min(line.len()), message)
                }
                _ => ConfigError::Invalid {
                    path: path.to_path_buf(),
                    message,
                },
            }
        }
        dotenvy::Error::Io(source) => ConfigError::Read {
            path: path.to_path_buf(),
            source,
        },
        other => ConfigError::Invalid {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn reads_dotenv_when_present() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            ".env",
            "A=from-dotenv\n# comment\nexport B=\"two words\"\n",
        );
        write(dir.path(), ".env.example", "A=from-example\n");
        let env = Env::load(dir.path()).unwrap();
        assert_eq!(env.file.as_deref(), Some(dir.path().join(".env").as_path()));
        assert_eq!(
            env.file_vars.get("A").map(String::as_str),
            Some("from-dotenv")
        );
        assert_eq!(
            env.file_vars.get("B").map(String::as_str),
            Some("two words")
        );
        assert_eq!(env.origin("A").as_deref(), Some(".env"));
    }

    #[test]
    fn falls_back_to_the_example() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            ".env.example",
            "DEVCTL_TEST_ONLY_IN_EXAMPLE=x\n",
        );
        let env = Env::load(dir.path()).unwrap();
        assert_eq!(
            env.file.as_deref(),
            Some(dir.path().join(".env.example").as_path())
        );
        assert_eq!(env.get("DEVCTL_TEST_ONLY_IN_EXAMPLE"), Some("x"));
        assert_eq!(
            env.origin("DEVCTL_TEST_ONLY_IN_EXAMPLE").as_deref(),
            Some(".env.example")
        );
    }

    #[test]
    fn no_file_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::load(dir.path()).unwrap();
        assert_eq!(env.file, None);
        assert!(env.file_vars.is_empty());
        assert!(!env.process.is_empty() || std::env::vars_os().next().is_none());
    }

    #[test]
    fn loading_does_not_touch_the_process_environment() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "DEVCTL_TEST_NOT_EXPORTED=1\n");
        let env = Env::load(dir.path()).unwrap();
        assert_eq!(env.get("DEVCTL_TEST_NOT_EXPORTED"), Some("1"));
        assert!(std::env::var_os("DEVCTL_TEST_NOT_EXPORTED").is_none());
    }

    #[test]
    fn process_environment_wins_over_the_file() {
        let env = Env {
            file_vars: [("K".to_string(), "file".to_string())].into(),
            file: Some(PathBuf::from("/p/.env")),
            process: [("K".to_string(), "process".to_string())].into(),
        };
        assert_eq!(env.get("K"), Some("process"));
        assert_eq!(env.origin("K").as_deref(), Some("the environment"));
        assert_eq!(env.get("NOPE"), None);
        assert_eq!(env.origin("NOPE"), None);
    }

    #[test]
    fn parse_error_names_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "A=1\n# fine\nB C=2\n");
        let err = Env::load(dir.path()).unwrap_err();
        match &err {
            ConfigError::Syntax {
                path,
                line,
                column,
                message,
            } => {
                assert_eq!(path, &dir.path().join(".env"));
                assert_eq!((*line, *column), (3, 3));
                assert!(message.contains("expected KEY=VALUE"), "{message}");
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn unclosed_quote_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env", "A=1\nB=\"never closed\nC=3\n");
        let err = Env::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("never closed"), "{err}");
        assert!(
            err.to_string()
                .starts_with(&dir.path().join(".env").display().to_string()),
            "{err}"
        );
    }

    #[test]
    fn missing_keys_are_listed_in_example_order() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), ".env.example", "ZED=1\nA=2\nB=3\nA=4\n");
        assert!(
            Env::keys_missing_from_dotenv(dir.path())
                .unwrap()
                .is_empty()
        );
        write(dir.path(), ".env", "B=custom\n");
        assert_eq!(
            Env::keys_missing_from_dotenv(dir.path()).unwrap(),
            vec!["ZED", "A"]
        );
        write(dir.path(), ".env", "ZED=\nA=1\nB=2\nEXTRA=3\n");
        assert!(
            Env::keys_missing_from_dotenv(dir.path())
                .unwrap()
                .is_empty()
        );
    }
}

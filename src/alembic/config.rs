//! Where an Alembic project keeps its version files: `script_location` and `version_locations`
//! read as Alembic reads them.

use std::fs;
use std::path::{Path, PathBuf};

use super::AlembicError;
use super::ini::Ini;

/// Where an Alembic project's settings are: `alembic.ini`, the `[tool.alembic]` table of
/// `pyproject.toml` (Alembic 1.16 and later), or both. As in Alembic, a key the ini file sets wins
/// over the same key in `pyproject.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlembicConfig {
    pub ini: Option<PathBuf>,
    pub pyproject: Option<PathBuf>,
}

impl AlembicConfig {
    pub const INI: &str = "alembic.ini";
    pub const PYPROJECT: &str = "pyproject.toml";

    /// The settings `alembic` would read when run in `workdir`: `alembic.ini` there, and
    /// `pyproject.toml` there when it has a `[tool.alembic]` table. `None` when neither exists.
    pub fn find(workdir: &Path) -> Option<AlembicConfig> {
        let ini = Some(workdir.join(Self::INI)).filter(|p| p.is_file());
        let pyproject = Some(workdir.join(Self::PYPROJECT))
            .filter(|p| fs::read_to_string(p).is_ok_and(|text| text.contains("tool.alembic")));
        (ini.is_some() || pyproject.is_some()).then_some(AlembicConfig { ini, pyproject })
    }

    /// Settings from `alembic.ini` alone.
    pub fn ini(path: &Path) -> AlembicConfig {
        AlembicConfig {
            ini: Some(path.to_path_buf()),
            pyproject: None,
        }
    }

    /// The file to name in messages: `alembic.ini` when there is one.
    pub fn path(&self) -> &Path {
        self.ini
            .as_deref()
            .or(self.pyproject.as_deref())
            .unwrap_or(Path::new(Self::INI))
    }
}

/// One setting's value and where it was written, so errors can point at it and relative paths
/// resolve from the file's directory.
struct Setting {
    value: String,
    file: PathBuf,
    line: usize,
    here: PathBuf,
}

/// The two sources, parsed.
struct Sources {
    ini: Option<(PathBuf, Ini, PathBuf)>,
    pyproject: Option<(PathBuf, String, toml::Table, PathBuf)>,
}

impl Sources {
    fn read(config: &AlembicConfig) -> Result<Sources, AlembicError> {
        let ini = match &config.ini {
            Some(path) => {
                let text = fs::read_to_string(path).map_err(|e| AlembicError::read(path, e))?;
                Some((path.clone(), Ini::parse(path, &text)?, here(path)?))
            }
            None => None,
        };
        let pyproject = match &config.pyproject {
            Some(path) => {
                let text = fs::read_to_string(path).map_err(|e| AlembicError::read(path, e))?;
                let document: toml::Table = toml::from_str(&text).map_err(|e| {
                    let line = e
                        .span()
                        .map_or(0, |span| text[..span.start].matches('\n').count() + 1);
                    AlembicError::syntax(path, line, e.message().to_string())
                })?;
                let table = document
                    .get("tool")
                    .and_then(|t| t.get("alembic"))
                    .and_then(toml::Value::as_table)
                    .cloned()
                    .unwrap_or_default();
                Some((path.clone(), text, table, here(path)?))
            }
            None => None,
        };
        Ok(Sources { ini, pyproject })
    }

    /// A string setting: `[alembic]` in the ini file, else `[tool.alembic]`.
    fn get(&self, key: &str) -> Result<Option<Setting>, AlembicError> {
        if let Some((path, ini, here)) = &self.ini
            && let Some((value, line)) = ini.get(path, here, "alembic", key)?
        {
            return Ok(Some(Setting {
                value,
                file: path.clone(),
                line,
                here: here.clone(),
            }));
        }
        let Some((path, text, table, here)) = &self.pyproject else {
            return Ok(None);
        };
        let line = line_of(text, key);
        match table.get(key) {
            None => Ok(None),
            Some(toml::Value::String(value)) => Ok(Some(Setting {
                value: substitute(path, line, here, value)?,
                file: path.clone(),
                line,
                here: here.clone(),
            })),
            Some(other) => Err(AlembicError::syntax(
                path,
                line,
                format!("{key} must be a string, not a {}", other.type_str()),
            )),
        }
    }

    /// `version_locations`: a separated string in the ini file, else a list in `[tool.alembic]`.
    fn version_locations(&self) -> Result<Vec<Setting>, AlembicError> {
        if let Some((path, ini, here)) = &self.ini
            && let Some((value, line)) = ini.get(path, here, "alembic", "version_locations")?
        {
            let separator = match self.get("path_separator")? {
                Some(found) => Some(found),
                None => self.get("version_path_separator")?,
            };
            let separator = separator.map(|s| (s.value, s.line));
            return Ok(split_locations(path, &value, separator)?
                .into_iter()
                .map(|value| Setting {
                    value,
                    file: path.clone(),
                    line,
                    here: here.clone(),
                })
                .collect());
        }
        let Some((path, text, table, here)) = &self.pyproject else {
            return Ok(Vec::new());
        };
        let line = line_of(text, "version_locations");
        let Some(value) = table.get("version_locations") else {
            return Ok(Vec::new());
        };
        let not_a_list = || {
            AlembicError::syntax(
                path,
                line,
                "version_locations must be a list of strings, e.g. [\"%(here)s/alembic/versions\"]",
            )
        };
        let items = value.as_array().ok_or_else(not_a_list)?;
        items
            .iter()
            .map(|item| {
                let value = item.as_str().ok_or_else(not_a_list)?;
                Ok(Setting {
                    value: substitute(path, line, here, value)?,
                    file: path.clone(),
                    line,
                    here: here.clone(),
                })
            })
            .collect()
    }

    /// `recursive_version_locations`: configparser's truth in the ini file, a TOML boolean in
    /// `[tool.alembic]`.
    fn recursive(&self) -> Result<bool, AlembicError> {
        const KEY: &str = "recursive_version_locations";
        if let Some((path, ini, here)) = &self.ini
            && let Some((value, _)) = ini.get(path, here, "alembic", KEY)?
        {
            return Ok(is_true(value.split_whitespace().next().unwrap_or("")));
        }
        match &self.pyproject {
            Some((path, text, table, _)) => match table.get(KEY) {
                None => Ok(false),
                Some(toml::Value::Boolean(value)) => Ok(*value),
                Some(_) => Err(AlembicError::syntax(
                    path,
                    line_of(text, KEY),
                    format!("{KEY} must be true or false"),
                )),
            },
            None => Ok(false),
        }
    }
}

/// The absolute directory of a settings file: `%(here)s`, and where relative paths start.
fn here(path: &Path) -> Result<PathBuf, AlembicError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::path::absolute(dir).map_err(|e| AlembicError::read(path, e))
}

/// The line where `key = ...` is written in a TOML text (1 when it cannot be told).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |index| index + 1)
}

/// Python's `value % {"here": ...}` as Alembic applies it to `[tool.alembic]` strings.
fn substitute(path: &Path, line: usize, here: &Path, value: &str) -> Result<String, AlembicError> {
    let here = here.to_string_lossy();
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("%%") {
            out.push('%');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("%(here)s") {
            out.push_str(&here);
            rest = after;
        } else {
            return Err(AlembicError::syntax(
                path,
                line,
                format!(
                    "{value:?}: only %(here)s can be substituted in [tool.alembic]; write a literal % as %%"
                ),
            ));
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The directories holding version files, as Alembic would find them from `config`:
/// `version_locations` when it is set, otherwise `<script_location>/versions`; with
/// `recursive_version_locations = true`, their subdirectories too.
///
/// Relative paths are taken from the directory of the file that sets them. (Alembic takes them
/// from its working directory, which is the same directory whenever `alembic` is run next to its
/// settings.)
pub fn versions_dirs(config: &AlembicConfig) -> Result<Vec<PathBuf>, AlembicError> {
    let sources = Sources::read(config)?;
    let no_script_location = || AlembicError::NoScriptLocation {
        path: config.path().to_path_buf(),
    };
    let script_location = sources
        .get("script_location")?
        .ok_or_else(no_script_location)?;
    if script_location.value.trim().is_empty() {
        return Err(no_script_location());
    }
    let resolve = |setting: &Setting, key: &str| {
        let value = setting.value.trim();
        let path = Path::new(value);
        if path.is_absolute() {
            Ok(path.to_path_buf())
        } else if value.contains(':') {
            Err(AlembicError::PackageLocation {
                path: setting.file.clone(),
                line: setting.line,
                key: key.to_string(),
                value: value.to_string(),
            })
        } else {
            Ok(setting.here.join(path))
        }
    };
    let script_dir = resolve(&script_location, "script_location")?;
    if !script_dir.is_dir() {
        return Err(AlembicError::NoScriptDir {
            path: script_location.file,
            line: script_location.line,
            dir: script_dir,
        });
    }

    let mut dirs = Vec::new();
    for location in sources.version_locations()? {
        dirs.push(resolve(&location, "version_locations")?);
    }
    if dirs.is_empty() {
        dirs.push(script_dir.join("versions"));
    }
    if sources.recursive()? {
        let mut all = Vec::new();
        for dir in dirs {
            collect_subdirs(&dir, &mut all)?;
        }
        dirs = all;
    }
    Ok(dirs)
}

/// Splits `version_locations` as Alembic does: by `path_separator` (or the older
/// `version_path_separator`) when one is set, otherwise on commas and spaces.
fn split_locations(
    ini_path: &Path,
    value: &str,
    separator: Option<(String, usize)>,
) -> Result<Vec<String>, AlembicError> {
    let parts: Vec<&str> = match separator {
        None => value
            .split(|c: char| c == ',' || c.is_whitespace())
            .collect(),
        Some((separator, line)) => {
            // Some Alembic templates wrote `version_path_separator = os  # Use os.pathsep.`; the
            // comment is part of the value for configparser, so only the first word counts.
            let word = separator.split_whitespace().next().unwrap_or("");
            match word {
                "os" => value.split(OS_PATHSEP).collect(),
                ":" | "colon" => value.split(':').collect(),
                ";" | "semicolon" => value.split(';').collect(),
                "space" => value.split(' ').collect(),
                "newline" => value.split('\n').collect(),
                other => {
                    return Err(AlembicError::syntax(
                        ini_path,
                        line,
                        format!(
                            "path_separator = {other} is not one Alembic accepts; use os, :, ;, space or newline"
                        ),
                    ));
                }
            }
        }
    };
    Ok(parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect())
}

#[cfg(windows)]
const OS_PATHSEP: char = ';';
#[cfg(not(windows))]
const OS_PATHSEP: char = ':';

/// `configparser`'s idea of true, as Alembic's `asbool` reads it.
fn is_true(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "yes" | "on" | "y" | "t" | "1"
    )
}

/// `dir` and every directory below it except `__pycache__`, in name order.
fn collect_subdirs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), AlembicError> {
    out.push(dir.to_path_buf());
    if !dir.is_dir() {
        return Ok(());
    }
    let mut children = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| AlembicError::read(dir, e))? {
        let entry = entry.map_err(|e| AlembicError::read(dir, e))?;
        let path = entry.path();
        if path.is_dir() && entry.file_name() != "__pycache__" {
            children.push(path);
        }
    }
    children.sort();
    for child in children {
        collect_subdirs(&child, out)?;
    }
    Ok(())
}

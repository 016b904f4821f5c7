//! Reads an Alembic project's migration history from disk without running Python, so that
//! `devctl status` can say which revisions are applied, pending or unknown even when the
//! project's virtualenv is missing or broken. It reads `alembic.ini` the way Python's
//! `configparser` does, reads the module-level `revision` / `down_revision` / `branch_labels` /
//! `depends_on` literals of each version file with a small tokenizer (never evaluating code), and
//! compares the heads on disk with the versions the caller read from the database's
//! `alembic_version` table. Nothing here touches the database.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

/// Something in `alembic.ini` or a version file that devctl cannot read. Each names the file
/// (and line where there is one) and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum AlembicError {
    #[error("failed to read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{path}: no script_location in the [alembic] section; add one, for example `script_location = %(here)s/alembic` (the directory holding env.py)"
    )]
    NoScriptLocation { path: PathBuf },
    #[error(
        "{path}:{line}: {key} = {value} names a Python package, which devctl cannot resolve without running Python; write it as a directory, for example `%(here)s/...`"
    )]
    PackageLocation {
        path: PathBuf,
        line: usize,
        key: String,
        value: String,
    },
    #[error(
        "{path}:{line}: script_location {dir} does not exist; point script_location at the directory holding env.py and versions/"
    )]
    NoScriptDir {
        path: PathBuf,
        line: usize,
        dir: PathBuf,
    },
    #[error(
        "revision {id} is defined twice, in {first} and in {second}; give one of them a new revision id (and update the down_revision that points at it)"
    )]
    DuplicateRevision {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
}

impl AlembicError {
    fn syntax(path: &Path, line: usize, message: impl Into<String>) -> AlembicError {
        AlembicError::Syntax {
            path: path.to_path_buf(),
            line,
            message: message.into(),
        }
    }

    fn read(path: &Path, source: std::io::Error) -> AlembicError {
        AlembicError::Read {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// `workdir/alembic.ini`, if the project has one.
pub fn find_alembic_ini(workdir: &Path) -> Option<PathBuf> {
    let ini = workdir.join("alembic.ini");
    ini.is_file().then_some(ini)
}

/// Reads the history of the project configured by `ini_path`: its version directories and every
/// revision in them.
pub fn load(ini_path: &Path) -> Result<History, AlembicError> {
    let dirs = versions_dirs(ini_path)?;
    Ok(History::new(read_revisions(&dirs)?))
}

// ---------------------------------------------------------------------------------------------
// alembic.ini
// ---------------------------------------------------------------------------------------------

/// The directories holding version files, as Alembic would find them from `ini_path`:
/// `version_locations` when it is set, otherwise `<script_location>/versions`; with
/// `recursive_version_locations = true`, their subdirectories too.
///
/// Relative paths are taken from the ini file's directory. (Alembic takes them from its working
/// directory, which is the same directory whenever `alembic` is run next to `alembic.ini`.)
pub fn versions_dirs(ini_path: &Path) -> Result<Vec<PathBuf>, AlembicError> {
    let text = fs::read_to_string(ini_path).map_err(|e| AlembicError::read(ini_path, e))?;
    let ini = Ini::parse(ini_path, &text)?;
    let dir = ini_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let here = std::path::absolute(dir).map_err(|e| AlembicError::read(ini_path, e))?;
    let get = |key: &str| ini.get(ini_path, &here, "alembic", key);

    let (script_location, line) =
        get("script_location")?.ok_or_else(|| AlembicError::NoScriptLocation {
            path: ini_path.to_path_buf(),
        })?;
    let script_location = script_location.trim();
    if script_location.is_empty() {
        return Err(AlembicError::NoScriptLocation {
            path: ini_path.to_path_buf(),
        });
    }
    let resolve = |value: &str, key: &str, line: usize| {
        let path = Path::new(value);
        if path.is_absolute() {
            Ok(path.to_path_buf())
        } else if value.contains(':') {
            Err(AlembicError::PackageLocation {
                path: ini_path.to_path_buf(),
                line,
                key: key.to_string(),
                value: value.to_string(),
            })
        } else {
            Ok(here.join(path))
        }
    };
    let script_dir = resolve(script_location, "script_location", line)?;
    if !script_dir.is_dir() {
        return Err(AlembicError::NoScriptDir {
            path: ini_path.to_path_buf(),
            line,
            dir: script_dir,
        });
    }

    let mut dirs = Vec::new();
    if let Some((locations, line)) = get("version_locations")? {
        let separator = match get("path_separator")? {
            Some(found) => Some(found),
            None => get("version_path_separator")?,
        };
        for location in split_locations(ini_path, &locations, separator)? {
            dirs.push(resolve(&location, "version_locations", line)?);
        }
    }
    if dirs.is_empty() {
        dirs.push(script_dir.join("versions"));
    }

    let recursive = get("recursive_version_locations")?
        .is_some_and(|(value, _)| is_true(value.split_whitespace().next().unwrap_or("")));
    if recursive {
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

/// The subset of Python's `configparser` that `alembic.ini` files use: `[section]` headers,
/// `key = value` or `key: value`, indented continuation lines, whole-line `#` / `;` comments,
/// case-insensitive keys, and `%(name)s` / `%%` interpolation.
struct Ini {
    /// section -> key -> (raw value, line of the key).
    sections: HashMap<String, BTreeMap<String, (String, usize)>>,
}

impl Ini {
    fn parse(path: &Path, text: &str) -> Result<Ini, AlembicError> {
        let mut sections: HashMap<String, BTreeMap<String, (String, usize)>> = HashMap::new();
        let mut section: Option<String> = None;
        let mut key: Option<String> = None;
        for (index, raw) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            let indented = raw.starts_with([' ', '\t']);
            if indented && let (Some(s), Some(k)) = (&section, &key) {
                let entry = sections
                    .get_mut(s)
                    .and_then(|keys| keys.get_mut(k))
                    .expect("the current key was inserted");
                if !entry.0.is_empty() {
                    entry.0.push('\n');
                }
                entry.0.push_str(trimmed);
                continue;
            }
            if trimmed.starts_with('[') {
                let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
                    return Err(AlembicError::syntax(
                        path,
                        line,
                        "a section header must look like [alembic]",
                    ));
                };
                section = Some(name.to_string());
                sections.entry(name.to_string()).or_default();
                key = None;
                continue;
            }
            let Some(s) = &section else {
                return Err(AlembicError::syntax(
                    path,
                    line,
                    "settings must come after a section header such as [alembic]",
                ));
            };
            let Some(at) = trimmed.find(['=', ':']) else {
                return Err(AlembicError::syntax(
                    path,
                    line,
                    format!("expected `key = value`, found `{trimmed}`"),
                ));
            };
            let name = trimmed[..at].trim().to_lowercase();
            let value = trimmed[at + 1..].trim().to_string();
            sections
                .get_mut(s)
                .expect("the current section was inserted")
                .insert(name.clone(), (value, line));
            key = Some(name);
        }
        Ok(Ini { sections })
    }

    /// The interpolated value of `key` in `section` (falling back to `[DEFAULT]`) and its line.
    fn get(
        &self,
        path: &Path,
        here: &Path,
        section: &str,
        key: &str,
    ) -> Result<Option<(String, usize)>, AlembicError> {
        let Some((raw, line)) = self.lookup(section, key) else {
            return Ok(None);
        };
        let value = self.interpolate(path, here, section, raw, *line, 0)?;
        Ok(Some((value, *line)))
    }

    fn lookup(&self, section: &str, key: &str) -> Option<&(String, usize)> {
        self.sections
            .get(section)
            .and_then(|keys| keys.get(key))
            .or_else(|| self.sections.get("DEFAULT").and_then(|keys| keys.get(key)))
    }

    fn interpolate(
        &self,
        path: &Path,
        here: &Path,
        section: &str,
        raw: &str,
        line: usize,
        depth: usize,
    ) -> Result<String, AlembicError> {
        if depth > 10 {
            return Err(AlembicError::syntax(
                path,
                line,
                "%(...)s references nest too deeply (is a value referring to itself?)",
            ));
        }
        let mut out = String::new();
        let mut rest = raw;
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(after) = rest.strip_prefix("%%") {
                out.push('%');
                rest = after;
                continue;
            }
            let reference = rest
                .strip_prefix("%(")
                .and_then(|r| r.find(")s").map(|end| (&r[..end], &r[end + 2..])));
            let Some((name, after)) = reference else {
                return Err(AlembicError::syntax(
                    path,
                    line,
                    "a lone % must be written %% (configparser reads %(name)s as a reference)",
                ));
            };
            let name = name.to_lowercase();
            if name == "here" {
                out.push_str(&here.to_string_lossy());
            } else if let Some((value, _)) = self.lookup(section, &name) {
                out.push_str(&self.interpolate(path, here, section, value, line, depth + 1)?);
            } else {
                return Err(AlembicError::syntax(
                    path,
                    line,
                    format!(
                        "%({name})s refers to no setting; only %(here)s and keys of [{section}] or [DEFAULT] can be used"
                    ),
                ));
            }
            rest = after;
        }
        out.push_str(rest);
        Ok(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Version files
// ---------------------------------------------------------------------------------------------

/// One migration file, as its module-level literals describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: String,
    /// Empty for a base revision; two or more for a merge.
    pub down_revisions: Vec<String>,
    pub branch_labels: Vec<String>,
    /// Revision ids or branch labels this revision needs besides its down revisions.
    pub depends_on: Vec<String>,
    pub path: PathBuf,
}

/// Reads every `*.py` file directly inside `dirs` (not `__init__.py`, not editor lock files
/// `.#*`). A file without a top-level `revision` assignment is a helper module and is skipped.
/// As in Alembic, a directory that does not exist holds no revisions (git does not keep the empty
/// `versions/` of a new project), and a file reached twice through overlapping directories is read
/// once.
pub fn read_revisions(dirs: &[PathBuf]) -> Result<Vec<Revision>, AlembicError> {
    let mut revisions = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut read: BTreeSet<PathBuf> = BTreeSet::new();
    for dir in dirs {
        if !dir.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).map_err(|e| AlembicError::read(dir, e))? {
            let entry = entry.map_err(|e| AlembicError::read(dir, e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let path = entry.path();
            if name.ends_with(".py")
                && !name.starts_with("__init__")
                && !name.starts_with(".#")
                && path.is_file()
            {
                files.push(path);
            }
        }
        files.sort();
        for path in files {
            let real = path
                .canonicalize()
                .map_err(|e| AlembicError::read(&path, e))?;
            if !read.insert(real) {
                continue;
            }
            let text = fs::read_to_string(&path).map_err(|e| AlembicError::read(&path, e))?;
            let Some(revision) = parse_version_file(&path, &text)? else {
                continue;
            };
            if let Some(first) = seen.get(&revision.id) {
                return Err(AlembicError::DuplicateRevision {
                    id: revision.id,
                    first: first.clone(),
                    second: path,
                });
            }
            seen.insert(revision.id.clone(), path);
            revisions.push(revision);
        }
    }
    Ok(revisions)
}

/// The revision a version file declares, or `None` when it assigns no `revision` at top level.
fn parse_version_file(path: &Path, text: &str) -> Result<Option<Revision>, AlembicError> {
    let statements = top_level_statements(text).map_err(|(line, message)| {
        AlembicError::syntax(
            path,
            line,
            format!("{message}; devctl reads version files without running Python"),
        )
    })?;
    let mut found: HashMap<&'static str, (Value, usize)> = HashMap::new();
    for statement in &statements {
        if let Some((name, value)) = assignment(&statement.tokens) {
            let value = parse_value(value).map_err(|message| {
                AlembicError::syntax(
                    path,
                    statement.line,
                    format!("cannot read `{name}`: {message}"),
                )
            })?;
            found.insert(name, (value, statement.line));
        }
    }
    let Some((value, line)) = found.remove("revision") else {
        return Ok(None);
    };
    let Value::Str(id) = value else {
        return Err(AlembicError::syntax(
            path,
            line,
            "`revision` must be a string literal, such as revision = \"1a2b3c4d5e6f\"",
        ));
    };
    if !found.contains_key("down_revision") {
        return Err(AlembicError::syntax(
            path,
            line,
            format!(
                "revision {id} has no top-level `down_revision`; Alembic needs one (`down_revision = None` for a first migration)"
            ),
        ));
    }
    let mut list = |name: &'static str| match found.remove(name) {
        None => Ok(Vec::new()),
        Some((value, line)) => value.into_strings().ok_or_else(|| {
            AlembicError::syntax(
                path,
                line,
                format!("`{name}` must be None, a string, or a tuple, list or set of strings"),
            )
        }),
    };
    Ok(Some(Revision {
        id,
        down_revisions: list("down_revision")?,
        branch_labels: list("branch_labels")?,
        depends_on: list("depends_on")?,
        path: path.to_path_buf(),
    }))
}

const KEYS: [&str; 4] = ["revision", "down_revision", "branch_labels", "depends_on"];

/// `name = value` or `name: annotation = value` for one of [`KEYS`]: the name and the value's
/// tokens.
fn assignment(tokens: &[Tok]) -> Option<(&'static str, &[Tok])> {
    let Some(Tok::Name(first)) = tokens.first() else {
        return None;
    };
    let name = KEYS.into_iter().find(|k| k == first)?;
    match tokens.get(1) {
        Some(Tok::Op(op)) if op == "=" => Some((name, &tokens[2..])),
        Some(Tok::Op(op)) if op == ":" => {
            let mut depth = 0i32;
            for (i, token) in tokens.iter().enumerate().skip(2) {
                match token {
                    Tok::Op(op) if matches!(op.as_str(), "(" | "[" | "{") => depth += 1,
                    Tok::Op(op) if matches!(op.as_str(), ")" | "]" | "}") => depth -= 1,
                    Tok::Op(op) if op == "=" && depth == 0 => {
                        return Some((name, &tokens[i + 1..]));
                    }
                    _ => {}
                }
            }
            None
        }
        _ => None,
    }
}

/// The literal values a version file may assign.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    None,
    Str(String),
    Seq(Vec<Value>),
}

impl Value {
    /// None -> [], "a" -> ["a"], ("a", "b") -> ["a", "b"]; anything else -> None.
    fn into_strings(self) -> Option<Vec<String>> {
        match self {
            Value::None => Some(Vec::new()),
            Value::Str(s) => Some(vec![s]),
            Value::Seq(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::Str(s) => Some(s),
                    _ => None,
                })
                .collect(),
        }
    }
}

const EXPECTED: &str = "expected None, a string, or a tuple, list or set of string literals";

/// Parses the whole token list as one value: a bare `"a", "b"` is a tuple, as in Python.
fn parse_value(tokens: &[Tok]) -> Result<Value, String> {
    if tokens.is_empty() {
        return Err(format!("no value after `=`; {EXPECTED}"));
    }
    let (items, had_comma) = parse_items(tokens)?;
    if had_comma {
        Ok(Value::Seq(items))
    } else {
        Ok(items.into_iter().next().expect("one item without a comma"))
    }
}

/// Comma-separated atoms (a trailing comma allowed); whether there was a comma.
fn parse_items(tokens: &[Tok]) -> Result<(Vec<Value>, bool), String> {
    let mut items = Vec::new();
    let mut had_comma = false;
    let mut i = 0;
    while i < tokens.len() {
        let (value, used) = parse_atom(&tokens[i..])?;
        items.push(value);
        i += used;
        match tokens.get(i) {
            None => break,
            Some(Tok::Op(op)) if op == "," => {
                had_comma = true;
                i += 1;
            }
            Some(other) => return Err(format!("unexpected {} ({EXPECTED})", other.describe())),
        }
    }
    Ok((items, had_comma))
}

/// One atom at the start of `tokens` and how many tokens it used.
fn parse_atom(tokens: &[Tok]) -> Result<(Value, usize), String> {
    match &tokens[0] {
        Tok::Name(name) if name == "None" => Ok((Value::None, 1)),
        Tok::Str(first) => {
            // Adjacent literals concatenate: "abc" "def".
            let mut value = first.clone();
            let mut used = 1;
            while let Some(Tok::Str(next)) = tokens.get(used) {
                value.push_str(next);
                used += 1;
            }
            Ok((Value::Str(value), used))
        }
        Tok::Op(open) if matches!(open.as_str(), "(" | "[" | "{") => {
            let close = match open.as_str() {
                "(" => ")",
                "[" => "]",
                _ => "}",
            };
            let mut depth = 0;
            let end = tokens
                .iter()
                .position(|t| {
                    match t {
                        Tok::Op(op) if matches!(op.as_str(), "(" | "[" | "{") => depth += 1,
                        Tok::Op(op) if matches!(op.as_str(), ")" | "]" | "}") => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .ok_or_else(|| format!("unclosed {open}"))?;
            if !matches!(&tokens[end], Tok::Op(op) if op == close) {
                return Err(format!("{open} closed by {}", tokens[end].describe()));
            }
            let inner = &tokens[1..end];
            let (items, had_comma) = if inner.is_empty() {
                (Vec::new(), false)
            } else {
                parse_items(inner)?
            };
            let value = if open == "(" && !had_comma && items.len() == 1 {
                // Parentheses around one value group, they do not make a tuple.
                items.into_iter().next().expect("one item")
            } else {
                Value::Seq(items)
            };
            Ok((value, end + 1))
        }
        other => Err(format!("found {} ({EXPECTED})", other.describe())),
    }
}

// ---------------------------------------------------------------------------------------------
// A Python tokenizer just good enough to find top-level statements
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    /// A plain, raw or unicode string literal, escapes applied.
    Str(String),
    /// An f-string or bytes literal: not a value devctl can use.
    OtherStr,
    Op(String),
    /// Numbers and anything else.
    Other(String),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Name(name) => format!("`{name}`"),
            Tok::Str(s) => format!("the string {s:?}"),
            Tok::OtherStr => "an f-string or bytes literal".into(),
            Tok::Op(op) | Tok::Other(op) => format!("`{op}`"),
        }
    }
}

/// One unindented logical line (or one `;`-separated part of it).
#[derive(Debug)]
struct Statement {
    line: usize,
    tokens: Vec<Tok>,
}

const OPS3: [&str; 5] = ["**=", "//=", ">>=", "<<=", "..."];
const OPS2: [&str; 19] = [
    "==", "!=", "<=", ">=", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "->", "**",
    "//", "<<", ">>",
];

/// The statements that start at column 0, outside any bracket, string or indented block. A
/// module docstring is one such statement (a lone string), so its text is never read as code.
/// Errors carry the 1-based line.
fn top_level_statements(text: &str) -> Result<Vec<Statement>, (usize, String)> {
    // Windows line endings become plain newlines, so a backslash before one continues the line.
    let chars: Vec<char> = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .chars()
        .collect();
    let mut statements = Vec::new();
    let mut current: Vec<Tok> = Vec::new();
    let mut current_line = 1;
    let mut indented = false;
    let mut at_line_start = true;
    let mut depth = 0usize;
    let mut line = 1;
    let mut i = 0;

    let mut finish = |tokens: &mut Vec<Tok>, start: usize, indented: bool| {
        if !indented && !tokens.is_empty() {
            statements.push(Statement {
                line: start,
                tokens: std::mem::take(tokens),
            });
        }
        tokens.clear();
    };

    while i < chars.len() {
        if at_line_start {
            at_line_start = false;
            let mut j = i;
            while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\x0c') {
                j += 1;
            }
            // Blank and comment-only lines do not start a statement.
            if j < chars.len() && !matches!(chars[j], '\n' | '\r' | '#') {
                indented = j > i;
                current_line = line;
            }
            i = j;
            continue;
        }
        let c = chars[i];
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\\' if matches!(chars.get(i + 1), Some('\n')) => {
                i += 2;
                line += 1;
            }
            '\n' => {
                i += 1;
                line += 1;
                if depth == 0 {
                    finish(&mut current, current_line, indented);
                    at_line_start = true;
                }
            }
            ' ' | '\t' | '\r' | '\x0c' => i += 1,
            '"' | '\'' => {
                let (tok, next, lines) = lex_string(&chars, i, "", line)?;
                current.push(tok);
                i = next;
                line += lines;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if matches!(chars.get(i), Some('"' | '\'')) && is_string_prefix(&word) {
                    let (tok, next, lines) = lex_string(&chars, i, &word, line)?;
                    current.push(tok);
                    i = next;
                    line += lines;
                } else {
                    current.push(Tok::Name(word));
                }
            }
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.'))
                {
                    i += 1;
                }
                current.push(Tok::Other(chars[start..i].iter().collect()));
            }
            _ => {
                let rest: String = chars[i..(i + 3).min(chars.len())].iter().collect();
                let op = OPS3
                    .iter()
                    .chain(OPS2.iter())
                    .find(|op| rest.starts_with(**op))
                    .map_or_else(|| c.to_string(), |op| (*op).to_string());
                i += op.chars().count();
                match op.as_str() {
                    "(" | "[" | "{" => depth += 1,
                    ")" | "]" | "}" => {
                        depth = depth
                            .checked_sub(1)
                            .ok_or_else(|| (line, format!("unmatched `{op}`")))?;
                    }
                    ";" if depth == 0 => {
                        finish(&mut current, current_line, indented);
                        continue;
                    }
                    _ => {}
                }
                current.push(Tok::Op(op));
            }
        }
    }
    finish(&mut current, current_line, indented);
    Ok(statements)
}

fn is_string_prefix(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "r" | "u" | "b" | "f" | "t" | "br" | "rb" | "fr" | "rf" | "tr" | "rt"
    )
}

/// Lexes the string literal whose opening quote is at `start`. Returns the token, the index after
/// the closing quote, and how many newlines it spanned.
fn lex_string(
    chars: &[char],
    start: usize,
    prefix: &str,
    line: usize,
) -> Result<(Tok, usize, usize), (usize, String)> {
    let prefix = prefix.to_ascii_lowercase();
    let raw = prefix.contains('r');
    let formatted = prefix.contains('f') || prefix.contains('t');
    let plain = !formatted && !prefix.contains('b');
    let quote = chars[start];
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    let mut lines = 0;
    let mut value = String::new();
    loop {
        let Some(&c) = chars.get(i) else {
            return Err((line, "unterminated string literal".into()));
        };
        if c == quote
            && (!triple || (chars.get(i + 1) == Some(&quote) && chars.get(i + 2) == Some(&quote)))
        {
            i += if triple { 3 } else { 1 };
            break;
        }
        match c {
            '\n' if !triple => return Err((line + lines, "unterminated string literal".into())),
            '\n' => {
                lines += 1;
                value.push(c);
                i += 1;
            }
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err((line + lines, "unterminated string literal".into()));
                };
                if next == '\n' {
                    lines += 1;
                }
                if raw {
                    value.push('\\');
                    value.push(next);
                } else {
                    match next {
                        '\n' => {}
                        'n' => value.push('\n'),
                        't' => value.push('\t'),
                        'r' => value.push('\r'),
                        '0' => value.push('\0'),
                        '\\' | '\'' | '"' => value.push(next),
                        other => {
                            value.push('\\');
                            value.push(other);
                        }
                    }
                }
                i += 2;
            }
            '{' if formatted && chars.get(i + 1) == Some(&'{') => i += 2,
            '{' if formatted => {
                let (next, spanned) = skip_replacement_field(chars, i + 1, line + lines)?;
                i = next;
                lines += spanned;
            }
            _ => {
                value.push(c);
                i += 1;
            }
        }
    }
    let tok = if plain {
        Tok::Str(value)
    } else {
        Tok::OtherStr
    };
    Ok((tok, i, lines))
}

/// Skips an f-string replacement field from just after its `{` to just after its `}`, stepping
/// over nested brackets and nested string literals (Python 3.12 allows the same quote inside).
fn skip_replacement_field(
    chars: &[char],
    mut i: usize,
    line: usize,
) -> Result<(usize, usize), (usize, String)> {
    let mut depth = 0usize;
    let mut lines = 0;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err((line, "unterminated f-string".into()));
        };
        match c {
            '\n' => {
                lines += 1;
                i += 1;
            }
            '(' | '[' | '{' => {
                depth += 1;
                i += 1;
            }
            '}' if depth == 0 => return Ok((i + 1, lines)),
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            '"' | '\'' => {
                let mut p = i;
                while p > 0 && (chars[p - 1].is_alphanumeric() || chars[p - 1] == '_') {
                    p -= 1;
                }
                let word: String = chars[p..i].iter().collect();
                let prefix = if is_string_prefix(&word) {
                    word
                } else {
                    String::new()
                };
                let (_, next, spanned) = lex_string(chars, i, &prefix, line + lines)?;
                i = next;
                lines += spanned;
            }
            _ => i += 1,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

/// All revisions on disk, and the questions `devctl status` asks of them.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub revisions: Vec<Revision>,
}

impl History {
    pub fn new(revisions: Vec<Revision>) -> History {
        History { revisions }
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.id == id)
    }

    /// Revisions that no other revision names as a down revision, in id order.
    pub fn heads(&self) -> Vec<String> {
        let parents: BTreeSet<&str> = self
            .revisions
            .iter()
            .flat_map(|r| r.down_revisions.iter().map(String::as_str))
            .collect();
        let mut heads: Vec<String> = self
            .revisions
            .iter()
            .filter(|r| !parents.contains(r.id.as_str()))
            .map(|r| r.id.clone())
            .collect();
        heads.sort();
        heads
    }

    /// `id` and every revision it needs, following `down_revisions` and `depends_on` (which may
    /// name a branch label). Only revisions on disk are included: an unknown `id` gives an empty
    /// set, and a link to a revision that is not on disk is not followed.
    pub fn ancestors(&self, id: &str) -> BTreeSet<String> {
        let index = self.index();
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = vec![id];
        while let Some(next) = stack.pop() {
            let Some(revision) = self.resolve(&index, next) else {
                continue;
            };
            if seen.insert(revision.id.clone()) {
                stack.extend(revision.down_revisions.iter().map(String::as_str));
                stack.extend(revision.depends_on.iter().map(String::as_str));
            }
        }
        seen
    }

    /// Revisions on disk that are not an applied version or needed by one: what `alembic upgrade
    /// heads` would run, parents before children. With nothing applied, every revision.
    pub fn pending(&self, applied: &[String]) -> Vec<String> {
        let done: BTreeSet<String> = applied.iter().flat_map(|id| self.ancestors(id)).collect();
        self.topological_order()
            .into_iter()
            .filter(|id| !done.contains(id))
            .collect()
    }

    /// Applied versions that no file on disk defines (a migration deleted, or applied from
    /// another branch), in id order.
    pub fn missing(&self, applied: &[String]) -> Vec<String> {
        let missing: BTreeSet<String> = applied
            .iter()
            .filter(|id| self.get(id).is_none())
            .cloned()
            .collect();
        missing.into_iter().collect()
    }

    /// Links to revisions that are not on disk, as (revision, the id or label it names). Alembic
    /// refuses to run while any exist.
    pub fn dangling(&self) -> Vec<(String, String)> {
        let index = self.index();
        let mut dangling = Vec::new();
        for revision in &self.revisions {
            for target in revision.down_revisions.iter().chain(&revision.depends_on) {
                if self.resolve(&index, target).is_none() {
                    dangling.push((revision.id.clone(), target.clone()));
                }
            }
        }
        dangling
    }

    fn index(&self) -> HashMap<&str, &Revision> {
        self.revisions.iter().map(|r| (r.id.as_str(), r)).collect()
    }

    /// A revision by id, or else the revision that declares `name` as a branch label.
    fn resolve<'a>(
        &'a self,
        index: &HashMap<&str, &'a Revision>,
        name: &str,
    ) -> Option<&'a Revision> {
        index.get(name).copied().or_else(|| {
            self.revisions
                .iter()
                .find(|r| r.branch_labels.iter().any(|l| l == name))
        })
    }

    /// Every revision id, each after the revisions it needs; ties in id order. Revisions caught
    /// in a cycle (which Alembic rejects) come last, in id order.
    fn topological_order(&self) -> Vec<String> {
        let index = self.index();
        let mut waiting: BTreeMap<&str, usize> = BTreeMap::new();
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for revision in &self.revisions {
            let parents: BTreeSet<&str> = revision
                .down_revisions
                .iter()
                .chain(&revision.depends_on)
                .filter_map(|p| self.resolve(&index, p))
                .map(|p| p.id.as_str())
                .collect();
            waiting.insert(revision.id.as_str(), parents.len());
            for parent in parents {
                children
                    .entry(parent)
                    .or_default()
                    .push(revision.id.as_str());
            }
        }
        let mut ready: BTreeSet<&str> = waiting
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(id, _)| *id)
            .collect();
        let mut order = Vec::new();
        while let Some(id) = ready.pop_first() {
            waiting.remove(id);
            order.push(id.to_string());
            for child in children.get(id).into_iter().flatten() {
                if let Some(n) = waiting.get_mut(child) {
                    *n -= 1;
                    if *n == 0 {
                        ready.insert(child);
                    }
                }
            }
        }
        order.extend(waiting.keys().map(|id| (*id).to_string()));
        order
    }
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

/// How the database's `alembic_version` rows compare with the history on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlembicStatus {
    /// Heads on disk, in id order.
    pub heads: Vec<String>,
    /// The database's versions, deduplicated, in id order.
    pub applied: Vec<String>,
    /// Revisions to run, parents first.
    pub pending: Vec<String>,
    /// Applied versions not on disk.
    pub missing: Vec<String>,
    /// More than one head on disk: `alembic upgrade head` fails until they are merged.
    pub multiple_heads: bool,
    /// Nothing missing, nothing pending, and the applied versions are exactly the heads.
    pub up_to_date: bool,
}

/// Compares the history on disk with `applied`, the versions in the database's `alembic_version`
/// table (empty when the table is empty or absent).
pub fn status(history: &History, applied: &[String]) -> AlembicStatus {
    let heads = history.heads();
    let applied_set: BTreeSet<String> = applied.iter().cloned().collect();
    let pending = history.pending(applied);
    let missing = history.missing(applied);
    let heads_set: BTreeSet<String> = heads.iter().cloned().collect();
    let up_to_date = missing.is_empty() && pending.is_empty() && applied_set == heads_set;
    AlembicStatus {
        multiple_heads: heads.len() > 1,
        heads,
        applied: applied_set.into_iter().collect(),
        pending,
        missing,
        up_to_date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| (*s).to_string()).collect()
    }

    /// A version file as `alembic revision` renders it with the pre-1.13 template.
    fn classic(id: &str, down: &str) -> String {
        format!(
            r#""""add things

Revision ID: {id}
Revises: {down}
Create Date: 2024-01-01 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '{id}'
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("t_{id}", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("t_{id}")
"#,
            down = if down.is_empty() {
                "None".to_string()
            } else {
                format!("'{down}'")
            }
        )
    }

    fn history(dir: &Path) -> History {
        History::new(read_revisions(&[dir.to_path_buf()]).unwrap())
    }

    #[test]
    fn linear_history() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "a1_init.py", &classic("a1", ""));
        write(tmp.path(), "b2_users.py", &classic("b2", "a1"));
        write(tmp.path(), "c3_posts.py", &classic("c3", "b2"));
        write(tmp.path(), "__init__.py", "revision = 'not-a-migration'\n");
        write(
            tmp.path(),
            "helpers.py",
            "def column():\n    revision = 'x'\n",
        );
        write(tmp.path(), "__pycache__/a1_init.cpython-312.pyc", "junk");
        let h = history(tmp.path());
        assert_eq!(h.revisions.len(), 3);
        assert_eq!(h.get("b2").unwrap().down_revisions, strings(&["a1"]));
        assert!(h.get("a1").unwrap().down_revisions.is_empty());
        assert_eq!(h.heads(), strings(&["c3"]));
        assert_eq!(
            h.ancestors("b2"),
            BTreeSet::from(["a1".into(), "b2".into()])
        );
        assert_eq!(h.pending(&[]), strings(&["a1", "b2", "c3"]));

        let s = status(&h, &strings(&["c3"]));
        assert!(s.up_to_date && !s.multiple_heads && s.pending.is_empty());
        let s = status(&h, &[]);
        assert!(!s.up_to_date);
        assert_eq!(s.pending, strings(&["a1", "b2", "c3"]));
    }

    #[test]
    fn merge_with_multiline_tuple() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "base.py", &classic("base", ""));
        write(tmp.path(), "left.py", &classic("left", "base"));
        write(tmp.path(), "right.py", &classic("right", "base"));
        write(
            tmp.path(),
            "merge.py",
            r#""""merge heads

Revision ID: m3rg3
Revises: left, right
"""
revision = "m3rg3"
down_revision = (
    "left",  # the users branch
    # a comment line inside the tuple
    'right',
)
branch_labels = None
depends_on = None

def upgrade():
    pass
"#,
        );
        let h = history(tmp.path());
        assert_eq!(
            h.get("m3rg3").unwrap().down_revisions,
            strings(&["left", "right"])
        );
        assert_eq!(h.heads(), strings(&["m3rg3"]));
        assert_eq!(h.pending(&[]).first().unwrap(), "base");
        assert_eq!(h.pending(&[]).last().unwrap(), "m3rg3");
        assert_eq!(h.pending(&strings(&["left"])), strings(&["right", "m3rg3"]));
    }

    #[test]
    fn branch_labels_and_depends_on() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "a.py",
            "revision = 'a'\ndown_revision = None\nbranch_labels = ('core',)\n",
        );
        write(
            tmp.path(),
            "b.py",
            "revision = 'b'\ndown_revision = None\nbranch_labels = {'billing', \"payments\"}\ndepends_on = 'core'\n",
        );
        write(
            tmp.path(),
            "c.py",
            "revision = 'c'\ndown_revision = 'b'\nbranch_labels = 'x'\ndepends_on = ['a']\n",
        );
        let h = history(tmp.path());
        assert_eq!(h.get("a").unwrap().branch_labels, strings(&["core"]));
        assert_eq!(
            h.get("b").unwrap().branch_labels,
            strings(&["billing", "payments"])
        );
        assert_eq!(h.get("b").unwrap().depends_on, strings(&["core"]));
        assert_eq!(h.get("c").unwrap().depends_on, strings(&["a"]));
        assert_eq!(h.get("c").unwrap().branch_labels, strings(&["x"]));
        // Two bases, but `a` is only needed, never a down_revision: a and c are heads.
        assert_eq!(h.heads(), strings(&["a", "c"]));
        // depends_on through a branch label is followed.
        assert_eq!(h.ancestors("b"), BTreeSet::from(["a".into(), "b".into()]));
        assert_eq!(h.pending(&strings(&["b"])), strings(&["c"]));
        assert!(h.dangling().is_empty());
    }

    #[test]
    fn annotated_assignments_of_the_1_13_template() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "2024_01_01_1200-1a2b3c4d5e6f_add_users.py",
            r#""""add users

Revision ID: 1a2b3c4d5e6f
Revises: 0f0f0f0f0f0f
Create Date: 2024-01-01 12:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "1a2b3c4d5e6f"
down_revision: Union[str, None] = "0f0f0f0f0f0f"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(f"UPDATE users SET name = {"'x'"}")
"#,
        );
        write(
            tmp.path(),
            "merge.py",
            "revision: str = 'm'\ndown_revision: Union[str, Sequence[str], None] = (\n    '1a2b3c4d5e6f',\n    '0f0f0f0f0f0f',\n)\nbranch_labels: str | None = None\n",
        );
        write(
            tmp.path(),
            "base.py",
            "revision: str = '0f0f0f0f0f0f'\ndown_revision: Union[str, None] = None\n",
        );
        let h = history(tmp.path());
        let r = h.get("1a2b3c4d5e6f").unwrap();
        assert_eq!(r.down_revisions, strings(&["0f0f0f0f0f0f"]));
        assert!(r.branch_labels.is_empty() && r.depends_on.is_empty());
        assert!(
            r.path
                .ends_with("2024_01_01_1200-1a2b3c4d5e6f_add_users.py")
        );
        assert_eq!(
            h.get("m").unwrap().down_revisions,
            strings(&["1a2b3c4d5e6f", "0f0f0f0f0f0f"])
        );
        assert_eq!(h.heads(), strings(&["m"]));
    }

    #[test]
    fn revision_id_need_not_match_the_file_name() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "0001_initial.py", &classic("ae1027a6acf", ""));
        let h = history(tmp.path());
        assert_eq!(h.revisions.len(), 1);
        assert_eq!(h.revisions[0].id, "ae1027a6acf");
        assert!(h.get("0001_initial").is_none());
    }

    #[test]
    fn docstring_text_is_not_an_assignment() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "x.py",
            r#"'''Misleading docstring

Revision ID: zzz
Revises: yyy
revision = "zzz"
down_revision = "yyy"
'''
import sqlalchemy as sa

revision = "real1"
down_revision = None  # revision = "comment"

def upgrade():
    revision = "inner"
    down_revision = "inner_down"
"#,
        );
        let h = history(tmp.path());
        assert_eq!(h.revisions.len(), 1);
        let r = &h.revisions[0];
        assert_eq!(r.id, "real1");
        assert!(r.down_revisions.is_empty());
    }

    #[test]
    fn two_heads() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "a.py", &classic("a", ""));
        write(tmp.path(), "b.py", &classic("b", "a"));
        write(tmp.path(), "c.py", &classic("c", "a"));
        let h = history(tmp.path());
        assert_eq!(h.heads(), strings(&["b", "c"]));
        let s = status(&h, &strings(&["b"]));
        assert!(s.multiple_heads && !s.up_to_date);
        assert_eq!(s.pending, strings(&["c"]));
        let s = status(&h, &strings(&["c", "b"]));
        assert!(s.multiple_heads && s.up_to_date);
        assert_eq!(s.applied, strings(&["b", "c"]));
    }

    #[test]
    fn pending_after_partial_application() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "1.py", &classic("r1", ""));
        write(tmp.path(), "2.py", &classic("r2", "r1"));
        write(tmp.path(), "3.py", &classic("r3", "r2"));
        write(tmp.path(), "4.py", &classic("r4", "r3"));
        let h = history(tmp.path());
        let s = status(&h, &strings(&["r2"]));
        assert_eq!(s.pending, strings(&["r3", "r4"]));
        assert!(s.missing.is_empty() && !s.up_to_date);
    }

    #[test]
    fn applied_revision_missing_on_disk() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "1.py", &classic("r1", ""));
        write(tmp.path(), "2.py", &classic("r2", "r1"));
        let h = history(tmp.path());
        let s = status(&h, &strings(&["gone42"]));
        assert_eq!(s.missing, strings(&["gone42"]));
        assert_eq!(s.pending, strings(&["r1", "r2"]));
        assert!(!s.up_to_date);
        assert!(h.ancestors("gone42").is_empty());
    }

    #[test]
    fn dangling_down_revision_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "2.py", &classic("r2", "r1"));
        let h = history(tmp.path());
        assert_eq!(h.dangling(), vec![("r2".to_string(), "r1".to_string())]);
    }

    #[test]
    fn duplicate_revision_names_both_files() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "one.py", &classic("dup", ""));
        write(tmp.path(), "two.py", &classic("dup", ""));
        let err = read_revisions(&[tmp.path().to_path_buf()]).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("one.py") && message.contains("two.py"),
            "{message}"
        );
        assert!(message.contains("revision dup"), "{message}");
    }

    #[test]
    fn unreadable_value_names_file_and_line() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "bad.py",
            "\"\"\"doc\"\"\"\nrevision = 'a'\ndown_revision = compute()\n",
        );
        let err = read_revisions(&[tmp.path().to_path_buf()]).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("bad.py:3:"), "{message}");
        assert!(message.contains("down_revision"), "{message}");
    }

    #[test]
    fn windows_line_endings_and_nested_f_strings() {
        let tmp = tempfile::tempdir().unwrap();
        let text = "\"\"\"doc\r\nRevision ID: no\r\n\"\"\"\r\nrevision = \\\r\n    'w1'\r\ndown_revision = (\r\n  'a',\r\n  'b',\r\n)\r\n\r\ndef upgrade():\r\n    op.execute(f\"SELECT {d[\"k\"]:>{w}} {{x}}\")\r\n";
        write(tmp.path(), "w.py", text);
        let h = history(tmp.path());
        assert_eq!(h.revisions[0].id, "w1");
        assert_eq!(h.revisions[0].down_revisions, strings(&["a", "b"]));
    }

    #[test]
    fn value_forms() {
        let parse = |src: &str| {
            let statements = top_level_statements(src).unwrap();
            let (_, value) = assignment(&statements[0].tokens).unwrap();
            parse_value(value).unwrap().into_strings().unwrap()
        };
        assert_eq!(parse("down_revision = None"), strings(&[]));
        assert_eq!(parse("down_revision = ()"), strings(&[]));
        assert_eq!(parse("down_revision = ('a')"), strings(&["a"]));
        assert_eq!(parse("down_revision = 'a', 'b'"), strings(&["a", "b"]));
        assert_eq!(
            parse("down_revision = [\n 'a',\n 'b'\n]"),
            strings(&["a", "b"])
        );
        assert_eq!(parse("down_revision = \\\n  'a'"), strings(&["a"]));
        assert_eq!(parse("revision = r'ab' 'cd'"), strings(&["abcd"]));
        assert_eq!(parse("revision = \"\"\"abc\"\"\""), strings(&["abc"]));
        let statements = top_level_statements("x = 1; revision = 'semi'").unwrap();
        assert_eq!(statements.len(), 2);
        assert_eq!(assignment(&statements[1].tokens).unwrap().0, "revision");
    }

    #[test]
    fn missing_versions_dir_holds_no_revisions() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "a/1.py", &classic("r1", ""));
        let dirs = [
            tmp.path().join("versions"),
            tmp.path().join("a"),
            tmp.path().join("a"),
        ];
        let revisions = read_revisions(&dirs).unwrap();
        assert_eq!(revisions.len(), 1, "a directory listed twice is read once");
    }

    #[test]
    fn revision_without_down_revision_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "x.py", "revision = 'x'\n");
        let err = read_revisions(&[tmp.path().to_path_buf()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("x.py:1:") && err.contains("down_revision = None"),
            "{err}"
        );
    }

    #[test]
    fn ini_script_location_with_here() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("migrations")).unwrap();
        let ini = write(
            tmp.path(),
            "alembic.ini",
            "# A generic, single database configuration.\n\n[alembic]\n; comment\nscript_location = %(here)s/migrations\nprepend_sys_path = .\nsqlalchemy.url = driver://user:pass@localhost/dbname\n\n[loggers]\nkeys = root\n",
        );
        assert_eq!(find_alembic_ini(tmp.path()), Some(ini.clone()));
        let here = std::path::absolute(tmp.path()).unwrap();
        assert_eq!(
            versions_dirs(&ini).unwrap(),
            vec![here.join("migrations").join("versions")]
        );
        assert_eq!(find_alembic_ini(&tmp.path().join("nowhere")), None);
    }

    #[test]
    fn ini_relative_script_location_is_taken_from_the_ini_directory() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir(tmp.path().join("db")).unwrap();
        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location: db\n",
        );
        let here = std::path::absolute(tmp.path()).unwrap();
        assert_eq!(versions_dirs(&ini).unwrap(), vec![here.join("db/versions")]);
    }

    #[test]
    fn ini_version_locations() {
        let tmp = tempfile::tempdir().unwrap();
        let here = std::path::absolute(tmp.path()).unwrap();
        fs::create_dir(tmp.path().join("alembic")).unwrap();
        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location = alembic\nversion_locations = %(here)s/core/versions, %(here)s/billing/versions extra\n",
        );
        assert_eq!(
            versions_dirs(&ini).unwrap(),
            vec![
                here.join("core/versions"),
                here.join("billing/versions"),
                here.join("extra")
            ]
        );

        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location = alembic\nversion_locations = %(here)s/a:%(here)s/b\nversion_path_separator = os  # Use os.pathsep.\n",
        );
        if cfg!(not(windows)) {
            assert_eq!(
                versions_dirs(&ini).unwrap(),
                vec![here.join("a"), here.join("b")]
            );
        }

        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location = alembic\npath_separator = newline\nversion_locations =\n    %(here)s/with space\n    %(here)s/two\n",
        );
        assert_eq!(
            versions_dirs(&ini).unwrap(),
            vec![here.join("with space"), here.join("two")]
        );

        // The directories are then read like any other.
        write(tmp.path(), "with space/a.py", &classic("a", ""));
        write(tmp.path(), "two/b.py", &classic("b", "a"));
        let h = History::new(read_revisions(&versions_dirs(&ini).unwrap()).unwrap());
        assert_eq!(h.heads(), strings(&["b"]));
        assert_eq!(load(&ini).unwrap().revisions.len(), 2);
    }

    #[test]
    fn ini_recursive_version_locations() {
        let tmp = tempfile::tempdir().unwrap();
        let here = std::path::absolute(tmp.path()).unwrap();
        fs::create_dir_all(tmp.path().join("alembic/versions/2024/__pycache__")).unwrap();
        fs::create_dir_all(tmp.path().join("alembic/versions/2025")).unwrap();
        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location = alembic\nrecursive_version_locations = true\n",
        );
        let v = here.join("alembic/versions");
        assert_eq!(
            versions_dirs(&ini).unwrap(),
            vec![v.clone(), v.join("2024"), v.join("2025")]
        );
    }

    #[test]
    fn ini_errors_name_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let ini = write(tmp.path(), "alembic.ini", "[alembic]\nsqlalchemy.url = x\n");
        let err = versions_dirs(&ini).unwrap_err().to_string();
        assert!(
            err.contains("alembic.ini") && err.contains("script_location"),
            "{err}"
        );

        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location = myapp:migrations\n",
        );
        let err = versions_dirs(&ini).unwrap_err().to_string();
        assert!(
            err.contains("alembic.ini:2") && err.contains("Python package"),
            "{err}"
        );

        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location = %(nope)s/x\n",
        );
        let err = versions_dirs(&ini).unwrap_err().to_string();
        assert!(
            err.contains("alembic.ini:2") && err.contains("%(nope)s"),
            "{err}"
        );

        let ini = write(
            tmp.path(),
            "alembic.ini",
            "[alembic]\nscript_location = gone\n",
        );
        let err = versions_dirs(&ini).unwrap_err().to_string();
        assert!(
            err.contains("alembic.ini:2") && err.contains("does not exist"),
            "{err}"
        );
    }
}

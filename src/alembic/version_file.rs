//! Version files: the module-level `revision` / `down_revision` / `branch_labels` /
//! `depends_on` literals, read without evaluating any code.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use super::AlembicError;
use super::python_tokens::{Tok, top_level_statements};

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
/// `.#*`), in directory then file name order. A file without a top-level `revision` assignment
/// is a helper module and is skipped. Two files may define the same revision; [`History::new`]
/// keeps the later one, as Alembic does.
/// As in Alembic, a directory that does not exist holds no revisions (git does not keep the empty
/// `versions/` of a new project), and a file reached twice through overlapping directories is read
/// once.
pub fn read_revisions(dirs: &[PathBuf]) -> Result<Vec<Revision>, AlembicError> {
    let mut revisions = Vec::new();
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
pub(super) fn assignment(tokens: &[Tok]) -> Option<(&'static str, &[Tok])> {
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
pub(super) enum Value {
    None,
    Str(String),
    Seq(Vec<Value>),
}

impl Value {
    /// None -> [], "a" -> ["a"], ("a", "b") -> ["a", "b"]; anything else -> None.
    pub(super) fn into_strings(self) -> Option<Vec<String>> {
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
pub(super) fn parse_value(tokens: &[Tok]) -> Result<Value, String> {
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

//! The subset of Python's `configparser` that `alembic.ini` files use.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::AlembicError;

/// The subset of Python's `configparser` that `alembic.ini` files use: `[section]` headers,
/// `key = value` or `key: value`, indented continuation lines, whole-line `#` / `;` comments,
/// case-insensitive keys, and `%(name)s` / `%%` interpolation.
pub(super) struct Ini {
    /// section -> key -> (raw value, line of the key).
    sections: HashMap<String, BTreeMap<String, (String, usize)>>,
}

impl Ini {
    pub(super) fn parse(path: &Path, text: &str) -> Result<Ini, AlembicError> {
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
    pub(super) fn get(
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

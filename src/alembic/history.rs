//! The revision graph on disk, and how the database's `alembic_version` rows compare with it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use super::Revision;

/// All revisions on disk, and the questions `devctl status` asks of them.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub revisions: Vec<Revision>,
    /// Revisions defined by two files: (id, the file ignored, the file used). Alembic only warns
    /// ("Revision X is present more than once") and keeps the file it read last.
    pub duplicates: Vec<(String, PathBuf, PathBuf)>,
}

impl History {
    /// The history of `revisions` in reading order; of two with the same id the later is kept.
    pub fn new(revisions: Vec<Revision>) -> History {
        let mut kept: Vec<Revision> = Vec::with_capacity(revisions.len());
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut duplicates = Vec::new();
        for revision in revisions {
            match at.get(&revision.id) {
                Some(&index) => {
                    duplicates.push((
                        revision.id.clone(),
                        kept[index].path.clone(),
                        revision.path.clone(),
                    ));
                    kept[index] = revision;
                }
                None => {
                    at.insert(revision.id.clone(), kept.len());
                    kept.push(revision);
                }
            }
        }
        History {
            revisions: kept,
            duplicates,
        }
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

//! Checking a pipeline config before any data is touched: every step must
//! find its columns, with the kind it needs, in what the previous steps left.
//! The plan also keeps each column's lineage (the input features it was
//! computed from), which feature selection uses to map the estimator's
//! columns back to the inputs.

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::{Column, ColumnKind};

/// The columns present at one point of a pipeline, with their kinds, and the
/// columns that earlier steps removed (to explain a later reference to them).
#[derive(Debug, Clone, Default)]
pub struct ColumnPlan {
    present: Vec<(String, ColumnKind)>,
    removed: Vec<String>,
    /// Input features behind every column seen so far.
    sources: BTreeMap<String, BTreeSet<String>>,
    /// Columns expanded into `<prefix>...` columns named only at fit time
    /// (one-hot encoding), with their sources.
    expanded: Vec<(String, BTreeSet<String>)>,
}

impl ColumnPlan {
    pub fn from_features(features: &[Column]) -> ColumnPlan {
        ColumnPlan {
            present: features
                .iter()
                .map(|c| (c.name().to_owned(), c.kind()))
                .collect(),
            removed: Vec::new(),
            sources: features
                .iter()
                .map(|c| (c.name().to_owned(), BTreeSet::from([c.name().to_owned()])))
                .collect(),
            expanded: Vec::new(),
        }
    }

    /// The input features a column (present, removed, or produced by an
    /// expansion) was computed from; empty for a name the plan never saw.
    pub fn lineage(&self, name: &str) -> BTreeSet<String> {
        if let Some(sources) = self.sources.get(name) {
            return sources.clone();
        }
        self.expanded
            .iter()
            .find(|(prefix, _)| name.starts_with(prefix.as_str()))
            .map(|(_, sources)| sources.clone())
            .unwrap_or_default()
    }

    /// Records that `name` now also depends on `other` (e.g. elapsed years
    /// computed from a reference year).
    pub fn depends(&mut self, name: &str, other: &str) {
        let extra = self.lineage(other);
        self.sources
            .entry(name.to_owned())
            .or_default()
            .extend(extra);
    }

    /// Adds a column computed from `from`.
    pub fn add_derived(
        &mut self,
        name: String,
        kind: ColumnKind,
        from: &[&str],
    ) -> Result<(), String> {
        let sources = from.iter().flat_map(|f| self.lineage(f)).collect();
        self.add(name.clone(), kind)?;
        self.sources.insert(name, sources);
        Ok(())
    }

    /// Replaces `name` by columns `<name>=<label>` whose labels are only
    /// known after fitting.
    pub fn expand(&mut self, name: &str) {
        let sources = self.lineage(name);
        self.remove(name);
        self.expanded.push((format!("{name}="), sources));
    }

    /// The kind of a present column, or a message saying why it is absent.
    pub fn kind_of(&self, name: &str) -> Result<ColumnKind, String> {
        if let Some((_, kind)) = self.present.iter().find(|(n, _)| n == name) {
            return Ok(*kind);
        }
        if self.removed.iter().any(|n| n == name) {
            return Err(format!("reads `{name}`, which an earlier step dropped"));
        }
        if Column::from_name(name).is_some() {
            return Err(format!(
                "reads `{name}`, which is not in the config's `features`"
            ));
        }
        Err(format!(
            "reads `{name}`, which is not a column of the house-prices data"
        ))
    }

    /// Fails unless every variable is present with the given kind.
    pub fn require(&self, variables: &[String], kind: ColumnKind) -> Result<(), String> {
        if variables.is_empty() {
            return Err("has an empty `variables` list".into());
        }
        for name in variables {
            let found = self.kind_of(name)?;
            if found != kind {
                return Err(format!(
                    "needs `{name}` to be {kind:?}, but it is {found:?} at this point"
                ));
            }
        }
        Ok(())
    }

    pub fn set_kind(&mut self, name: &str, kind: ColumnKind) {
        if let Some(entry) = self.present.iter_mut().find(|(n, _)| n == name) {
            entry.1 = kind;
        }
    }

    pub fn add(&mut self, name: String, kind: ColumnKind) -> Result<(), String> {
        if self.present.iter().any(|(n, _)| *n == name) {
            return Err(format!("would add `{name}`, which already exists"));
        }
        self.present.push((name, kind));
        Ok(())
    }

    pub fn remove(&mut self, name: &str) {
        self.present.retain(|(n, _)| n != name);
        self.removed.push(name.to_owned());
    }

    pub fn present(&self) -> &[(String, ColumnKind)] {
        &self.present
    }
}

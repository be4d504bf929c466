//! Checking a pipeline config before any data is touched: every step must
//! find its columns, with the kind it needs, in what the previous steps left.

use crate::schema::{Column, ColumnKind};

/// The columns present at one point of a pipeline, with their kinds, and the
/// columns that earlier steps removed (to explain a later reference to them).
#[derive(Debug, Clone, Default)]
pub struct ColumnPlan {
    present: Vec<(String, ColumnKind)>,
    removed: Vec<String>,
}

impl ColumnPlan {
    pub fn from_features(features: &[Column]) -> ColumnPlan {
        ColumnPlan {
            present: features
                .iter()
                .map(|c| (c.name().to_owned(), c.kind()))
                .collect(),
            removed: Vec::new(),
        }
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

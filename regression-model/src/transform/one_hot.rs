//! One-hot encoding: each categorical variable becomes one 0/1 column per
//! training label, named `<variable>=<label>` and appended after the other
//! columns (the variable itself is removed). Labels seen in less than
//! `min_frequency` of the training rows share one `<variable>=Rare` column;
//! a label never seen in training, or a missing one, sets every column of
//! its variable to 0, so new labels never reject a row.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use std::borrow::Cow;

use crate::frame::{ColumnData, Frame, Label, Labels, Numbers};
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;
use crate::transform::RARE_LABEL;
use crate::transform::lookup::LabelMap;

const ONE_HOT: &str = "one_hot";

/// Configuration of the one-hot encoder.
///
/// | parameter | default | range |
/// |---|---|---|
/// | `variables` | — | categorical columns present at this point |
/// | `min_frequency` | 0 (no grouping) | `[0, 1)`, share of training rows |
///
/// ```toml
/// [[steps]]
/// step = "one_hot"
/// variables = ["Neighborhood", "MSZoning"]
/// min_frequency = 0.01
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneHot {
    pub variables: Vec<String>,
    #[serde(default)]
    pub min_frequency: f64,
}

/// The columns learnt for one variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneHotVariable {
    pub variable: String,
    /// Labels with a column of their own, in label order.
    pub labels: Vec<String>,
    /// Training labels grouped into the `Rare` column (empty: no such column).
    pub rare: Vec<String>,
}

/// The fitted encoder: the columns of every variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedOneHot {
    pub variables: Vec<OneHotVariable>,
}

impl OneHot {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if !(0.0..1.0).contains(&self.min_frequency) {
            return Err(format!(
                "has min_frequency {}; it must be a share in [0, 1)",
                self.min_frequency
            ));
        }
        columns.require(&self.variables, ColumnKind::Categorical)?;
        for name in &self.variables {
            columns.expand(name);
        }
        Ok(())
    }

    /// Learns each variable's labels from the training rows.
    ///
    /// # Errors
    /// [`Error::MissingColumn`]/[`Error::ColumnKind`] for a variable the frame
    /// lacks or holds as numbers; [`Error::TrainingData`] for a variable
    /// without any label in training.
    pub fn fit(&self, frame: &Frame) -> Result<FittedOneHot> {
        let mut variables = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for label in frame.labels(ONE_HOT, name)?.iter().flatten() {
                *counts.entry(label.as_ref()).or_default() += 1;
            }
            let total: usize = counts.values().sum();
            if total == 0 {
                return Err(Error::TrainingData(format!(
                    "{name}: no label to one-hot encode in the training rows"
                )));
            }
            let (frequent, rare): (Vec<_>, Vec<_>) = counts
                .iter()
                .partition(|(_, n)| **n as f64 / total as f64 >= self.min_frequency);
            variables.push(OneHotVariable {
                variable: name.clone(),
                labels: frequent.iter().map(|(l, _)| (**l).to_owned()).collect(),
                rare: rare.iter().map(|(l, _)| (**l).to_owned()).collect(),
            });
        }
        Ok(FittedOneHot { variables })
    }
}

impl OneHotVariable {
    /// The names of the columns this variable becomes, in order.
    pub fn column_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .labels
            .iter()
            .map(|l| format!("{}={l}", self.variable))
            .collect();
        if !self.rare.is_empty() && !self.labels.iter().any(|l| l == RARE_LABEL) {
            names.push(format!("{}={RARE_LABEL}", self.variable));
        }
        names
    }

    /// The column index of a label, if it has one: its own column, or the
    /// `Rare` column for a label grouped there in training.
    fn column_of(&self, label: &str) -> Option<usize> {
        if let Ok(at) = self.labels.binary_search_by(|l| l.as_str().cmp(label)) {
            return Some(at);
        }
        self.rare
            .binary_search_by(|l| l.as_str().cmp(label))
            .ok()
            .map(|_| self.rare_column())
    }

    fn rare_column(&self) -> usize {
        self.labels
            .iter()
            .position(|l| l == RARE_LABEL)
            .unwrap_or(self.labels.len())
    }
}

/// One variable's columns, resolved for prediction: the column names and
/// the column of every training label (rare ones share `Rare`'s).
#[derive(Debug, Clone)]
pub struct OneHotColumns {
    names: Vec<String>,
    index: LabelMap<usize>,
}

impl OneHotColumns {
    pub fn new(variable: &OneHotVariable) -> OneHotColumns {
        let index = variable
            .labels
            .iter()
            .chain(&variable.rare)
            .filter_map(|label| Some((label.clone(), variable.column_of(label)?)))
            .collect();
        OneHotColumns {
            names: variable.column_names(),
            index,
        }
    }
}

impl FittedOneHot {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        let columns: Vec<_> = self.variables.iter().map(OneHotColumns::new).collect();
        self.encode(frame, &columns, |name| Cow::Owned(name.to_owned()))
    }

    /// [`FittedOneHot::transform`] with the columns resolved beforehand; the
    /// frame borrows their names.
    pub(crate) fn transform_with<'a>(
        &self,
        frame: &mut Frame<'a>,
        resolved: &'a [OneHotColumns],
    ) -> Result<()> {
        self.encode(frame, resolved, Cow::Borrowed)
    }

    fn encode<'a, 'r>(
        &self,
        frame: &mut Frame<'a>,
        resolved: &'r [OneHotColumns],
        name: impl Fn(&'r str) -> Label<'a>,
    ) -> Result<()> {
        let rows = frame.rows();
        let mut encoded = Vec::with_capacity(self.variables.len());
        for (at, (variable, resolved)) in self.variables.iter().zip(resolved).enumerate() {
            let mut columns = vec![Numbers::from_elem(0.0, rows); resolved.names.len()];
            // Taken, not borrowed: each input's labels are freed once
            // encoded (copied only for a variable listed again later).
            let again = (self.variables[at + 1..].iter()).any(|v| v.variable == variable.variable);
            let labels: Labels = if again {
                frame
                    .labels(ONE_HOT, &variable.variable)?
                    .iter()
                    .cloned()
                    .collect()
            } else {
                frame.take_labels(ONE_HOT, &variable.variable)?
            };
            for (row, label) in labels.iter().enumerate() {
                if let Some(&at) = label.as_deref().and_then(|l| resolved.index.get(l)) {
                    columns[at][row] = 1.0;
                }
            }
            encoded.push(columns);
        }
        // All variables go at once, then their columns are appended in
        // variable order: the same frame as one variable at a time.
        frame.remove_all(ONE_HOT, self.variables.iter().map(|v| v.variable.as_str()))?;
        for (resolved, columns) in resolved.iter().zip(encoded) {
            for (column, values) in resolved.names.iter().zip(columns) {
                frame.push(name(column), ColumnData::Numeric(values));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

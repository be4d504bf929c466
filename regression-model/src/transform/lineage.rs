//! Lineage with weights: for every column of a frame, the raw input
//! columns it was computed from, each with the share of the column's
//! effect it is credited with (the shares of a column sum to 1). An
//! explanation uses it to hand a feature's contribution back to the
//! columns a client sent.
//!
//! Each step says how its output columns come from its input columns, and
//! the lineage composes those rules step after step:
//!
//! - a step that changes a column in place (log, scaling, imputation,
//!   label mapping, ordinal codes, clipping) keeps the column's lineage; an
//!   imputed value is credited to the column that was missing, not to the
//!   column an imputer grouped by;
//! - a missing-value indicator `X_na` and every one-hot column `X=label`
//!   go wholly to `X`'s lineage, so a one-hot variable ends up as one
//!   contribution;
//! - a derived column goes to its inputs in **equal shares**: a `combine`
//!   sum of three areas credits each area's lineage with a third, and
//!   `elapsed_years` (`reference − variable`) credits the variable and the
//!   reference year with half each. Shares compose: a column derived from
//!   a derived column splits that column's share again.
//! - `drop` forgets the column.

use std::collections::BTreeMap;

use super::FittedStep;
use crate::error::{Error, Result};
use crate::schema::Column;

/// Where one column comes from: `(raw column index, share)` pairs, the
/// index into the pipeline's input features, sorted by index, shares > 0
/// and summing to 1.
pub type Sources = Vec<(usize, f64)>;

/// The lineage of every column present at one point of a pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Lineage {
    columns: BTreeMap<String, Sources>,
}

impl Lineage {
    /// The lineage before the first step: each input feature is itself.
    pub fn from_features(features: &[Column]) -> Lineage {
        Lineage {
            columns: features
                .iter()
                .enumerate()
                .map(|(index, c)| (c.name().to_owned(), vec![(index, 1.0)]))
                .collect(),
        }
    }

    /// The lineage after `steps`, applied in order.
    ///
    /// # Errors
    /// [`Error::MissingColumn`] when a step reads a column that is not
    /// there (a corrupt pipeline; the config check rules it out).
    pub fn through(features: &[Column], steps: &[FittedStep]) -> Result<Lineage> {
        let mut lineage = Lineage::from_features(features);
        for step in steps {
            step.trace(&mut lineage)?;
        }
        Ok(lineage)
    }

    /// Every present column and its sources, by name.
    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Sources)> {
        self.columns.iter().map(|(n, s)| (n.as_str(), s))
    }

    /// The sources of a column `step` reads.
    ///
    /// # Errors
    /// [`Error::MissingColumn`] naming `step` when the column is not there.
    pub fn get(&self, step: &str, name: &str) -> Result<&Sources> {
        self.columns.get(name).ok_or_else(|| Error::MissingColumn {
            step: step.to_owned(),
            column: name.to_owned(),
            present: self.columns.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }

    /// Equal shares of the named columns' lineages, merged by raw column.
    fn equal_shares<'n>(
        &self,
        step: &str,
        names: impl IntoIterator<Item = &'n String>,
    ) -> Result<Sources> {
        let inputs = names
            .into_iter()
            .map(|n| self.get(step, n))
            .collect::<Result<Vec<_>>>()?;
        let share = 1.0 / inputs.len() as f64;
        let mut merged: BTreeMap<usize, f64> = BTreeMap::new();
        for (raw, weight) in inputs.into_iter().flatten() {
            *merged.entry(*raw).or_default() += share * weight;
        }
        Ok(merged.into_iter().collect())
    }
}

impl FittedStep {
    /// Updates `lineage` to the columns this step leaves behind (the rules
    /// are in the module documentation).
    pub fn trace(&self, lineage: &mut Lineage) -> Result<()> {
        let step = self.kind();
        match self {
            FittedStep::MissingIndicator(s) => {
                for name in &s.variables {
                    let sources = lineage.get(step, name)?.clone();
                    lineage.columns.insert(format!("{name}_na"), sources);
                }
            }
            FittedStep::ElapsedYears(s) => {
                for name in &s.variables {
                    let sources = lineage.equal_shares(step, [name, &s.reference])?;
                    lineage.columns.insert(name.clone(), sources);
                }
            }
            FittedStep::Combine(s) => {
                let sources = lineage.equal_shares(step, s.inputs())?;
                lineage.columns.insert(s.name.clone(), sources);
            }
            FittedStep::Multiply(s) => {
                let sources = lineage.equal_shares(step, &s.of)?;
                lineage.columns.insert(s.name.clone(), sources);
            }
            FittedStep::Drop(s) => {
                for name in &s.variables {
                    lineage.get(step, name)?;
                    lineage.columns.remove(name);
                }
            }
            FittedStep::OneHot(s) => {
                for variable in &s.variables {
                    let sources = lineage.get(step, &variable.variable)?.clone();
                    lineage.columns.remove(&variable.variable);
                    for column in variable.column_names() {
                        lineage.columns.insert(column, sources.clone());
                    }
                }
            }
            // Every other step changes its columns in place.
            FittedStep::AsNumber(_)
            | FittedStep::ImputeCategorical(_)
            | FittedStep::ImputeNumeric(_)
            | FittedStep::Log(_)
            | FittedStep::Binarize(_)
            | FittedStep::MapLabels(_)
            | FittedStep::RareLabels(_)
            | FittedStep::OrdinalByTarget(_)
            | FittedStep::MinMaxScale(_)
            | FittedStep::Log1p(_)
            | FittedStep::DropOutliers(_)
            | FittedStep::RobustScale(_)
            | FittedStep::Clip(_)
            | FittedStep::AsLabel(_)
            | FittedStep::ImputeByGroup(_)
            | FittedStep::BoxCox1p(_)
            | FittedStep::StandardScale(_)
            | FittedStep::Unskew(_) => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

//! Label encoders: fixed mappings (quality scales), rare-label grouping, and
//! ordinal codes ordered by the mean target of each label.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::{ColumnData, Frame, Label, Numbers};
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;
use crate::transform::lookup::{LabelMap, LabelSet, RankTable, label_map, label_set};

/// The label rare (and never-seen) labels are grouped into.
pub const RARE_LABEL: &str = "Rare";

/// Maps labels to numbers with a fixed table (e.g. `Po`=1 … `Ex`=5). A label
/// outside the table rejects its row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapLabels {
    pub variables: Vec<String>,
    pub mapping: BTreeMap<String, f64>,
}

impl MapLabels {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if self.mapping.is_empty() {
            return Err("has an empty `mapping`".into());
        }
        if let Some((label, value)) = self.mapping.iter().find(|(_, v)| !v.is_finite()) {
            return Err(format!(
                "maps `{label}` to {value}, which is not a finite number"
            ));
        }
        columns.require(&self.variables, ColumnKind::Categorical)?;
        self.variables
            .iter()
            .for_each(|v| columns.set_kind(v, ColumnKind::Numeric));
        Ok(())
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        self.transform_with(frame, &label_map(&self.mapping))
    }

    /// [`MapLabels::transform`] with the mapping as a hash table built
    /// beforehand.
    pub(crate) fn transform_with(&self, frame: &mut Frame, table: &LabelMap<f64>) -> Result<()> {
        for name in &self.variables {
            let labels = frame.labels("map_labels", name)?;
            let (codes, rejects) = encode(labels, |label| table.get(label).copied());
            frame.replace("map_labels", name, ColumnData::Numeric(codes))?;
            if rejects.is_empty() {
                continue;
            }
            // The label sent is never quoted back; the known ones are the model's.
            let known = self
                .mapping
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            for (row, _) in rejects {
                frame.reject(
                    row,
                    name,
                    format!("is not a label this model knows; expected one of: {known}"),
                );
            }
        }
        Ok(())
    }
}

/// Encodes labels with `code`, returning the codes and the rows whose label
/// has none. Missing labels become `NaN` silently: the row was already
/// rejected for them when the input was checked.
fn encode(
    labels: &[Option<Label<'_>>],
    code: impl Fn(&str) -> Option<f64>,
) -> (Numbers, Vec<(usize, String)>) {
    let mut rejects = Vec::new();
    let codes = labels
        .iter()
        .enumerate()
        .map(|(row, label)| match label {
            None => f64::NAN,
            Some(label) => code(label).unwrap_or_else(|| {
                rejects.push((row, label.chars().take(32).collect()));
                f64::NAN
            }),
        })
        .collect();
    (codes, rejects)
}

/// Groups labels seen in less than `tolerance` of the training rows into
/// `Rare`, for variables with more than `min_categories` labels. Labels never
/// seen in training become `Rare` too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RareLabels {
    pub variables: Vec<String>,
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    #[serde(default = "default_min_categories")]
    pub min_categories: usize,
}

fn default_tolerance() -> f64 {
    0.05
}
fn default_min_categories() -> usize {
    10
}

/// The labels kept as themselves, per variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedRareLabels {
    pub frequent: Vec<(String, BTreeSet<String>)>,
}

impl RareLabels {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.tolerance) {
            return Err(format!(
                "has tolerance {}; it must be a share between 0 and 1",
                self.tolerance
            ));
        }
        columns.require(&self.variables, ColumnKind::Categorical)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedRareLabels> {
        let mut frequent = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let labels = frame.labels("rare_labels", name)?;
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for label in labels.iter().flatten() {
                *counts.entry(label.as_ref()).or_default() += 1;
            }
            let total: usize = counts.values().sum();
            let keep = counts
                .iter()
                .filter(|(_, n)| {
                    counts.len() <= self.min_categories
                        || **n as f64 / total as f64 >= self.tolerance
                })
                .map(|(label, _)| (*label).to_owned())
                .collect();
            frequent.push((name.clone(), keep));
        }
        Ok(FittedRareLabels { frequent })
    }
}

impl FittedRareLabels {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        let kept: Vec<_> = self
            .frequent
            .iter()
            .map(|(_, keep)| Some(label_set(keep)))
            .collect();
        self.transform_with(frame, &kept)
    }

    /// [`FittedRareLabels::transform`] with each variable's labels in a hash
    /// set built beforehand.
    /// A variable without a set is left as it is: the next step groups it.
    pub(crate) fn transform_with(
        &self,
        frame: &mut Frame,
        kept: &[Option<LabelSet>],
    ) -> Result<()> {
        for ((name, _), keep) in self.frequent.iter().zip(kept) {
            let Some(keep) = keep else {
                // Grouped by the ordinal encoder that follows (see `RankTable`).
                continue;
            };
            let labels = frame.labels_mut("rare_labels", name)?;
            for label in labels.iter_mut().flatten() {
                if !keep.contains(label.as_ref()) {
                    *label = Label::Borrowed(RARE_LABEL);
                }
            }
        }
        Ok(())
    }
}

/// Replaces labels with their rank by mean training target (0 = cheapest).
/// A label unseen in training takes the code of `Rare` when training had
/// that label; otherwise the row is rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrdinalByTarget {
    pub variables: Vec<String>,
}

/// Label codes per variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedOrdinalByTarget {
    pub codes: Vec<(String, BTreeMap<String, f64>)>,
}

impl OrdinalByTarget {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Categorical)?;
        self.variables
            .iter()
            .for_each(|v| columns.set_kind(v, ColumnKind::Numeric));
        Ok(())
    }

    pub fn fit(&self, frame: &Frame, target: &[f64]) -> Result<FittedOrdinalByTarget> {
        let mut codes = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let labels = frame.labels("ordinal_by_target", name)?;
            if labels.len() != target.len() {
                return Err(Error::TrainingData(format!(
                    "{name}: {} rows but {} targets",
                    labels.len(),
                    target.len()
                )));
            }
            let mut sums: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
            for (label, y) in labels.iter().zip(target) {
                if let Some(label) = label {
                    let entry = sums.entry(label.as_ref()).or_default();
                    entry.0 += y;
                    entry.1 += 1;
                }
            }
            // Stable sort of labels (already in label order) by mean target:
            // equal means keep label order, which makes ties deterministic.
            let mut by_mean: Vec<(&str, f64)> =
                sums.iter().map(|(l, (s, n))| (*l, s / *n as f64)).collect();
            by_mean.sort_by(|a, b| a.1.total_cmp(&b.1));
            let map = by_mean
                .iter()
                .enumerate()
                .map(|(rank, (label, _))| ((*label).to_owned(), rank as f64))
                .collect();
            codes.push((name.clone(), map));
        }
        Ok(FittedOrdinalByTarget { codes })
    }
}

impl FittedOrdinalByTarget {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        let ranks: Vec<_> = self
            .codes
            .iter()
            .map(|(_, map)| RankTable::new(map))
            .collect();
        self.transform_with(frame, &ranks)
    }

    /// [`FittedOrdinalByTarget::transform`] with each variable's codes in a
    /// hash table built beforehand.
    pub(crate) fn transform_with(&self, frame: &mut Frame, ranks: &[RankTable]) -> Result<()> {
        for ((name, _), table) in self.codes.iter().zip(ranks) {
            let labels = frame.labels("ordinal_by_target", name)?;
            let (codes, rejects) = encode(labels, |label| table.code(label));
            frame.replace("ordinal_by_target", name, ColumnData::Numeric(codes))?;
            for (row, label) in rejects {
                let message = if table.grouped || label == RARE_LABEL {
                    // An earlier step grouped a rare or new label into `Rare`.
                    "a label too rare (or new) to be priced: training grouped no label of this variable as `Rare`".to_owned()
                } else {
                    "is a label not seen in training, and this model has no `Rare` group for it"
                        .to_owned()
                };
                frame.reject(row, name, message);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

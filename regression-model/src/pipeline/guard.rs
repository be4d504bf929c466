//! What a fitted pipeline knows about its inputs beyond the steps: a
//! fallback for every read input no step imputes (with
//! `on_missing = "impute"`), and what training saw of each input (the range
//! of each number, the labels of each categorical column).
//!
//! Prediction uses it to price a row that misses a value (listing the
//! field in the prediction's `imputed`) and to say when a row is beyond
//! the training data (`extrapolated`: a number outside the training range,
//! a label never seen in training, which the encoders price as `Rare` or
//! as no category). Neither changes a price the model gave before: a
//! fallback only fills what would have been a rejection, and the flags are
//! additions.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Prediction;
use super::checks::InputRow;
use crate::frame::Frame;
use crate::schema::{CellRef, Column};
use crate::transform::LabelSet;

/// The learnt fallbacks and the training data's extent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputGuard {
    /// One per read input that no step imputes, when the config says
    /// `on_missing = "impute"`; empty otherwise.
    pub fallbacks: Vec<(Column, Fallback)>,
    /// `(column, min, max)` of each numeric read input over the rows the
    /// estimator was trained on.
    pub ranges: Vec<(Column, f64, f64)>,
    /// The labels each categorical read input had in those rows, sorted.
    pub labels: Vec<(Column, Vec<String>)>,
}

/// The value a missing input is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Fallback {
    /// The median of the training rows.
    Number(f64),
    /// `Missing` where an encoder of the column maps it, else the most
    /// frequent label of the training rows.
    Label(String),
}

/// The training labels of each categorical input in hash sets, built once
/// per pipeline ([`InputGuard::labels`] keeps them sorted, as stored). Every
/// prediction looks up each of its row's labels: a binary search of the
/// sorted strings took a quarter of generation 4's time for `test.csv`
/// (libc `memcmp` calls and mispredicted branches).
#[derive(Debug, Clone, Default)]
pub(crate) struct SeenLabels(Vec<(Column, LabelSet)>);

impl SeenLabels {
    pub(crate) fn new(guard: &InputGuard) -> SeenLabels {
        SeenLabels(
            guard
                .labels
                .iter()
                .map(|(column, labels)| (*column, labels.iter().cloned().collect()))
                .collect(),
        )
    }
}

/// The label the configs give to "none" (no basement, no pool, ...).
pub const MISSING_LABEL: &str = "Missing";

impl InputGuard {
    /// Whether prediction fills missing values instead of rejecting rows.
    pub fn imputes(&self) -> bool {
        !self.fallbacks.is_empty()
    }

    /// Fills the missing `columns` of each row in `frame` (built from the
    /// rows in order) with their fallbacks. Every column must have one
    /// (checked when the pipeline is fitted or loaded).
    pub(super) fn fill<'a>(&'a self, frame: &mut Frame<'a>, imputed: &[Vec<Column>]) {
        for (column, fallback) in &self.fallbacks {
            let rows = imputed
                .iter()
                .enumerate()
                .filter(|(_, columns)| columns.contains(column));
            // A column the frame lacks, or of the other kind, fails the
            // load-time check; it is left as it is here.
            match fallback {
                Fallback::Number(value) => {
                    if let Ok(values) = frame.numeric_mut("impute", column.name()) {
                        rows.for_each(|(row, _)| values[row] = *value);
                    }
                }
                Fallback::Label(label) => {
                    if let Ok(labels) = frame.labels_mut("impute", column.name()) {
                        rows.for_each(|(row, _)| labels[row] = Some(Cow::Borrowed(label.as_str())));
                    }
                }
            }
        }
    }

    /// The read inputs of `row` beyond what training saw, in column order;
    /// `seen` is [`SeenLabels::new`] of this guard.
    pub(super) fn extrapolated(&self, row: &InputRow<'_>, seen: &SeenLabels) -> Vec<Column> {
        let record = row.1;
        let mut beyond: Vec<Column> = Vec::new();
        for &(column, min, max) in &self.ranges {
            if let CellRef::Number(Some(value)) = record.get(column)
                && !(min..=max).contains(&value)
            {
                beyond.push(column);
            }
        }
        for (column, seen) in &seen.0 {
            if let CellRef::Label(Some(label)) = record.get(*column)
                && !seen.contains(label)
            {
                beyond.push(*column);
            }
        }
        beyond.sort_unstable();
        beyond
    }

    /// Gives a prediction its row's flags: the fallbacks it used
    /// (`imputed`, taken) and, given this guard's [`SeenLabels`], the
    /// inputs beyond the training data (without them, another member of
    /// the blend flags those).
    pub(super) fn annotate(
        &self,
        prediction: &mut Prediction,
        row: &InputRow<'_>,
        imputed: &mut Vec<Column>,
        seen: Option<&SeenLabels>,
    ) {
        if self.ranges.is_empty() && self.labels.is_empty() && !self.imputes() {
            return;
        }
        prediction.imputed = std::mem::take(imputed);
        if let Some(seen) = seen {
            prediction.extrapolated = self.extrapolated(row, seen);
        }
    }

    /// Whether `other` learnt the same ranges and labels, so that it flags
    /// the same inputs of any row as beyond the training data.
    pub(super) fn same_extent(&self, other: &InputGuard) -> bool {
        self.ranges == other.ranges && self.labels == other.labels
    }

    /// Checks a loaded guard against the pipeline's config: with
    /// `impute`, a fallback of the right kind for every input no step
    /// imputes (`required`); with `reject`, none.
    pub(super) fn verify(&self, impute: bool, required: &[Column]) -> Result<(), String> {
        if !impute {
            return match self.fallbacks.first() {
                None => Ok(()),
                Some((column, _)) => Err(format!(
                    "has a fallback for `{column}` but the config rejects missing values"
                )),
            };
        }
        let mut covered: Vec<Column> = Vec::with_capacity(self.fallbacks.len());
        for (column, fallback) in &self.fallbacks {
            let kind_ok = match fallback {
                Fallback::Number(v) => {
                    v.is_finite() && column.kind() == crate::schema::ColumnKind::Numeric
                }
                Fallback::Label(_) => column.kind() == crate::schema::ColumnKind::Categorical,
            };
            if !kind_ok || !required.contains(column) {
                return Err(format!(
                    "the fallback for `{column}` does not fit the model"
                ));
            }
            covered.push(*column);
        }
        match required.iter().find(|c| !covered.contains(c)) {
            Some(column) => Err(format!(
                "the config imputes missing values but `{column}` has no fallback"
            )),
            None => Ok(()),
        }
    }
}

#[cfg(feature = "train")]
mod fit;

#[cfg(all(test, feature = "train"))]
mod tests;

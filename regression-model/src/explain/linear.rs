//! The exact explanation of a linear estimator: each feature's term
//! `coefficient × value`, handed to raw input columns by lineage shares.
//! Everything but the per-row products is worked out once per pipeline.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::estimator::LinearModel;
use crate::frame::Frame;
use crate::schema::Column;
use crate::transform::{FittedStep, Lineage};

/// A linear pipeline's explanation, prepared: for every (feature, raw
/// column) pair with weight, the feature's coefficient times the column's
/// share of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinearExplainer {
    /// `(feature index, slot, coefficient × share)`, in feature order.
    terms: Vec<(usize, usize, f64)>,
    /// The raw column of every slot.
    columns: Vec<Column>,
    /// Every slot's weight (see [`LinearExplainer::weights`]).
    weights: Vec<f64>,
    features: usize,
    pub(crate) intercept: f64,
}

impl LinearExplainer {
    /// Traces `output_features` back to `features` through `steps`.
    ///
    /// # Errors
    /// [`Error::MissingColumn`] when an output feature has no lineage, or
    /// [`Error::Estimator`] when the model's coefficients do not match the
    /// features (a corrupt pipeline, which loading rules out).
    pub(crate) fn new(
        features: &[Column],
        steps: &[FittedStep],
        output_features: &[String],
        model: &LinearModel,
    ) -> Result<LinearExplainer> {
        if model.coefficients.len() != output_features.len() {
            return Err(Error::Estimator(format!(
                "fitted on {} features, the pipeline records {}",
                model.coefficients.len(),
                output_features.len()
            )));
        }
        let lineage = Lineage::through(features, steps)?;
        let mut slots: Vec<Option<usize>> = vec![None; features.len()];
        let mut columns = Vec::new();
        let mut terms = Vec::new();
        for (feature, (name, &coefficient)) in
            output_features.iter().zip(&model.coefficients).enumerate()
        {
            let sources = lineage.get("explain", name)?;
            if coefficient == 0.0 {
                continue;
            }
            for &(raw, share) in sources {
                let slot = *slots[raw].get_or_insert_with(|| {
                    columns.push(features[raw]);
                    columns.len() - 1
                });
                terms.push((feature, slot, coefficient * share));
            }
        }
        let weights = slot_weights(&terms, columns.len(), steps, output_features, model);
        Ok(LinearExplainer {
            terms,
            columns,
            weights,
            features: output_features.len(),
            intercept: model.intercept,
        })
    }

    /// Every accepted row's contributions, each in slot order, from a
    /// frame whose columns are `names` (the pipeline's output features).
    /// Column by column, as a linear model predicts from a frame: no
    /// feature matrix is built.
    ///
    /// # Errors
    /// [`Error::Estimator`] when `names` is not what the explainer was
    /// built for, and a frame error for a column it lacks.
    pub(crate) fn contributions(
        &self,
        frame: &Frame<'_>,
        names: &[String],
    ) -> Result<Vec<Vec<f64>>> {
        if names.len() != self.features || frame.names().len() != self.features {
            return Err(Error::Estimator(format!(
                "explaining {} features, given {}",
                self.features,
                frame.names().len()
            )));
        }
        let keep: Vec<usize> = frame.accepted_rows().collect();
        let slots = self.columns.len();
        if slots == 0 {
            return Ok(vec![Vec::new(); keep.len()]);
        }
        let mut flat = vec![0.0; keep.len() * slots];
        let mut column: (usize, &[f64]) = (usize::MAX, &[]);
        for &(feature, slot, weight) in &self.terms {
            if column.0 != feature {
                column = (feature, frame.numeric("explain", &names[feature])?);
            }
            for (values, &row) in flat.chunks_exact_mut(slots).zip(&keep) {
                values[slot] += weight * column.1[row];
            }
        }
        Ok(flat.chunks_exact(slots).map(<[f64]>::to_vec).collect())
    }

    /// `contributions` paired with their column names.
    pub(crate) fn named(
        &self,
        values: Vec<f64>,
    ) -> impl Iterator<Item = (Cow<'static, str>, f64)> + '_ {
        self.columns
            .iter()
            .map(|c| Cow::Borrowed(c.name()))
            .zip(values)
    }

    /// Every raw column's weight, in slot order: `Σ |coefficient| × share`
    /// over the features it feeds, except that a one-hot variable's columns
    /// count once, as the spread of their coefficients (see `top.rs`).
    pub(crate) fn weights(&self) -> impl Iterator<Item = (Column, f64)> + '_ {
        self.columns
            .iter()
            .copied()
            .zip(self.weights.iter().copied())
    }
}

/// The weights of [`LinearExplainer::weights`]. Only one column of a one-hot
/// variable is on at a time, so the variable can move the output by the
/// spread of its columns' coefficients (0 included: an unseen label turns
/// every column off), not by their sum.
fn slot_weights(
    terms: &[(usize, usize, f64)],
    slots: usize,
    steps: &[FittedStep],
    output_features: &[String],
    model: &LinearModel,
) -> Vec<f64> {
    let mut group_of: BTreeMap<&str, usize> = BTreeMap::new();
    let names: Vec<Vec<String>> = steps
        .iter()
        .filter_map(|s| match s {
            FittedStep::OneHot(one_hot) => Some(one_hot.variables.iter().map(|v| v.column_names())),
            _ => None,
        })
        .flatten()
        .collect();
    for (group, columns) in names.iter().enumerate() {
        for column in columns {
            group_of.insert(column, group);
        }
    }
    let mut groups = vec![Spread::default(); names.len()];
    let mut weights = vec![0.0; slots];
    for &(feature, slot, weight) in terms {
        let coefficient = model.coefficients[feature];
        match group_of.get(output_features[feature].as_str()) {
            Some(&group) => {
                let spread = &mut groups[group];
                spread.low = spread.low.min(coefficient);
                spread.high = spread.high.max(coefficient);
                if !spread.targets.iter().any(|(s, _)| *s == slot) {
                    spread.targets.push((slot, weight / coefficient));
                }
            }
            None => weights[slot] += weight.abs(),
        }
    }
    for spread in groups {
        for (slot, share) in spread.targets {
            weights[slot] += (spread.high - spread.low) * share;
        }
    }
    weights
}

/// A one-hot variable's lowest and highest coefficient (from 0), and the
/// slots its columns go to with their shares (the same for every column).
#[derive(Debug, Clone, Default)]
struct Spread {
    low: f64,
    high: f64,
    targets: Vec<(usize, f64)>,
}

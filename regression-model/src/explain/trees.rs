//! The exact explanation of gradient-boosted trees: each feature's
//! TreeSHAP value (see `estimator::gbm::shap`), handed to raw input
//! columns by the same lineage shares as a linear model's terms. The base
//! value is the trees' expected output (the boosting start plus each
//! tree's cover-weighted mean leaf), so `base + Σ contributions` is the
//! prediction up to rounding.

use std::borrow::Cow;

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::estimator::BoostedTrees;
use crate::schema::Column;
use crate::transform::{FittedStep, Lineage};

/// Boosted trees' explanation, prepared: every feature's raw columns with
/// their shares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TreeExplainer {
    /// Per feature, `(slot, share)` pairs.
    shares: Vec<Vec<(usize, f64)>>,
    /// The raw column of every slot.
    columns: Vec<Column>,
    /// The output before any feature contributes.
    pub(crate) base: f64,
}

impl TreeExplainer {
    /// Traces `output_features` back to `features` through `steps`.
    ///
    /// # Errors
    /// [`Error::NotExplainable`] for trees without their cover (an artifact
    /// older than format 3), [`Error::MissingColumn`] when an output
    /// feature has no lineage, [`Error::Estimator`] when the trees do not
    /// match the features (a corrupt pipeline, which loading rules out).
    pub(crate) fn new(
        features: &[Column],
        steps: &[FittedStep],
        output_features: &[String],
        model: &BoostedTrees,
    ) -> Result<TreeExplainer> {
        if !model.has_cover() {
            return Err(Error::NotExplainable {
                estimator: "gradient_boosting".into(),
                reason: "its trees store no node cover (an artifact older than format 3), which exact TreeSHAP needs; retrain it with this version to explain it".into(),
            });
        }
        if model.n_features != output_features.len() {
            return Err(Error::Estimator(format!(
                "fitted on {} features, the pipeline records {}",
                model.n_features,
                output_features.len()
            )));
        }
        let lineage = Lineage::through(features, steps)?;
        let mut slots: Vec<Option<usize>> = vec![None; features.len()];
        let mut columns = Vec::new();
        let mut shares = Vec::with_capacity(output_features.len());
        for name in output_features {
            let sources = lineage.get("explain", name)?;
            let feature_shares = sources
                .iter()
                .map(|&(raw, share)| {
                    let slot = *slots[raw].get_or_insert_with(|| {
                        columns.push(features[raw]);
                        columns.len() - 1
                    });
                    (slot, share)
                })
                .collect();
            shares.push(feature_shares);
        }
        Ok(TreeExplainer {
            shares,
            columns,
            base: model.expected_value(),
        })
    }

    /// Every row's contributions in slot order, from the feature matrix
    /// the trees predict from (accepted rows, in order).
    pub(crate) fn contributions(&self, model: &BoostedTrees, x: &Array2<f64>) -> Vec<Vec<f64>> {
        x.outer_iter()
            .map(|row| {
                let phi = model.shap_row(|c| row.get(c).copied().unwrap_or(f64::NAN));
                let mut values = vec![0.0; self.columns.len()];
                for (value, shares) in phi.iter().zip(&self.shares) {
                    for &(slot, share) in shares {
                        values[slot] += value * share;
                    }
                }
                values
            })
            .collect()
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
}

//! Why a price is what it is: an [`Explanation`] splits one prediction into
//! a base value and one [`Contribution`] per raw input column (the names a
//! client sent), which add up to the prediction.
//!
//! For a linear estimator (Lasso, ridge, elastic net) the split is exact:
//! the model's output is `intercept + Σ coefficient × feature`, so the base
//! value is the intercept and each feature's term `coefficient × value` (the
//! value the estimator sees, after every step, scaling included) is handed
//! back to the raw columns it came from through the steps' weighted
//! [`Lineage`](crate::transform::Lineage) (a one-hot variable becomes one
//! contribution, a derived column is shared equally among its inputs).
//! Scaling is affine per column, so its offset is part of each term and
//! nothing has to be moved into the base: the base value is what the model
//! says for a house whose every feature, as the estimator sees it, is 0.
//!
//! A blend (fixed or stacked weights) is explained as the weighted sum of
//! its members' explanations, in the blend's target space.
//!
//! Units: values are in the model's output units. With the log target
//! (`target_transform = "log"`) they are log-price units, `price =
//! exp(base_value + Σ value)`, and each contribution also has a `factor`
//! `exp(value)`, what it multiplies the price by. With no target transform
//! they are dollars, `price = base_value + Σ value`, and there is no
//! factor.
//!
//! Gradient-boosted trees are explained by exact path-dependent TreeSHAP
//! (Lundberg et al. 2018, Algorithm 2) on the features the trees see, each
//! feature's value then handed to raw columns by the same lineage: the base
//! value is the trees' expected output over the training rows. It needs how
//! many training rows reached every node (the cover), which artifacts store
//! from format 3 on; older tree artifacts, and random forests (smartcore's
//! trees store no cover), are refused with
//! [`Error::NotExplainable`](crate::Error::NotExplainable).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::config::TargetTransform;
use crate::error::FieldError;
use crate::pipeline::{Outcome, Prediction, RejectedRow, Rejections};

mod linear;
mod pipeline;
mod response;
mod top;
mod trees;

pub(crate) use linear::LinearExplainer;
pub use response::ExplanationResponse;
pub use top::FeatureWeight;

/// One raw input column's share of a prediction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The column's Kaggle name, as a client sends it.
    pub column: Cow<'static, str>,
    /// What the column adds to the model's output, in output units.
    pub value: f64,
    /// With a log target, `exp(value)`: the factor the column multiplies
    /// the price by. Absent for a model without a target transform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
}

/// One row's explanation: `base_value` plus every contribution's `value`
/// is the model's output for the row, whose inverse transform is `price`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The row's index in the batch.
    pub row: usize,
    /// The record's `Id`, when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The predicted price, the same as prediction gives.
    pub price: f64,
    /// The model's output before any column contributes, in output units.
    pub base_value: f64,
    /// The price of the base value alone.
    pub base_price: f64,
    /// Per raw input column the model gives weight to, largest `|value|`
    /// first (ties by name).
    pub contributions: Vec<Contribution>,
}

impl Explanation {
    /// Builds an explanation from a prediction, a base value and per-column
    /// values (in any order; zero values are left out).
    pub(crate) fn new(
        prediction: Prediction,
        base_value: f64,
        values: impl IntoIterator<Item = (Cow<'static, str>, f64)>,
        transform: TargetTransform,
    ) -> Explanation {
        let mut contributions: Vec<Contribution> = values
            .into_iter()
            .filter(|(_, value)| *value != 0.0)
            .map(|(column, value)| Contribution {
                column,
                value,
                factor: None,
            })
            .collect();
        // Unstable (in place, no scratch space): equal values are ordered
        // by name, so the order is still fully determined.
        contributions.sort_unstable_by(|a, b| {
            b.value
                .abs()
                .total_cmp(&a.value.abs())
                .then_with(|| a.column.cmp(&b.column))
        });
        if transform == TargetTransform::Log {
            for c in &mut contributions {
                c.factor = Some(c.value.exp());
            }
        }
        Explanation {
            row: prediction.row,
            id: prediction.id,
            price: prediction.price,
            base_value,
            base_price: transform.inverse(base_value),
            contributions,
        }
    }

    /// `base_value + Σ value`: the model's output the explanation accounts
    /// for (its inverse transform is `price`, up to rounding).
    pub fn output(&self) -> f64 {
        self.base_value + self.contributions.iter().map(|c| c.value).sum::<f64>()
    }

    fn prediction(&self) -> Prediction {
        Prediction {
            row: self.row,
            id: self.id,
            price: self.price,
            imputed: Vec::new(),
            extrapolated: Vec::new(),
        }
    }
}

/// Explanations for the accepted rows and the reasons for the rejected
/// ones, exactly as [`Outcome`] has them for predictions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExplainOutcome {
    /// One explanation per accepted row, in row order.
    pub explanations: Vec<Explanation>,
    /// The errors the [`ErrorLimit`](crate::ErrorLimit) kept.
    pub errors: Vec<FieldError>,
    /// Every error found, kept in `errors` or not.
    pub error_count: usize,
    /// Every rejected row with its number of errors.
    pub rejected: Vec<RejectedRow>,
}

impl ExplainOutcome {
    fn new(explanations: Vec<Explanation>, rejections: Rejections) -> ExplainOutcome {
        let Outcome {
            errors,
            error_count,
            rejected,
            ..
        } = Outcome::new(Vec::new(), rejections);
        ExplainOutcome {
            explanations,
            errors,
            error_count,
            rejected,
        }
    }

    /// Whether some errors were counted but not kept.
    pub fn errors_truncated(&self) -> bool {
        self.error_count > self.errors.len()
    }

    /// The predictions the explanations carry, as prediction reports them.
    pub fn to_outcome(&self) -> Outcome {
        Outcome {
            predictions: self
                .explanations
                .iter()
                .map(Explanation::prediction)
                .collect(),
            errors: self.errors.clone(),
            error_count: self.error_count,
            rejected: self.rejected.clone(),
        }
    }
}

#[cfg(test)]
mod tests;

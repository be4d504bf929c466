//! Gradient-boosted regression trees (`model = "gradient_boosting"`),
//! histogram-based like XGBoost's and LightGBM's `hist` method, written
//! here rather than taken from `forust-ml` (README.md, "Gradient boosting",
//! gives the reasons: mainly bit-for-bit determinism under our control and
//! a fitted form that postcard stores directly).
//!
//! Squared loss on the (log) target: each tree is fitted to the residuals
//! of the trees before it, and its leaves add `learning_rate · Σr / (n + l2)`.
//! Every feature is cut into at most `max_bins` equal-frequency bins once,
//! before the first tree; a split is "value ≤ threshold", the threshold
//! being the midpoint between two training values, so prediction reads raw
//! values and never needs the bins.
//!
//! Determinism: row and column sampling draw from one SplitMix64 stream
//! seeded by `seed`; the per-feature split searches run in parallel
//! (rayon), but each one sums its rows in row order and the best split is
//! chosen by scanning the features in column order (first wins on ties),
//! so the fitted trees, and thus the artifact's bytes and every prediction,
//! are the same for any thread count.
//!
//! ```toml
//! [estimator]
//! model = "gradient_boosting"
//! n_trees = 1000
//! learning_rate = 0.03
//! max_depth = 4
//! min_samples_leaf = 10
//! subsample = 0.7
//! ```

#[cfg(feature = "train")]
mod bins;
mod compact;
#[cfg(feature = "train")]
mod fit;
#[cfg(feature = "train")]
mod grow;
mod shap;
mod tree;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::params::{self, ParamError, Rule};
use crate::error::{Error, Result};
pub(crate) use compact::CompactTrees;
pub use tree::{Node, Tree};

/// Hyper-parameters of the boosted trees.
///
/// | setting | default | range | what |
/// | --- | ---: | --- | --- |
/// | `n_trees` | 500 | 1 – 100,000 | boosting rounds |
/// | `learning_rate` | 0.05 | (0, 1] | shrinkage of every tree |
/// | `max_depth` | 4 | 1 – 16 | depth of every tree |
/// | `min_samples_leaf` | 10 | ≥ 1 | training rows a leaf must hold |
/// | `l2` | 1.0 | ≥ 0 | ridge penalty on leaf values (XGBoost's lambda) |
/// | `min_gain` | 0.0 | ≥ 0 | loss reduction a split must exceed |
/// | `max_bins` | 64 | 2 – 256 | histogram bins per feature |
/// | `subsample` | 1.0 | (0, 1] | share of rows each tree sees |
/// | `colsample` | 1.0 | (0, 1] | share of features each tree may split on |
/// | `seed` | 0 | any | seed of the row and feature sampling |
/// | `loss` | `squared` | `squared`, `huber` | what each tree fits (below) |
/// | `huber_quantile` | 0.9 | (0, 1] | with `huber`, the share of residuals left unclipped |
///
/// With `loss = "huber"` each tree fits the residuals clipped at their
/// `huber_quantile` quantile in absolute value (recomputed before every
/// tree, over all training rows), so a few badly priced houses pull the
/// trees less: the gradient of the Huber loss, with unit hessian.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GradientBoosting {
    pub n_trees: usize,
    pub learning_rate: f64,
    pub max_depth: usize,
    pub min_samples_leaf: usize,
    pub l2: f64,
    pub min_gain: f64,
    pub max_bins: usize,
    pub subsample: f64,
    pub colsample: f64,
    pub seed: u64,
    pub loss: Loss,
    pub huber_quantile: f64,
}

/// The loss the trees minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    #[default]
    Squared,
    Huber,
}

impl Default for GradientBoosting {
    fn default() -> Self {
        GradientBoosting {
            n_trees: 500,
            learning_rate: 0.05,
            max_depth: 4,
            min_samples_leaf: 10,
            l2: 1.0,
            min_gain: 0.0,
            max_bins: 64,
            subsample: 1.0,
            colsample: 1.0,
            seed: 0,
            loss: Loss::Squared,
            huber_quantile: 0.9,
        }
    }
}

/// The largest accepted `n_trees`: it bounds fitting time and artifact size.
const MAX_TREES: usize = 100_000;
const MAX_DEPTH: usize = 16;

impl GradientBoosting {
    /// Refuses settings outside the table above, naming the value.
    pub fn check(&self) -> Result<(), ParamError> {
        let check = |parameter, value: f64, rule| {
            params::check("gradient_boosting", parameter, value, rule)
        };
        let count = |min: usize, max: usize| Rule::Count { min, max };
        check("n_trees", self.n_trees as f64, count(1, MAX_TREES))?;
        check("learning_rate", self.learning_rate, Rule::Share)?;
        check("max_depth", self.max_depth as f64, count(1, MAX_DEPTH))?;
        check(
            "min_samples_leaf",
            self.min_samples_leaf as f64,
            Rule::AtLeastOne,
        )?;
        check("l2", self.l2, Rule::NonNegative)?;
        check("min_gain", self.min_gain, Rule::NonNegative)?;
        check("max_bins", self.max_bins as f64, count(2, 256))?;
        check("subsample", self.subsample, Rule::Share)?;
        check("colsample", self.colsample, Rule::Share)?;
        check("huber_quantile", self.huber_quantile, Rule::Share)
    }
}

/// A corrupt tree's feature index past the columns reads NaN (so the row
/// goes right) instead of panicking; `predict` checked the column count.
fn value(x: &Array2<f64>, row: usize, column: usize) -> f64 {
    x.get((row, column)).copied().unwrap_or(f64::NAN)
}

/// Fitted boosted trees: the mean target plus every tree's leaf value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoostedTrees {
    pub n_features: usize,
    /// The training mean of the target, where boosting starts.
    pub base: f64,
    pub trees: Vec<Tree>,
}

impl BoostedTrees {
    /// Predicts one value per row. Every row's sum adds the trees in tree
    /// order, whatever the batch, so a row's value does not depend on the
    /// batch it came in. The loop runs tree by tree over all rows, so that
    /// one tree's nodes stay in cache while every row walks it (row by row,
    /// each row would stream all the trees through the cache again).
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        if x.ncols() != self.n_features {
            return Err(Error::Estimator(format!(
                "gradient_boosting fitted on {} features, given {}",
                self.n_features,
                x.ncols()
            )));
        }
        let mut sums = vec![self.base; x.nrows()];
        for tree in &self.trees {
            for (i, sum) in sums.iter_mut().enumerate() {
                *sum += tree.predict_row(|c| value(x, i, c));
            }
        }
        Ok(sums)
    }

    /// Checks every tree's cover (see [`Tree::check_cover`]): all trees
    /// store it (format 3) or none does (an older artifact).
    pub fn check_cover(&self) -> std::result::Result<(), String> {
        for (index, tree) in self.trees.iter().enumerate() {
            tree.check_cover()
                .map_err(|m| format!("tree {}: {m}", index + 1))?;
        }
        let covered = self.trees.iter().filter(|t| t.has_cover()).count();
        if covered != 0 && covered != self.trees.len() {
            return Err(format!(
                "{covered} of {} trees store their cover",
                self.trees.len()
            ));
        }
        Ok(())
    }

    /// Whether TreeSHAP can explain these trees: they store their cover.
    pub fn has_cover(&self) -> bool {
        self.trees.iter().all(Tree::has_cover)
    }

    /// The output before any feature contributes: the boosting start plus
    /// every tree's expected value.
    pub fn expected_value(&self) -> f64 {
        self.trees
            .iter()
            .fold(self.base, |sum, tree| sum + tree.expected_value())
    }

    /// One row's exact TreeSHAP values, one per feature, summed over the
    /// trees in tree order: `expected_value() + Σ phi` is the row's
    /// prediction, up to rounding.
    pub fn shap_row(&self, value: impl Fn(usize) -> f64) -> Vec<f64> {
        let mut phi = vec![0.0; self.n_features];
        for tree in &self.trees {
            tree.add_shap(&value, &mut phi);
        }
        phi
    }
}

#[cfg(all(test, feature = "train"))]
mod tests;

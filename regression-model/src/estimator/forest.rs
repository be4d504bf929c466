//! The random forest regressor: its configuration, and the fitted forest a
//! pipeline predicts with. Fitting uses smartcore (`train` feature, see
//! `smartcore_models.rs`); predicting walks the trees itself ([`trees`]),
//! so a predict-only build needs no smartcore.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::params::{self, ParamError, Rule};
use crate::error::{Error, Result};

pub(crate) mod trees;

/// Random forest regressor (smartcore), seeded.
///
/// | parameter | default | range |
/// |---|---|---|
/// | `n_trees` | 100 | 1 – 5,000 |
/// | `max_depth` | none | any |
/// | `min_samples_leaf` | 1 | ≥ 1 |
/// | `seed` | 0 | any |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomForest {
    #[serde(default = "hundred")]
    pub n_trees: usize,
    #[serde(default)]
    pub max_depth: Option<u16>,
    #[serde(default = "one")]
    pub min_samples_leaf: usize,
    #[serde(default)]
    pub seed: u64,
}

/// The largest accepted `n_trees`: a tree of the course data takes ~37 KB,
/// so 5,000 stay within the artifact bound (`MAX_ARTIFACT_BYTES`) and a
/// typo (`1000000000`) is refused before any memory is asked for.
const MAX_TREES: usize = 5_000;

fn hundred() -> usize {
    100
}
fn one() -> usize {
    1
}

impl RandomForest {
    /// Refuses counts the forest cannot use.
    pub fn check(&self) -> Result<(), ParamError> {
        params::check(
            "random_forest",
            "n_trees",
            self.n_trees as f64,
            Rule::Count {
                min: 1,
                max: MAX_TREES,
            },
        )?;
        params::check(
            "random_forest",
            "min_samples_leaf",
            self.min_samples_leaf as f64,
            Rule::AtLeastOne,
        )
    }
}

/// A fitted forest and the number of features it expects. Its serialised
/// form is smartcore's, byte for byte.
#[derive(Debug, Serialize, Deserialize)]
pub struct ForestModel {
    pub(super) forest: trees::Forest,
    pub n_features: usize,
}

impl ForestModel {
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        let mut row = Vec::with_capacity(x.ncols());
        x.outer_iter()
            .map(|values| {
                row.clear();
                row.extend(values.iter().copied());
                self.forest
                    .predict_row(&row)
                    .map_err(|problem| Error::Estimator(format!("random_forest: {problem}")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::RandomForest;

    #[test]
    fn a_tree_count_past_the_bound_is_refused_before_fitting() {
        let forest = |n_trees| RandomForest {
            n_trees,
            max_depth: None,
            min_samples_leaf: 1,
            seed: 0,
        };
        assert!(forest(super::MAX_TREES).check().is_ok());
        let error = forest(1_000_000_000).check().unwrap_err().to_string();
        assert_eq!(
            error,
            "random_forest n_trees must be in 1..=5000, got 1000000000"
        );
    }
}

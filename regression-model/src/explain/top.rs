//! The model's largest weights per raw input column, for a chart of what a
//! model leans on most (the service's model card shows it).
//!
//! For a linear pipeline a column's weight is `Σ |coefficient| × share`
//! over the estimator features it feeds (shares from the lineage, as in an
//! explanation): how much the model's output moves per unit of those
//! features as the estimator sees them. The configs scale their features
//! first (per inter-quartile range under `robust_scale`, over the training
//! range under `min_max_scale`), which is what makes the weights comparable
//! across columns. A one-hot variable counts once, as the spread of its
//! columns' coefficients (highest minus lowest, 0 included): only one of
//! them is on at a time, so that is how far the variable can move the
//! output, where their sum would grow with its number of labels. It is not
//! the mean `|contribution|` over the training rows: the artifact keeps no
//! training rows. A blend's weights are its members', weighted like its
//! prediction.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::artifact::TrainedModel;
use crate::error::Result;
use crate::pipeline::FittedPipeline;

/// One raw input column's weight in a model (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureWeight {
    /// The raw input column (a Kaggle field name).
    pub column: Cow<'static, str>,
    /// Its weight, in the model's output units (see the module docs).
    pub weight: f64,
}

impl FittedPipeline {
    /// Every raw column's weight, largest first (ties by name); columns
    /// the model gives no weight to are left out.
    ///
    /// # Errors
    /// [`Error::NotExplainable`](crate::Error::NotExplainable) for trees.
    pub fn feature_weights(&self) -> Result<Vec<FeatureWeight>> {
        self.check_explainable()?;
        let mut totals: BTreeMap<Cow<'static, str>, f64> = BTreeMap::new();
        self.add_weights(1.0, &mut totals)?;
        let mut weights: Vec<FeatureWeight> = totals
            .into_iter()
            .filter(|(_, w)| *w > 0.0)
            .map(|(column, weight)| FeatureWeight { column, weight })
            .collect();
        weights.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.column.cmp(&b.column))
        });
        Ok(weights)
    }

    fn add_weights(&self, scale: f64, totals: &mut BTreeMap<Cow<'static, str>, f64>) -> Result<()> {
        if let Some(members) = self.estimator.members() {
            let total: f64 = members.iter().map(|m| m.weight).sum();
            for member in members {
                member
                    .pipeline
                    .add_weights(scale * member.weight / total, totals)?;
            }
            return Ok(());
        }
        for (column, weight) in self.linear_explainer()?.weights() {
            *totals.entry(Cow::Borrowed(column.name())).or_default() += scale * weight;
        }
        Ok(())
    }
}

impl TrainedModel {
    /// The `n` raw columns with the largest weights, largest first; see
    /// [`FittedPipeline::feature_weights`].
    ///
    /// # Errors
    /// [`Error::NotExplainable`](crate::Error::NotExplainable) for trees.
    pub fn top_features(&self, n: usize) -> Result<Vec<FeatureWeight>> {
        let mut weights = self.pipeline.feature_weights()?;
        weights.truncate(n);
        Ok(weights)
    }
}

//! Read-only views of a fitted pipeline, for reports and inspection: the
//! fields stay private so that nothing outside the crate can change a
//! pipeline after it was fitted or verified.

use super::{FittedMember, FittedPipeline};
use crate::config::PipelineConfig;
use crate::estimator::FittedEstimator;

/// The weights of a fitted linear estimator, one coefficient per output
/// feature, in the order of [`FittedPipeline::output_features`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearWeights<'a> {
    /// The model's output for a row whose features are all zero (in the
    /// target space: log dollars with a log target).
    pub intercept: f64,
    /// One weight per output feature; 0 for a feature Lasso zeroed.
    pub coefficients: &'a [f64],
}

impl FittedPipeline {
    /// The config it was fitted from.
    pub fn config(&self) -> &PipelineConfig {
        &self.config
    }

    /// The columns the estimator sees, in order.
    pub fn output_features(&self) -> &[String] {
        &self.output_features
    }

    /// The kind of each fitted step, in order (`impute`, `one_hot`, ...).
    pub fn step_kinds(&self) -> impl ExactSizeIterator<Item = &'static str> + '_ {
        self.steps.iter().map(|s| s.kind())
    }

    /// A blend's or a stack's members with their weights; `None` for a
    /// pipeline with one estimator.
    pub fn members(&self) -> Option<&[FittedMember]> {
        self.estimator.members()
    }

    /// The intercept and coefficients of a linear estimator (Lasso, ridge,
    /// elastic net); `None` for trees and blends.
    pub fn linear_weights(&self) -> Option<LinearWeights<'_>> {
        match &self.estimator {
            FittedEstimator::Linear(m) => Some(LinearWeights {
                intercept: m.intercept,
                coefficients: &m.coefficients,
            }),
            _ => None,
        }
    }
}

//! What fitting an estimator gives: one enum for every kind, whose
//! variant order is the artifact's (postcard stores variant indices), and
//! predicting a rows × features matrix with it. The configurations that
//! fit them are the parent module's.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::{BoostedTrees, ForestModel, KernelModel, QuadraticModel, Stack};
use crate::error::{Error, Result};

/// A fitted estimator. A blend's members are whole fitted pipelines, which
/// live a layer above the estimators: `Member` is that type
/// (`pipeline::FittedMember` in a fitted pipeline), so this module never
/// names a pipeline type.
#[derive(Debug, Serialize, Deserialize)]
pub enum FittedEstimator<Member> {
    Linear(LinearModel),
    RandomForest(ForestModel),
    // New kinds go last: postcard stores variant indices.
    /// The fitted members of a blend (see [`super::blend`]).
    Blend(Vec<Member>),
    /// Gradient-boosted trees (see [`super::gbm`]).
    BoostedTrees(BoostedTrees),
    /// A blend whose weights were learnt by stacking (see [`super::stack`]).
    Stacked(Stack<Member>),
    /// A polynomial kernel ridge, expanded (see [`super::KernelRidge`]).
    Quadratic(QuadraticModel),
    /// Support vectors and their coefficients (see [`super::Svr`]).
    Kernel(KernelModel),
}

/// Weights and intercept of a fitted linear model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    pub coefficients: Vec<f64>,
    pub intercept: f64,
    /// Solver iterations used (0 for closed-form solvers).
    pub iterations: usize,
}

impl<Member> FittedEstimator<Member> {
    /// The fitted members of a blend or a stack (`None` for a single
    /// estimator).
    pub fn members(&self) -> Option<&[Member]> {
        match self {
            FittedEstimator::Blend(members) => Some(members),
            FittedEstimator::Stacked(stack) => Some(&stack.members),
            _ => None,
        }
    }

    /// The same estimator with each member converted by `convert`, in
    /// order (a stored member into a verified one); the first error stops.
    pub(crate) fn try_map_members<Other, E>(
        self,
        mut convert: impl FnMut(Member) -> std::result::Result<Other, E>,
    ) -> std::result::Result<FittedEstimator<Other>, E> {
        Ok(match self {
            FittedEstimator::Linear(m) => FittedEstimator::Linear(m),
            FittedEstimator::RandomForest(m) => FittedEstimator::RandomForest(m),
            FittedEstimator::Blend(members) => FittedEstimator::Blend(
                members
                    .into_iter()
                    .map(convert)
                    .collect::<std::result::Result<_, E>>()?,
            ),
            FittedEstimator::BoostedTrees(m) => FittedEstimator::BoostedTrees(m),
            FittedEstimator::Stacked(stack) => FittedEstimator::Stacked(Stack {
                members: stack
                    .members
                    .into_iter()
                    .map(&mut convert)
                    .collect::<std::result::Result<_, E>>()?,
                out_of_fold: stack.out_of_fold,
            }),
            FittedEstimator::Quadratic(m) => FittedEstimator::Quadratic(m),
            FittedEstimator::Kernel(m) => FittedEstimator::Kernel(m),
        })
    }

    /// Number of features the estimator was fitted on.
    pub fn n_features(&self) -> usize {
        match self {
            FittedEstimator::Linear(m) => m.coefficients.len(),
            FittedEstimator::RandomForest(m) => m.n_features,
            FittedEstimator::Blend(_) => 0,
            FittedEstimator::BoostedTrees(m) => m.n_features,
            FittedEstimator::Stacked(_) => 0,
            FittedEstimator::Quadratic(m) => m.n_features,
            FittedEstimator::Kernel(m) => m.n_features,
        }
    }

    /// Predicts one value per row. Fails when the column count differs from
    /// the one fitted.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        if x.ncols() != self.n_features() {
            return Err(Error::Estimator(format!(
                "fitted on {} features, given {}",
                self.n_features(),
                x.ncols()
            )));
        }
        match self {
            // A plain left-to-right sum, not ndarray's `dot`: its unrolling
            // depends on the matrix's shape and strides, which would give the
            // same record a price a few bits apart in batches of other sizes.
            FittedEstimator::Linear(m) => Ok(x
                .outer_iter()
                .map(|row| {
                    row.iter()
                        .zip(&m.coefficients)
                        .fold(0.0, |sum, (x, w)| sum + x * w)
                        + m.intercept
                })
                .collect()),
            FittedEstimator::RandomForest(m) => m.predict(x),
            FittedEstimator::BoostedTrees(m) => m.predict(x),
            FittedEstimator::Quadratic(m) => m.predict(x),
            FittedEstimator::Kernel(m) => m.predict(x),
            FittedEstimator::Stacked(_) => Err(Error::Estimator(
                "a stack predicts from records (FittedPipeline::predict), not from a matrix".into(),
            )),
            FittedEstimator::Blend(_) => Err(Error::Estimator(
                "a blend predicts from records (FittedPipeline::predict), not from a matrix".into(),
            )),
        }
    }
}

//! Estimators behind one configuration enum, so that choosing or updating a
//! model is a config change. Lasso is ours (scikit-learn's algorithm, see
//! [`lasso`]) and so are the elastic net and `ridge_cd`, on the same
//! solver, and the gradient-boosted trees ([`gbm`]); `ridge` (Cholesky) and
//! random forest are fitted by smartcore. A [`blend`] averages whole
//! pipelines rather than fitting a matrix, with fixed weights or weights
//! learnt by [`stack`]ing.
//!
//! Fitting needs the `train` feature; predicting with any fitted estimator,
//! a forest included, does not.

pub mod blend;
#[cfg(feature = "train")]
mod descent;
mod elastic_net;
mod fitted;
mod forest;
pub mod gbm;
mod kernel_ridge;
pub mod lasso;
mod params;
mod ridge;
mod ridge_cd;
#[cfg(feature = "train")]
mod smartcore_models;
pub mod stack;
mod svr;

pub use blend::{Blend, MemberConfig};
pub use elastic_net::ElasticNet;
pub use fitted::{FittedEstimator, LinearModel};
pub use forest::{ForestModel, RandomForest};
pub use gbm::{BoostedTrees, GradientBoosting, Node, Tree};
pub use kernel_ridge::{KernelRidge, QuadraticModel};
pub use lasso::Lasso;
pub use params::{ParamError, Rule};
pub use ridge::Ridge;
pub use ridge_cd::RidgeCd;
pub use stack::{OutOfFold, Stack, Stacking, StackingReport};
pub(crate) use svr::KernelLayout;
pub use svr::{KernelModel, Svr};

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The `[estimator]` table of a pipeline config; `model` picks the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum EstimatorConfig {
    Lasso(Lasso),
    Ridge(Ridge),
    ElasticNet(ElasticNet),
    RandomForest(RandomForest),
    // New kinds go last (the artifact stores the config as TOML, but keep
    // the order stable anyway).
    RidgeCd(RidgeCd),
    Blend(Blend),
    GradientBoosting(GradientBoosting),
    KernelRidge(KernelRidge),
    Svr(Svr),
}

impl EstimatorConfig {
    pub fn name(&self) -> &'static str {
        match self {
            EstimatorConfig::Lasso(_) => "lasso",
            EstimatorConfig::Ridge(_) => "ridge",
            EstimatorConfig::ElasticNet(_) => "elastic_net",
            EstimatorConfig::RandomForest(_) => "random_forest",
            EstimatorConfig::RidgeCd(_) => "ridge_cd",
            EstimatorConfig::Blend(_) => "blend",
            EstimatorConfig::GradientBoosting(_) => "gradient_boosting",
            EstimatorConfig::KernelRidge(_) => "kernel_ridge",
            EstimatorConfig::Svr(_) => "svr",
        }
    }

    /// Refuses hyper-parameters the estimator cannot use.
    pub fn check(&self) -> Result<(), ParamError> {
        match self {
            EstimatorConfig::Lasso(p) => p.check(),
            EstimatorConfig::Ridge(p) => p.check(),
            EstimatorConfig::ElasticNet(p) => p.check(),
            EstimatorConfig::RandomForest(p) => p.check(),
            EstimatorConfig::RidgeCd(p) => p.check(),
            EstimatorConfig::Blend(p) => p.check(),
            EstimatorConfig::GradientBoosting(p) => p.check(),
            EstimatorConfig::KernelRidge(p) => p.check(),
            EstimatorConfig::Svr(p) => p.check(),
        }
    }

    /// Fits on a rows × features matrix and its targets.
    #[cfg(feature = "train")]
    pub fn fit<Member>(&self, x: &Array2<f64>, y: &[f64]) -> Result<FittedEstimator<Member>> {
        check_rows(x.nrows(), y)?;
        Ok(match self {
            EstimatorConfig::Lasso(p) => FittedEstimator::Linear(p.fit(x, y)?),
            EstimatorConfig::Ridge(p) => FittedEstimator::Linear(p.fit(x, y)?),
            EstimatorConfig::ElasticNet(p) => FittedEstimator::Linear(p.fit(x, y)?),
            EstimatorConfig::RandomForest(p) => FittedEstimator::RandomForest(p.fit(x, y)?),
            EstimatorConfig::RidgeCd(p) => FittedEstimator::Linear(p.fit(x, y)?),
            EstimatorConfig::GradientBoosting(p) => FittedEstimator::BoostedTrees(p.fit(x, y)?),
            EstimatorConfig::KernelRidge(p) => FittedEstimator::Quadratic(p.fit(x, y)?),
            EstimatorConfig::Svr(p) => FittedEstimator::Kernel(p.fit(x, y)?),
            EstimatorConfig::Blend(_) => {
                return Err(Error::Estimator(
                    "a blend is fitted on records, member pipeline by member pipeline (FittedPipeline::fit), not on a matrix".into(),
                ));
            }
        })
    }

    /// [`EstimatorConfig::fit`] on the matrix's `rows`-long columns, which
    /// it consumes: the coordinate-descent estimators centre them in place,
    /// so a training run holds its design matrix once instead of three
    /// times (frame, matrix, centred copy). Same bits as [`EstimatorConfig::fit`]
    /// on the column-major matrix of these columns.
    #[cfg(feature = "train")]
    pub(crate) fn fit_columns<Member>(
        &self,
        rows: usize,
        columns: Vec<Vec<f64>>,
        y: &[f64],
    ) -> Result<FittedEstimator<Member>> {
        use descent::Descent;
        check_rows(rows, y)?;
        Ok(FittedEstimator::Linear(match self {
            EstimatorConfig::Lasso(p) => p.fit_columns(columns, y)?,
            EstimatorConfig::ElasticNet(p) => p.fit_columns(columns, y)?,
            EstimatorConfig::RidgeCd(p) => p.fit_columns(columns, y)?,
            _ => {
                let p = columns.len();
                let mut data = Vec::with_capacity(rows * p);
                for column in columns {
                    data.extend_from_slice(&column);
                }
                use ndarray::ShapeBuilder;
                let x = Array2::from_shape_vec((rows, p).f(), data).map_err(|e| {
                    Error::Estimator(format!("cannot build the feature matrix: {e}"))
                })?;
                return self.fit(&x, y);
            }
        }))
    }
}

/// Refuses a matrix whose width is not the `n_features` that `model` was
/// fitted on.
fn check_width(model: &str, n_features: usize, x: &Array2<f64>) -> Result<()> {
    if x.ncols() != n_features {
        return Err(Error::Estimator(format!(
            "{model} fitted on {n_features} features, given {}",
            x.ncols()
        )));
    }
    Ok(())
}

/// `f` of each row of `x`, in row order, each row handed over as one
/// contiguous slice (a row of the pipeline's column-major matrix is not).
fn map_rows(x: &Array2<f64>, mut f: impl FnMut(&[f64]) -> f64) -> Vec<f64> {
    let mut row = vec![0.0; x.ncols()];
    x.outer_iter()
        .map(|values| {
            row.iter_mut().zip(values).for_each(|(r, v)| *r = *v);
            f(&row)
        })
        .collect()
}

#[cfg(feature = "train")]
fn check_rows(rows: usize, y: &[f64]) -> Result<()> {
    if rows != y.len() || rows == 0 {
        return Err(Error::Estimator(format!(
            "{rows} rows of features but {} targets",
            y.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lasso_recovers_an_exact_linear_relation_with_a_tiny_penalty() {
        let x = Array2::from_shape_fn((50, 2), |(i, j)| ((i * (j + 3)) % 17) as f64);
        let y: Vec<f64> = x
            .outer_iter()
            .map(|r| 3.0 * r[0] - 2.0 * r[1] + 5.0)
            .collect();
        let fitted = Lasso {
            alpha: 1e-8,
            max_iter: 10_000,
            tol: 1e-12,
        }
        .fit(&x, &y)
        .unwrap();
        assert!(
            (fitted.coefficients[0] - 3.0).abs() < 1e-5,
            "{:?}",
            fitted.coefficients
        );
        assert!((fitted.coefficients[1] + 2.0).abs() < 1e-5);
        assert!((fitted.intercept - 5.0).abs() < 1e-4);
    }

    #[test]
    fn lasso_with_a_large_penalty_zeroes_every_coefficient_and_predicts_the_mean() {
        let x = Array2::from_shape_fn((10, 3), |(i, j)| (i + j) as f64);
        let y: Vec<f64> = (0..10).map(|i| i as f64).collect();
        let fitted = Lasso {
            alpha: 1e6,
            ..Lasso::default()
        }
        .fit(&x, &y)
        .unwrap();
        assert!(fitted.coefficients.iter().all(|w| *w == 0.0));
        assert_eq!(fitted.intercept, 4.5);
    }

    #[test]
    fn lasso_parameters_are_checked() {
        assert!(
            Lasso {
                alpha: -1.0,
                ..Lasso::default()
            }
            .check()
            .is_err()
        );
        assert!(
            Lasso {
                tol: f64::NAN,
                ..Lasso::default()
            }
            .check()
            .is_err()
        );
        assert!(
            Lasso {
                max_iter: 0,
                ..Lasso::default()
            }
            .check()
            .is_err()
        );
    }

    #[test]
    fn ridge_fits_an_intercept() {
        let x = Array2::from_shape_fn((40, 2), |(i, j)| ((i * (j + 2)) % 11) as f64);
        let y: Vec<f64> = x.outer_iter().map(|r| 2.0 * r[0] - r[1] + 100.0).collect();
        let fitted = Ridge { alpha: 1e-9 }.fit(&x, &y).unwrap();
        assert!(
            (fitted.intercept - 100.0).abs() < 1e-6,
            "{}",
            fitted.intercept
        );
        assert!(
            (fitted.coefficients[0] - 2.0).abs() < 1e-6
                && (fitted.coefficients[1] + 1.0).abs() < 1e-6
        );
    }

    #[test]
    fn predict_refuses_a_matrix_with_the_wrong_number_of_columns() {
        let model = FittedEstimator::<()>::Linear(LinearModel {
            coefficients: vec![1.0, 2.0],
            intercept: 0.0,
            iterations: 1,
        });
        assert!(model.predict(&Array2::zeros((1, 3))).is_err());
        assert_eq!(model.predict(&Array2::ones((1, 2))).unwrap(), vec![3.0]);
    }

    #[test]
    fn every_estimator_fits_and_predicts_through_the_same_enum() {
        let x = Array2::from_shape_fn((60, 2), |(i, j)| ((i * (j + 2)) % 13) as f64);
        let y: Vec<f64> = x.outer_iter().map(|r| r[0] + 0.5 * r[1]).collect();
        for config in [
            EstimatorConfig::Ridge(Ridge { alpha: 0.01 }),
            EstimatorConfig::RidgeCd(RidgeCd {
                alpha: 0.01,
                ..RidgeCd::default()
            }),
            EstimatorConfig::ElasticNet(ElasticNet {
                alpha: 0.001,
                l1_ratio: 0.5,
                max_iter: 1000,
                tol: 1e-6,
            }),
            EstimatorConfig::RandomForest(RandomForest {
                n_trees: 20,
                max_depth: Some(6),
                min_samples_leaf: 1,
                seed: 7,
            }),
        ] {
            let fitted = config.fit::<()>(&x, &y).unwrap();
            let predictions = fitted.predict(&x).unwrap();
            let mse = predictions
                .iter()
                .zip(&y)
                .map(|(p, t)| (p - t).powi(2))
                .sum::<f64>()
                / y.len() as f64;
            assert!(mse < 2.0, "{}: mse {mse}", config.name());
        }
    }
}

//! smartcore's ridge regression and random forest behind our config types.
//! Linear models are reduced to weights and intercept, so only the forest
//! keeps a smartcore type in the artifact.

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::ridge_regression::{
    RidgeRegression, RidgeRegressionParameters, RidgeRegressionSolverName,
};

use super::LinearModel;
use crate::error::{Error, Result};

fn matrix(x: &Array2<f64>) -> Result<DenseMatrix<f64>> {
    let (rows, cols) = x.dim();
    // Column-major copy, the layout smartcore's solvers read fastest.
    let values: Vec<f64> = x.t().iter().copied().collect();
    DenseMatrix::new(rows, cols, values, true).map_err(|e| Error::Estimator(e.to_string()))
}

fn linear(coefficients: &DenseMatrix<f64>, intercept: f64) -> LinearModel {
    let (rows, cols) = coefficients.shape();
    let coefficients = (0..rows.max(cols))
        .map(|i| {
            if rows >= cols {
                *coefficients.get((i, 0))
            } else {
                *coefficients.get((0, i))
            }
        })
        .collect();
    LinearModel {
        coefficients,
        intercept,
        iterations: 0,
    }
}

/// Ridge regression (smartcore, Cholesky): `‖y − Xw − b‖² + alpha·‖w‖²`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ridge {
    pub alpha: f64,
}

impl Ridge {
    pub fn check(&self) -> Result<(), String> {
        if self.alpha.is_finite() && self.alpha >= 0.0 {
            Ok(())
        } else {
            Err(format!(
                "ridge alpha must be a finite number >= 0, got {}",
                self.alpha
            ))
        }
    }

    /// smartcore fits no intercept unless it also normalises X, so X and y
    /// are centred here and the intercept recovered from the means, as
    /// scikit-learn's `Ridge` does.
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<LinearModel> {
        let params = RidgeRegressionParameters {
            solver: RidgeRegressionSolverName::Cholesky,
            alpha: self.alpha,
            normalize: false,
        };
        let x_mean = x
            .mean_axis(ndarray::Axis(0))
            .ok_or_else(|| Error::Estimator("ridge: no rows".into()))?;
        let y_mean = y.iter().sum::<f64>() / y.len() as f64;
        let centred_x = x - &x_mean;
        let centred_y: Vec<f64> = y.iter().map(|v| v - y_mean).collect();
        let model = RidgeRegression::fit(&matrix(&centred_x)?, &centred_y, params)
            .map_err(|e| Error::Estimator(format!("ridge: {e}")))?;
        let mut fitted = linear(model.coefficients(), *model.intercept());
        fitted.intercept += y_mean
            - x_mean
                .iter()
                .zip(&fitted.coefficients)
                .map(|(m, w)| m * w)
                .sum::<f64>();
        Ok(fitted)
    }
}

/// Random forest regressor (smartcore), seeded.
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

fn hundred() -> usize {
    100
}
fn one() -> usize {
    1
}

impl RandomForest {
    pub fn check(&self) -> Result<(), String> {
        if self.n_trees == 0 || self.min_samples_leaf == 0 {
            return Err("random_forest needs n_trees >= 1 and min_samples_leaf >= 1".into());
        }
        Ok(())
    }

    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<ForestModel> {
        let mut params = RandomForestRegressorParameters::default()
            .with_n_trees(self.n_trees)
            .with_min_samples_leaf(self.min_samples_leaf)
            .with_seed(self.seed);
        if let Some(depth) = self.max_depth {
            params = params.with_max_depth(depth);
        }
        let forest = RandomForestRegressor::fit(&matrix(x)?, &y.to_vec(), params)
            .map_err(|e| Error::Estimator(format!("random_forest: {e}")))?;
        Ok(ForestModel {
            forest,
            n_features: x.ncols(),
        })
    }
}

/// A fitted forest and the number of features it expects.
#[derive(Debug, Serialize, Deserialize)]
pub struct ForestModel {
    forest: RandomForestRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>,
    pub n_features: usize,
}

impl ForestModel {
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        self.forest
            .predict(&matrix(x)?)
            .map_err(|e| Error::Estimator(format!("random_forest: {e}")))
    }
}

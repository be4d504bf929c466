//! Fitting smartcore's ridge regression and random forest behind our config
//! types (`train` feature). Linear models are reduced to weights and
//! intercept; a forest is converted to [`trees::Forest`], whose bytes are
//! smartcore's, so predicting needs no smartcore.

use ndarray::Array2;
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::ridge_regression::{
    RidgeRegression, RidgeRegressionParameters, RidgeRegressionSolverName,
};

use super::forest::trees;
use super::{ForestModel, LinearModel, RandomForest, Ridge};
use crate::error::{Error, Result};

type SmartcoreForest = RandomForestRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>;

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

impl Ridge {
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

impl RandomForest {
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<ForestModel> {
        let forest = self.fit_smartcore(x, y)?;
        Ok(ForestModel {
            forest: to_trees(&forest)?,
            n_features: x.ncols(),
        })
    }

    fn fit_smartcore(&self, x: &Array2<f64>, y: &[f64]) -> Result<SmartcoreForest> {
        let mut params = RandomForestRegressorParameters::default()
            .with_n_trees(self.n_trees)
            .with_min_samples_leaf(self.min_samples_leaf)
            .with_seed(self.seed);
        if let Some(depth) = self.max_depth {
            params = params.with_max_depth(depth);
        }
        RandomForestRegressor::fit(&matrix(x)?, &y.to_vec(), params)
            .map_err(|e| Error::Estimator(format!("random_forest: {e}")))
    }
}

/// Through smartcore's own serialised form, which [`trees::Forest`] reads:
/// the artifact keeps exactly the bytes it had when it held smartcore's type.
fn to_trees(forest: &SmartcoreForest) -> Result<trees::Forest> {
    let bytes = postcard::to_allocvec(forest)
        .map_err(|e| Error::Estimator(format!("random_forest: {e}")))?;
    postcard::from_bytes(&bytes).map_err(|e| Error::Estimator(format!("random_forest: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forest_reads_and_writes_smartcores_bytes_and_predicts_its_prices_to_the_bit() {
        let x = Array2::from_shape_fn((80, 3), |(i, j)| ((i * (j + 3) + j) % 19) as f64);
        let y: Vec<f64> = x
            .outer_iter()
            .map(|r| r[0] * 2.0 - r[1] + (r[2] * 0.7).sin())
            .collect();
        let config = RandomForest {
            n_trees: 12,
            max_depth: Some(5),
            min_samples_leaf: 2,
            seed: 3,
        };
        let smartcore = config.fit_smartcore(&x, &y).unwrap();
        let ours = config.fit(&x, &y).unwrap();
        assert_eq!(
            postcard::to_allocvec(&ours.forest).unwrap(),
            postcard::to_allocvec(&smartcore).unwrap()
        );
        let unseen = Array2::from_shape_fn((40, 3), |(i, j)| (i as f64 * 0.37 + j as f64) % 21.0);
        for rows in [&x, &unseen] {
            let expected = smartcore.predict(&matrix(rows).unwrap()).unwrap();
            let got = ours.predict(rows).unwrap();
            let bits = |v: &[f64]| v.iter().map(|p| p.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&expected));
        }
    }
}

//! Ridge regression on the Lasso's coordinate-descent solver: the same
//! objective as scikit-learn's `Ridge`, `‖y − Xw − b‖² + alpha·‖w‖²`, with X
//! and y centred and the intercept recovered from the means. Unlike `ridge`
//! (smartcore, Cholesky), it needs no matrix factorisation, so it copes with
//! many collinear one-hot columns; it stops when the largest coefficient
//! update is below `tol` times the largest coefficient (see
//! [`super::descent`]: scikit-learn's duality gap does not apply to a pure L2
//! penalty).

#[cfg(feature = "train")]
use ndarray::Array2;
use serde::{Deserialize, Serialize};

#[cfg(feature = "train")]
use super::LinearModel;
#[cfg(feature = "train")]
use super::descent::{Descent, Penalty, Stop};
use super::params::{self, ParamError, Rule};
#[cfg(feature = "train")]
use crate::error::Error;
use crate::error::Result;

/// Hyper-parameters of [`RidgeCd`].
///
/// | parameter | default | range |
/// |---|---|---|
/// | `alpha` | 1.0 | ≥ 0, finite |
/// | `max_iter` | 10000 | ≥ 1 |
/// | `tol` | 1e-6 | > 0, finite |
///
/// ```toml
/// [estimator]
/// model = "ridge_cd"
/// alpha = 10.0
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RidgeCd {
    #[serde(default = "one")]
    pub alpha: f64,
    #[serde(default = "ten_thousand")]
    pub max_iter: usize,
    #[serde(default = "tol")]
    pub tol: f64,
}

fn one() -> f64 {
    1.0
}
fn ten_thousand() -> usize {
    10_000
}
fn tol() -> f64 {
    1e-6
}

impl Default for RidgeCd {
    fn default() -> Self {
        RidgeCd {
            alpha: one(),
            max_iter: ten_thousand(),
            tol: tol(),
        }
    }
}

impl RidgeCd {
    /// Refuses parameters the solver cannot use, naming the bad value.
    pub fn check(&self) -> Result<(), ParamError> {
        params::check("ridge_cd", "alpha", self.alpha, Rule::NonNegative)?;
        params::check(
            "ridge_cd",
            "max_iter",
            self.max_iter as f64,
            Rule::AtLeastOne,
        )?;
        params::check("ridge_cd", "tol", self.tol, Rule::Positive)
    }

    /// Fits on `x` (rows × features, any memory order) and `y`.
    #[cfg(feature = "train")]
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<LinearModel> {
        self.fit_matrix(x, y)
    }
}

#[cfg(feature = "train")]
impl Descent for RidgeCd {
    fn penalty(&self, _rows: usize) -> Result<Penalty> {
        self.check().map_err(|e| Error::Estimator(e.to_string()))?;
        // The solver minimises ½‖r‖² + (l2/2)‖w‖²: l2 = alpha is Ridge's
        // objective halved, with the same minimiser.
        Ok(Penalty {
            l1: 0.0,
            l2: self.alpha,
        })
    }
    fn budget(&self) -> (usize, f64) {
        (self.max_iter, self.tol)
    }
    fn stop(&self) -> Stop {
        Stop::Update
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Solves `(XcᵀXc + αI)·w = Xcᵀyc` on centred data by Gaussian elimination.
    fn closed_form(x: &Array2<f64>, y: &[f64], alpha: f64) -> (Vec<f64>, f64) {
        let (n, p) = x.dim();
        let means: Vec<f64> = (0..p).map(|j| x.column(j).sum() / n as f64).collect();
        let y_mean = y.iter().sum::<f64>() / n as f64;
        let xc = |i: usize, j: usize| x[[i, j]] - means[j];
        let mut a = vec![vec![0.0; p + 1]; p];
        for (j, row) in a.iter_mut().enumerate() {
            for (k, cell) in row.iter_mut().take(p).enumerate() {
                *cell = (0..n).map(|i| xc(i, j) * xc(i, k)).sum::<f64>()
                    + if j == k { alpha } else { 0.0 };
            }
            row[p] = (0..n).map(|i| xc(i, j) * (y[i] - y_mean)).sum();
        }
        for col in 0..p {
            let pivot = a[col].clone();
            for row in a.iter_mut().skip(col + 1) {
                let f = row[col] / pivot[col];
                for (cell, top) in row.iter_mut().zip(&pivot).skip(col) {
                    *cell -= f * top;
                }
            }
        }
        let mut w = vec![0.0; p];
        for r in (0..p).rev() {
            let tail: f64 = (r + 1..p).map(|c| a[r][c] * w[c]).sum();
            w[r] = (a[r][p] - tail) / a[r][r];
        }
        let intercept = y_mean - means.iter().zip(&w).map(|(m, w)| m * w).sum::<f64>();
        (w, intercept)
    }

    #[test]
    fn ridge_cd_agrees_with_the_closed_form_ridge_solution() {
        let x = Array2::from_shape_fn((80, 3), |(i, j)| {
            ((i * (j + 2) + j * j) % 11) as f64 + 0.1 * j as f64
        });
        let y: Vec<f64> = x
            .outer_iter()
            .enumerate()
            .map(|(i, r)| 2.0 * r[0] - r[1] + 0.5 * r[2] + 3.0 + (i % 3) as f64 * 0.1)
            .collect();
        let cd = RidgeCd {
            alpha: 5.0,
            tol: 1e-12,
            max_iter: 100_000,
        }
        .fit(&x, &y)
        .unwrap();
        let (w, intercept) = closed_form(&x, &y, 5.0);
        for (a, b) in cd.coefficients.iter().zip(&w) {
            assert!((a - b).abs() < 1e-8, "{cd:?} vs {w:?}");
        }
        assert!((cd.intercept - intercept).abs() < 1e-7);
    }

    #[test]
    fn ridge_cd_shrinks_but_never_zeroes_coefficients() {
        let x = Array2::from_shape_fn((30, 2), |(i, j)| ((i + 3 * j) % 7) as f64);
        let y: Vec<f64> = x.outer_iter().map(|r| r[0] + r[1]).collect();
        let fitted = RidgeCd {
            alpha: 1e4,
            ..RidgeCd::default()
        }
        .fit(&x, &y)
        .unwrap();
        assert!(
            fitted
                .coefficients
                .iter()
                .all(|w| *w != 0.0 && w.abs() < 0.5)
        );
    }

    #[test]
    fn ridge_cd_parameters_are_checked() {
        for bad in [
            RidgeCd {
                alpha: -1.0,
                ..RidgeCd::default()
            },
            RidgeCd {
                tol: 0.0,
                ..RidgeCd::default()
            },
            RidgeCd {
                max_iter: 0,
                ..RidgeCd::default()
            },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }
}

//! Lasso, scikit-learn's `Lasso`: objective `(1 / 2n)·‖y − Xw − b‖² +
//! alpha·‖w‖₁`, fitted (with the `train` feature) by the coordinate descent
//! of `estimator/descent.rs`, which agrees with scikit-learn to rounding
//! error rather than merely to a tolerance.

#[cfg(feature = "train")]
use ndarray::Array2;
use serde::{Deserialize, Serialize};

#[cfg(feature = "train")]
use super::LinearModel;
#[cfg(feature = "train")]
use super::descent::{Descent, Penalty, Stop};
use super::params::{self, ParamError, Rule};
#[cfg(feature = "train")]
use crate::error::{Error, Result};

/// Hyper-parameters of [`Lasso`].
///
/// | parameter | default | range |
/// |---|---|---|
/// | `alpha` | 1.0 | ≥ 0, finite |
/// | `max_iter` | 1000 | ≥ 1 |
/// | `tol` | 1e-4 | > 0, finite |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lasso {
    #[serde(default = "one")]
    pub alpha: f64,
    #[serde(default = "thousand")]
    pub max_iter: usize,
    #[serde(default = "tol")]
    pub tol: f64,
}

fn one() -> f64 {
    1.0
}
fn thousand() -> usize {
    1000
}
fn tol() -> f64 {
    1e-4
}

impl Default for Lasso {
    fn default() -> Self {
        Lasso {
            alpha: one(),
            max_iter: thousand(),
            tol: tol(),
        }
    }
}

impl Lasso {
    /// Refuses parameters the solver cannot use, naming the bad value.
    pub fn check(&self) -> std::result::Result<(), ParamError> {
        params::check("lasso", "alpha", self.alpha, Rule::NonNegative)?;
        params::check("lasso", "max_iter", self.max_iter as f64, Rule::AtLeastOne)?;
        params::check("lasso", "tol", self.tol, Rule::Positive)
    }

    /// Fits on `x` (rows × features, any memory order) and `y`.
    #[cfg(feature = "train")]
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<LinearModel> {
        self.fit_matrix(x, y)
    }
}

#[cfg(feature = "train")]
impl Descent for Lasso {
    fn penalty(&self, rows: usize) -> Result<Penalty> {
        self.check().map_err(|e| Error::Estimator(e.to_string()))?;
        Ok(Penalty {
            l1: self.alpha * rows as f64,
            l2: 0.0,
        })
    }
    fn budget(&self) -> (usize, f64) {
        (self.max_iter, self.tol)
    }
    fn stop(&self) -> Stop {
        Stop::DualityGap
    }
}

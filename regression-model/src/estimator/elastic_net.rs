//! Elastic net on the same coordinate descent as [`super::Lasso`]
//! (scikit-learn's objective: `(1/2n)·‖y − Xw − b‖² + alpha·l1_ratio·‖w‖₁ +
//! (alpha·(1 − l1_ratio)/2)·‖w‖²`).

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

/// Hyper-parameters of the elastic net; `l1_ratio = 1` is the Lasso.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElasticNet {
    pub alpha: f64,
    pub l1_ratio: f64,
    #[serde(default = "thousand")]
    pub max_iter: usize,
    #[serde(default = "tol")]
    pub tol: f64,
}

fn thousand() -> usize {
    1000
}
fn tol() -> f64 {
    1e-4
}

impl ElasticNet {
    /// Refuses parameters the solver cannot use, naming the bad value.
    pub fn check(&self) -> Result<(), ParamError> {
        const NAME: &str = "elastic_net";
        params::check(NAME, "alpha", self.alpha, Rule::NonNegative)?;
        params::check(NAME, "l1_ratio", self.l1_ratio, Rule::Fraction)?;
        params::check(NAME, "max_iter", self.max_iter as f64, Rule::AtLeastOne)?;
        params::check(NAME, "tol", self.tol, Rule::Positive)
    }

    /// Fits on `x` (rows × features, any memory order) and `y`.
    #[cfg(feature = "train")]
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<LinearModel> {
        self.fit_matrix(x, y)
    }
}

#[cfg(feature = "train")]
impl Descent for ElasticNet {
    fn penalty(&self, rows: usize) -> Result<Penalty> {
        self.check().map_err(|e| Error::Estimator(e.to_string()))?;
        let n = rows as f64;
        Ok(Penalty {
            l1: self.alpha * self.l1_ratio * n,
            l2: self.alpha * (1.0 - self.l1_ratio) * n,
        })
    }
    fn budget(&self) -> (usize, f64) {
        (self.max_iter, self.tol)
    }
    fn stop(&self) -> Stop {
        Stop::DualityGap
    }
}

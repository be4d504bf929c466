//! Elastic net on the same coordinate descent as [`super::Lasso`]
//! (scikit-learn's objective: `(1/2n)·‖y − Xw − b‖² + alpha·l1_ratio·‖w‖₁ +
//! (alpha·(1 − l1_ratio)/2)·‖w‖²`).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::LinearModel;
use super::lasso::{Penalty, fit_centred};
use crate::error::{Error, Result};

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
    pub fn check(&self) -> Result<(), String> {
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(format!(
                "elastic_net alpha must be a finite number >= 0, got {}",
                self.alpha
            ));
        }
        if !(0.0..=1.0).contains(&self.l1_ratio) {
            return Err(format!(
                "elastic_net l1_ratio must be between 0 and 1, got {}",
                self.l1_ratio
            ));
        }
        if self.max_iter == 0 || !(self.tol.is_finite() && self.tol > 0.0) {
            return Err("elastic_net needs max_iter >= 1 and a finite tol > 0".into());
        }
        Ok(())
    }

    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<LinearModel> {
        self.check().map_err(Error::Estimator)?;
        let n = x.nrows() as f64;
        let penalty = Penalty {
            l1: self.alpha * self.l1_ratio * n,
            l2: self.alpha * (1.0 - self.l1_ratio) * n,
        };
        Ok(fit_centred(x, y, penalty, self.max_iter, self.tol))
    }
}

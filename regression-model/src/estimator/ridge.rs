//! Ridge regression by smartcore's Cholesky solver: the configuration here,
//! the fit (with the `train` feature) in `smartcore_models.rs`. A fitted
//! ridge is a [`LinearModel`](super::LinearModel) like every linear model.

use serde::{Deserialize, Serialize};

use super::params::{self, ParamError, Rule};
use crate::error::Result;

/// Ridge regression (smartcore, Cholesky): `‖y − Xw − b‖² + alpha·‖w‖²`.
///
/// | parameter | default | range |
/// |---|---|---|
/// | `alpha` | required | ≥ 0, finite |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ridge {
    pub alpha: f64,
}

impl Ridge {
    /// Refuses an `alpha` the solver cannot use.
    pub fn check(&self) -> Result<(), ParamError> {
        params::check("ridge", "alpha", self.alpha, Rule::NonNegative)
    }
}

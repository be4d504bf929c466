//! Kernel ridge regression with a polynomial kernel (`model =
//! "kernel_ridge"`), scikit-learn's `KernelRidge(kernel="polynomial")`:
//! the dual coefficients `a = (K + alpha·I)⁻¹ (y − ȳ)` of the kernel
//! `k(x, z) = (gamma·x·z + coef0)^degree` over the training rows, solved by
//! Cholesky. One difference: the target is centred first (the mean is an
//! unpenalised intercept), because scikit-learn's version penalises the
//! level of a log price of about 12 like any other direction.
//!
//! Why only degrees 1 and 2: for them the prediction `ȳ + Σᵢ aᵢ k(x, xᵢ)`
//! expands into a quadratic function of `x` (see [`QuadraticModel`]), so
//! the artifact stores `p(p+1)/2 + p + 1` numbers instead of every training
//! row, and a prediction costs `p²/2` multiply-adds instead of `n·p`
//! (on generation 3's 223 columns: a 238 kB artifact instead of 2.6 MB of
//! training values, and 13 times fewer operations than 1,456 kernel
//! evaluations). Higher degrees
//! would need the training rows (or `p³` terms), so they are refused.
//!
//! Determinism: every sum runs in a fixed order on one thread (the kernel
//! matrix's rows are computed in parallel, each one alone), so the fitted
//! numbers are the same for any thread count.
//!
//! ```toml
//! [estimator]
//! model = "kernel_ridge"
//! alpha = 0.6
//! degree = 2
//! coef0 = 2.5
//! ```

#[cfg(feature = "train")]
mod fit;
mod quadratic;

use serde::{Deserialize, Serialize};

use super::params::{self, ParamError, Rule};
pub use quadratic::QuadraticModel;

/// Hyper-parameters of [`KernelRidge`].
///
/// | parameter | default | range | what |
/// |---|---|---|---|
/// | `alpha` | 1.0 | > 0, finite | ridge penalty on the dual coefficients |
/// | `degree` | 2 | 1 – 2 | the polynomial kernel's degree |
/// | `gamma` | 1 / columns | > 0, finite | scale of `x·z` in the kernel |
/// | `coef0` | 1.0 | ≥ 0, finite | the kernel's constant term |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KernelRidge {
    #[serde(default = "one")]
    pub alpha: f64,
    #[serde(default = "two")]
    pub degree: usize,
    /// `None`: one over the number of columns (scikit-learn's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamma: Option<f64>,
    #[serde(default = "one")]
    pub coef0: f64,
}

fn one() -> f64 {
    1.0
}
fn two() -> usize {
    2
}

impl Default for KernelRidge {
    fn default() -> Self {
        KernelRidge {
            alpha: one(),
            degree: two(),
            gamma: None,
            coef0: one(),
        }
    }
}

impl KernelRidge {
    /// Refuses parameters the solver cannot use, naming the bad value.
    pub fn check(&self) -> Result<(), ParamError> {
        let check = |parameter, value, rule| params::check("kernel_ridge", parameter, value, rule);
        check("alpha", self.alpha, Rule::Positive)?;
        check("degree", self.degree as f64, Rule::Count { min: 1, max: 2 })?;
        if let Some(gamma) = self.gamma {
            check("gamma", gamma, Rule::Positive)?;
        }
        check("coef0", self.coef0, Rule::NonNegative)
    }
}

#[cfg(all(test, feature = "train"))]
mod tests;

//! Epsilon support vector regression with the RBF kernel (`model =
//! "svr"`), scikit-learn's `SVR(kernel="rbf")`, which is libsvm: the same
//! dual problem, solved by the same SMO algorithm (second-order working
//! set selection, Fan, Chen and Lin 2005), to the same stopping tolerance.
//!
//! Why it is here: its errors differ from the Lasso's and the trees' (a
//! smooth, local fit on standardised columns), so it earns a large weight
//! in the generation-4 stack (config/README.md has the CV figures).
//!
//! What it costs: fitting holds the n × n kernel matrix (1,456 rows:
//! 17 MB), so it refuses more than [`MAX_TRAINING_ROWS`] rows; a
//! prediction costs one kernel evaluation per support vector (n_sv × p
//! multiply-adds), and the artifact stores the support vectors.
//!
//! Determinism: the solver runs on one thread in a fixed order (the kernel
//! matrix's rows are computed in parallel, each one alone), and each
//! prediction sums its kernel terms in a fixed order, so bytes and prices
//! are the same for any thread count and any batch.
//!
//! ```toml
//! [estimator]
//! model = "svr"
//! c = 3.0
//! epsilon = 0.01
//! gamma = 0.0005
//! ```

#[cfg(feature = "train")]
mod fit;
mod layout;
mod model;

use serde::{Deserialize, Serialize};

use super::params::{self, ParamError, Rule};
pub(crate) use layout::KernelLayout;
pub use model::KernelModel;

/// The most training rows an SVR is fitted on: its kernel matrix takes
/// 8·n² bytes (10,000 rows: 800 MB).
pub const MAX_TRAINING_ROWS: usize = 10_000;

/// Hyper-parameters of [`Svr`].
///
/// | parameter | default | range | what |
/// |---|---|---|---|
/// | `c` | 1.0 | > 0, finite | the box bound: how much a row outside the tube may weigh |
/// | `epsilon` | 0.1 | ≥ 0, finite | half-width of the tube in which errors cost nothing |
/// | `gamma` | 1 / (columns · variance) | > 0, finite | the RBF kernel's `exp(−gamma·‖x − z‖²)` |
/// | `tol` | 0.001 | > 0, finite | stopping tolerance on the optimality gap (libsvm's `eps`) |
/// | `max_iter` | 1,000,000 | ≥ 1 | solver iterations before it stops anyway |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Svr {
    #[serde(default = "one")]
    pub c: f64,
    #[serde(default = "tenth")]
    pub epsilon: f64,
    /// `None`: one over (columns × the variance of all the matrix's
    /// values), scikit-learn's `gamma = "scale"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamma: Option<f64>,
    #[serde(default = "thousandth")]
    pub tol: f64,
    #[serde(default = "million")]
    pub max_iter: usize,
}

fn one() -> f64 {
    1.0
}
fn tenth() -> f64 {
    0.1
}
fn thousandth() -> f64 {
    0.001
}
fn million() -> usize {
    1_000_000
}

impl Default for Svr {
    fn default() -> Self {
        Svr {
            c: one(),
            epsilon: tenth(),
            gamma: None,
            tol: thousandth(),
            max_iter: million(),
        }
    }
}

impl Svr {
    /// Refuses parameters the solver cannot use, naming the bad value.
    pub fn check(&self) -> Result<(), ParamError> {
        let check = |parameter, value, rule| params::check("svr", parameter, value, rule);
        check("c", self.c, Rule::Positive)?;
        check("epsilon", self.epsilon, Rule::NonNegative)?;
        if let Some(gamma) = self.gamma {
            check("gamma", gamma, Rule::Positive)?;
        }
        check("tol", self.tol, Rule::Positive)?;
        check("max_iter", self.max_iter as f64, Rule::AtLeastOne)
    }
}

#[cfg(all(test, feature = "train"))]
mod tests;

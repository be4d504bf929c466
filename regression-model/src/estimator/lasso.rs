//! Lasso (and the elastic net) by cyclic coordinate descent, the algorithm of scikit-learn's
//! `Lasso` (`enet_coordinate_descent` with `l1_ratio = 1`), written to agree
//! with it to rounding error rather than merely to a tolerance.
//!
//! Objective: `(1 / 2n)·‖y − Xw − b‖² + alpha·‖w‖₁`. X and y are centred
//! (the intercept is recovered from the means), the penalty is `alpha·n` on
//! the unscaled problem, the tolerance is scaled by `y·y`, and the duality
//! gap is only computed when the largest coefficient update is small
//! relative to the largest coefficient, or on the last iteration.

use ndarray::{Array2, ArrayView1, Axis};
use serde::{Deserialize, Serialize};

use super::LinearModel;
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
    pub fn check(&self) -> Result<(), String> {
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(format!(
                "lasso alpha must be a finite number >= 0, got {}",
                self.alpha
            ));
        }
        if self.max_iter == 0 {
            return Err("lasso max_iter must be at least 1".into());
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(format!(
                "lasso tol must be a finite number > 0, got {}",
                self.tol
            ));
        }
        Ok(())
    }

    /// Fits on `x` (rows × features, any memory order) and `y`.
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<LinearModel> {
        self.check().map_err(Error::Estimator)?;
        let penalty = Penalty {
            l1: self.alpha * x.nrows() as f64,
            l2: 0.0,
        };
        Ok(fit_centred(x, y, penalty, self.max_iter, self.tol))
    }
}

/// The two penalties of the elastic net, already multiplied by `n`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Penalty {
    pub l1: f64,
    pub l2: f64,
}

/// When coordinate descent stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// scikit-learn's rule: a small relative update, then a duality gap
    /// below `tol·y·y` (Lasso, elastic net).
    DualityGap,
    /// The largest coefficient update below `tol` times the largest
    /// coefficient. For a pure L2 penalty, where scikit-learn's gap formula
    /// degenerates to the primal objective and never becomes small.
    Update,
}

/// Centres X and y, runs coordinate descent, recovers the intercept.
/// The caller has checked that `x` has rows and as many as `y`.
pub(crate) fn fit_centred(
    x: &Array2<f64>,
    y: &[f64],
    penalty: Penalty,
    max_iter: usize,
    tol: f64,
) -> LinearModel {
    fit_centred_until(x, y, penalty, max_iter, tol, Stop::DualityGap)
}

/// [`fit_centred`] with a choice of stopping rule.
pub(crate) fn fit_centred_until(
    x: &Array2<f64>,
    y: &[f64],
    penalty: Penalty,
    max_iter: usize,
    tol: f64,
    stop: Stop,
) -> LinearModel {
    let n = x.nrows();
    let x_mean = x.mean_axis(Axis(0)).expect("n > 0");
    let y_mean = y.iter().sum::<f64>() / n as f64;
    // Column-major centred copy: each feature is one contiguous slice.
    let columns: Vec<Vec<f64>> = x
        .axis_iter(Axis(1))
        .zip(x_mean.iter())
        .map(|(col, mean)| col.iter().map(|v| v - mean).collect())
        .collect();
    let yc: Vec<f64> = y.iter().map(|v| v - y_mean).collect();
    let (coefficients, iterations) =
        coordinate_descent(&columns, &yc, penalty, max_iter, tol, stop);
    let intercept = y_mean - dot(x_mean.view(), &coefficients);
    log::debug!(
        "coordinate descent: {} features, {n} rows, {iterations} iterations",
        columns.len()
    );
    LinearModel {
        coefficients,
        intercept,
        iterations,
    }
}

fn dot(a: ArrayView1<f64>, b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn dot_slices(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Returns the coefficients and the number of iterations run.
fn coordinate_descent(
    columns: &[Vec<f64>],
    y: &[f64],
    penalty: Penalty,
    max_iter: usize,
    tol: f64,
    stop: Stop,
) -> (Vec<f64>, usize) {
    let Penalty { l1, l2 } = penalty;
    let p = columns.len();
    let mut w = vec![0.0; p];
    let mut residual = y.to_vec();
    let norms: Vec<f64> = columns.iter().map(|c| dot_slices(c, c)).collect();
    // The gap is compared with tol·y·y; the largest update with tol itself.
    let gap_tol = tol * dot_slices(y, y);
    for iteration in 0..max_iter {
        let (mut w_max, mut d_w_max) = (0.0f64, 0.0f64);
        for j in 0..p {
            if norms[j] == 0.0 {
                continue;
            }
            let (column, w_j) = (&columns[j], w[j]);
            if w_j != 0.0 {
                residual
                    .iter_mut()
                    .zip(column)
                    .for_each(|(r, x)| *r += w_j * x);
            }
            let rho = dot_slices(column, &residual);
            w[j] = rho.signum() * (rho.abs() - l1).max(0.0) / (norms[j] + l2);
            if w[j] != 0.0 {
                let w_new = w[j];
                residual
                    .iter_mut()
                    .zip(column)
                    .for_each(|(r, x)| *r -= w_new * x);
            }
            d_w_max = d_w_max.max((w[j] - w_j).abs());
            w_max = w_max.max(w[j].abs());
        }
        let small_update = w_max == 0.0 || d_w_max / w_max < tol;
        if stop == Stop::Update && small_update {
            return (w, iteration + 1);
        }
        if stop == Stop::DualityGap
            && (small_update || iteration == max_iter - 1)
            && duality_gap(columns, y, &residual, &w, penalty) < gap_tol
        {
            return (w, iteration + 1);
        }
    }
    (w, max_iter)
}

/// The elastic-net duality gap, as in scikit-learn's `enet_coordinate_descent`.
fn duality_gap(
    columns: &[Vec<f64>],
    y: &[f64],
    residual: &[f64],
    w: &[f64],
    penalty: Penalty,
) -> f64 {
    let Penalty { l1, l2 } = penalty;
    let dual_norm = columns
        .iter()
        .zip(w)
        .map(|(c, w)| (dot_slices(c, residual) - l2 * w).abs())
        .fold(0.0, f64::max);
    let r_norm2 = dot_slices(residual, residual);
    let w_norm2 = dot_slices(w, w);
    let (constant, mut gap) = if dual_norm > l1 {
        let constant = l1 / dual_norm;
        (constant, 0.5 * (r_norm2 + r_norm2 * constant * constant))
    } else {
        (1.0, r_norm2)
    };
    let l1_norm = w.iter().map(|v| v.abs()).sum::<f64>();
    gap += l1 * l1_norm - constant * dot_slices(residual, y)
        + 0.5 * l2 * (1.0 + constant * constant) * w_norm2;
    gap
}

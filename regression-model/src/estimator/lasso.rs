//! Lasso (and the elastic net) by cyclic coordinate descent, the algorithm of scikit-learn's
//! `Lasso` (`enet_coordinate_descent` with `l1_ratio = 1`), written to agree
//! with it to rounding error rather than merely to a tolerance.
//!
//! Objective: `(1 / 2n)·‖y − Xw − b‖² + alpha·‖w‖₁`. X and y are centred
//! (the intercept is recovered from the means), the penalty is `alpha·n` on
//! the unscaled problem, the tolerance is scaled by `y·y`, and the duality
//! gap is only computed when the largest coefficient update is small
//! relative to the largest coefficient, or on the last iteration.
//!
//! From 5,000 rows on (`GRAM_FROM_ROWS`), the same updates run on the Gram matrix
//! `XᵀX` instead of the residual (scikit-learn's `precompute=True` path,
//! `enet_coordinate_descent_gram`): an epoch then costs `p²` instead of
//! `2·n·p`, after `n·p²/2` once. The result is the same optimum to the
//! tolerance, not to the bit, which is why the house-prices data (1,460 rows)
//! stays on the residual path that matches scikit-learn's default.

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

impl Stop {
    /// Whether coordinate descent stops after an epoch whose largest
    /// coefficient is `w_max` and largest update `d_w_max`; `gap` is only
    /// computed when the rule needs it (it costs a pass over the data).
    fn after_epoch(
        self,
        tol: f64,
        w_max: f64,
        d_w_max: f64,
        last: bool,
        gap: impl FnOnce() -> f64,
        gap_tol: f64,
    ) -> bool {
        let small_update = w_max == 0.0 || d_w_max / w_max < tol;
        match self {
            Stop::Update => small_update,
            Stop::DualityGap => (small_update || last) && gap() < gap_tol,
        }
    }
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
    let (coefficients, iterations) = if n >= GRAM_FROM_ROWS && n >= 4 * columns.len() {
        coordinate_descent_gram(&Gram::new(&columns, &yc), penalty, max_iter, tol, stop)
    } else {
        coordinate_descent(&columns, &yc, penalty, max_iter, tol, stop)
    };
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

/// From this many training rows, coordinate descent uses the Gram matrix
/// (see the module's documentation): a generation-3 fit on 10^5 rows ran
/// 2,000 epochs of 224 columns, 30 s on the residual. Well above the
/// house-prices data (1,460 rows, on which the parity with scikit-learn is
/// checked) and its cross-validation folds.
pub(crate) const GRAM_FROM_ROWS: usize = 5_000;

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
        let last = iteration == max_iter - 1;
        let gap = || duality_gap(columns, y, &residual, &w, penalty);
        if stop.after_epoch(tol, w_max, d_w_max, last, gap, gap_tol) {
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
    let dual_norm = columns
        .iter()
        .zip(w)
        .map(|(c, w)| (dot_slices(c, residual) - penalty.l2 * w).abs())
        .fold(0.0, f64::max);
    let r_norm2 = dot_slices(residual, residual);
    gap_from(dual_norm, r_norm2, dot_slices(residual, y), w, penalty)
}

/// The duality gap from its parts, the same for both paths: the largest
/// `|Xᵀr − l2·w|`, `r·r` and `r·y`, where `r` is the residual.
fn gap_from(dual_norm: f64, r_norm2: f64, r_dot_y: f64, w: &[f64], penalty: Penalty) -> f64 {
    let Penalty { l1, l2 } = penalty;
    let (constant, mut gap) = if dual_norm > l1 {
        let constant = l1 / dual_norm;
        (constant, 0.5 * (r_norm2 + r_norm2 * constant * constant))
    } else {
        (1.0, r_norm2)
    };
    let l1_norm = w.iter().map(|v| v.abs()).sum::<f64>();
    gap += l1 * l1_norm - constant * r_dot_y
        + 0.5 * l2 * (1.0 + constant * constant) * dot_slices(w, w);
    gap
}

/// `XᵀX`, `Xᵀy` and `y·y` of centred columns: all coordinate descent needs.
struct Gram {
    p: usize,
    /// Row-major `p × p`, symmetric.
    h: Vec<f64>,
    q: Vec<f64>,
    y_norm2: f64,
}

impl Gram {
    fn new(columns: &[Vec<f64>], y: &[f64]) -> Gram {
        use rayon::prelude::*;
        let p = columns.len();
        // Each row of the upper triangle on its own: rows are independent.
        let upper: Vec<Vec<f64>> = (0..p)
            .into_par_iter()
            .map(|j| {
                (j..p)
                    .map(|k| dot_slices(&columns[j], &columns[k]))
                    .collect()
            })
            .collect();
        let mut h = vec![0.0; p * p];
        for (j, row) in upper.iter().enumerate() {
            for (offset, value) in row.iter().enumerate() {
                let k = j + offset;
                h[j * p + k] = *value;
                h[k * p + j] = *value;
            }
        }
        Gram {
            p,
            h,
            q: columns.iter().map(|c| dot_slices(c, y)).collect(),
            y_norm2: dot_slices(y, y),
        }
    }

    fn row(&self, j: usize) -> &[f64] {
        &self.h[j * self.p..(j + 1) * self.p]
    }
}

/// [`coordinate_descent`] on the Gram matrix: it keeps `XᵀX·w` up to date
/// instead of the residual, and computes the duality gap from it.
fn coordinate_descent_gram(
    gram: &Gram,
    penalty: Penalty,
    max_iter: usize,
    tol: f64,
    stop: Stop,
) -> (Vec<f64>, usize) {
    let Penalty { l1, l2 } = penalty;
    let p = gram.p;
    let mut w = vec![0.0; p];
    // XᵀX·w; the residual's correlations are q − hw.
    let mut hw = vec![0.0; p];
    let gap_tol = tol * gram.y_norm2;
    for iteration in 0..max_iter {
        let (mut w_max, mut d_w_max) = (0.0f64, 0.0f64);
        for j in 0..p {
            let h_jj = gram.h[j * p + j];
            if h_jj == 0.0 {
                continue;
            }
            let w_j = w[j];
            let rho = gram.q[j] - hw[j] + h_jj * w_j;
            w[j] = rho.signum() * (rho.abs() - l1).max(0.0) / (h_jj + l2);
            let delta = w[j] - w_j;
            if delta != 0.0 {
                hw.iter_mut()
                    .zip(gram.row(j))
                    .for_each(|(hw, h)| *hw += delta * h);
            }
            d_w_max = d_w_max.max(delta.abs());
            w_max = w_max.max(w[j].abs());
        }
        let last = iteration == max_iter - 1;
        let gap = || duality_gap_gram(gram, &hw, &w, penalty);
        if stop.after_epoch(tol, w_max, d_w_max, last, gap, gap_tol) {
            return (w, iteration + 1);
        }
    }
    (w, max_iter)
}

/// [`duality_gap`] from the Gram matrix, as scikit-learn's
/// `enet_coordinate_descent_gram` computes it.
fn duality_gap_gram(gram: &Gram, hw: &[f64], w: &[f64], penalty: Penalty) -> f64 {
    let q_dot_w = dot_slices(&gram.q, w);
    let r_norm2 = gram.y_norm2 + dot_slices(w, hw) - 2.0 * q_dot_w;
    let dual_norm = gram
        .q
        .iter()
        .zip(hw)
        .zip(w)
        .map(|((q, hw), w)| (q - hw - penalty.l2 * w).abs())
        .fold(0.0, f64::max);
    gap_from(dual_norm, r_norm2, gram.y_norm2 - q_dot_w, w, penalty)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A design with correlated columns, a constant one and a target that
    /// depends on a few of them, from a fixed sequence (no RNG needed).
    fn problem(n: usize, p: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
        let value = |i: usize, j: usize| ((i * 31 + j * 17) as f64 * 0.618).sin();
        let mut columns: Vec<Vec<f64>> = (0..p)
            .map(|j| (0..n).map(|i| value(i, j) + 0.3 * value(i, 0)).collect())
            .collect();
        columns[p - 1] = vec![0.0; n];
        let y = (0..n)
            .map(|i| {
                3.0 * columns[0][i] - 2.0 * columns[2][i] + 0.5 * columns[3][i] + 0.1 * value(i, 99)
            })
            .collect();
        let centre = |v: &mut Vec<f64>| {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            v.iter_mut().for_each(|x| *x -= mean);
        };
        columns.iter_mut().for_each(centre);
        let mut y: Vec<f64> = y;
        centre(&mut y);
        (columns, y)
    }

    #[test]
    fn the_gram_path_reaches_the_residual_paths_optimum() {
        let (columns, y) = problem(400, 12);
        for (l1, l2, stop) in [
            (5.0, 0.0, Stop::DualityGap),
            (40.0, 0.0, Stop::DualityGap),
            (5.0, 20.0, Stop::DualityGap),
            (0.0, 30.0, Stop::Update),
        ] {
            let penalty = Penalty { l1, l2 };
            let (residual, _) = coordinate_descent(&columns, &y, penalty, 100_000, 1e-13, stop);
            let (gram, _) =
                coordinate_descent_gram(&Gram::new(&columns, &y), penalty, 100_000, 1e-13, stop);
            for (a, b) in residual.iter().zip(&gram) {
                assert!(
                    (a - b).abs() <= 1e-9 * (1.0 + a.abs()),
                    "{l1} {l2}: {a} vs {b}"
                );
            }
            assert!(residual.iter().any(|w| *w != 0.0));
        }
    }

    #[test]
    fn both_paths_compute_the_same_duality_gap() {
        let (columns, y) = problem(300, 6);
        let penalty = Penalty { l1: 8.0, l2: 2.0 };
        let w = vec![0.5, 0.0, -0.25, 0.1, 0.0, 0.0];
        let residual: Vec<f64> = (0..y.len())
            .map(|i| y[i] - columns.iter().zip(&w).map(|(c, w)| c[i] * w).sum::<f64>())
            .collect();
        let gram = Gram::new(&columns, &y);
        let hw: Vec<f64> = (0..w.len()).map(|j| dot_slices(gram.row(j), &w)).collect();
        let a = duality_gap(&columns, &y, &residual, &w, penalty);
        let b = duality_gap_gram(&gram, &hw, &w, penalty);
        assert!((a - b).abs() <= 1e-9 * a.abs(), "{a} vs {b}");
    }

    #[test]
    fn large_fits_take_the_gram_path_to_the_same_model() {
        let n = GRAM_FROM_ROWS;
        let (columns, y) = problem(n, 5);
        let x = Array2::from_shape_fn((n, columns.len()), |(i, j)| columns[j][i] + 1.0);
        let lasso = Lasso {
            alpha: 0.01,
            max_iter: 100_000,
            tol: 1e-10,
        };
        let model = lasso.fit(&x, &y).unwrap();
        let penalty = Penalty {
            l1: lasso.alpha * n as f64,
            l2: 0.0,
        };
        let (residual, _) =
            coordinate_descent(&columns, &y, penalty, 100_000, 1e-10, Stop::DualityGap);
        for (a, b) in residual.iter().zip(&model.coefficients) {
            assert!((a - b).abs() <= 1e-7 * (1.0 + a.abs()), "{a} vs {b}");
        }
        // The columns were shifted by one: the intercept takes it back.
        let shift: f64 = model.coefficients.iter().sum();
        assert!(
            (model.intercept + shift).abs() < 1e-7,
            "{}",
            model.intercept
        );
    }
}

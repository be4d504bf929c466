//! Fitting an [`Svr`]: libsvm's solver for the epsilon-SVR dual,
//!
//! ```text
//! min ½·βᵀQβ + pᵀβ   subject to  0 ≤ β ≤ C,  sᵀβ = 0
//! ```
//!
//! over 2n variables `β = (α, α*)` with signs `s = (+1…, −1…)`, linear term
//! `p = (ε − y, ε + y)` and `Q[i][j] = sᵢ·sⱼ·K(i mod n, j mod n)`; the
//! coefficients are `α − α*` and the intercept `−ρ`. Each step moves the
//! pair chosen by second-order working set selection (libsvm's
//! `select_working_set`, without shrinking, on the whole kernel matrix).

use ndarray::Array2;
use rayon::prelude::*;

use super::model::squared_distance;
use super::{KernelModel, MAX_TRAINING_ROWS, Svr};
use crate::error::{Error, Result};

/// libsvm's `TAU`: the curvature used where a pair has none.
const TAU: f64 = 1e-12;

impl Svr {
    /// Fits on `x` (rows × features) and `y`.
    ///
    /// # Errors
    /// [`Error::Estimator`] for refused parameters, more than
    /// [`MAX_TRAINING_ROWS`] rows, or non-finite values.
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<KernelModel> {
        self.check().map_err(|e| Error::Estimator(e.to_string()))?;
        let (n, p) = x.dim();
        if n > MAX_TRAINING_ROWS {
            return Err(Error::Estimator(format!(
                "svr keeps the rows × rows kernel matrix: {n} training rows is more than {MAX_TRAINING_ROWS}; train on a sample"
            )));
        }
        if x.iter().chain(y).any(|v| !v.is_finite()) {
            return Err(Error::Estimator(
                "svr: the feature matrix or the target holds a non-finite value".into(),
            ));
        }
        let rows: Vec<Vec<f64>> = x.outer_iter().map(|r| r.to_vec()).collect();
        let gamma = self.gamma.unwrap_or_else(|| scale_gamma(x));
        let kernel: Vec<Vec<f64>> = (0..n)
            .into_par_iter()
            .map(|i| {
                (rows.iter())
                    .map(|other| (-gamma * squared_distance(&rows[i], other)).exp())
                    .collect()
            })
            .collect();
        let mut solver = Solver::new(&kernel, y, self);
        let iterations = solver.solve(self.max_iter);
        let rho = solver.rho();
        let (mut coefficients, mut support) = (Vec::new(), Vec::new());
        for (i, row) in rows.iter().enumerate() {
            let coef = solver.alpha[i] - solver.alpha[i + n];
            if coef != 0.0 {
                coefficients.push(coef);
                support.extend_from_slice(row);
            }
        }
        Ok(KernelModel {
            n_features: p,
            gamma,
            intercept: -rho,
            coefficients,
            support,
            iterations,
        })
    }
}

/// scikit-learn's `gamma = "scale"`: 1 / (columns × variance of every
/// value of the matrix); 1 / columns when that variance is 0.
fn scale_gamma(x: &Array2<f64>) -> f64 {
    let count = x.len().max(1) as f64;
    let mean = x.iter().sum::<f64>() / count;
    let variance = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / count;
    let p = x.ncols().max(1) as f64;
    if variance > 0.0 {
        1.0 / (p * variance)
    } else {
        1.0 / p
    }
}

/// The dual problem's state: `alpha` (2n), its gradient, the bounds.
struct Solver<'k> {
    kernel: &'k [Vec<f64>],
    n: usize,
    c: f64,
    tol: f64,
    alpha: Vec<f64>,
    gradient: Vec<f64>,
}

impl<'k> Solver<'k> {
    fn new(kernel: &'k [Vec<f64>], y: &[f64], params: &Svr) -> Solver<'k> {
        let n = y.len();
        // β = 0: the gradient is the linear term.
        let gradient = (y.iter().map(|v| params.epsilon - v))
            .chain(y.iter().map(|v| params.epsilon + v))
            .collect();
        Solver {
            kernel,
            n,
            c: params.c,
            tol: params.tol,
            alpha: vec![0.0; 2 * n],
            gradient,
        }
    }

    fn sign(&self, t: usize) -> f64 {
        if t < self.n { 1.0 } else { -1.0 }
    }

    /// `Q[i][j]`.
    fn q(&self, i: usize, j: usize) -> f64 {
        self.sign(i) * self.sign(j) * self.kernel[i % self.n][j % self.n]
    }

    fn below_upper(&self, t: usize) -> bool {
        self.alpha[t] < self.c
    }

    fn above_lower(&self, t: usize) -> bool {
        self.alpha[t] > 0.0
    }

    /// Runs until the gap is below `tol` or `max_iter` steps; returns the
    /// steps taken.
    fn solve(&mut self, max_iter: usize) -> usize {
        for iteration in 0..max_iter {
            let Some((i, j)) = self.select() else {
                return iteration;
            };
            self.step(i, j);
        }
        max_iter
    }

    /// libsvm's second-order working set selection; `None` at optimality.
    fn select(&self) -> Option<(usize, usize)> {
        let mut g_max = f64::NEG_INFINITY;
        let mut g_max2 = f64::NEG_INFINITY;
        let mut chosen_i = None;
        for t in 0..2 * self.n {
            let value = -self.sign(t) * self.gradient[t];
            let up = if self.sign(t) > 0.0 {
                self.below_upper(t)
            } else {
                self.above_lower(t)
            };
            if up && value >= g_max {
                g_max = value;
                chosen_i = Some(t);
            }
        }
        let i = chosen_i?;
        let mut chosen_j = None;
        let mut best = f64::INFINITY;
        for t in 0..2 * self.n {
            let low = if self.sign(t) > 0.0 {
                self.above_lower(t)
            } else {
                self.below_upper(t)
            };
            if !low {
                continue;
            }
            let value = self.sign(t) * self.gradient[t];
            g_max2 = g_max2.max(value);
            let difference = g_max + value;
            if difference > 0.0 {
                // Along the pair's feasible direction: K(i,i) + K(t,t) − 2·K(i,t).
                let curvature = positive_or_tau(2.0 - 2.0 * self.kernel[i % self.n][t % self.n]);
                let gain = -(difference * difference) / curvature;
                if gain <= best {
                    best = gain;
                    chosen_j = Some(t);
                }
            }
        }
        match chosen_j {
            Some(j) if g_max + g_max2 >= self.tol => Some((i, j)),
            _ => None,
        }
    }

    /// Moves the pair (libsvm's update, the box then the sum kept), and
    /// the gradient with it. The kernel's diagonal is 1 (RBF).
    fn step(&mut self, i: usize, j: usize) {
        let c = self.c;
        let (old_i, old_j) = (self.alpha[i], self.alpha[j]);
        let q_ij = self.q(i, j);
        let (mut a_i, mut a_j) = (old_i, old_j);
        if self.sign(i) != self.sign(j) {
            let curvature = positive_or_tau(2.0 + 2.0 * q_ij);
            let delta = (-self.gradient[i] - self.gradient[j]) / curvature;
            let difference = a_i - a_j;
            a_i += delta;
            a_j += delta;
            if difference > 0.0 {
                if a_j < 0.0 {
                    a_j = 0.0;
                    a_i = difference;
                }
            } else if a_i < 0.0 {
                a_i = 0.0;
                a_j = -difference;
            }
            if difference > 0.0 {
                if a_i > c {
                    a_i = c;
                    a_j = c - difference;
                }
            } else if a_j > c {
                a_j = c;
                a_i = c + difference;
            }
        } else {
            let curvature = positive_or_tau(2.0 - 2.0 * q_ij);
            let delta = (self.gradient[i] - self.gradient[j]) / curvature;
            let sum = a_i + a_j;
            a_i -= delta;
            a_j += delta;
            if sum > c {
                if a_i > c {
                    a_i = c;
                    a_j = sum - c;
                }
            } else if a_j < 0.0 {
                a_j = 0.0;
                a_i = sum;
            }
            if sum > c {
                if a_j > c {
                    a_j = c;
                    a_i = sum - c;
                }
            } else if a_i < 0.0 {
                a_i = 0.0;
                a_j = sum;
            }
        }
        self.alpha[i] = a_i;
        self.alpha[j] = a_j;
        let (d_i, d_j) = (a_i - old_i, a_j - old_j);
        let (s_i, s_j) = (self.sign(i) * d_i, self.sign(j) * d_j);
        let (k_i, k_j) = (&self.kernel[i % self.n], &self.kernel[j % self.n]);
        let n = self.n;
        for (t, g) in self.gradient.iter_mut().enumerate() {
            let s_t = if t < n { 1.0 } else { -1.0 };
            *g += s_t * (k_i[t % n] * s_i + k_j[t % n] * s_j);
        }
    }

    /// `ρ`: the mean of `s·G` over the free variables, else the middle of
    /// the bounds the others give (libsvm's `calculate_rho`).
    fn rho(&self) -> f64 {
        let (mut upper, mut lower) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut free, mut sum) = (0usize, 0.0);
        for t in 0..2 * self.n {
            let value = self.sign(t) * self.gradient[t];
            let positive = self.sign(t) > 0.0;
            if !self.below_upper(t) {
                if positive {
                    lower = lower.max(value);
                } else {
                    upper = upper.min(value);
                }
            } else if !self.above_lower(t) {
                if positive {
                    upper = upper.min(value);
                } else {
                    lower = lower.max(value);
                }
            } else {
                free += 1;
                sum += value;
            }
        }
        if free > 0 {
            sum / free as f64
        } else {
            (upper + lower) / 2.0
        }
    }
}

fn positive_or_tau(curvature: f64) -> f64 {
    if curvature > 0.0 { curvature } else { TAU }
}

//! Fitting a [`KernelRidge`]: the kernel matrix, its Cholesky factor, the
//! dual coefficients, and their expansion into a [`QuadraticModel`].

use ndarray::Array2;
use rayon::prelude::*;

use super::{KernelRidge, QuadraticModel};
use crate::error::{Error, Result};

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |s, (x, y)| s + x * y)
}

impl KernelRidge {
    /// Fits on `x` (rows × features) and `y`.
    ///
    /// # Errors
    /// [`Error::Estimator`] for refused parameters or a kernel matrix that
    /// is not positive definite (non-finite inputs).
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<QuadraticModel> {
        self.check().map_err(|e| Error::Estimator(e.to_string()))?;
        let (n, p) = x.dim();
        let rows: Vec<Vec<f64>> = x.outer_iter().map(|r| r.to_vec()).collect();
        let gamma = self.gamma.unwrap_or(1.0 / p.max(1) as f64);
        let mean = y.iter().sum::<f64>() / n as f64;
        let centred: Vec<f64> = y.iter().map(|v| v - mean).collect();
        let kernel =
            |a: &[f64], b: &[f64]| (gamma * dot(a, b) + self.coef0).powi(self.degree as i32);
        // Lower triangle of K + alpha·I, row i holding columns 0..=i.
        let mut lower: Vec<Vec<f64>> = (0..n)
            .into_par_iter()
            .map(|i| {
                let mut row: Vec<f64> = (0..=i).map(|j| kernel(&rows[i], &rows[j])).collect();
                row[i] += self.alpha;
                row
            })
            .collect();
        cholesky(&mut lower)?;
        let dual = solve(&lower, &centred);
        Ok(expand(self, gamma, mean, &rows, &dual))
    }
}

/// In-place Cholesky factorisation `A = L·Lᵀ` of a packed lower triangle,
/// row by row (each entry a dot product of two contiguous row prefixes).
fn cholesky(lower: &mut [Vec<f64>]) -> Result<()> {
    for i in 0..lower.len() {
        let (done, rest) = lower.split_at_mut(i);
        let row = &mut rest[0];
        for j in 0..i {
            let value = (row[j] - dot(&row[..j], &done[j][..j])) / done[j][j];
            row[j] = value;
        }
        let pivot = row[i] - dot(&row[..i], &row[..i]);
        if !(pivot > 0.0 && pivot.is_finite()) {
            return Err(Error::Estimator(format!(
                "kernel_ridge: the kernel matrix is not positive definite at row {} (non-finite features?)",
                i + 1
            )));
        }
        row[i] = pivot.sqrt();
    }
    Ok(())
}

/// Solves `L·Lᵀ·a = b` by forward then backward substitution.
fn solve(lower: &[Vec<f64>], b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut z = vec![0.0; n];
    for i in 0..n {
        z[i] = (b[i] - dot(&lower[i][..i], &z[..i])) / lower[i][i];
    }
    for i in (0..n).rev() {
        z[i] /= lower[i][i];
        let zi = z[i];
        for (zj, l) in z[..i].iter_mut().zip(&lower[i][..i]) {
            *zj -= l * zi;
        }
    }
    z
}

/// `ȳ + Σᵢ aᵢ·(γ·x·xᵢ + c₀)^d` as a [`QuadraticModel`] (module docs of
/// [`super`]). Each row of the triangle sums the training rows in order,
/// rows of the triangle in parallel.
fn expand(
    params: &KernelRidge,
    gamma: f64,
    mean: f64,
    rows: &[Vec<f64>],
    dual: &[f64],
) -> QuadraticModel {
    let p = rows.first().map_or(0, Vec::len);
    let c0 = params.coef0;
    let total: f64 = dual.iter().sum();
    let weighted: Vec<f64> = (0..p)
        .map(|j| rows.iter().zip(dual).fold(0.0, |s, (r, a)| s + a * r[j]))
        .collect();
    if params.degree == 1 {
        return QuadraticModel {
            n_features: p,
            constant: mean + c0 * total,
            linear: weighted.iter().map(|v| gamma * v).collect(),
            quadratic: Vec::new(),
        };
    }
    let quadratic: Vec<f64> = (0..p)
        .into_par_iter()
        .map(|j| {
            let mut out = vec![0.0; p - j];
            for (r, a) in rows.iter().zip(dual) {
                let factor = a * r[j];
                if factor != 0.0 {
                    out.iter_mut()
                        .zip(&r[j..])
                        .for_each(|(o, x)| *o += factor * x);
                }
            }
            out[1..].iter_mut().for_each(|o| *o *= 2.0);
            out.iter_mut().for_each(|o| *o *= gamma * gamma);
            out
        })
        .collect::<Vec<Vec<f64>>>()
        .concat();
    QuadraticModel {
        n_features: p,
        constant: mean + c0 * c0 * total,
        linear: weighted.iter().map(|v| 2.0 * gamma * c0 * v).collect(),
        quadratic,
    }
}

//! A fitted [`super::Svr`]: `intercept + Σᵢ coef[i]·exp(−gamma·‖x − sᵢ‖²)`
//! over the support vectors `sᵢ`.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::KernelLayout;
use crate::error::{Error, Result};

/// The support vectors, their dual coefficients and the kernel's scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KernelModel {
    pub n_features: usize,
    pub gamma: f64,
    pub intercept: f64,
    /// One coefficient per support vector (`αᵢ − αᵢ*`, never 0).
    pub coefficients: Vec<f64>,
    /// The support vectors, row after row, `n_features` values each.
    pub support: Vec<f64>,
    /// Solver iterations used.
    pub iterations: usize,
}

impl KernelModel {
    /// Whether the stored lengths fit (a corrupt model would otherwise
    /// read past its vectors).
    pub fn check_shape(&self) -> std::result::Result<(), String> {
        let expected = self.coefficients.len().checked_mul(self.n_features);
        if expected != Some(self.support.len()) {
            return Err(format!(
                "{} support values for {} vectors of {} columns",
                self.support.len(),
                self.coefficients.len(),
                self.n_features
            ));
        }
        if !(self.gamma > 0.0 && self.gamma.is_finite()) {
            return Err(format!("gamma {} is not a finite number > 0", self.gamma));
        }
        Ok(())
    }

    /// Predicts one value per row; each row alone, its terms summed in
    /// support-vector order, so a price does not depend on the batch.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        super::super::check_width("svr", self.n_features, x)?;
        self.check_shape().map_err(Error::Estimator)?;
        // One thread: a dependent's predict-only build has no rayon, and
        // the CLI and the service already predict chunks and requests in
        // parallel.
        Ok(super::super::map_rows(x, |row| self.predict_row(row)))
    }

    /// [`KernelModel::predict`] through `layout` (built from this model),
    /// row by row; a row the layout cannot take is summed densely.
    pub(crate) fn predict_with(&self, layout: &KernelLayout, x: &Array2<f64>) -> Vec<f64> {
        super::super::map_rows(x, |row| {
            layout
                .predict_row(self, row)
                .unwrap_or_else(|| self.predict_row(row))
        })
    }

    fn predict_row(&self, row: &[f64]) -> f64 {
        let p = self.n_features.max(1);
        let sum = (self.support.chunks_exact(p))
            .zip(&self.coefficients)
            .fold(0.0, |sum, (vector, coef)| {
                sum + coef * (-self.gamma * squared_distance(row, vector)).exp()
            });
        self.intercept + sum
    }
}

/// `‖a − b‖²` in four fixed lanes (so the compiler can vectorise it while
/// the order of the additions, and so every bit, stays the same).
pub(super) fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (a4.remainder(), b4.remainder());
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            let d = x[k] - y[k];
            lanes[k] += d * d;
        }
    }
    let tail = ra
        .iter()
        .zip(rb)
        .fold(0.0, |s, (x, y)| s + (x - y) * (x - y));
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

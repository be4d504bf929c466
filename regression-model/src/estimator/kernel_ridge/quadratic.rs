//! The fitted form of a polynomial kernel ridge of degree 1 or 2: a
//! quadratic function of the columns, which is what `ȳ + Σᵢ aᵢ·(γ·x·xᵢ +
//! c₀)²` is once expanded (`γ²·xᵀMx + 2γc₀·v·x + c₀²·Σaᵢ + ȳ` with `M =
//! Σ aᵢxᵢxᵢᵀ` and `v = Σ aᵢxᵢ`).

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// `constant + Σⱼ linear[j]·xⱼ + Σ_{j≤k} quadratic[j,k]·xⱼ·xₖ`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuadraticModel {
    pub n_features: usize,
    pub constant: f64,
    /// One weight per column.
    pub linear: Vec<f64>,
    /// The upper triangle of the symmetric matrix, row by row (`(j, j)`,
    /// `(j, j+1)`, …, `(j, p−1)`), off-diagonal terms doubled so that each
    /// pair is summed once; empty for degree 1.
    pub quadratic: Vec<f64>,
}

impl QuadraticModel {
    /// Whether the stored lengths fit `n_features` (a corrupt model
    /// would otherwise read past its weights).
    pub fn check_shape(&self) -> std::result::Result<(), String> {
        let p = self.n_features;
        let triangle = p * (p + 1) / 2;
        if self.linear.len() != p {
            return Err(format!(
                "{} linear weights for {p} columns",
                self.linear.len()
            ));
        }
        if !self.quadratic.is_empty() && self.quadratic.len() != triangle {
            return Err(format!(
                "{} quadratic weights for {p} columns (expected {triangle} or none)",
                self.quadratic.len()
            ));
        }
        Ok(())
    }

    /// Predicts one value per row, each row's sum in column order whatever
    /// the batch. Zero entries (most one-hot columns) are skipped: their
    /// terms add exactly nothing.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Vec<f64>> {
        super::super::check_width("kernel_ridge", self.n_features, x)?;
        self.check_shape().map_err(Error::Estimator)?;
        Ok(super::super::map_rows(x, |row| self.predict_row(row)))
    }

    fn predict_row(&self, row: &[f64]) -> f64 {
        let mut sum = self.constant;
        let mut start = 0;
        for (j, &xj) in row.iter().enumerate() {
            let width = row.len() - j;
            if xj != 0.0 {
                let mut term = self.linear[j];
                if !self.quadratic.is_empty() {
                    term += self.quadratic[start..start + width]
                        .iter()
                        .zip(&row[j..])
                        .fold(0.0, |s, (w, x)| s + w * x);
                }
                sum += xj * term;
            }
            start += width;
        }
        sum
    }
}

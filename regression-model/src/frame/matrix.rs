//! A [`Frame`]'s numeric columns as what an estimator reads: a feature
//! matrix, or a linear model's prediction straight from the columns.

use super::{ColumnData, Frame, kind_error};
use crate::error::{Error, Result};

impl Frame<'_> {
    /// `intercept + Σ weight × column` for each accepted row, the columns in
    /// frame order: what a linear model predicts from
    /// [`Frame::to_matrix`], without building the matrix. Each row's sum
    /// runs left to right from 0, as [`crate::estimator::FittedEstimator`]
    /// sums a matrix row, so both give the same bits.
    pub fn linear_combination(
        &self,
        step: &str,
        weights: &[f64],
        intercept: f64,
    ) -> Result<Vec<f64>> {
        if weights.len() != self.columns.len() {
            return Err(Error::Estimator(format!(
                "fitted on {} features, given {}",
                weights.len(),
                self.columns.len()
            )));
        }
        let keep: Vec<usize> = self.accepted_rows().collect();
        let mut sums = vec![0.0; keep.len()];
        for ((name, column), weight) in self.names.iter().zip(&self.columns).zip(weights) {
            let ColumnData::Numeric(values) = column else {
                return Err(kind_error(step, name, "numeric", column));
            };
            let values = values.as_slice(); // one inline-or-heap check per column
            for (sum, &row) in sums.iter_mut().zip(&keep) {
                *sum += values[row] * weight;
            }
        }
        sums.iter_mut().for_each(|sum| *sum += intercept);
        Ok(sums)
    }

    /// The numeric columns of the accepted rows, in the frame's column
    /// order, consuming the frame: the data of [`Frame::to_matrix`] without
    /// its copy (a column's buffer is handed over when no row was rejected).
    /// Fails if any column is still categorical.
    pub fn into_columns(self, step: &str) -> Result<Vec<Vec<f64>>> {
        let keep: Vec<usize> = self.accepted_rows().collect();
        let every_row = keep.len() == self.rows;
        self.names
            .iter()
            .zip(self.columns)
            .map(|(name, column)| match column {
                ColumnData::Numeric(v) if every_row => Ok(v.into_vec()),
                ColumnData::Numeric(v) => Ok(keep.iter().map(|&r| v[r]).collect()),
                other => Err(kind_error(step, name, "numeric", &other)),
            })
            .collect()
    }

    /// The numeric columns as a column-major matrix of the accepted rows, in
    /// the frame's column order. Fails if any column is still categorical.
    pub fn to_matrix(&self, step: &str) -> Result<ndarray::Array2<f64>> {
        let keep: Vec<usize> = self.accepted_rows().collect();
        let mut data = Vec::with_capacity(keep.len() * self.columns.len());
        for (name, column) in self.names.iter().zip(&self.columns) {
            match column {
                ColumnData::Numeric(v) => {
                    let v = v.as_slice();
                    data.extend(keep.iter().map(|&r| v[r]));
                }
                other => return Err(kind_error(step, name, "numeric", other)),
            }
        }
        use ndarray::ShapeBuilder;
        ndarray::Array2::from_shape_vec((keep.len(), self.columns.len()).f(), data)
            .map_err(|e| Error::Estimator(format!("cannot build the feature matrix: {e}")))
    }
}

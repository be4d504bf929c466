//! Fitting the boosted trees (`train` feature only): residuals, row and
//! column sampling, one grown tree per round.

use ndarray::Array2;

use super::bins::Binned;
use super::{BoostedTrees, GradientBoosting, Loss, grow};
use crate::error::{Error, Result};
use crate::split::SplitMix64;

impl GradientBoosting {
    /// Fits `n_trees` trees on `x` (rows × features) and `y`.
    ///
    /// # Errors
    /// [`Error::Estimator`] for a value that is not a finite number, naming
    /// its row and column, or for settings [`GradientBoosting::check`] refuses.
    pub fn fit(&self, x: &Array2<f64>, y: &[f64]) -> Result<BoostedTrees> {
        self.check().map_err(|e| Error::Estimator(e.to_string()))?;
        if let Some(((row, col), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
            return Err(Error::Estimator(format!(
                "gradient_boosting: row {row}, column {col} is {v}, not a finite number"
            )));
        }
        if let Some(row) = y.iter().position(|v| !v.is_finite()) {
            return Err(Error::Estimator(format!(
                "gradient_boosting: target of row {row} is {}, not a finite number",
                y[row]
            )));
        }
        let (n, n_features) = x.dim();
        let binned = Binned::new(x, self.max_bins);
        let base = y.iter().sum::<f64>() / n as f64;
        let mut fitted = vec![base; n];
        let mut residual = vec![0.0; n];
        let mut rng = SplitMix64::new(self.seed);
        let n_rows = sample_size(n, self.subsample);
        let n_cols = sample_size(n_features, self.colsample);
        let mut trees = Vec::with_capacity(self.n_trees);
        let mut scratch = Vec::with_capacity(n);
        for _ in 0..self.n_trees {
            for ((r, t), f) in residual.iter_mut().zip(y).zip(&fitted) {
                *r = t - f;
            }
            if self.loss == Loss::Huber {
                clip_at_quantile(&mut residual, self.huber_quantile, &mut scratch);
            }
            let rows = sample(&mut rng, n, n_rows);
            let features = sample(&mut rng, n_features, n_cols);
            let tree = grow::Grower {
                binned: &binned,
                residual: &residual,
                params: self,
                features: &features,
            }
            .grow(rows);
            for (i, f) in fitted.iter_mut().enumerate() {
                *f += tree.predict_row(|c| x[(i, c)]);
            }
            trees.push(tree);
        }
        Ok(BoostedTrees {
            n_features,
            base,
            trees,
        })
    }
}

/// Clips `values` to ±(the `quantile` quantile of their absolute values).
pub(super) fn clip_at_quantile(values: &mut [f64], quantile: f64, scratch: &mut Vec<f64>) {
    scratch.clear();
    scratch.extend(values.iter().map(|v| v.abs()));
    scratch.sort_unstable_by(f64::total_cmp);
    let at = ((quantile * scratch.len() as f64).ceil() as usize).clamp(1, scratch.len()) - 1;
    let delta = scratch[at];
    values.iter_mut().for_each(|v| *v = v.clamp(-delta, delta));
}

fn sample_size(n: usize, share: f64) -> usize {
    ((share * n as f64).round() as usize).clamp(1, n.max(1))
}

/// `k` of `0..n`, ascending; all of them, drawing nothing, when `k == n`
/// (so that no sampling means no random stream consumed).
fn sample(rng: &mut SplitMix64, n: usize, k: usize) -> Vec<u32> {
    let mut all: Vec<u32> = (0..n as u32).collect();
    if k >= n {
        return all;
    }
    // Partial Fisher–Yates: the first k positions are a uniform sample.
    for i in 0..k {
        let j = i + (rng.next_u64() % (n - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k);
    all.sort_unstable();
    all
}

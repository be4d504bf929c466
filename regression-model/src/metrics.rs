//! Regression metrics on prices in dollars: RMSE, R² and RMSLE.

use serde::{Deserialize, Serialize};

/// Metrics of predictions against true prices.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Rows scored.
    pub rows: usize,
    /// Root mean squared error, in dollars.
    pub rmse: f64,
    /// Coefficient of determination on the prices.
    pub r2: f64,
    /// Root mean squared error of the logs (Kaggle's score).
    pub rmsle: f64,
}

impl Metrics {
    /// Computes the metrics; `None` when there are no pairs.
    pub fn compute(predicted: &[f64], actual: &[f64]) -> Option<Metrics> {
        let n = predicted.len().min(actual.len());
        if n == 0 {
            return None;
        }
        let pairs = || predicted.iter().zip(actual);
        let mse = pairs().map(|(p, a)| (p - a).powi(2)).sum::<f64>() / n as f64;
        let mean = actual[..n].iter().sum::<f64>() / n as f64;
        let variance = actual[..n].iter().map(|a| (a - mean).powi(2)).sum::<f64>() / n as f64;
        let msle = pairs().map(|(p, a)| (p.ln() - a.ln()).powi(2)).sum::<f64>() / n as f64;
        Some(Metrics {
            rows: n,
            rmse: mse.sqrt(),
            r2: 1.0 - mse / variance,
            rmsle: msle.sqrt(),
        })
    }
}

impl std::fmt::Display for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RMSE ${:.0}  R² {:.4}  RMSLE {:.4}  ({} rows)",
            self.rmse, self.r2, self.rmsle, self.rows
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_predictions_have_zero_error_and_r2_one() {
        let m = Metrics::compute(&[100.0, 200.0], &[100.0, 200.0]).unwrap();
        assert_eq!((m.rmse, m.r2, m.rmsle), (0.0, 1.0, 0.0));
    }

    #[test]
    fn metrics_match_hand_computed_values() {
        let m = Metrics::compute(&[110.0, 190.0], &[100.0, 200.0]).unwrap();
        assert!((m.rmse - 10.0).abs() < 1e-12);
        assert!((m.r2 - (1.0 - 100.0 / 2500.0)).abs() < 1e-12);
        let expected =
            (((110f64 / 100.0).ln().powi(2) + (190f64 / 200.0).ln().powi(2)) / 2.0).sqrt();
        assert!((m.rmsle - expected).abs() < 1e-12);
        assert!(Metrics::compute(&[], &[]).is_none());
    }
}

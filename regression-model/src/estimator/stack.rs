//! Stacking: a blend whose weights are learnt rather than written down.
//! Inside the training rows, k-fold cross-validation gives every member an
//! out-of-fold prediction for every row; the weights are the non-negative
//! weights summing to 1 whose weighted average of those predictions (in the
//! target space, ln price) has the least squared error. Then every member is
//! refitted on all the training rows.
//!
//! Weights that sum to 1 keep the blend an average (no intercept, no
//! scaling of the members), and non-negative ones keep a member from being
//! used "against" another, which out-of-fold noise would otherwise reward.
//!
//! ```toml
//! [estimator]
//! model = "blend"
//! stacking = { folds = 5, seed = 0 }
//! members = [ { config = "lasso.toml" }, { config = "gbm.toml" } ]
//! ```

use serde::{Deserialize, Serialize};

use super::params::{self, ParamError, Rule};

/// The most members a stack may have: the weights are found exactly by
/// trying every subset of members, 2^members − 1 small solves.
pub const MAX_STACKED_MEMBERS: usize = 8;

/// The `stacking` table of a blend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stacking {
    /// Folds of the inner cross-validation (2 to 20).
    pub folds: usize,
    /// Seed of the inner folds (`split::k_folds`, a `train` feature module).
    pub seed: u64,
}

impl Default for Stacking {
    fn default() -> Self {
        Stacking { folds: 5, seed: 0 }
    }
}

impl Stacking {
    /// Refuses a fold count outside 2..=20 and more than
    /// [`MAX_STACKED_MEMBERS`] members.
    pub fn check(&self, members: usize) -> Result<(), ParamError> {
        params::check(
            "blend",
            "stacking.folds",
            self.folds as f64,
            Rule::Count { min: 2, max: 20 },
        )?;
        if members > MAX_STACKED_MEMBERS {
            return Err(ParamError::TooManyStackedMembers {
                members,
                max: MAX_STACKED_MEMBERS,
            });
        }
        Ok(())
    }
}

/// A fitted stack: the members (refitted on all rows, each with its learnt
/// weight) and what the inner cross-validation measured. `Member` is
/// `pipeline::FittedMember`, as in [`super::FittedEstimator`].
#[derive(Debug, Serialize, Deserialize)]
pub struct Stack<Member> {
    pub members: Vec<Member>,
    pub out_of_fold: OutOfFold,
}

/// The inner cross-validation's scores, kept in the artifact and the
/// training report so a reader can see why the weights are what they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutOfFold {
    /// Inner folds the members were scored on.
    pub folds: usize,
    /// Seed of the inner folds.
    pub seed: u64,
    /// Training rows every member predicted out of fold (the weights' data).
    pub rows: usize,
    /// RMSLE of the weighted out-of-fold predictions.
    pub rmsle: f64,
    /// RMSE (dollars) of the weighted out-of-fold predictions.
    pub rmse: f64,
    /// Each member's own out-of-fold RMSLE, in member order.
    pub member_rmsle: Vec<f64>,
}

/// What the training report says about a stack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackingReport {
    /// `(member config name, learnt weight)`, in member order.
    pub weights: Vec<(String, f64)>,
    /// The inner cross-validation behind the weights.
    pub out_of_fold: OutOfFold,
}

#[cfg(feature = "train")]
/// The non-negative weights summing to 1 that minimise
/// `Σ_rows (Σ_m w_m · residual_m[row])²`, where `residuals[m][row]` is
/// member `m`'s out-of-fold prediction minus the target: with weights
/// summing to 1 that is the blend's residual.
///
/// Exact: every subset of members is solved as an equality-constrained
/// least-squares problem (its KKT system), infeasible (negative) or
/// singular solutions are skipped, and the lowest loss wins (the first
/// subset on ties, subsets in increasing bit order). Single members are
/// always feasible, so a solution always exists.
pub fn simplex_weights(residuals: &[Vec<f64>]) -> Vec<f64> {
    let m = residuals.len();
    // Gram matrix of the residuals.
    let gram: Vec<Vec<f64>> = (0..m)
        .map(|a| {
            (0..m)
                .map(|b| {
                    residuals[a]
                        .iter()
                        .zip(&residuals[b])
                        .map(|(x, y)| x * y)
                        .sum()
                })
                .collect()
        })
        .collect();
    let loss = |w: &[f64]| -> f64 {
        (0..m)
            .map(|a| (0..m).map(|b| w[a] * w[b] * gram[a][b]).sum::<f64>())
            .sum()
    };
    let mut best: Option<(f64, Vec<f64>)> = None;
    for subset in 1u32..(1 << m) {
        let chosen: Vec<usize> = (0..m).filter(|i| subset & (1 << i) != 0).collect();
        let Some(sub) = constrained_solve(&gram, &chosen) else {
            continue;
        };
        if sub.iter().any(|w| !w.is_finite() || *w < 0.0) {
            continue;
        }
        let mut w = vec![0.0; m];
        chosen.iter().zip(&sub).for_each(|(&i, &v)| w[i] = v);
        let l = loss(&w);
        if best.as_ref().is_none_or(|(b, _)| l < *b) {
            best = Some((l, w));
        }
    }
    best.map(|(_, w)| w)
        .unwrap_or_else(|| vec![1.0 / m as f64; m])
}

/// Minimises `wᵀ G w` over the `chosen` members with `Σ w = 1`: solves
/// `[G 1; 1ᵀ 0] [w; λ] = [0; 1]` by Gaussian elimination with partial
/// pivoting. `None` when the system is (numerically) singular.
#[cfg(feature = "train")]
fn constrained_solve(gram: &[Vec<f64>], chosen: &[usize]) -> Option<Vec<f64>> {
    let k = chosen.len();
    let size = k + 1;
    let scale = chosen
        .iter()
        .map(|&i| gram[i][i].abs())
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    // Augmented matrix, the Gram part scaled to O(1) (λ absorbs the scale).
    let mut a = vec![vec![0.0; size + 1]; size];
    for (r, &i) in chosen.iter().enumerate() {
        for (c, &j) in chosen.iter().enumerate() {
            a[r][c] = gram[i][j] / scale;
        }
        a[r][k] = 1.0;
        a[k][r] = 1.0;
    }
    a[k][size] = 1.0;
    for col in 0..size {
        let pivot = (col..size).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (row, values) in a.iter_mut().enumerate() {
            let factor = values[col] / pivot_row[col];
            if row != col && factor != 0.0 {
                for (x, p) in values.iter_mut().zip(&pivot_row).skip(col) {
                    *x -= factor * p;
                }
            }
        }
    }
    Some((0..k).map(|r| a[r][size] / a[r][r]).collect())
}

#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;

    /// Two members with independent errors of variance 1 and 4: the best
    /// average weighs them 4:1 (inverse variance).
    #[test]
    fn independent_members_are_weighted_by_inverse_error_variance() {
        let n = 4000;
        let noise = |seed: u64| {
            let mut rng = crate::split::SplitMix64::new(seed);
            (0..n)
                .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5)
                .collect::<Vec<f64>>()
        };
        let a = noise(1);
        let b: Vec<f64> = noise(2).iter().map(|v| 2.0 * v).collect();
        let w = simplex_weights(&[a, b]);
        assert!(
            (w[0] - 0.8).abs() < 0.03 && (w[0] + w[1] - 1.0).abs() < 1e-12,
            "{w:?}"
        );
    }

    #[test]
    fn a_member_that_only_adds_error_gets_weight_zero() {
        let good: Vec<f64> = (0..100).map(|i| ((i % 7) as f64 - 3.0) * 0.01).collect();
        // The same errors, larger: any mix is worse than `good` alone.
        let bad: Vec<f64> = good.iter().map(|v| 3.0 * v).collect();
        assert_eq!(simplex_weights(&[good, bad]), vec![1.0, 0.0]);
    }

    #[test]
    fn identical_members_do_not_break_the_solve() {
        let r: Vec<f64> = (0..50).map(|i| (i as f64).sin()).collect();
        let w = simplex_weights(&[r.clone(), r]);
        assert_eq!(w.iter().sum::<f64>(), 1.0);
        assert!(w.iter().all(|v| *v >= 0.0));
    }

    #[test]
    fn stacking_settings_are_checked() {
        assert!(Stacking { folds: 1, seed: 0 }.check(2).is_err());
        assert!(Stacking::default().check(MAX_STACKED_MEMBERS + 1).is_err());
        assert!(Stacking::default().check(3).is_ok());
    }
}

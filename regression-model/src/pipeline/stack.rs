//! Fitting a stacked blend (see [`crate::estimator::stack`]): out-of-fold
//! predictions of every member on k folds of the training rows, weights
//! learnt from them, then every member refitted on all the rows.
//!
//! The (member, fold) fits are independent and run in parallel (rayon);
//! their results are gathered in task order and each fit is deterministic,
//! so the learnt weights and the artifact do not depend on the thread count.

#[cfg(feature = "train")]
use rayon::prelude::*;

use super::FittedMember;
#[cfg(feature = "train")]
use super::{Checked, ErrorLimit, FittedPipeline};
#[cfg(feature = "train")]
use crate::config::CheckedConfig;
#[cfg(feature = "train")]
use crate::error::{Error, Result};
#[cfg(feature = "train")]
use crate::estimator::stack::simplex_weights;
#[cfg(feature = "train")]
use crate::estimator::{FittedEstimator, OutOfFold, Stacking};
use crate::estimator::{Stack, StackingReport};
#[cfg(feature = "train")]
use crate::metrics::Metrics;
#[cfg(feature = "train")]
use crate::schema::HouseRecord;
#[cfg(feature = "train")]
use crate::split::k_folds;

impl Stack<FittedMember> {
    /// The learnt weights, by member config name, and the out-of-fold
    /// scores: what the training report shows.
    pub fn report(&self) -> StackingReport {
        StackingReport {
            weights: self
                .members
                .iter()
                .map(|m| (m.pipeline.config.name.clone(), m.weight))
                .collect(),
            out_of_fold: self.out_of_fold.clone(),
        }
    }
}

#[cfg(feature = "train")]
impl FittedPipeline {
    /// Fits a blend whose weights `stacking` learns.
    pub(super) fn fit_stack(
        config: &CheckedConfig,
        stacking: Stacking,
        records: &[&HouseRecord],
        targets: &[f64],
    ) -> Result<FittedPipeline> {
        let n = records.len();
        if n < stacking.folds {
            return Err(Error::TrainingData(format!(
                "stacking needs at least {} training rows (one per fold), got {n}",
                stacking.folds
            )));
        }
        let transform = config.config().target_transform;
        let members = config.members();
        let folds = k_folds(n, stacking.folds, stacking.seed);
        let tasks: Vec<(usize, usize)> = (0..members.len())
            .flat_map(|m| (0..folds.len()).map(move |f| (m, f)))
            .collect();
        let fitted: Vec<Result<Vec<(usize, f64)>>> = tasks
            .par_iter()
            .map(|&(m, f)| out_of_fold(config, m, records, targets, &folds[f], f))
            .collect();
        // oof[m][row]: member m's out-of-fold prediction (target space).
        let mut oof = vec![vec![None; n]; members.len()];
        for ((m, _), result) in tasks.iter().zip(fitted) {
            for (row, value) in result? {
                oof[*m][row] = Some(value);
            }
        }
        let rows: Vec<usize> = (0..n)
            .filter(|&r| oof.iter().all(|member| member[r].is_some()))
            .collect();
        if rows.is_empty() {
            return Err(Error::TrainingData(
                "stacking: no training row was predicted out of fold by every member".into(),
            ));
        }
        let y: Vec<f64> = rows
            .iter()
            .map(|&r| transform.forward(targets[r]))
            .collect();
        let residuals: Vec<Vec<f64>> = oof
            .iter()
            .map(|member| {
                rows.iter()
                    .zip(&y)
                    .map(|(&r, t)| member[r].unwrap_or(f64::NAN) - t)
                    .collect()
            })
            .collect();
        let weights = simplex_weights(&residuals);
        let actual: Vec<f64> = rows.iter().map(|&r| targets[r]).collect();
        let blended: Vec<f64> = (0..rows.len())
            .map(|i| {
                let mix: f64 = weights.iter().zip(&residuals).map(|(w, r)| w * r[i]).sum();
                transform.inverse(y[i] + mix)
            })
            .collect();
        let score = |predicted: &[f64]| {
            Metrics::compute(predicted, &actual).ok_or_else(|| {
                Error::TrainingData("stacking: no out-of-fold prediction to score".into())
            })
        };
        let overall = score(&blended)?;
        let member_rmsle = residuals
            .iter()
            .map(|r| {
                let prices: Vec<f64> = r
                    .iter()
                    .zip(&y)
                    .map(|(e, t)| transform.inverse(t + e))
                    .collect();
                score(&prices).map(|m| m.rmsle)
            })
            .collect::<Result<Vec<f64>>>()?;
        log::info!(
            "stacking {}: weights {weights:?}, out-of-fold RMSLE {:.5} (members {member_rmsle:?})",
            config.config().name,
            overall.rmsle
        );
        let refitted: Vec<Result<FittedPipeline>> = members
            .par_iter()
            .map(|(_, member)| FittedPipeline::fit(member, records, targets))
            .collect();
        let members = refitted
            .into_iter()
            .zip(weights)
            .enumerate()
            .map(|(index, (pipeline, weight))| {
                Ok(FittedMember {
                    weight,
                    pipeline: pipeline.map_err(|e| in_member(e, index))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(FittedPipeline {
            config: config.config().clone(),
            steps: Vec::new(),
            output_features: Vec::new(),
            estimator: FittedEstimator::Stacked(Stack {
                members,
                out_of_fold: OutOfFold {
                    folds: stacking.folds,
                    seed: stacking.seed,
                    rows: rows.len(),
                    rmsle: overall.rmsle,
                    rmse: overall.rmse,
                    member_rmsle,
                },
            }),
            guard: super::InputGuard::default(),
            checked: Checked::from_config(config),
            lookups: Vec::new(),
            prepared: Default::default(),
        })
    }
}

#[cfg(feature = "train")]
/// Member `m` fitted without `fold` and predicted on it: `(row, value)` in
/// the target space, for the rows it could price.
fn out_of_fold(
    blend: &CheckedConfig,
    m: usize,
    records: &[&HouseRecord],
    targets: &[f64],
    fold: &[usize],
    f: usize,
) -> Result<Vec<(usize, f64)>> {
    let member = &blend.members()[m].1;
    let mut held = vec![false; records.len()];
    fold.iter().for_each(|&r| held[r] = true);
    let (train, y): (Vec<&HouseRecord>, Vec<f64>) = (0..records.len())
        .filter(|&r| !held[r])
        .map(|r| (records[r], targets[r]))
        .unzip();
    let pipeline = FittedPipeline::fit(member, &train, &y).map_err(|e| match e {
        Error::TrainingData(message) => Error::TrainingData(format!(
            "blend member {}, stacking fold {}: {message} (row numbers count the fold's training rows)",
            m + 1,
            f + 1
        )),
        other => other,
    })?;
    // The blend's target space, where members are averaged.
    let transform = blend.config().target_transform;
    let rows = fold.iter().map(|&r| (r, records[r], &[][..])).collect();
    // Only the predictions are used: no error is kept.
    Ok(pipeline
        .predict_checked(rows, ErrorLimit::Total(0))
        .predictions
        .into_iter()
        .map(|p| (p.row, transform.forward(p.price)))
        .collect())
}

#[cfg(feature = "train")]
fn in_member(error: Error, index: usize) -> Error {
    match error {
        Error::TrainingData(m) => Error::TrainingData(format!("blend member {}: {m}", index + 1)),
        other => other,
    }
}

//! k-fold cross-validation of a pipeline config on labelled rows: every fold
//! is fitted on the other folds' rows with [`FittedPipeline::fit`] (so
//! training-row filters act on the training folds only) and predicted on
//! its own rows. Folds are a seeded shuffle cut into `k` parts
//! (SplitMix64): reproducible from the seed in any language.
//!
//! Each fold is computed independently of the others and of the thread that
//! runs it, so callers may run folds in parallel and get the same numbers.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::config::CheckedConfig;
use crate::error::{Error, Result};
use crate::input::{InputRows, ParsedRow};
use crate::metrics::Metrics;
use crate::pipeline::FittedPipeline;
use crate::schema::HouseRecord;
use crate::stats::mean_sd;

/// Labelled rows checked for training: every row has a usable target and no
/// parse problem in the columns the config reads.
#[derive(Debug, Clone)]
pub struct Labelled<'a> {
    /// The rows with a usable target.
    pub rows: Vec<&'a ParsedRow>,
    /// Their targets, in the same order.
    pub targets: Vec<f64>,
}

impl<'a> Labelled<'a> {
    /// # Errors
    /// [`Error::TrainingData`] naming the first unusable row.
    pub fn new(config: &CheckedConfig, data: &'a InputRows) -> Result<Labelled<'a>> {
        let targets = data
            .target
            .as_ref()
            .ok_or_else(|| Error::TrainingData("the data has no SalePrice column".into()))?;
        let features = config.features();
        let mut out = Labelled {
            rows: Vec::with_capacity(data.rows.len()),
            targets: Vec::with_capacity(data.rows.len()),
        };
        for (row, (parsed, target)) in data.rows.iter().zip(targets).enumerate() {
            out.targets.push(crate::train::usable_target(
                row,
                &parsed.problems,
                *target,
                features,
            )?);
            out.rows.push(parsed);
        }
        Ok(out)
    }

    /// Number of labelled rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row is labelled.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The result of one fold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoldScore {
    /// The fold's index, from 0.
    pub fold: usize,
    /// Metrics over the fold's predicted rows (`None`: none predicted).
    pub metrics: Option<Metrics>,
    /// Validation rows the model rejected (unseen label, missing value...).
    pub rejected: usize,
    /// `(row, predicted price)` of the fold's predicted rows, rows indexed
    /// into the labelled data.
    #[serde(skip)]
    pub predictions: Vec<(usize, f64)>,
    /// Wall time of the fit (not reproducible; excluded from comparisons).
    pub fit_seconds: f64,
}

/// Fits `config` on every row outside `fold` and scores it on `fold`.
///
/// # Errors
/// Whatever [`FittedPipeline::fit`] reports for the training rows.
pub fn score_fold(
    config: &CheckedConfig,
    data: &Labelled,
    folds: &[Vec<usize>],
    fold: usize,
) -> Result<FoldScore> {
    let held = &folds[fold];
    let mut in_fold = vec![false; data.len()];
    held.iter().for_each(|&r| in_fold[r] = true);
    let (records, targets): (Vec<&HouseRecord>, Vec<f64>) = (0..data.len())
        .filter(|&r| !in_fold[r])
        .map(|r| (&data.rows[r].record, data.targets[r]))
        .unzip();
    let started = Instant::now();
    let pipeline = FittedPipeline::fit(config, &records, &targets).map_err(|e| match e {
        Error::TrainingData(m) => Error::TrainingData(format!(
            "fold {}: {m} (row numbers count the fold's training rows)",
            fold + 1
        )),
        other => other,
    })?;
    let fit_seconds = started.elapsed().as_secs_f64();
    let rows: Vec<&ParsedRow> = held.iter().map(|&r| data.rows[r]).collect();
    let outcome = pipeline.predict_row_refs(&rows);
    let predictions: Vec<(usize, f64)> = outcome
        .predictions
        .iter()
        .map(|p| (held[p.row], p.price))
        .collect();
    let (predicted, actual): (Vec<f64>, Vec<f64>) = predictions
        .iter()
        .map(|&(r, price)| (price, data.targets[r]))
        .unzip();
    Ok(FoldScore {
        fold,
        metrics: Metrics::compute(&predicted, &actual),
        rejected: held.len() - predictions.len(),
        predictions,
        fit_seconds,
    })
}

/// Fold scores summarised: mean and population standard deviation (as
/// scikit-learn's `cv_results_`) over the folds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Mean RMSE (dollars) over the folds.
    pub rmse_mean: f64,
    /// Its standard deviation.
    pub rmse_sd: f64,
    /// Mean RMSLE over the folds.
    pub rmsle_mean: f64,
    /// Its standard deviation.
    pub rmsle_sd: f64,
    /// Mean R² over the folds.
    pub r2_mean: f64,
    /// Validation rows rejected, over all folds.
    pub rejected: usize,
    /// Mean wall time of a fit, in seconds.
    pub fit_seconds_mean: f64,
}

impl Summary {
    /// # Errors
    /// [`Error::TrainingData`] when a fold predicted no row at all.
    pub fn of(folds: &[FoldScore]) -> Result<Summary> {
        let metrics: Vec<Metrics> = folds
            .iter()
            .map(|f| {
                f.metrics.ok_or_else(|| {
                    Error::TrainingData(format!("fold {} predicted no row", f.fold + 1))
                })
            })
            .collect::<Result<_>>()?;
        let pick = |f: fn(&Metrics) -> f64| metrics.iter().map(f).collect::<Vec<f64>>();
        let (rmse_mean, rmse_sd) = mean_sd(&pick(|m| m.rmse));
        let (rmsle_mean, rmsle_sd) = mean_sd(&pick(|m| m.rmsle));
        Ok(Summary {
            rmse_mean,
            rmse_sd,
            rmsle_mean,
            rmsle_sd,
            r2_mean: mean_sd(&pick(|m| m.r2)).0,
            rejected: folds.iter().map(|f| f.rejected).sum(),
            fit_seconds_mean: mean_sd(&folds.iter().map(|f| f.fit_seconds).collect::<Vec<_>>()).0,
        })
    }
}

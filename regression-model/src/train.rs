//! Training: split labelled rows, fit a checked config on the training part,
//! measure it on the hold-out part, and package the result with its metadata.

use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::artifact::{MODEL_VERSION, Metadata, TrainedModel};
use crate::config::CheckedConfig;
use crate::drift::TrainingSummary;
use crate::error::{Error, Result};
use crate::estimator::{FittedEstimator, StackingReport};
use crate::input::{FieldProblem, InputRows, TrainingColumns};
use crate::metrics::Metrics;
use crate::pipeline::FittedPipeline;
use crate::schema::Column;
use crate::split::holdout_split;

mod read;

pub use read::{read_training_file, train_csv};

/// Split settings of one training run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// Share of rows held out for evaluation, in `[0, 1)`; 0 trains on all rows.
    pub holdout: f64,
    /// Seed of the shuffle that picks the held-out rows.
    pub seed: u64,
}

/// What a training run did, written as JSON beside the artifact. Unlike the
/// artifact it holds timings, so it is not byte-reproducible.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainingReport {
    /// The crate version, which is the model's.
    pub model_version: String,
    /// The config's name.
    pub config: String,
    /// The estimator's name.
    pub estimator: String,
    /// Seed of the hold-out split.
    pub seed: u64,
    /// Share of rows held out.
    pub holdout_fraction: f64,
    /// Labelled rows in the file.
    pub rows_total: usize,
    /// Rows the pipeline was fitted on.
    pub rows_train: usize,
    /// Rows held out.
    pub rows_holdout: usize,
    /// Held-out rows the model rejected (not scored).
    pub holdout_rows_rejected: usize,
    /// Scores on the held-out rows it predicted.
    pub holdout_metrics: Option<Metrics>,
    /// SHA-256 (hex) of the training file.
    pub training_data_sha256: String,
    /// Wall time of the fit, in seconds.
    pub fit_seconds: f64,
    /// A stacked blend's learnt weights and out-of-fold score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stacking: Option<StackingReport>,
}

/// Trains `config` on labelled `data` (whose file hashes to `data_sha256`).
///
/// # Errors
/// [`Error::TrainingData`] when the data has no `SalePrice` column, a row
/// lacks a usable target, or a training row is unusable for the pipeline.
pub fn train(
    config: &CheckedConfig,
    data: &InputRows,
    data_sha256: &str,
    options: TrainOptions,
) -> Result<(TrainedModel, TrainingReport)> {
    let data = TrainingColumns::from_rows(data, config.features());
    train_columns(config, &data, data_sha256, options)
}

/// [`train`] on rows stored by column: what [`train_csv`] reads.
pub(crate) fn train_columns(
    config: &CheckedConfig,
    data: &TrainingColumns,
    data_sha256: &str,
    options: TrainOptions,
) -> Result<(TrainedModel, TrainingReport)> {
    if !data.has_target() {
        return Err(Error::TrainingData(
            "the data has no SalePrice column".into(),
        ));
    }
    if !(0.0..1.0).contains(&options.holdout) {
        return Err(Error::TrainingData(format!(
            "holdout must be in [0, 1), got {}",
            options.holdout
        )));
    }
    let split = holdout_split(data.rows(), options.holdout, options.seed);
    if split.train.is_empty() {
        return Err(Error::TrainingData("no rows to train on".into()));
    }
    let mut y = Vec::with_capacity(split.train.len());
    for &row in &split.train {
        let (problems, target) = (data.problems(row), data.target(row));
        y.push(usable_target(row, problems, target, config.features())?);
    }
    // Without a hold-out, the training rows are every row, in order.
    let selected;
    let training = if split.holdout.is_empty() {
        data
    } else {
        selected = data.select(&split.train);
        &selected
    };
    let started = Instant::now();
    let pipeline = FittedPipeline::fit_columns(config, training, &y).map_err(|e| match e {
        Error::TrainingData(m) => {
            Error::TrainingData(format!("{m} (row numbers count training rows only)"))
        }
        other => other,
    })?;
    let fit_seconds = started.elapsed().as_secs_f64();
    log::info!(
        "fitted {} on {} rows in {:.1} ms",
        config.config().name,
        training.rows(),
        fit_seconds * 1e3
    );
    drop(y);

    let holdout_rows: Vec<_> = split.holdout.iter().map(|&r| data.parsed_row(r)).collect();
    let outcome = pipeline.predict_rows(&holdout_rows);
    let (predicted, actual): (Vec<f64>, Vec<f64>) = outcome
        .predictions
        .iter()
        .filter_map(|p| data.target(split.holdout[p.row]).map(|t| (p.price, t)))
        .unzip();
    let holdout_metrics = Metrics::compute(&predicted, &actual);
    let holdout_rows_rejected = split.holdout.len() - outcome.predictions.len();

    let cfg = config.config();
    let metadata = Metadata {
        model_version: MODEL_VERSION.to_owned(),
        config_name: cfg.name.clone(),
        estimator: cfg.estimator.name().to_owned(),
        config_toml: cfg.to_toml().map_err(Error::TrainingData)?,
        input_features: config
            .features()
            .iter()
            .map(|c| c.name().to_owned())
            .collect(),
        output_features: pipeline.output_features.clone(),
        seed: options.seed,
        holdout_fraction: options.holdout,
        training_data_sha256: data_sha256.to_owned(),
        rows_total: data.rows(),
        rows_train: split.train.len(),
        rows_holdout: split.holdout.len(),
        holdout_metrics,
        crate_version: MODEL_VERSION.to_owned(),
        rustc_version: env!("REGRESSION_MODEL_RUSTC_VERSION").to_owned(),
        training_summary: Some(TrainingSummary::fit(config.features(), training)),
    };
    let report = TrainingReport {
        model_version: MODEL_VERSION.to_owned(),
        config: cfg.name.clone(),
        estimator: cfg.estimator.name().to_owned(),
        seed: options.seed,
        holdout_fraction: options.holdout,
        rows_total: data.rows(),
        rows_train: split.train.len(),
        rows_holdout: split.holdout.len(),
        holdout_rows_rejected,
        holdout_metrics,
        training_data_sha256: data_sha256.to_owned(),
        fit_seconds,
        stacking: match &pipeline.estimator {
            FittedEstimator::Stacked(stack) => Some(stack.report()),
            _ => None,
        },
    };
    Ok((TrainedModel { metadata, pipeline }, report))
}

/// The target of a training row, once the row is known to be usable: no
/// parse problem (`problems`, the row's) in a column the model reads
/// (`features`), and a target.
///
/// # Errors
/// [`Error::TrainingData`] naming the row and the problem.
pub(crate) fn usable_target(
    row: usize,
    problems: &[FieldProblem],
    target: Option<f64>,
    features: &[Column],
) -> Result<f64> {
    if let Some(p) = problems
        .iter()
        .find(|p| p.column.is_none_or(|c| features.contains(&c)))
    {
        return Err(Error::TrainingData(format!(
            "row {row}: {}: {}",
            p.field, p.problem
        )));
    }
    target.ok_or_else(|| {
        Error::TrainingData(format!(
            "row {row}: SalePrice is missing or not a positive number"
        ))
    })
}

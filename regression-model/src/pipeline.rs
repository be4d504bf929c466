//! A [`FittedPipeline`]: what it holds, and fitting a checked config into
//! one. Predicting with it is in `predict`, its answers in `outcome`.

use serde::{Deserialize, Serialize};

use crate::config::{CheckedConfig, PipelineConfig, TargetTransform};
use crate::error::{Error, FieldError, Result};
use crate::estimator::FittedEstimator;
use crate::frame::Frame;
use crate::input::TrainingColumns;
use crate::schema::{Column, HouseRecord};
use crate::transform::{FittedStep, Lookups};
pub(crate) use rejections::Rejections;
pub use rejections::{ErrorLimit, RejectedRow};

mod blend;
mod checks;
mod guard;
mod inspect;
mod members;
mod outcome;
mod predict;
mod prepared;
mod rejections;
mod stack;
mod verify;

pub use blend::FittedMember;
pub(crate) use blend::combine as combine_members;
pub use guard::{Fallback, InputGuard};
pub use inspect::LinearWeights;
pub use outcome::{Outcome, Prediction};
pub(crate) use verify::{StoredMember, StoredPipeline};

use checks::{Checked, fail_on, missing_error};

/// A pipeline fitted on training rows: every step's learnt state and the
/// estimator, with the feature order recorded.
///
/// Its fields are private so that a pipeline is always one that was fitted
/// or verified: read it through [`FittedPipeline::config`],
/// [`FittedPipeline::step_kinds`] and the other accessors.
#[derive(Debug, Serialize, Deserialize)]
#[serde(try_from = "verify::StoredPipeline")]
pub struct FittedPipeline {
    /// The config it was fitted from (re-checked when a pipeline is
    /// deserialised). Stored as TOML text: the config's internally tagged enums
    /// read best in TOML, and postcard cannot decode them.
    #[serde(with = "crate::config::as_toml")]
    pub(crate) config: PipelineConfig,
    pub(crate) steps: Vec<FittedStep>,
    /// The columns the estimator sees, in order.
    pub(crate) output_features: Vec<String>,
    pub(crate) estimator: FittedEstimator<FittedMember>,
    /// Fallbacks for missing inputs and the training data's extent (empty
    /// for a blend, whose members have their own).
    pub(crate) guard: InputGuard,
    #[serde(skip)]
    checked: Checked,
    /// Each step's look-up tables, built once when the pipeline is fitted
    /// or verified (empty otherwise: steps then build their own per batch).
    #[serde(skip)]
    lookups: Vec<Lookups>,
    /// Tables and layouts built on first use.
    #[serde(skip)]
    pub(crate) prepared: prepared::Prepared,
}

impl FittedPipeline {
    /// Fits every step in order on the training records, then the estimator.
    ///
    /// # Errors
    /// [`Error::TrainingData`] when a training row is unusable (a problem in
    /// a column the pipeline reads, a missing value nothing imputes, a
    /// non-positive target with a log target) or a step cannot learn (a
    /// column with no value at all).
    #[cfg(feature = "train")]
    pub fn fit(
        config: &CheckedConfig,
        records: &[&HouseRecord],
        targets: &[f64],
    ) -> Result<FittedPipeline> {
        check_targets(config, records.len(), targets)?;
        if !config.members().is_empty() {
            return FittedPipeline::fit_blend(config, records, targets);
        }
        let data = TrainingColumns::from_records(records, config.features());
        FittedPipeline::fit_single(config, &data, targets)
    }

    /// [`FittedPipeline::fit`] on rows stored by column (what a training
    /// run reads a large file into): the same model.
    #[cfg(feature = "train")]
    pub(crate) fn fit_columns(
        config: &CheckedConfig,
        data: &TrainingColumns,
        targets: &[f64],
    ) -> Result<FittedPipeline> {
        check_targets(config, data.rows(), targets)?;
        if !config.members().is_empty() {
            // A blend fits whole member pipelines on records (and a stacked
            // one on folds of them): the rows become records again.
            let records: Vec<HouseRecord> = (0..data.rows()).map(|r| data.record(r)).collect();
            let records: Vec<&HouseRecord> = records.iter().collect();
            return FittedPipeline::fit_blend(config, &records, targets);
        }
        FittedPipeline::fit_single(config, data, targets)
    }

    /// Fits a pipeline that is not a blend; `targets` are checked.
    #[cfg(feature = "train")]
    fn fit_single(
        config: &CheckedConfig,
        data: &TrainingColumns,
        targets: &[f64],
    ) -> Result<FittedPipeline> {
        let transform = config.config().target_transform;
        let mut y: Vec<f64> = targets.iter().map(|t| transform.forward(*t)).collect();
        let checked = Checked::from_config(config);
        let problems: Vec<FieldError> = (0..data.rows())
            .flat_map(|row| {
                checked
                    .missing_columns(data, row)
                    .map(move |c| missing_error(row, c))
            })
            .collect();
        fail_on(&problems)?;
        let mut frame = Frame::from_training(data, &checked.features);
        let mut steps = Vec::with_capacity(config.config().steps.len());
        // Training rows still in the frame, by their index in `data`.
        let mut rows: Vec<usize> = (0..data.rows()).collect();
        for step in &config.config().steps {
            let fitted = step.fit(&frame, &y)?;
            fitted.transform(&mut frame)?;
            if let Some(keep) = fitted.training_rows(&frame)? {
                frame.retain_rows(&keep)?;
                crate::frame::retain_flagged(&mut y, &keep);
                crate::frame::retain_flagged(&mut rows, &keep);
                log::debug!(
                    "{}: trains on {} of {} rows",
                    step.kind(),
                    y.len(),
                    keep.len()
                );
                if y.is_empty() {
                    return Err(Error::TrainingData(format!(
                        "{} leaves no training row",
                        step.kind()
                    )));
                }
            }
            let errors: Vec<FieldError> = frame
                .errors()
                .iter()
                .map(|e| FieldError {
                    row: rows[e.row],
                    ..e.clone()
                })
                .collect();
            fail_on(&errors)?;
            steps.push(fitted);
        }
        let output_features = frame.names().iter().map(|n| n.to_string()).collect();
        let accepted = frame.accepted_rows().count();
        let columns = frame.into_columns("estimator")?;
        let estimator = config
            .config()
            .estimator
            .fit_columns(accepted, columns, &y)?;
        let guard = InputGuard::fit(
            config.config().on_missing,
            &checked.features,
            &checked.required(),
            (data, &rows),
            &steps,
        );
        Ok(FittedPipeline {
            config: config.config().clone(),
            output_features,
            estimator,
            guard,
            checked,
            lookups: Lookups::for_pipeline(&steps),
            steps,
            prepared: Default::default(),
        })
    }

    /// The input columns the model reads, in config order.
    pub fn features(&self) -> Vec<Column> {
        self.checked.features.clone()
    }
}

/// Refuses targets that do not match the `rows` or that the target
/// transform cannot take.
#[cfg(feature = "train")]
fn check_targets(config: &CheckedConfig, rows: usize, targets: &[f64]) -> Result<()> {
    if rows != targets.len() || rows == 0 {
        return Err(Error::TrainingData(format!(
            "{rows} rows and {} targets",
            targets.len()
        )));
    }
    let transform = config.config().target_transform;
    if let Some(row) = targets
        .iter()
        .position(|t| !t.is_finite() || (transform == TargetTransform::Log && *t <= 0.0))
    {
        return Err(Error::TrainingData(format!(
            "row {row}: SalePrice must be a positive number, got {}",
            targets[row]
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

//! Fitting a checked config into a [`FittedPipeline`] and predicting with it.
//!
//! Prediction checks each row before any work: problems found while parsing
//! the columns the model reads, and missing values in columns no step
//! imputes, reject the row. The remaining rows go through the steps together;
//! a step can still reject a row (an unmapped label, a log of zero), and a
//! prediction that is not a finite price rejects its row too.

use serde::{Deserialize, Serialize};

use crate::config::{CheckedConfig, PipelineConfig, TargetTransform};
use crate::error::{Error, FieldError, Result};
use crate::estimator::FittedEstimator;
use crate::frame::Frame;
use crate::input::{FieldProblem, ParsedRow, range_problems};
use crate::schema::{Column, HouseRecord};
use crate::transform::{FittedStep, Lookups};
pub(crate) use rejections::Rejections;
pub use rejections::{ErrorLimit, RejectedRow};

mod blend;
mod checks;
mod inspect;
mod members;
mod rejections;
mod stack;
mod verify;

pub use blend::FittedMember;
pub(crate) use blend::combine as combine_members;
pub use inspect::LinearWeights;
pub(crate) use verify::StoredPipeline;

use checks::{Checked, InputRow, fail_on, missing_error};

/// One predicted price, with the row it came from and its `Id` if given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The row's index in the input (data rows, from 0).
    pub row: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The row's `Id`, when it has one.
    pub id: Option<i64>,
    /// The predicted price, in dollars.
    pub price: f64,
}

/// Predictions for the accepted rows and the reasons for the rejected ones,
/// all in row order. Every rejected row is in `rejected`; `errors` holds
/// the reasons the [`ErrorLimit`] kept, `error_count` counts them all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// One price per accepted row, in row order.
    pub predictions: Vec<Prediction>,
    /// Why rows were rejected, as far as the limit kept them.
    pub errors: Vec<FieldError>,
    /// Every error found, kept in `errors` or not.
    pub error_count: usize,
    /// Every rejected row, with its number of errors.
    pub rejected: Vec<RejectedRow>,
}

impl Outcome {
    pub(crate) fn new(predictions: Vec<Prediction>, rejections: Rejections) -> Outcome {
        let (errors, rejected, error_count) = rejections.finish();
        Outcome {
            predictions,
            errors,
            error_count,
            rejected,
        }
    }

    /// Whether some errors were counted but not kept.
    pub fn errors_truncated(&self) -> bool {
        self.error_count > self.errors.len()
    }
}

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
    #[serde(skip)]
    checked: Checked,
    /// Each step's look-up tables, built once when the pipeline is fitted
    /// or verified (empty otherwise: steps then build their own per batch).
    #[serde(skip)]
    lookups: Vec<Lookups>,
    /// A linear pipeline's prepared explanation, built on first use.
    #[serde(skip)]
    pub(crate) explainer: std::sync::OnceLock<crate::explain::LinearExplainer>,
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
        if records.len() != targets.len() || records.is_empty() {
            return Err(Error::TrainingData(format!(
                "{} rows and {} targets",
                records.len(),
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
        if !config.members().is_empty() {
            return FittedPipeline::fit_blend(config, records, targets);
        }
        let mut y: Vec<f64> = targets.iter().map(|t| transform.forward(*t)).collect();
        let checked = Checked::from_config(config);
        let problems: Vec<FieldError> = records
            .iter()
            .enumerate()
            .flat_map(|(row, r)| {
                checked
                    .missing_columns(r)
                    .map(move |c| missing_error(row, c))
            })
            .collect();
        fail_on(&problems)?;
        let mut frame = Frame::from_records(records, &checked.features);
        let mut steps = Vec::with_capacity(config.config().steps.len());
        // Training rows still in the frame, by their index in `records`.
        let mut rows: Vec<usize> = (0..records.len()).collect();
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
        let x = frame.to_matrix("estimator")?;
        let estimator = config.config().estimator.fit(&x, &y)?;
        Ok(FittedPipeline {
            config: config.config().clone(),
            output_features: frame.names().iter().map(|n| n.to_string()).collect(),
            estimator,
            checked,
            lookups: Lookups::for_pipeline(&steps),
            steps,
            explainer: Default::default(),
        })
    }

    /// The input columns the model reads, in config order.
    pub fn features(&self) -> Vec<Column> {
        self.checked.features.clone()
    }

    /// Predicts valid records; rows are numbered by their position in `records`.
    pub fn predict(&self, records: &[HouseRecord]) -> Outcome {
        let problems: Vec<Vec<FieldProblem>> = records.iter().map(range_problems).collect();
        let rows = records
            .iter()
            .zip(&problems)
            .enumerate()
            .map(|(i, (r, p))| (i, r, p.as_slice()))
            .collect();
        self.predict_checked(rows, ErrorLimit::default())
    }

    /// Predicts parsed rows, reporting parse problems in the columns it reads.
    pub fn predict_rows(&self, rows: &[ParsedRow]) -> Outcome {
        self.predict_rows_with(rows, ErrorLimit::default())
    }

    /// Like [`FittedPipeline::predict_rows`], keeping only `limit`'s share
    /// of the errors (the rest are counted): the cost of a batch of bad rows
    /// is then a counter per row, whatever they hold.
    pub fn predict_rows_with(&self, rows: &[ParsedRow], limit: ErrorLimit) -> Outcome {
        self.predict_checked(
            rows.iter()
                .enumerate()
                .map(|(i, r)| (i, &r.record, r.problems.as_slice()))
                .collect(),
            limit,
        )
    }

    /// Like [`FittedPipeline::predict_rows`] for rows borrowed from
    /// elsewhere (a cross-validation fold); rows are numbered by their
    /// position in `rows`.
    pub fn predict_row_refs(&self, rows: &[&ParsedRow]) -> Outcome {
        self.predict_checked(
            rows.iter()
                .enumerate()
                .map(|(i, r)| (i, &r.record, r.problems.as_slice()))
                .collect(),
            ErrorLimit::default(),
        )
    }

    fn predict_checked(&self, rows: Vec<InputRow<'_>>, limit: ErrorLimit) -> Outcome {
        // A stack combines like a blend, with the weights it learnt.
        if let Some(members) = self.estimator.members() {
            let outcomes = members
                .iter()
                .map(|m| m.pipeline.predict_checked(rows.clone(), limit))
                .collect();
            return blend::combine(members, outcomes, self.config.target_transform, limit);
        }
        let estimate = |pipeline: &FittedPipeline, frame: &Frame<'_>| {
            Ok(pipeline
                .estimate(frame)?
                .into_iter()
                .map(|o| (o, ()))
                .collect())
        };
        let (predictions, rejections) =
            self.process(rows, limit, estimate, |prediction, ()| prediction);
        Outcome::new(predictions, rejections)
    }

    /// What predicting and explaining share: checks `rows`, runs the steps,
    /// then `estimate` gives each accepted row's output (in target space)
    /// with anything else it computed, and `make` builds the row's result
    /// from its [`Prediction`]. Rows are rejected as in prediction: bad
    /// inputs, step errors, a price that is not finite; a structural failure
    /// (a corrupt pipeline) rejects every row it touched.
    pub(crate) fn process<T, U>(
        &self,
        rows: Vec<InputRow<'_>>,
        limit: ErrorLimit,
        estimate: impl FnOnce(&FittedPipeline, &Frame<'_>) -> Result<Vec<(f64, T)>>,
        make: impl Fn(Prediction, T) -> U,
    ) -> (Vec<U>, Rejections) {
        let checked = &self.checked;
        let records: Vec<&HouseRecord> = rows.iter().map(|(_, record, _)| *record).collect();
        let mut frame = Frame::from_records(&records, &checked.features);
        let mut results = Vec::with_capacity(rows.len());
        let mut rejections = Rejections::new(limit);
        let excluded = checked.exclude_unusable(&rows, &mut frame, &mut rejections);
        if frame.accepted_rows().next().is_some()
            && let Err(e) = self.run(frame, &rows, estimate, make, &mut results, &mut rejections)
        {
            results.clear();
            let message = format!("the model could not process it: {e}");
            for (local, (row, _, _)) in rows.iter().enumerate() {
                if !excluded[local] {
                    rejections.add(*row, || FieldError {
                        row: *row,
                        field: "record".into(),
                        message: message.clone(),
                    });
                }
            }
        }
        (results, rejections)
    }

    /// Runs the steps on `frame` (built from `rows`), then `estimate` and
    /// `make` on the rows the steps accepted.
    fn run<'a, T, U>(
        &'a self,
        mut frame: Frame<'a>,
        rows: &[InputRow<'_>],
        estimate: impl FnOnce(&FittedPipeline, &Frame<'_>) -> Result<Vec<(f64, T)>>,
        make: impl Fn(Prediction, T) -> U,
        results: &mut Vec<U>,
        rejections: &mut Rejections,
    ) -> Result<()> {
        if self.lookups.len() == self.steps.len() {
            for (step, lookups) in self.steps.iter().zip(&self.lookups) {
                step.transform_with(&mut frame, lookups)?;
            }
        } else {
            for step in &self.steps {
                step.transform(&mut frame)?;
            }
        }
        let outputs = estimate(self, &frame)?;
        let transform = self.config.target_transform;
        // A row's step errors come together (sorted by row, stably).
        let mut step_errors = frame.take_errors();
        step_errors.sort_by_key(|e| e.row);
        for e in step_errors {
            let row = rows[e.row].0;
            rejections.add(row, || FieldError { row, ..e });
        }
        for (local, (output, extra)) in frame.accepted_rows().zip(outputs) {
            let (row, record, _) = rows[local];
            let price = transform.inverse(output);
            if price.is_finite() {
                let prediction = Prediction {
                    row,
                    id: record.id,
                    price,
                };
                results.push(make(prediction, extra));
            } else {
                rejections.add(row, || FieldError { row, field: "record".into(), message: "the predicted price is not a finite number: the inputs are far outside the training data".into() });
            }
        }
        Ok(())
    }

    /// The estimator's output for every accepted row of a transformed frame.
    pub(crate) fn estimate(&self, frame: &Frame<'_>) -> Result<Vec<f64>> {
        match &self.estimator {
            FittedEstimator::Linear(m) => {
                frame.linear_combination("estimator", &m.coefficients, m.intercept)
            }
            other => other.predict(&frame.to_matrix("estimator")?),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::input::read_csv_file;

    /// The look-up tables a pipeline builds once (and the rare + ordinal
    /// fusion among them) change nothing: without them every step builds
    /// its own tables per batch, and the outcome is the same to the bit.
    #[test]
    fn prebuilt_lookups_give_the_outcome_of_per_batch_tables() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/synthetic");
        let train = read_csv_file(&fixtures.join("train.csv")).unwrap();
        let test = read_csv_file(&fixtures.join("test.csv")).unwrap();
        let records: Vec<&HouseRecord> = train.rows.iter().map(|r| &r.record).collect();
        let targets: Vec<f64> = train
            .target
            .as_ref()
            .unwrap()
            .iter()
            .map(|t| t.unwrap())
            .collect();
        for name in ["generation-2", "generation-3"] {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("config/{name}.toml"));
            let config = PipelineConfig::from_file(&path).unwrap();
            let mut pipeline = FittedPipeline::fit(&config, &records, &targets).unwrap();
            assert_eq!(pipeline.lookups.len(), pipeline.steps.len(), "{name}");
            let with_tables = pipeline.predict_rows(&test.rows);
            pipeline.lookups.clear();
            let per_batch = pipeline.predict_rows(&test.rows);
            assert_eq!(with_tables, per_batch, "{name}");
            assert!(!with_tables.predictions.is_empty() && !with_tables.errors.is_empty());
        }
    }
}

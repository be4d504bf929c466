//! Predicting with a [`FittedPipeline`].
//!
//! Prediction checks each row before any work: problems found while parsing
//! the columns the model reads (a value past its plausibility bound among
//! them), and missing values in columns no step imputes, reject the row;
//! with `on_missing = "impute"` a missing value gets the fallback learnt in
//! fitting instead ([`super::InputGuard`]), and the prediction lists it. The
//! remaining rows go through the steps together; a step can still reject a
//! row (an unmapped label, a log of zero), and a prediction that is not a
//! finite price rejects its row too.

use super::checks::InputRow;
use super::{ErrorLimit, FittedPipeline, Outcome, Prediction, Rejections, blend};
use crate::error::{FieldError, Result};
use crate::estimator::FittedEstimator;
use crate::frame::Frame;
use crate::input::{FieldProblem, ParsedRow, range_problems};
use crate::schema::{Column, HouseRecord};

impl FittedPipeline {
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

    pub(super) fn predict_checked(&self, rows: Vec<InputRow<'_>>, limit: ErrorLimit) -> Outcome {
        self.predict_flagging(rows, limit, true)
    }

    /// [`FittedPipeline::predict_checked`]; `flag_extent` false leaves the
    /// `extrapolated` flags to another member of the blend, whose training
    /// extent is the same (the blend keeps the union of its members' flags).
    fn predict_flagging(
        &self,
        rows: Vec<InputRow<'_>>,
        limit: ErrorLimit,
        flag_extent: bool,
    ) -> Outcome {
        // A stack combines like a blend, with the weights it learnt.
        if let Some(members) = self.estimator.members() {
            // Members fitted on the same rows (generation 4's two) have the
            // same extent: looking each row's labels up once, not once per
            // member, saved 8% of generation 4's time on test.csv.
            let repeated = self.prepared.repeated_extent.get_or_init(|| {
                (0..members.len())
                    .map(|k| {
                        let guard = &members[k].pipeline.guard;
                        members[..k]
                            .iter()
                            .any(|earlier| earlier.pipeline.guard.same_extent(guard))
                    })
                    .collect()
            });
            let outcomes = members
                .iter()
                .zip(repeated)
                .map(|(m, repeated)| {
                    m.pipeline
                        .predict_flagging(rows.clone(), limit, flag_extent && !repeated)
                })
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
            self.process(rows, limit, flag_extent, estimate, |prediction, ()| {
                prediction
            });
        Outcome::new(predictions, rejections)
    }

    /// What predicting and explaining share: checks `rows`, runs the steps,
    /// then `estimate` gives each accepted row's output (in target space)
    /// with anything else it computed, and `make` builds the row's result
    /// from its [`Prediction`]. Rows are rejected as in prediction: bad
    /// inputs, step errors, a price that is not finite; a structural failure
    /// (a corrupt pipeline) rejects every row it touched. `flag_extent`:
    /// whether predictions list the inputs beyond the training data.
    pub(crate) fn process<T, U>(
        &self,
        rows: Vec<InputRow<'_>>,
        limit: ErrorLimit,
        flag_extent: bool,
        estimate: impl FnOnce(&FittedPipeline, &Frame<'_>) -> Result<Vec<(f64, T)>>,
        make: impl Fn(Prediction, T) -> U,
    ) -> (Vec<U>, Rejections) {
        let checked = &self.checked;
        let records: Vec<&HouseRecord> = rows.iter().map(|(_, record, _)| *record).collect();
        let mut frame = Frame::from_records(&records, &checked.features);
        let mut results = Vec::with_capacity(rows.len());
        let mut rejections = Rejections::new(limit);
        let (excluded, mut imputed) =
            checked.exclude_unusable(&rows, &mut frame, &mut rejections, &self.guard);
        if frame.accepted_rows().next().is_some()
            && let Err(e) = self.run(
                frame,
                (&rows, &mut imputed, flag_extent),
                estimate,
                make,
                &mut results,
                &mut rejections,
            )
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
        (rows, imputed, flag_extent): (&[InputRow<'_>], &mut [Vec<Column>], bool),
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
                let mut prediction = Prediction {
                    row,
                    id: record.id,
                    price,
                    imputed: Vec::new(),
                    extrapolated: Vec::new(),
                };
                let seen = flag_extent.then(|| {
                    self.prepared
                        .seen_labels
                        .get_or_init(|| super::guard::SeenLabels::new(&self.guard))
                });
                self.guard
                    .annotate(&mut prediction, &rows[local], &mut imputed[local], seen);
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
            FittedEstimator::BoostedTrees(m) => {
                let x = frame.to_matrix("estimator")?;
                let compact = self
                    .prepared
                    .compact_trees
                    .get_or_init(|| crate::estimator::gbm::CompactTrees::new(m));
                match compact {
                    Some(trees) if x.ncols() == m.n_features => Ok(trees.predict(&x)),
                    _ => m.predict(&x),
                }
            }
            FittedEstimator::Kernel(m) => {
                let x = frame.to_matrix("estimator")?;
                let layout = (self.prepared.kernel_layout)
                    .get_or_init(|| crate::estimator::KernelLayout::new(m));
                match layout {
                    Some(layout) if x.ncols() == m.n_features => Ok(m.predict_with(layout, &x)),
                    _ => m.predict(&x),
                }
            }
            other => other.predict(&frame.to_matrix("estimator")?),
        }
    }
}

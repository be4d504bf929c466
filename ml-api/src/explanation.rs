//! One explanation request: what differs from a prediction request (see
//! [`crate::prediction`], which does the rest). Rows are capped by
//! `MAX_EXPLAIN_ROWS` as well as `MAX_ROWS`, counted before anything is
//! parsed, since each explained row answers with a contribution per input
//! column; and a model that cannot be explained (trees) is a 501.

use regression_model::InputRows;
use regression_model::{
    Column, ErrorLimit, ExplanationResponse, PredictionResponse, RowErrors, TrainedModel,
};

use crate::body::Body;
use crate::configuration::Limits;
use crate::error::Error;
use crate::prediction::Answer;

impl Answer for ExplanationResponse {
    fn answer(model: &TrainedModel, input: &InputRows, limit: ErrorLimit) -> Result<Self, Error> {
        model.explain_input(input, limit).map_err(|e| match e {
            error @ regression_model::Error::NotExplainable { .. } => {
                Error::NotExplainable(error.to_string())
            }
            other => Error::Model(other),
        })
    }
    /// Explaining trees (TreeSHAP) costs ~50 predictions a row (a
    /// 1000-tree GBM: ~2.5 ms): even a small body goes to the blocking
    /// pool, so it does not stall the worker's other requests.
    fn inline(model: &TrainedModel) -> bool {
        !model.pipeline.has_trees()
    }
    fn version(&self) -> &str {
        &self.version
    }
    fn answered(&self) -> usize {
        self.explanations.len()
    }
    fn row_errors(&self) -> &RowErrors {
        &self.row_errors
    }
    fn row_errors_mut(&mut self) -> &mut RowErrors {
        &mut self.row_errors
    }
}

/// The explanation parser: JSON or CSV records as for a prediction, at most
/// `max_explain_rows` of them (and `max_rows`).
///
/// # Errors
/// [`Error::TooManyExplainRows`] past the cap, before the records are
/// parsed; otherwise as [`Body::into_rows`].
pub fn records(body: Body, limits: &Limits, wanted: &[Column]) -> Result<(InputRows, ()), Error> {
    let cap = limits.max_explain_rows.min(limits.max_rows);
    let capped = Limits {
        max_rows: cap,
        ..*limits
    };
    match body.into_rows(&capped, wanted) {
        Ok(rows) => Ok((rows, ())),
        Err(Error::TooManyRows { rows, .. }) if cap == limits.max_explain_rows => {
            Err(Error::TooManyExplainRows { rows, limit: cap })
        }
        Err(other) => Err(other),
    }
}

/// A response that explained no row, as the prediction response the
/// common 422 body (`no_valid_rows`) is built from.
pub fn as_rejection(response: ExplanationResponse) -> PredictionResponse {
    PredictionResponse {
        predictions: Vec::new(),
        version: response.version,
        row_errors: response.row_errors,
    }
}

//! What a caller of the artifact gets back for an explanation request: the
//! explanations with the model version, and the rejected rows' errors and
//! unknown fields exactly as [`PredictionResponse`](crate::PredictionResponse)
//! reports them.

use serde::{Deserialize, Serialize};

use super::{ExplainOutcome, Explanation};
use crate::artifact::TrainedModel;
use crate::error::{FieldError, Result};
use crate::input::InputRows;
use crate::pipeline::{ErrorLimit, RejectedRow};

/// Explanations with the version of the model that made them, and why rows
/// were rejected (the same fields, with the same meaning, as a prediction
/// response).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplanationResponse {
    /// One explanation per accepted row, in row order.
    pub explanations: Vec<Explanation>,
    /// The version of the model that explained them.
    pub version: String,
    /// Why rows were rejected, as far as the error limit kept them.
    pub errors: Vec<FieldError>,
    /// Every error found, kept in `errors` or not.
    pub error_count: usize,
    /// `error_count > errors.len()`: the limit cut the list.
    pub errors_truncated: bool,
    /// The first unknown field names, escaped and clipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_fields: Vec<String>,
    /// How many distinct unknown field names the input held.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unknown_field_count: usize,
    /// Every rejected row with its number of errors (not serialised).
    #[serde(skip)]
    pub rejected: Vec<RejectedRow>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl TrainedModel {
    /// Explains a parsed input under an error limit: every row prediction
    /// accepts gets an [`Explanation`] whose price is the one
    /// [`TrainedModel::predict_input`] gives.
    ///
    /// # Errors
    /// [`Error::NotExplainable`](crate::Error::NotExplainable) when the
    /// model has trees, before any row is read.
    ///
    /// ```
    /// use regression_model::{ErrorLimit, read_csv_file, shipped_model};
    ///
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/synthetic/test.csv");
    /// let data = read_csv_file(std::path::Path::new(path))?;
    /// let response = shipped_model()?.explain_input(&data, ErrorLimit::Total(10))?;
    /// for e in response.explanations.iter().take(2) {
    ///     let top = &e.contributions[0];
    ///     println!("row {}: ${:.0}, {} x{:.3}", e.row, e.price, top.column, top.factor.unwrap());
    ///     assert!((e.output() - e.price.ln()).abs() < 1e-9);
    /// }
    /// # Ok::<(), regression_model::Error>(())
    /// ```
    pub fn explain_input(
        &self,
        input: &InputRows,
        limit: ErrorLimit,
    ) -> Result<ExplanationResponse> {
        let outcome = self.pipeline.explain_rows_with(&input.rows, limit)?;
        Ok(self.explained(outcome, input))
    }

    fn explained(&self, outcome: ExplainOutcome, input: &InputRows) -> ExplanationResponse {
        ExplanationResponse {
            errors_truncated: outcome.errors_truncated(),
            explanations: outcome.explanations,
            version: self.metadata.model_version.clone(),
            errors: outcome.errors,
            error_count: outcome.error_count,
            unknown_fields: input.unknown.names().to_vec(),
            unknown_field_count: input.unknown.count(),
            rejected: outcome.rejected,
        }
    }
}

//! What a caller of the artifact gets back for an explanation request: the
//! explanations with the model version, and the rejected rows' errors and
//! unknown fields exactly as [`PredictionResponse`](crate::PredictionResponse)
//! reports them.

use serde::{Deserialize, Serialize};

use super::{ExplainOutcome, Explanation};
use crate::artifact::TrainedModel;
use crate::error::Result;
use crate::input::InputRows;
use crate::pipeline::ErrorLimit;
use crate::row_errors::RowErrors;

/// Explanations with the version of the model that made them, and why rows
/// were rejected (the same [`RowErrors`] as a prediction response).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplanationResponse {
    /// One explanation per accepted row, in row order.
    pub explanations: Vec<Explanation>,
    /// The version of the model that explained them.
    pub version: String,
    /// The rejected rows' errors and the input's unknown fields.
    #[serde(flatten)]
    pub row_errors: RowErrors,
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
            explanations: outcome.explanations,
            version: self.metadata.model_version.clone(),
            row_errors: RowErrors::new(outcome.errors, outcome.error_count, outcome.rejected)
                .with_unknown(&input.unknown),
        }
    }
}

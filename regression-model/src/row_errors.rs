//! Why rows of a request were refused, the one part every response shares:
//! a prediction and an explanation report their rejected rows and the
//! input's unknown fields the same way, so callers (the service's error
//! bodies, metrics and logs) read them from one type.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::input::UnknownFields;
use crate::pipeline::RejectedRow;

/// The rejected rows' errors as far as an [`ErrorLimit`](crate::ErrorLimit)
/// kept them, how many there were in all, and the input's unknown field
/// names (reported once each; they reject no row). Flattened into
/// [`PredictionResponse`](crate::PredictionResponse) and
/// [`ExplanationResponse`](crate::ExplanationResponse): the JSON has these
/// fields at the top level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RowErrors {
    /// Why rows were rejected, as far as the error limit kept them.
    pub errors: Vec<FieldError>,
    /// Every error found, kept in `errors` or not.
    #[serde(default)]
    pub error_count: usize,
    /// `error_count > errors.len()`: the limit cut the list.
    #[serde(default)]
    pub errors_truncated: bool,
    /// The first unknown field names, escaped and clipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown_fields: Vec<String>,
    /// How many distinct unknown field names the input held.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unknown_field_count: usize,
    /// Every rejected row with its number of errors (not serialised: a
    /// client has `errors` and `error_count`).
    #[serde(skip)]
    pub rejected: Vec<RejectedRow>,
}

impl RowErrors {
    /// The errors of one batch, with no unknown fields.
    pub(crate) fn new(
        errors: Vec<FieldError>,
        error_count: usize,
        rejected: Vec<RejectedRow>,
    ) -> RowErrors {
        RowErrors {
            errors_truncated: error_count > errors.len(),
            errors,
            error_count,
            unknown_fields: Vec::new(),
            unknown_field_count: 0,
            rejected,
        }
    }

    /// Adds the input's unknown field names.
    pub(crate) fn with_unknown(mut self, unknown: &UnknownFields) -> RowErrors {
        self.unknown_fields = unknown.names().to_vec();
        self.unknown_field_count = unknown.count();
        self
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

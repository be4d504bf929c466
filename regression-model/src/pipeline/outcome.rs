//! What prediction gives back: a [`Prediction`] per accepted row and an
//! [`Outcome`] that holds them with the rejected rows and their reasons.

use serde::{Deserialize, Serialize};

use super::RejectedRow;
use super::Rejections;
use crate::error::FieldError;
use crate::schema::Column;

/// One predicted price, with the row it came from and its `Id` if given,
/// and how far the price can be trusted: the inputs that were missing and
/// given a fallback (`on_missing = "impute"`), and those beyond what
/// training saw (a number outside the training range, a label never seen).
/// Both lists are in column order and left out of JSON when empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The row's index in the input (data rows, from 0).
    pub row: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    /// The row's `Id`, when it has one.
    pub id: Option<i64>,
    /// The predicted price, in dollars.
    pub price: f64,
    /// The inputs that were missing and given the fallback learnt in
    /// fitting (`on_missing = "impute"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub imputed: Vec<Column>,
    /// The inputs beyond what training saw: a number outside the training
    /// rows' range, a label never seen (priced as rare or as no label).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extrapolated: Vec<Column>,
}

/// Predictions for the accepted rows and the reasons for the rejected ones,
/// all in row order. Every rejected row is in `rejected`; `errors` holds
/// the reasons the [`ErrorLimit`](super::ErrorLimit) kept, `error_count` counts them all.
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

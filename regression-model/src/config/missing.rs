//! What a pipeline does with a value missing at prediction time in a
//! column no step imputes: `on_missing = "reject"` (the course's behaviour,
//! and the default, so generations 1 and 2 keep exact scikit-learn parity)
//! or `"impute"` (fill it with a fallback learnt at fitting, and say so in
//! the prediction). `max_imputed` bounds how many fallbacks one row may use:
//! a record with nearly every field missing is a guess, not a house, and
//! would make an answer far larger than its request.

use serde::{Deserialize, Serialize};

/// The default of `max_imputed`: a real house lacks a handful of values
/// (`test.csv`'s worst row lacks 6 that generation 3 has no imputer for:
/// its basement areas and baths), not dozens.
pub const DEFAULT_MAX_IMPUTED: usize = 8;

/// How prediction treats a missing value that no step imputes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnMissing {
    /// Reject the row, naming the field.
    #[default]
    Reject,
    /// Fill it with the fallback learnt at fitting (median of the training
    /// rows for numbers; for labels the `Missing` label where an encoder
    /// already has one, else the most frequent), and list the field in the
    /// prediction's `imputed`.
    Impute,
}

impl OnMissing {
    /// Whether this is the default (then it is left out of the TOML, so
    /// the configs written before this setting keep their text).
    pub fn is_reject(&self) -> bool {
        *self == OnMissing::Reject
    }
}

pub(crate) fn default_max_imputed() -> usize {
    DEFAULT_MAX_IMPUTED
}

pub(crate) fn is_default_max_imputed(n: &usize) -> bool {
    *n == DEFAULT_MAX_IMPUTED
}

/// Checks `max_imputed`: at least one fallback, at most every input.
pub(crate) fn check_max_imputed(max: usize) -> Result<(), String> {
    let inputs = crate::schema::Column::ALL.len();
    if (1..=inputs).contains(&max) {
        Ok(())
    } else {
        Err(format!(
            "max_imputed must be from 1 to {inputs} (the inputs there are), got {max}"
        ))
    }
}

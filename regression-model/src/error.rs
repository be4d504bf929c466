//! The crate's one error type, and [`FieldError`], the per-row, per-field
//! problem that rejects a single record without failing a whole batch.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A problem with one field of one input row. Rows with any of these are
/// left out of the predictions and reported back, never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Zero-based index of the row in the request or file (data rows, not
    /// counting a CSV header).
    pub row: usize,
    /// The column's Kaggle name, or `record` for a problem with the row as a whole.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}: {}: {}", self.row, self.field, self.message)
    }
}

/// Everything that can go wrong in this crate, with the value, file, step or
/// column that caused it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("CSV input, line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("JSON input: {0}")]
    Json(String),
    #[error("config {origin}: {message}")]
    Config { origin: String, message: String },
    #[error("training data: {0}")]
    TrainingData(String),
    #[error("{step}: column `{column}` is not in the data (columns present: {present})")]
    MissingColumn {
        step: String,
        column: String,
        present: String,
    },
    #[error("{step}: column `{column}` holds {found} values, expected {expected}")]
    ColumnKind {
        step: String,
        column: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("estimator: {0}")]
    Estimator(String),
    #[error("model artifact {path}: {problem}")]
    Artifact { path: String, problem: String },
    /// Explaining a model whose estimator has no exact explanation here.
    #[error("cannot explain a {estimator} model: {reason}")]
    NotExplainable { estimator: String, reason: String },
    #[error("cannot draw {path}: {message}")]
    Plot { path: PathBuf, message: String },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

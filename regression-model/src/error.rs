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
    /// What was wrong and what would be right; never the value sent.
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
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A file (or its folder) could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    #[error("CSV input, line {line}: {message}")]
    /// A CSV file or body that is not CSV (bad quoting, invalid UTF-8, no header).
    Csv {
        /// The line, from 1.
        line: u64,
        /// What was wrong there.
        message: String,
    },
    #[error("JSON input: {0}")]
    /// A JSON body that is not JSON, or not an array of objects; the
    /// message gives the line and column.
    Json(String),
    #[error("config {origin}: {message}")]
    /// A pipeline config that does not parse or fails its checks.
    Config {
        /// The file (or name) the config came from.
        origin: String,
        /// The entry at fault and the rule it breaks.
        message: String,
    },
    #[error("training data: {0}")]
    /// Training data the pipeline cannot learn from: the row and the problem.
    TrainingData(String),
    #[error("{step}: column `{column}` is not in the data (columns present: {present})")]
    /// A step reads a column the frame does not hold.
    MissingColumn {
        /// The step's kind.
        step: String,
        /// The column it wanted.
        column: String,
        /// The columns there were, comma-separated.
        present: String,
    },
    #[error("{step}: column `{column}` holds {found} values, expected {expected}")]
    /// A step reads numbers from a column of labels, or the reverse.
    ColumnKind {
        /// The step's kind.
        step: String,
        /// The column.
        column: String,
        /// The kind the step reads (`numeric` or `categorical`).
        expected: &'static str,
        /// The kind the column holds.
        found: &'static str,
    },
    #[error("estimator: {0}")]
    /// An estimator could not fit or predict (a solver failure, a damaged tree).
    Estimator(String),
    #[error("model artifact {path}: {problem}")]
    /// A model artifact that cannot be loaded: damaged, of another format
    /// or model version, or inconsistent.
    Artifact {
        /// Where it came from (a path, or `shipped`).
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Explaining a model whose estimator has no exact explanation here.
    #[error("cannot explain a {estimator} model: {reason}")]
    NotExplainable {
        /// The estimator's name.
        estimator: String,
        /// Why it has no exact explanation.
        reason: String,
    },
    /// A drift monitor setting out of its range.
    #[error("drift monitor: {setting} = {value} is out of range, expected {expected}")]
    DriftSetting {
        /// The setting's name (`window`, `blocks`).
        setting: &'static str,
        /// The value given.
        value: usize,
        /// The accepted range.
        expected: &'static str,
    },
    /// An analysis threshold out of its range (`AnalyzeOptions`).
    #[error("analysis: {setting} = {value} is out of range, expected {expected}")]
    AnalyzeSetting {
        /// The setting's name (`rare_share`, `quasi_constant_share`,
        /// `correlation`).
        setting: &'static str,
        /// The value given.
        value: f64,
        /// The accepted range.
        expected: &'static str,
    },
    #[error("cannot draw {path}: {message}")]
    /// A chart that could not be drawn (`research` feature).
    Plot {
        /// The SVG file.
        path: PathBuf,
        /// What the drawing library said.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! What can be wrong with one field of one row, as a value: the message
//! names the rule broken and what kind of thing was sent, never the value
//! itself, so an error body or log line cannot echo (and amplify) a
//! client's bytes.

/// The kind of value a field held, for messages that must not quote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// No value (`null`, `NA`, empty).
    Nothing,
    /// A number.
    Number,
    /// Text.
    Text,
    /// `true` or `false`.
    Boolean,
    /// An array or object where a scalar belongs.
    Nested,
}

impl std::fmt::Display for Sent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Sent::Nothing => "nothing",
            Sent::Number => "a number",
            Sent::Text => "text",
            Sent::Boolean => "a boolean",
            Sent::Nested => "an array or object",
        })
    }
}

/// A problem found while parsing one field (or the row as a whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// A numeric column held something else.
    #[error("expected a number, got {0} that is not one")]
    NotANumber(Sent),
    /// A categorical column held something that is not text.
    #[error("expected a label (text), got {0}")]
    NotALabel(Sent),
    /// `Id` held something that is not an integer.
    #[error("must be an integer, got {0} that is not one")]
    NotAnInteger(Sent),
    /// The same column given twice in one record.
    #[error("given more than once (Kaggle name and course alias?)")]
    Repeated,
    /// A JSON array element that is not an object.
    #[error("expected an object of house fields, got {0}")]
    NotARecord(Sent),
    #[error("has {cells} cells, the header has {width}")]
    /// A CSV row with more or fewer cells than the header.
    CellCount {
        /// Cells in the row.
        cells: usize,
        /// Columns in the header.
        width: usize,
    },
    /// A schema range rule; the text is the rule's own (`must not be negative`).
    #[error("{0}")]
    Range(&'static str),
}

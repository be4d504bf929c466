//! Parsing raw house records from JSON and CSV into [`HouseRecord`]s.
//!
//! Parsing never fails a whole batch because of one bad cell: each row keeps
//! the problems found in it ([`FieldProblem`]), and the model decides which of
//! them reject the row (only problems in columns it reads can change a
//! prediction). Names outside the schema are a problem of the batch
//! ([`UnknownFields`]), reported once however many rows or cells carry them;
//! they cannot change a prediction, so they reject no row. A row keeps at
//! most one problem per column. Only `NA` and empty cells are missing; the label `None`
//! (`MasVnrType`: no veneer) is a real label, as in the course's pandas-1 days.

mod chunks;
mod csv_file;
mod json;
mod problem;
mod record_limit;
mod records;
mod row;
mod store;
mod unknown;

pub use chunks::{ChunkReader, RawChunk};
pub use csv_file::{InputRows, MAX_MISSHAPEN_ROWS, read_csv, read_csv_columns, read_csv_file};
#[cfg(feature = "research")]
pub(crate) use csv_file::{Misshapen, csv_error, whole_file_reader};
pub use json::{parse_json_batch, parse_json_batch_columns, parse_json_chunks};
pub use problem::{Problem, Sent};
pub use row::{RowBuilder, range_problems};
pub(crate) use store::TrainingColumns;
pub use unknown::{NAME_CHARS, UnknownFields, escape_clipped};

use crate::schema::{Column, HouseRecord};

/// The column of labelled files that holds the target; accepted and skipped
/// by the record parser, read separately by [`read_csv`].
pub const TARGET_COLUMN: &str = "SalePrice";

/// One cell as it arrived, before it is given the column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum RawCell {
    /// `null`, `NA` or an empty cell.
    Missing,
    /// A JSON number.
    Number(f64),
    /// Text: any CSV cell, a JSON string.
    Text(String),
    /// A JSON boolean (refused wherever it arrives).
    Bool(bool),
    /// An array or object where a scalar belongs.
    Nested,
}

impl RawCell {
    /// What kind of value this is, for messages that must not quote it.
    pub fn sent(&self) -> Sent {
        match self {
            RawCell::Missing => Sent::Nothing,
            RawCell::Number(_) => Sent::Number,
            RawCell::Text(_) => Sent::Text,
            RawCell::Bool(_) => Sent::Boolean,
            RawCell::Nested => Sent::Nested,
        }
    }

    /// A CSV cell: `NA` and empty mean missing, anything else is text.
    pub fn from_csv(cell: &str) -> RawCell {
        if is_missing_marker(cell) {
            RawCell::Missing
        } else {
            RawCell::Text(cell.to_owned())
        }
    }
}

pub(super) fn is_missing_marker(text: &str) -> bool {
    text.is_empty() || text == "NA"
}

/// What a field name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `Id`, the row's identifier.
    Id,
    /// `SalePrice`: read separately, ignored in records.
    Target,
    /// One of the schema's input columns.
    Input(Column),
    /// A name outside the schema, reported once per batch.
    Unknown,
}

impl Field {
    /// What `name` (a Kaggle name or a course alias) stands for.
    pub fn resolve(name: &str) -> Field {
        match name {
            "Id" => Field::Id,
            TARGET_COLUMN => Field::Target,
            _ => Column::from_name(name).map_or(Field::Unknown, Field::Input),
        }
    }
}

/// A problem found while parsing one field: `field` is the column's Kaggle
/// name, `Id`, or `record` for the row as a whole (`column` is then `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    /// The column's Kaggle name, `Id` or `record`.
    pub field: &'static str,
    /// The column, when the problem is in one.
    pub column: Option<Column>,
    /// What was wrong.
    pub problem: Problem,
}

impl FieldProblem {
    fn record(problem: Problem) -> FieldProblem {
        FieldProblem {
            field: "record",
            column: None,
            problem,
        }
    }

    fn column(column: Column, problem: Problem) -> FieldProblem {
        FieldProblem {
            field: column.name(),
            column: Some(column),
            problem,
        }
    }
}

/// A parsed row: the record (with unparsable cells left missing) and the
/// problems found in it, at most one per column (so at most
/// [`Column::ALL`]` + 2` whatever the row held).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedRow {
    /// The house, with unparsable cells left missing.
    pub record: HouseRecord,
    /// What was wrong in it, at most one problem per column.
    pub problems: Vec<FieldProblem>,
}

impl ParsedRow {
    /// Builds a row from `(field name, cell)` pairs, then runs the schema's
    /// range rules on it; names outside the schema go to `unknown`.
    pub fn from_cells<K: AsRef<str>>(
        cells: impl IntoIterator<Item = (K, RawCell)>,
        unknown: &mut UnknownFields,
    ) -> ParsedRow {
        let mut builder = RowBuilder::default();
        for (name, cell) in cells {
            match Field::resolve(name.as_ref()) {
                Field::Unknown => unknown.note(name.as_ref()),
                field => builder.add(field, cell),
            }
        }
        builder.finish()
    }

    /// A row that is not a record at all (e.g. a number in a JSON list).
    pub fn not_a_record(what: Sent) -> ParsedRow {
        let mut row = ParsedRow::default();
        row.problems
            .push(FieldProblem::record(Problem::NotARecord(what)));
        row
    }

    /// Notes that a CSV row had the wrong number of cells.
    pub(super) fn wrong_width(&mut self, cells: usize, width: usize) {
        self.problems
            .push(FieldProblem::record(Problem::CellCount { cells, width }));
    }
}

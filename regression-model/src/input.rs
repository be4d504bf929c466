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

mod csv_file;
mod json;
mod problem;
mod unknown;

pub use csv_file::{InputRows, read_csv, read_csv_columns, read_csv_file};
pub use json::{parse_json_batch, parse_json_batch_columns};
pub use problem::{Problem, Sent};
pub use unknown::{NAME_CHARS, UnknownFields, escape_clipped};

use validator::Validate;

use crate::error::Result;
use crate::schema::{Column, ColumnKind, HouseRecord};

/// The column of labelled files that holds the target; accepted and skipped
/// by the record parser, read separately by [`read_csv`].
pub const TARGET_COLUMN: &str = "SalePrice";

const COLUMNS: usize = Column::ALL.len();

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

    fn set_id(&mut self, cell: RawCell) {
        match cell {
            RawCell::Missing => {}
            RawCell::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                self.record.id = Some(n as i64)
            }
            RawCell::Text(t) if t.trim().parse::<i64>().is_ok() => {
                self.record.id = t.trim().parse().ok()
            }
            other => self.problems.push(FieldProblem {
                field: "Id",
                column: None,
                problem: Problem::NotAnInteger(other.sent()),
            }),
        }
    }

    fn set(&mut self, column: Column, cell: RawCell) {
        let parsed = match column.kind() {
            ColumnKind::Numeric => to_number(cell)
                .map(|value| *self.record.number_mut(column).expect("numeric column") = value),
            ColumnKind::Categorical => to_label(cell)
                .map(|value| *self.record.label_mut(column).expect("categorical column") = value),
        };
        if let Err(problem) = parsed {
            self.problems.push(FieldProblem::column(column, problem));
        }
    }
}

/// Builds a [`ParsedRow`] one known field at a time, as a reader meets them
/// (names outside the schema are the reader's to note, once per batch).
#[derive(Debug)]
pub struct RowBuilder {
    row: ParsedRow,
    /// Per column: not yet seen, seen once, or already reported as repeated.
    seen: [Seen; COLUMNS],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    No,
    Once,
    Repeated,
}

impl Default for RowBuilder {
    fn default() -> Self {
        RowBuilder {
            row: ParsedRow::default(),
            seen: [Seen::No; COLUMNS],
        }
    }
}

impl RowBuilder {
    /// Takes one field. A column given again is one problem however often
    /// it repeats; [`Field::Unknown`] is ignored here.
    pub fn add(&mut self, field: Field, cell: RawCell) {
        match field {
            Field::Id => self.row.set_id(cell),
            Field::Target | Field::Unknown => {}
            Field::Input(column) => match self.seen[column as usize] {
                Seen::No => {
                    self.seen[column as usize] = Seen::Once;
                    self.row.set(column, cell);
                }
                Seen::Once => {
                    self.seen[column as usize] = Seen::Repeated;
                    self.row
                        .problems
                        .push(FieldProblem::column(column, Problem::Repeated));
                }
                Seen::Repeated => {}
            },
        }
    }

    /// The row, once the schema's range rules have run on it.
    pub fn finish(mut self) -> ParsedRow {
        let problems = range_problems(&self.row.record);
        self.row.problems.extend(problems);
        self.row
    }
}

/// The schema's range rules, broken by a record, in column order.
pub fn range_problems(record: &HouseRecord) -> Vec<FieldProblem> {
    let Err(errors) = record.validate() else {
        return Vec::new();
    };
    let mut problems: Vec<FieldProblem> = errors
        .field_errors()
        .into_iter()
        .filter_map(|(field, list)| Some((Column::from_field(&field)?, list)))
        .flat_map(|(column, list)| {
            list.iter().map(move |e| {
                let rule = match &e.message {
                    Some(std::borrow::Cow::Borrowed(rule)) => rule,
                    _ => "is out of range",
                };
                FieldProblem::column(column, Problem::Range(rule))
            })
        })
        .collect();
    // validator reports through a HashMap: sort for a stable answer.
    problems.sort_by_key(|p| p.column);
    problems
}

fn to_number(cell: RawCell) -> Result<Option<f64>, Problem> {
    match cell {
        RawCell::Missing => Ok(None),
        RawCell::Number(n) if n.is_finite() => Ok(Some(n)),
        RawCell::Text(t) => match t.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(Problem::NotANumber(Sent::Text)),
        },
        other => Err(Problem::NotANumber(other.sent())),
    }
}

fn to_label(cell: RawCell) -> Result<Option<String>, Problem> {
    match cell {
        RawCell::Missing => Ok(None),
        RawCell::Text(t) => Ok(Some(t)),
        // Codes such as MSSubClass are often sent as numbers: 20 is label "20".
        RawCell::Number(n) if n.fract() == 0.0 && n.abs() < 1.0e15 => {
            Ok(Some(format!("{}", n as i64)))
        }
        RawCell::Number(n) => Ok(Some(n.to_string())),
        other => Err(Problem::NotALabel(other.sent())),
    }
}

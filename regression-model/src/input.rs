//! Parsing raw house records from JSON and CSV into [`HouseRecord`]s.
//!
//! Parsing never fails a whole batch because of one bad cell: each row keeps
//! the problems found in it ([`FieldProblem`]), and the model decides which of
//! them reject the row (only problems in columns it reads can change a
//! prediction). Only `NA` and empty cells are missing; the label `None`
//! (`MasVnrType`: no veneer) is a real label, as in the course's pandas-1 days.

mod csv_file;
mod json;

pub use csv_file::{InputRows, read_csv, read_csv_columns, read_csv_file};
pub use json::{parse_json_batch, parse_json_batch_columns};

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
    Missing,
    Number(f64),
    Text(String),
    Bool(bool),
    /// An array or object where a scalar belongs.
    Nested,
}

impl RawCell {
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
    Id,
    /// `SalePrice`: read separately, ignored in records.
    Target,
    Input(Column),
    Unknown,
}

impl Field {
    pub fn resolve(name: &str) -> Field {
        match name {
            "Id" => Field::Id,
            TARGET_COLUMN => Field::Target,
            _ => Column::from_name(name).map_or(Field::Unknown, Field::Input),
        }
    }
}

/// A problem found while parsing one field; `column` is `None` for fields
/// outside the schema and problems with the row as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub field: String,
    pub column: Option<Column>,
    pub message: String,
}

/// A parsed row: the record (with unparsable cells left missing) and the
/// problems found in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedRow {
    pub record: HouseRecord,
    pub problems: Vec<FieldProblem>,
}

impl ParsedRow {
    /// Builds a row from `(field name, cell)` pairs, then runs the schema's
    /// range rules on it.
    pub fn from_cells<K: AsRef<str>>(cells: impl IntoIterator<Item = (K, RawCell)>) -> ParsedRow {
        ParsedRow::from_fields(cells.into_iter().map(|(name, cell)| {
            let field = Field::resolve(name.as_ref());
            (name, field, cell)
        }))
    }

    /// Builds a row from fields whose names were resolved already (a CSV
    /// header is resolved once, not once per row).
    pub fn from_fields<N: AsRef<str>>(
        cells: impl IntoIterator<Item = (N, Field, RawCell)>,
    ) -> ParsedRow {
        let mut builder = RowBuilder::default();
        for (name, field, cell) in cells {
            builder.add(name.as_ref(), field, cell);
        }
        builder.finish()
    }

    /// A row that is not a record at all (e.g. a number in a JSON list).
    pub fn not_a_record(what: &str) -> ParsedRow {
        let mut row = ParsedRow::default();
        row.problem(
            "record",
            None,
            format!("expected an object of house fields, got {what}"),
        );
        row
    }

    pub(super) fn problem(&mut self, field: &str, column: Option<Column>, message: String) {
        self.problems.push(FieldProblem {
            field: shorten(field),
            column,
            message,
        });
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
            other => self.problem(
                "Id",
                None,
                format!("must be an integer, got {}", describe(&other)),
            ),
        }
    }

    fn set(&mut self, column: Column, cell: RawCell) {
        match column.kind() {
            ColumnKind::Numeric => match to_number(cell) {
                Ok(value) => *self.record.number_mut(column).expect("numeric column") = value,
                Err(message) => self.problem(column.name(), Some(column), message),
            },
            ColumnKind::Categorical => match to_label(cell) {
                Ok(value) => *self.record.label_mut(column).expect("categorical column") = value,
                Err(message) => self.problem(column.name(), Some(column), message),
            },
        }
    }
}

/// Builds a [`ParsedRow`] one field at a time, as a reader meets them.
#[derive(Debug)]
pub struct RowBuilder {
    row: ParsedRow,
    seen: [bool; COLUMNS],
}

impl Default for RowBuilder {
    fn default() -> Self {
        RowBuilder {
            row: ParsedRow::default(),
            seen: [false; COLUMNS],
        }
    }
}

impl RowBuilder {
    /// Takes one field; `name` is the field's name as it was written (for
    /// messages about unknown or repeated fields).
    pub fn add(&mut self, name: &str, field: Field, cell: RawCell) {
        let row = &mut self.row;
        match field {
            Field::Id => row.set_id(cell),
            Field::Target => {}
            Field::Unknown => row.problem(
                name,
                None,
                "unknown field: not one of the 79 house-prices inputs".into(),
            ),
            Field::Input(column) if self.seen[column as usize] => row.problem(
                name,
                Some(column),
                "given twice (Kaggle name and course alias?)".into(),
            ),
            Field::Input(column) => {
                self.seen[column as usize] = true;
                row.set(column, cell);
            }
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
            list.iter().map(move |e| FieldProblem {
                field: column.name().to_owned(),
                column: Some(column),
                message: e.message.as_deref().unwrap_or("is out of range").to_owned(),
            })
        })
        .collect();
    // validator reports through a HashMap: sort for a stable answer.
    problems.sort_by_key(|p| p.column);
    problems
}

fn to_number(cell: RawCell) -> Result<Option<f64>, String> {
    match cell {
        RawCell::Missing => Ok(None),
        RawCell::Number(n) if n.is_finite() => Ok(Some(n)),
        RawCell::Text(t) => match t.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(format!(
                "expected a number, got {}",
                describe(&RawCell::Text(t))
            )),
        },
        other => Err(format!("expected a number, got {}", describe(&other))),
    }
}

fn to_label(cell: RawCell) -> Result<Option<String>, String> {
    match cell {
        RawCell::Missing => Ok(None),
        RawCell::Text(t) => Ok(Some(t)),
        // Codes such as MSSubClass are often sent as numbers: 20 is label "20".
        RawCell::Number(n) if n.fract() == 0.0 && n.abs() < 1.0e15 => {
            Ok(Some(format!("{}", n as i64)))
        }
        RawCell::Number(n) => Ok(Some(n.to_string())),
        other => Err(format!("expected a label (text), got {}", describe(&other))),
    }
}

/// Describes a bad value without echoing much of it back.
fn describe(cell: &RawCell) -> String {
    match cell {
        RawCell::Missing => "nothing".into(),
        RawCell::Number(n) => format!("the number {n}"),
        RawCell::Text(t) => format!("the text \"{}\"", shorten(t)),
        RawCell::Bool(b) => format!("the boolean {b}"),
        RawCell::Nested => "an array or object".into(),
    }
}

pub(super) fn shorten(text: &str) -> String {
    const MAX: usize = 32;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

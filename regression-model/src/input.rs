//! Parsing raw house records from JSON and CSV into [`HouseRecord`]s.
//!
//! Parsing never fails a whole batch because of one bad cell: each row keeps
//! the problems found in it ([`FieldProblem`]), and the model decides which of
//! them reject the row (only problems in columns it reads can change a
//! prediction). Only `NA` and empty cells are missing; the label `None`
//! (`MasVnrType`: no veneer) is a real label, as in the course's pandas-1 days.

use std::io::Read;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use validator::Validate;

use crate::error::{Error, Result};
use crate::schema::{Column, ColumnKind, HouseRecord};

/// The column of labelled files that holds the target; accepted and skipped
/// by the record parser, read separately by [`read_labelled_csv`].
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

fn is_missing_marker(text: &str) -> bool {
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
        let mut row = ParsedRow::default();
        let mut seen = [false; COLUMNS];
        for (name, field, cell) in cells {
            let name = name.as_ref();
            match field {
                Field::Id => row.set_id(cell),
                Field::Target => {}
                Field::Unknown => row.problem(
                    name,
                    None,
                    "unknown field: not one of the 79 house-prices inputs".into(),
                ),
                Field::Input(column) if seen[column as usize] => row.problem(
                    name,
                    Some(column),
                    "given twice (Kaggle name and course alias?)".into(),
                ),
                Field::Input(column) => {
                    seen[column as usize] = true;
                    row.set(column, cell);
                }
            }
        }
        row.problems.extend(range_problems(&row.record));
        row
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

    fn problem(&mut self, field: &str, column: Option<Column>, message: String) {
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

fn shorten(text: &str) -> String {
    const MAX: usize = 32;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

impl<'de> Deserialize<'de> for RawCell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CellVisitor;
        impl<'de> Visitor<'de> for CellVisitor {
            type Value = RawCell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, a string or null")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawCell, E> {
                Ok(RawCell::Missing)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawCell, E> {
                Ok(RawCell::Missing)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawCell, E> {
                Ok(RawCell::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawCell, E> {
                Ok(RawCell::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCell, E> {
                Ok(RawCell::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawCell, E> {
                Ok(RawCell::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawCell, E> {
                Ok(if is_missing_marker(v) {
                    RawCell::Missing
                } else {
                    RawCell::Text(v.to_owned())
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawCell, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawCell::Nested)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCell, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawCell::Nested)
            }
        }
        deserializer.deserialize_any(CellVisitor)
    }
}

/// A JSON key, resolved to its field as it is read (no allocation unless
/// the key is unknown and must be quoted back).
struct Key {
    field: Field,
    unknown: Option<String>,
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        match self.field {
            Field::Id => "Id",
            Field::Target => TARGET_COLUMN,
            Field::Input(column) => column.name(),
            Field::Unknown => self.unknown.as_deref().unwrap_or(""),
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                let field = Field::resolve(v);
                let unknown = (field == Field::Unknown).then(|| shorten(v));
                Ok(Key { field, unknown })
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

fn record_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<ParsedRow, A::Error> {
    let mut pairs: Vec<(Key, RawCell)> = Vec::with_capacity(80);
    while let Some(pair) = map.next_entry::<Key, RawCell>()? {
        pairs.push(pair);
    }
    Ok(ParsedRow::from_fields(pairs.into_iter().map(
        |(key, cell)| {
            let field = key.field;
            (key, field, cell)
        },
    )))
}

/// One element of a JSON batch: a record, or something that is not one.
struct JsonRow(ParsedRow);

impl<'de> Deserialize<'de> for JsonRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = JsonRow;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of house fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonRow, A::Error> {
                Ok(JsonRow(record_from_map(map)?))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonRow, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(JsonRow(ParsedRow::not_a_record("an array")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("null")))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a boolean")))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a number")))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a number")))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a number")))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<JsonRow, E> {
                Ok(JsonRow(ParsedRow::not_a_record("a string")))
            }
        }
        deserializer.deserialize_any(RowVisitor)
    }
}

/// The top level of a JSON body: a list of records, or a single record.
struct JsonBatch(Vec<ParsedRow>);

impl<'de> Deserialize<'de> for JsonBatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BatchVisitor;
        impl<'de> Visitor<'de> for BatchVisitor {
            type Value = JsonBatch;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of house records (or one record object)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonBatch, A::Error> {
                let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(JsonRow(row)) = seq.next_element()? {
                    rows.push(row);
                }
                Ok(JsonBatch(rows))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonBatch, A::Error> {
                Ok(JsonBatch(vec![record_from_map(map)?]))
            }
        }
        deserializer.deserialize_any(BatchVisitor)
    }
}

/// Parses a JSON list of records (or one record) into rows.
///
/// # Errors
/// [`Error::Json`] when the text is not JSON, or its top level is neither a
/// list nor an object. Problems inside records are kept per row instead.
pub fn parse_json_batch(body: &[u8]) -> Result<Vec<ParsedRow>> {
    serde_json::from_slice::<JsonBatch>(body)
        .map(|batch| batch.0)
        .map_err(|e| Error::Json(e.to_string()))
}
/// Rows of a CSV file, with the target column when the file has one.
#[derive(Debug, Clone, Default)]
pub struct InputRows {
    pub rows: Vec<ParsedRow>,
    /// `SalePrice` per row, when the file has that column (`None` per row
    /// where the cell is missing or not a positive number).
    pub target: Option<Vec<Option<f64>>>,
}

/// Reads a CSV file with a header line (Kaggle layout, `NA` for missing).
///
/// # Errors
/// [`Error::Csv`] for a file that is not CSV (bad quoting, invalid UTF-8) or
/// has no header. A row with the wrong number of cells is a row problem.
pub fn read_csv(reader: impl Read) -> Result<InputRows> {
    read_csv_columns(reader, None)
}

/// Like [`read_csv`], keeping only the `wanted` input columns (the others
/// are neither parsed nor stored): training on a million rows needs the
/// model's columns only.
pub fn read_csv_columns(reader: impl Read, wanted: Option<&[Column]>) -> Result<InputRows> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = csv.headers().map_err(|e| csv_error(&e))?.clone();
    let width = header.len();
    // Resolve each header once; keep the position of every column we read.
    let fields: Vec<(usize, &str, Field)> = header
        .iter()
        .enumerate()
        .map(|(at, name)| (at, name, Field::resolve(name)))
        .filter(|(_, _, field)| !matches!((field, wanted), (Field::Input(c), Some(w)) if !w.contains(c)))
        .collect();
    let target_at = header.iter().position(|h| h == TARGET_COLUMN);
    let mut out = InputRows {
        rows: Vec::new(),
        target: target_at.map(|_| Vec::new()),
    };
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(|e| csv_error(&e))? {
        let cells = fields.iter().filter_map(|&(at, name, field)| {
            record
                .get(at)
                .map(|cell| (name, field, RawCell::from_csv(cell)))
        });
        let mut row = ParsedRow::from_fields(cells);
        if record.len() != width {
            row.problem(
                "record",
                None,
                format!("has {} cells, the header has {width}", record.len()),
            );
        }
        if let (Some(at), Some(target)) = (target_at, out.target.as_mut()) {
            let price = record.get(at).and_then(|c| c.trim().parse::<f64>().ok());
            target.push(price.filter(|p| p.is_finite() && *p > 0.0));
        }
        out.rows.push(row);
    }
    Ok(out)
}

/// Reads a CSV file from disk; see [`read_csv`].
pub fn read_csv_file(path: &std::path::Path) -> Result<InputRows> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })?;
    read_csv(std::io::BufReader::new(file)).map_err(|e| match e {
        Error::Csv { line, message } => Error::Csv {
            line,
            message: format!("{}: {message}", path.display()),
        },
        other => other,
    })
}

fn csv_error(error: &csv::Error) -> Error {
    Error::Csv {
        line: error.position().map_or(0, |p| p.line()),
        message: error.to_string(),
    }
}

/// Records deserialize from JSON with serde, failing on the first problem
/// (use [`parse_json_batch`] to collect every problem of a batch instead).
impl<'de> Deserialize<'de> for HouseRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = HouseRecord;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of house fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HouseRecord, A::Error> {
                let row = record_from_map(map)?;
                match row.problems.first() {
                    None => Ok(row.record),
                    Some(p) => Err(de::Error::custom(format!("{}: {}", p.field, p.message))),
                }
            }
        }
        deserializer.deserialize_map(RecordVisitor)
    }
}

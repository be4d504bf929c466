//! CSV files and bodies in the Kaggle layout: a header line, `NA` or an empty
//! cell for missing values, optionally the `SalePrice` target.

use std::io::Read;

use super::{Field, ParsedRow, RawCell, RowBuilder, TARGET_COLUMN, UnknownFields};
use crate::error::{Error, Result};
use crate::schema::Column;

/// Rows of a CSV file or JSON body, with the target column when the file
/// has one, and the field names outside the schema that it held.
#[derive(Debug, Clone, Default)]
pub struct InputRows {
    /// The parsed rows, in input order.
    pub rows: Vec<ParsedRow>,
    /// `SalePrice` per row, when the file has that column (`None` per row
    /// where the cell is missing or not a positive number).
    pub target: Option<Vec<Option<f64>>>,
    /// Columns (or JSON keys) that are not house-prices inputs: ignored,
    /// and reported once for the whole input.
    pub unknown: UnknownFields,
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
    // Unknown columns are noted once, here, and never read.
    let mut unknown = UnknownFields::default();
    let fields: Vec<(usize, Field)> = header
        .iter()
        .enumerate()
        .map(|(at, name)| (at, name, Field::resolve(name)))
        .inspect(|(_, name, field)| {
            if *field == Field::Unknown {
                unknown.note(name);
            }
        })
        .filter(|(_, _, field)| match (field, wanted) {
            (Field::Unknown | Field::Target, _) => false,
            (Field::Input(c), Some(w)) => w.contains(c),
            _ => true,
        })
        .map(|(at, _, field)| (at, field))
        .collect();
    let target_at = header.iter().position(|h| h == TARGET_COLUMN);
    let mut out = InputRows {
        rows: Vec::new(),
        target: target_at.map(|_| Vec::new()),
        unknown,
    };
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(|e| csv_error(&e))? {
        let mut row = RowBuilder::default();
        for &(at, field) in &fields {
            if let Some(cell) = record.get(at) {
                row.add(field, RawCell::from_csv(cell));
            }
        }
        let mut row: ParsedRow = row.finish();
        if record.len() != width {
            row.wrong_width(record.len(), width);
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

/// What is wrong with a CSV text, and where, without quoting it.
fn csv_error(error: &csv::Error) -> Error {
    let message = match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text",
        csv::ErrorKind::Io(_) => "could not be read",
        _ => "cannot be read as CSV",
    };
    Error::Csv {
        line: error.position().map_or(0, |p| p.line()),
        message: message.into(),
    }
}

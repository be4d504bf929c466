//! CSV files and bodies in the Kaggle layout: a header line, `NA` or an empty
//! cell for missing values, optionally the `SalePrice` target.

use std::io::Read;

use super::record_limit::{RecordLimit, RecordTooLong};
use super::{Field, ParsedRow, RowBuilder, TARGET_COLUMN, UnknownFields};
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
/// [`Error::Csv`] for a file that is not CSV (bad quoting, invalid UTF-8),
/// has no header, or has a record longer than 1 MiB (no house record is;
/// a quoted field left open would otherwise be read to the end of the
/// file). A row with the wrong number of cells is a row problem, up to
/// [`MAX_MISSHAPEN_ROWS`] of them; the next one fails the file.
pub fn read_csv(reader: impl Read) -> Result<InputRows> {
    read_csv_columns(reader, None)
}

/// Like [`read_csv`], keeping only the `wanted` input columns (the others
/// are neither parsed nor stored): training on a million rows needs the
/// model's columns only.
///
/// # Errors
/// As [`read_csv`].
pub fn read_csv_columns(reader: impl Read, wanted: Option<&[Column]>) -> Result<InputRows> {
    let mut csv = whole_file_reader(reader);
    let (layout, unknown) = CsvLayout::from_header(&mut csv, wanted)?;
    let mut out = InputRows {
        rows: Vec::new(),
        target: layout.target_at.map(|_| Vec::new()),
        unknown,
    };
    let mut record = csv::StringRecord::new();
    let mut misshapen = Misshapen::default();
    while csv.read_record(&mut record).map_err(|e| csv_error(&e))? {
        misshapen.check(&record, layout.width)?;
        layout.push_row(|at| record.get(at), record.len(), &mut out);
    }
    Ok(out)
}

/// Rows with the wrong number of cells that a file read whole may hold;
/// the next one fails the read. Each row of a whole file becomes a
/// [`ParsedRow`] of every column (~1.7 KB) whatever its size, so without
/// a bound a file of one-character lines would take ~1,000 times its size
/// in memory; a row as wide as the header has at least a byte per cell,
/// which bounds the others. (A streamed file, [`super::ChunkReader`], holds
/// a chunk at a time and rejects each such row instead.)
pub const MAX_MISSHAPEN_ROWS: usize = 100;

/// The CSV reader of a whole file: rows of any width (a wrong one is a row
/// problem), each record at most [`super::record_limit::MAX_RECORD_BYTES`].
pub(crate) fn whole_file_reader(reader: impl Read) -> csv::Reader<impl Read> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(RecordLimit::new(reader))
}

/// Counts a whole file's rows whose cell count differs from the header's.
#[derive(Debug, Default)]
pub(crate) struct Misshapen {
    rows: usize,
}

impl Misshapen {
    /// Notes `record`, failing once more than [`MAX_MISSHAPEN_ROWS`] rows
    /// were not `width` cells wide.
    pub(crate) fn check(&mut self, record: &csv::StringRecord, width: usize) -> Result<()> {
        if record.len() == width {
            return Ok(());
        }
        self.rows += 1;
        if self.rows <= MAX_MISSHAPEN_ROWS {
            return Ok(());
        }
        Err(Error::Csv {
            line: record.position().map_or(0, |p| p.line()),
            message: format!(
                "has {} cells, the header has {width}, as had {MAX_MISSHAPEN_ROWS} rows before it: the rows do not follow the header",
                record.len()
            ),
        })
    }
}

/// Where a file's columns are, resolved once from its header: the
/// positions of the fields a reader keeps, the target's, and the width
/// every row should have. Whole-file and chunked readers share it, so a
/// row parses the same whichever read it.
#[derive(Debug, Clone)]
pub(super) struct CsvLayout {
    fields: Vec<(usize, Field)>,
    target_at: Option<usize>,
    pub(super) width: usize,
}

impl CsvLayout {
    /// Reads the header; unknown columns are noted once, here, and never read.
    pub(super) fn from_header<R: Read>(
        csv: &mut csv::Reader<R>,
        wanted: Option<&[Column]>,
    ) -> Result<(CsvLayout, UnknownFields)> {
        let header = csv.headers().map_err(|e| csv_error(&e))?;
        let mut unknown = UnknownFields::default();
        let fields = header
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
        let layout = CsvLayout {
            fields,
            target_at: header.iter().position(|h| h == TARGET_COLUMN),
            width: header.len(),
        };
        Ok((layout, unknown))
    }

    /// An empty [`InputRows`] for this layout (a target list when the
    /// header has the target).
    pub(super) fn empty_rows(&self) -> InputRows {
        InputRows {
            rows: Vec::new(),
            target: self.target_at.map(|_| Vec::new()),
            unknown: UnknownFields::default(),
        }
    }

    /// Parses one record of `cells` cells (`cell(at)` gives each) and
    /// appends it, and its target, to `out`.
    pub(super) fn push_row<'r>(
        &self,
        cell: impl Fn(usize) -> Option<&'r str>,
        cells: usize,
        out: &mut InputRows,
    ) {
        let (row, price) = self.parse_row(cell, cells);
        if let Some(target) = out.target.as_mut() {
            target.push(price);
        }
        out.rows.push(row);
    }

    /// Parses one record of `cells` cells (`cell(at)` gives each): the row,
    /// and its target (`None` also when the file has no target column).
    pub(super) fn parse_row<'r>(
        &self,
        cell: impl Fn(usize) -> Option<&'r str>,
        cells: usize,
    ) -> (ParsedRow, Option<f64>) {
        let mut row = RowBuilder::default();
        for &(at, field) in &self.fields {
            if let Some(text) = cell(at) {
                row.add_csv(field, text);
            }
        }
        let mut row: ParsedRow = row.finish();
        if cells != self.width {
            row.wrong_width(cells, self.width);
        }
        let price = self
            .target_at
            .and_then(cell)
            .and_then(|c| c.trim().parse::<f64>().ok())
            .filter(|p| p.is_finite() && *p > 0.0);
        (row, price)
    }

    /// Whether the file has the target column.
    pub(super) fn has_target(&self) -> bool {
        self.target_at.is_some()
    }
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
pub(crate) fn csv_error(error: &csv::Error) -> Error {
    if let csv::ErrorKind::Io(e) = error.kind()
        && let Some(long) = e.get_ref().and_then(|e| e.downcast_ref::<RecordTooLong>())
    {
        return Error::Csv {
            line: long.line,
            message: long.to_string(),
        };
    }
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

#[cfg(test)]
mod tests;

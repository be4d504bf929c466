//! A labelled CSV read as raw text columns, for analysis: every column the
//! file has (not only the model's), with `NA` and empty cells missing.
//!
//! The file is read as the crate reads every whole file
//! ([`crate::input::whole_file_reader`]): a record longer than 1 MiB, or
//! more than [`crate::input::MAX_MISSHAPEN_ROWS`] rows whose width is not
//! the header's, refuse it with the line. A row of the wrong width is left
//! out of the analysis (its cells may be in the wrong columns) and its line
//! is reported; every other cell is held as a four-byte code
//! ([`RawColumn`]), so memory stays a small multiple of the file's size.

use std::collections::HashMap;
use std::io::Read;

use super::column::ColumnBuilder;
pub use super::column::RawColumn;
use crate::error::{Error, Result};
use crate::input::{Misshapen, NAME_CHARS, csv_error, escape_clipped, whole_file_reader};

/// The columns of a CSV file, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// Data rows analysed (not counting the header or skipped rows).
    pub rows: usize,
    /// Every column, in file order.
    pub columns: Vec<RawColumn>,
    /// Lines of the rows left out because their width was not the
    /// header's (at most [`crate::input::MAX_MISSHAPEN_ROWS`]: one more
    /// refuses the file).
    pub skipped_lines: Vec<u64>,
}

impl RawTable {
    /// Reads a CSV file with a header. A column's kind is the schema's for
    /// the 79 house-prices inputs (so `MSSubClass` is categorical), else
    /// numeric when every present cell is a number.
    ///
    /// # Errors
    /// [`Error::Csv`] with the line for a file that is not CSV, has no
    /// header, names a column twice, has a record over 1 MiB or more than
    /// [`crate::input::MAX_MISSHAPEN_ROWS`] rows of the wrong width.
    pub fn read(reader: impl Read) -> Result<RawTable> {
        let mut csv = whole_file_reader(reader);
        let header = csv.headers().map_err(|e| csv_error(&e))?.clone();
        refuse_repeated_names(&header)?;
        let mut columns: Vec<ColumnBuilder> = header.iter().map(ColumnBuilder::new).collect();
        let mut record = csv::StringRecord::new();
        let mut misshapen = Misshapen::default();
        let (mut rows, mut skipped_lines) = (0, Vec::new());
        while csv.read_record(&mut record).map_err(|e| csv_error(&e))? {
            misshapen.check(&record, header.len())?;
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != header.len() {
                skipped_lines.push(line);
                continue;
            }
            for (column, cell) in columns.iter_mut().zip(&record) {
                let cell = Some(cell).filter(|c| !c.is_empty() && *c != "NA");
                column.push(cell, line)?;
            }
            rows += 1;
        }
        let columns = columns.into_iter().map(ColumnBuilder::finish).collect();
        Ok(RawTable {
            rows,
            columns,
            skipped_lines,
        })
    }

    /// Reads a CSV file from disk; a CSV error names the file.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be opened; as [`RawTable::read`].
    pub fn read_file(path: &std::path::Path) -> Result<RawTable> {
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        RawTable::read(std::io::BufReader::new(file)).map_err(|e| match e {
            Error::Csv { line, message } => Error::Csv {
                line,
                message: format!("{}: {message}", path.display()),
            },
            other => other,
        })
    }

    /// The column named `name`, if the file has it.
    pub fn column(&self, name: &str) -> Option<&RawColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// Refuses a header that names a column twice: the analysis addresses
/// columns by name, and two columns of one name would be reported as one
/// column with two sets of statistics. (Predicting reads such a file and
/// rejects each row, as [`crate::input::Problem::Repeated`]; a report has
/// no rows to reject.)
fn refuse_repeated_names(header: &csv::StringRecord) -> Result<()> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(header.len());
    for (at, name) in header.iter().enumerate() {
        if let Some(first) = seen.insert(name, at) {
            return Err(Error::Csv {
                line: 1,
                message: format!(
                    "the header names column `{}` twice (columns {} and {}): rename one",
                    escape_clipped(name, NAME_CHARS),
                    first + 1,
                    at + 1
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ColumnKind;

    #[test]
    fn kinds_come_from_the_schema_then_from_the_cells() {
        let table =
            RawTable::read("Id,MSSubClass,Extra,Note\n1,20,1.5,a\n2,NA,,b\n".as_bytes()).unwrap();
        let kinds: Vec<ColumnKind> = table.columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::Numeric,
                ColumnKind::Categorical,
                ColumnKind::Numeric,
                ColumnKind::Categorical
            ]
        );
        let extra = table.column("Extra").unwrap().numbers();
        assert_eq!(extra[0], 1.5);
        assert!(extra[1].is_nan());
        assert_eq!(table.column("MSSubClass").unwrap().cell(1), None);
        assert_eq!(table.rows, 2);
    }

    #[test]
    fn a_file_of_rows_that_do_not_follow_the_header_is_refused_at_the_hundred_and_first() {
        // Read without a bound, 1,000,000 such rows under the 81 columns
        // of the house-prices header took 2.2 GB.
        let text = format!("A,B,C\n1,2,3\n{}", "x\n".repeat(1_000_000));
        let error = RawTable::read(text.as_bytes()).unwrap_err().to_string();
        assert!(error.contains("line 103"), "{error}");
        assert!(error.contains("has 1 cells, the header has 3"), "{error}");
    }

    #[test]
    fn rows_of_the_wrong_width_are_left_out_and_their_lines_kept() {
        let table = RawTable::read("A,B\n1,2\nx\n3,4,5\n6,7\n".as_bytes()).unwrap();
        assert_eq!(table.rows, 2);
        assert_eq!(table.skipped_lines, [3, 4]);
        let a: Vec<_> = table.columns[0].cells().collect();
        assert_eq!(a, [Some("1"), Some("6")]);
    }

    #[test]
    fn a_record_over_a_mebibyte_is_refused_with_its_line() {
        let text = format!("A,B\n1,2\n3,\"{}\n", "c".repeat(1 << 20));
        let error = RawTable::read(text.as_bytes()).unwrap_err().to_string();
        assert!(
            error.contains("line 3") && error.contains("1048576"),
            "{error}"
        );
    }

    #[test]
    fn a_header_that_names_a_column_twice_is_refused_naming_it() {
        let error = RawTable::read("Id,A,B,A\n1,2,3,4\n".as_bytes())
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "CSV input, line 1: the header names column `A` twice (columns 2 and 4): rename one"
        );
    }
}

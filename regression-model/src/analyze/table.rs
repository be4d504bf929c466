//! A labelled CSV read as raw text columns, for analysis: every column the
//! file has (not only the model's), with `NA` and empty cells missing.

use std::io::Read;

use crate::error::{Error, Result};
use crate::schema::{Column, ColumnKind};

/// One column of text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct RawColumn {
    /// The header's name.
    pub name: String,
    /// The schema's kind, or numeric when every present cell parses as a number.
    pub kind: ColumnKind,
    /// The cells as text; `None` for `NA` and empty cells.
    pub cells: Vec<Option<String>>,
    /// The cells as numbers (`NaN` for missing or unparsable); empty for
    /// categorical columns.
    pub numbers: Vec<f64>,
}

/// The columns of a CSV file, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTable {
    /// Data rows (not counting the header).
    pub rows: usize,
    /// Every column, in file order.
    pub columns: Vec<RawColumn>,
}

impl RawTable {
    /// Reads a CSV file with a header. A column's kind is the schema's for
    /// the 79 house-prices inputs (so `MSSubClass` is categorical), else
    /// numeric when every present cell is a number.
    ///
    /// # Errors
    /// [`Error::Csv`] for a file that is not CSV or has no header.
    pub fn read(reader: impl Read) -> Result<RawTable> {
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let csv_error = |e: csv::Error| Error::Csv {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        };
        let header = csv.headers().map_err(csv_error)?.clone();
        let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); header.len()];
        let mut rows = 0;
        for record in csv.records() {
            let record = record.map_err(csv_error)?;
            for (at, column) in cells.iter_mut().enumerate() {
                let cell = record.get(at).filter(|c| !c.is_empty() && *c != "NA");
                column.push(cell.map(str::to_owned));
            }
            rows += 1;
        }
        let columns = header
            .iter()
            .zip(cells)
            .map(|(name, cells)| {
                let parsed: Vec<Option<f64>> = cells
                    .iter()
                    .map(|c| c.as_deref().map(|t| t.trim().parse::<f64>().ok()))
                    .map(|n| n.flatten().filter(|v| v.is_finite()))
                    .collect();
                let all_numbers = cells
                    .iter()
                    .zip(&parsed)
                    .all(|(c, n)| c.is_none() || n.is_some());
                let kind = match Column::from_name(name) {
                    Some(column) => column.kind(),
                    None if all_numbers => ColumnKind::Numeric,
                    None => ColumnKind::Categorical,
                };
                let numbers = match kind {
                    ColumnKind::Numeric => parsed.iter().map(|n| n.unwrap_or(f64::NAN)).collect(),
                    ColumnKind::Categorical => Vec::new(),
                };
                RawColumn {
                    name: name.to_owned(),
                    kind,
                    cells,
                    numbers,
                }
            })
            .collect();
        Ok(RawTable { rows, columns })
    }

    /// Reads a CSV file from disk.
    pub fn read_file(path: &std::path::Path) -> Result<RawTable> {
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        RawTable::read(std::io::BufReader::new(file))
    }

    /// The column named `name`, if the file has it.
    pub fn column(&self, name: &str) -> Option<&RawColumn> {
        self.columns.iter().find(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let extra = table.column("Extra").unwrap();
        assert_eq!(extra.numbers[0], 1.5);
        assert!(extra.numbers[1].is_nan());
        assert_eq!(table.column("MSSubClass").unwrap().cells[1], None);
        assert_eq!(table.rows, 2);
    }
}

//! One column of a CSV file as the analysis holds it: each row's cell is an
//! index into the column's distinct values, so a cell costs four bytes
//! whatever its text (and a cell of the file is at least one byte, its
//! separator), and a value repeated down the column is stored once. A
//! column of `Option<String>` cost 24 bytes per cell, 24 times a file of
//! empty cells.

use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::RandomState;

use super::values::{Interner, Values};
use crate::error::{Error, Result};
use crate::input::{NAME_CHARS, escape_clipped};
use crate::schema::{Column, ColumnKind};

/// The code of a missing cell (`NA` or empty).
const MISSING: u32 = u32::MAX;

/// One column of text cells, `NA` and empty cells missing.
#[derive(Debug, Clone, PartialEq)]
pub struct RawColumn {
    /// The header's name.
    pub name: String,
    /// The schema's kind, or numeric when every present cell parses as a number.
    pub kind: ColumnKind,
    /// Per row, the index of its value in `values`, or [`MISSING`].
    codes: Vec<u32>,
    values: Values,
    /// Per distinct value, the number it reads as (`NaN` when it is not
    /// one); empty for a categorical column.
    parsed: Vec<f64>,
}

/// How often each distinct value of a column occurs, and the missing cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueCounts<'c> {
    /// Per distinct present value, its text and its rows.
    pub(crate) values: Vec<(&'c str, usize)>,
    /// Rows where the cell is missing.
    pub(crate) missing: usize,
}

impl RawColumn {
    /// Rows of the column.
    pub fn rows(&self) -> usize {
        self.codes.len()
    }

    /// The cell of `row` (`None` when missing or past the last row).
    pub fn cell(&self, row: usize) -> Option<&str> {
        match *self.codes.get(row)? {
            MISSING => None,
            code => Some(self.values.get(code)),
        }
    }

    /// Every cell, in row order.
    pub fn cells(&self) -> impl Iterator<Item = Option<&str>> {
        self.codes.iter().map(|&code| match code {
            MISSING => None,
            code => Some(self.values.get(code)),
        })
    }

    /// The cells as numbers (`NaN` for missing or unparsable); empty for a
    /// categorical column. Built on each call: the column holds each
    /// distinct number once, not one per row.
    pub fn numbers(&self) -> Vec<f64> {
        if self.kind == ColumnKind::Categorical {
            return Vec::new();
        }
        self.codes
            .iter()
            .map(|&code| match code {
                MISSING => f64::NAN,
                code => self.parsed[code as usize],
            })
            .collect()
    }

    /// Occurrences of each distinct value, and of missing cells.
    pub(crate) fn value_counts(&self) -> ValueCounts<'_> {
        let mut counts = vec![0; self.values.len()];
        let mut missing = 0;
        for &code in &self.codes {
            match code {
                MISSING => missing += 1,
                code => counts[code as usize] += 1,
            }
        }
        ValueCounts {
            values: self.values.iter().zip(counts).collect(),
            missing,
        }
    }

    /// A hash of the cells in row order: equal for columns of equal cells,
    /// so duplicates are found by grouping hashes instead of comparing
    /// every pair of columns.
    pub(crate) fn cells_hash(&self, state: &RandomState) -> u64 {
        let value_hashes: Vec<u64> = self.values.iter().map(|v| state.hash_one(v)).collect();
        let mut hasher = state.build_hasher();
        self.kind.hash(&mut hasher);
        for &code in &self.codes {
            match code {
                MISSING => hasher.write_u8(0),
                code => {
                    hasher.write_u8(1);
                    hasher.write_u64(value_hashes[code as usize]);
                }
            }
        }
        hasher.finish()
    }

    /// Whether both columns are of one kind and hold the same cell in every row.
    pub(crate) fn same_cells(&self, other: &RawColumn) -> bool {
        self.kind == other.kind && self.rows() == other.rows() && self.cells().eq(other.cells())
    }
}

/// A column being read, row by row.
#[derive(Debug)]
pub(super) struct ColumnBuilder {
    name: String,
    codes: Vec<u32>,
    values: Interner,
}

impl ColumnBuilder {
    pub(super) fn new(name: &str) -> Self {
        ColumnBuilder {
            name: name.to_owned(),
            codes: Vec::new(),
            values: Interner::default(),
        }
    }

    /// Appends the next row's cell (`None` when missing).
    ///
    /// # Errors
    /// [`Error::Csv`] naming `line` once the column has more distinct
    /// values than the codes can number.
    pub(super) fn push(&mut self, cell: Option<&str>, line: u64) -> Result<()> {
        let code = match cell {
            None => MISSING,
            Some(text) => self.values.code_of(text).ok_or_else(|| Error::Csv {
                line,
                message: format!(
                    "column `{}` has more distinct values than the analysis can hold (4 GiB of them, or {MISSING})",
                    escape_clipped(&self.name, NAME_CHARS)
                ),
            })?,
        };
        self.codes.push(code);
        Ok(())
    }

    /// The column, its kind from the schema or, outside it, numeric when
    /// every distinct value is a finite number.
    pub(super) fn finish(self) -> RawColumn {
        let values = self.values.into_values();
        let parsed: Vec<f64> = values
            .iter()
            .map(|v| v.trim().parse::<f64>().ok().filter(|n| n.is_finite()))
            .map(|n| n.unwrap_or(f64::NAN))
            .collect();
        let kind = match Column::from_name(&self.name) {
            Some(column) => column.kind(),
            None if parsed.iter().all(|n| !n.is_nan()) => ColumnKind::Numeric,
            None => ColumnKind::Categorical,
        };
        let mut codes = self.codes;
        codes.shrink_to_fit();
        RawColumn {
            name: self.name,
            kind,
            codes,
            values,
            parsed: match kind {
                ColumnKind::Numeric => parsed,
                ColumnKind::Categorical => Vec::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, cells: &[Option<&str>]) -> RawColumn {
        let mut builder = ColumnBuilder::new(name);
        for (line, cell) in cells.iter().enumerate() {
            builder.push(*cell, line as u64 + 2).unwrap();
        }
        builder.finish()
    }

    #[test]
    fn a_column_stores_each_distinct_value_once_and_gives_back_every_cell() {
        let cells = [Some("b"), None, Some("a"), Some("b"), Some("b")];
        let column = column("Note", &cells);
        assert_eq!(column.cells().collect::<Vec<_>>(), cells);
        assert_eq!(column.values.iter().collect::<Vec<_>>(), ["b", "a"]);
        let counts = column.value_counts();
        assert_eq!(
            (counts.values, counts.missing),
            (vec![("b", 3), ("a", 1)], 1)
        );
        assert_eq!(column.kind, ColumnKind::Categorical);
        assert!(column.numbers().is_empty());
    }

    #[test]
    fn a_cell_costs_four_bytes_however_many_rows_repeat_it() {
        let cells = vec![None; 10_000];
        let column = column("Empty", &cells);
        assert_eq!(column.codes.capacity(), 10_000);
        assert_eq!(column.values.len(), 0);
        assert_eq!(std::mem::size_of_val(&column.codes[0]), 4);
    }

    #[test]
    fn numbers_are_read_once_per_distinct_value() {
        let column = column("Extra", &[Some(" 1.5"), None, Some("2"), Some(" 1.5")]);
        assert_eq!(column.kind, ColumnKind::Numeric);
        let numbers = column.numbers();
        assert_eq!((numbers[0], numbers[2], numbers[3]), (1.5, 2.0, 1.5));
        assert!(numbers[1].is_nan());
        assert_eq!(column.parsed.len(), 2);
    }

    #[test]
    fn equal_columns_hash_alike_and_a_different_cell_or_kind_tells_them_apart() {
        let state = RandomState::default();
        let a = column("A", &[Some("1"), None, Some("2")]);
        let b = column("B", &[Some("1"), None, Some("2")]);
        let c = column("C", &[Some("1"), Some("2"), None]);
        assert_eq!(a.cells_hash(&state), b.cells_hash(&state));
        assert!(a.same_cells(&b) && !a.same_cells(&c));
        let label = column("MSZoning", &[Some("1"), None, Some("2")]);
        assert!(!a.same_cells(&label));
    }
}

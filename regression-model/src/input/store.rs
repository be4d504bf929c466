//! Training rows stored by column, for fitting on large files: only the
//! columns a config reads, each compact ([`cells`]), with the rows' parse
//! problems kept apart (few rows have any). A generation-3 row costs about
//! 120 bytes here instead of ~3 KB as a [`ParsedRow`], and a frame built
//! from it borrows each label from its column's dictionary.

use std::io::Read;

use super::csv_file::{CsvLayout, Misshapen, csv_error, whole_file_reader};
use super::{FieldProblem, InputRows, ParsedRow, UnknownFields};
use crate::error::Result;
use crate::frame::ColumnData;
use crate::schema::{CellRef, Column, ColumnKind, HouseRecord};

mod cells;

use cells::{Cells, LabelCells, NumberCells};

/// Labelled rows of the `features` columns, by column.
#[derive(Debug, Clone)]
pub(crate) struct TrainingColumns {
    features: Vec<Column>,
    /// Per schema column, its place in `features`.
    slots: [Option<usize>; Column::ALL.len()],
    columns: Vec<Cells>,
    rows: usize,
    /// The rows with parse problems, ascending, and their problems.
    problems: Vec<(usize, Vec<FieldProblem>)>,
    /// Per row when the data has a target column (`NaN`: missing or not a
    /// positive number).
    targets: Option<Vec<f64>>,
    /// Names outside the schema, noted once.
    pub(crate) unknown: UnknownFields,
}

impl TrainingColumns {
    fn empty(features: &[Column], has_target: bool) -> TrainingColumns {
        let mut slots = [None; Column::ALL.len()];
        for (slot, &column) in features.iter().enumerate() {
            slots[column as usize] = Some(slot);
        }
        TrainingColumns {
            features: features.to_vec(),
            slots,
            columns: features
                .iter()
                .map(|c| match c.kind() {
                    ColumnKind::Numeric => Cells::Numbers(NumberCells::default()),
                    ColumnKind::Categorical => Cells::Labels(LabelCells::default()),
                })
                .collect(),
            rows: 0,
            problems: Vec::new(),
            targets: has_target.then(Vec::new),
            unknown: UnknownFields::default(),
        }
    }

    /// Reads a labelled CSV file, as [`super::read_csv_columns`] with
    /// `features` would, row for row and problem for problem, into columns.
    ///
    /// # Errors
    /// [`crate::Error::Csv`] as [`super::read_csv`]: a record longer than
    /// 1 MiB, or more than [`super::MAX_MISSHAPEN_ROWS`] rows of the wrong
    /// width, fail the read (training data has the limits `predict` has).
    pub(crate) fn read_csv(reader: impl Read, features: &[Column]) -> Result<TrainingColumns> {
        let mut csv = whole_file_reader(reader);
        let (layout, unknown) = CsvLayout::from_header(&mut csv, Some(features))?;
        let mut data = TrainingColumns::empty(features, layout.has_target());
        data.unknown = unknown;
        let mut record = csv::StringRecord::new();
        let mut misshapen = Misshapen::default();
        while csv.read_record(&mut record).map_err(|e| csv_error(&e))? {
            misshapen.check(&record, layout.width)?;
            let (row, target) = layout.parse_row(|at| record.get(at), record.len());
            data.push(&row.record, row.problems, target);
        }
        data.columns.iter_mut().for_each(Cells::shrink_to_fit);
        Ok(data)
    }

    /// The `features` columns of parsed rows.
    pub(crate) fn from_rows(rows: &InputRows, features: &[Column]) -> TrainingColumns {
        let mut data = TrainingColumns::empty(features, rows.target.is_some());
        data.unknown = rows.unknown.clone();
        for (at, row) in rows.rows.iter().enumerate() {
            let target = rows.target.as_ref().and_then(|t| t[at]);
            data.push(&row.record, row.problems.clone(), target);
        }
        data
    }

    /// The `features` columns of records (no problems, no target).
    pub(crate) fn from_records(records: &[&HouseRecord], features: &[Column]) -> TrainingColumns {
        let mut data = TrainingColumns::empty(features, false);
        for record in records {
            data.push(record, Vec::new(), None);
        }
        data
    }

    fn push(&mut self, record: &HouseRecord, problems: Vec<FieldProblem>, target: Option<f64>) {
        for (cells, &column) in self.columns.iter_mut().zip(&self.features) {
            cells.push(record.get(column));
        }
        if !problems.is_empty() {
            self.problems.push((self.rows, problems));
        }
        if let Some(targets) = self.targets.as_mut() {
            targets.push(target.unwrap_or(f64::NAN));
        }
        self.rows += 1;
    }

    /// The rows `rows` (ascending or not), renumbered from 0 in that order.
    pub(crate) fn select(&self, rows: &[usize]) -> TrainingColumns {
        let mut data = TrainingColumns::empty(&self.features, self.targets.is_some());
        for &row in rows {
            let problems = self.problems(row).to_vec();
            data.push(&self.record(row), problems, self.target(row));
        }
        data.columns.iter_mut().for_each(Cells::shrink_to_fit);
        data
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    pub(crate) fn has_target(&self) -> bool {
        self.targets.is_some()
    }

    /// The target of `row`, when the data has one and it is a positive number.
    pub(crate) fn target(&self, row: usize) -> Option<f64> {
        let target = self.targets.as_ref()?[row];
        (!target.is_nan()).then_some(target)
    }

    /// The problems found while parsing `row`.
    pub(crate) fn problems(&self, row: usize) -> &[FieldProblem] {
        match self.problems.binary_search_by_key(&row, |(r, _)| *r) {
            Ok(at) => &self.problems[at].1,
            Err(_) => &[],
        }
    }

    /// The cell of `column` in `row`; a column not stored is missing.
    pub(crate) fn cell(&self, column: Column, row: usize) -> CellRef<'_> {
        match self.slots[column as usize] {
            Some(slot) => self.columns[slot].get(row),
            None => match column.kind() {
                ColumnKind::Numeric => CellRef::Number(None),
                ColumnKind::Categorical => CellRef::Label(None),
            },
        }
    }

    /// The cells of `column` in `rows`, in that order.
    pub(crate) fn cells<'s>(
        &'s self,
        column: Column,
        rows: impl Iterator<Item = usize> + 's,
    ) -> impl Iterator<Item = CellRef<'s>> + 's {
        rows.map(move |row| self.cell(column, row))
    }

    /// `column` as a frame column (`NaN` or `None` for missing values),
    /// its labels borrowed from the column's dictionary.
    pub(crate) fn gather(&self, column: Column) -> ColumnData<'_> {
        let cells = self.cells(column, 0..self.rows);
        match column.kind() {
            ColumnKind::Numeric => ColumnData::Numeric(
                cells
                    .map(|c| match c {
                        CellRef::Number(v) => v.unwrap_or(f64::NAN),
                        CellRef::Label(_) => f64::NAN,
                    })
                    .collect(),
            ),
            ColumnKind::Categorical => ColumnData::Categorical(
                cells
                    .map(|c| match c {
                        CellRef::Label(l) => l.map(std::borrow::Cow::Borrowed),
                        CellRef::Number(_) => None,
                    })
                    .collect(),
            ),
        }
    }

    /// `row` as a record of the stored columns (the others missing).
    pub(crate) fn record(&self, row: usize) -> HouseRecord {
        let mut record = HouseRecord::default();
        for &column in &self.features {
            match self.cell(column, row) {
                CellRef::Number(value) => {
                    if let Some(cell) = record.number_mut(column) {
                        *cell = value;
                    }
                }
                CellRef::Label(label) => {
                    if let Some(cell) = record.label_mut(column) {
                        *cell = label.map(str::to_owned);
                    }
                }
            }
        }
        record
    }

    /// `row` as a parsed row: its record and its problems.
    pub(crate) fn parsed_row(&self, row: usize) -> ParsedRow {
        ParsedRow {
            record: self.record(row),
            problems: self.problems(row).to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_into_columns_come_back_as_the_row_reader_parses_them() {
        let csv = "Id,LotArea,Street,SalePrice,Alley,Nonsense\n\
                   1,8450,Pave,208500,NA,x\n\
                   2,abc,Grvl,-3,Grvl,y\n\
                   3,9600.5,,181500\n\
                   4,-1,Pave,140000,Pave,z\n";
        let features = [Column::LotArea, Column::Street, Column::Alley];
        let rows = super::super::read_csv_columns(csv.as_bytes(), Some(&features)).unwrap();
        let data = TrainingColumns::read_csv(csv.as_bytes(), &features).unwrap();
        assert_eq!(data.rows(), 4);
        assert_eq!(data.unknown, rows.unknown);
        for (at, row) in rows.rows.iter().enumerate() {
            let mut expected = row.clone();
            expected.record.id = None; // the columns keep no Id
            assert_eq!(data.parsed_row(at), expected, "row {at}");
            assert_eq!(data.target(at), rows.target.as_ref().unwrap()[at]);
        }
        assert!(!data.problems(1).is_empty() && !data.problems(2).is_empty());
        let picked = data.select(&[3, 1]);
        assert_eq!(picked.parsed_row(1), data.parsed_row(1));
        assert_eq!(picked.target(0), Some(140000.0));
        assert_eq!(
            TrainingColumns::from_rows(&rows, &features).parsed_row(2),
            data.parsed_row(2)
        );
    }
}

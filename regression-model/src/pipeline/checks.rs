//! What prediction checks before any work: the input columns a pipeline
//! reads and the ones its steps impute, and the errors for rows that miss
//! a value nothing imputes.

use super::Rejections;
use crate::config::CheckedConfig;
use crate::error::{Error, FieldError, Result};
use crate::frame::Frame;
use crate::input::FieldProblem;
use crate::schema::{CellRef, Column, HouseRecord};

/// What `check` derives from the config once, to keep prediction lean.
#[derive(Debug, Clone)]
pub(super) struct Checked {
    pub(super) features: Vec<Column>,
    /// The features no step imputes (a row missing one is rejected), with
    /// their positions in `features` and so in a frame built from them.
    required: Vec<(usize, Column)>,
}

impl Checked {
    pub(super) fn from_config(config: &CheckedConfig) -> Checked {
        let imputed: Vec<Column> = config
            .config()
            .steps
            .iter()
            .flat_map(|s| s.imputes())
            .filter_map(|name| Column::from_name(name))
            .collect();
        let features = config.features().to_vec();
        let required = features
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, c)| !imputed.contains(c))
            .collect();
        Checked { features, required }
    }

    /// Feature columns that are missing in `record` and that no step imputes.
    pub(super) fn missing_columns<'r>(
        &'r self,
        record: &'r HouseRecord,
    ) -> impl Iterator<Item = Column> + 'r {
        self.required
            .iter()
            .map(|(_, c)| *c)
            .filter(|c| matches!(record.get(*c), CellRef::Number(None) | CellRef::Label(None)))
    }
}

/// A row to predict: its number in the request, the record, and the
/// problems found while parsing it.
pub(super) type InputRow<'r> = (usize, &'r HouseRecord, &'r [FieldProblem]);

impl Checked {
    /// Excludes from `frame` (built from `rows`) the rows the model cannot
    /// price, before any step runs, with their reasons in `errors`: problems
    /// found while parsing the columns the model reads, then missing values
    /// nothing imputes. Returns which rows were excluded.
    pub(super) fn exclude_unusable(
        &self,
        rows: &[InputRow<'_>],
        frame: &mut Frame<'_>,
        rejections: &mut Rejections,
    ) -> Vec<bool> {
        // Rows missing a value nothing imputes, by their local position.
        let mut missing: Vec<Vec<Column>> = vec![Vec::new(); rows.len()];
        for &(position, column) in &self.required {
            for local in frame.missing_rows(position) {
                missing[local].push(column);
            }
        }
        let mut excluded = vec![false; rows.len()];
        for (local, (row, _, problems)) in rows.iter().enumerate() {
            let read = |p: &&FieldProblem| p.column.is_none_or(|c| self.features.contains(&c));
            for problem in problems.iter().filter(read) {
                excluded[local] = true;
                rejections.add(*row, || FieldError {
                    row: *row,
                    field: problem.field.to_owned(),
                    message: problem.problem.to_string(),
                });
            }
            // A field that failed to parse is already reported; don't also call it missing.
            for &column in &missing[local] {
                if !problems.iter().any(|p| p.column == Some(column)) {
                    excluded[local] = true;
                    rejections.add(*row, || missing_error(*row, column));
                }
            }
        }
        for (local, _) in excluded.iter().enumerate().filter(|(_, e)| **e) {
            frame.exclude(local);
        }
        excluded
    }
}

pub(super) fn missing_error(row: usize, column: Column) -> FieldError {
    FieldError {
        row,
        field: column.name().to_owned(),
        message: "is missing, and this model has no imputer for it".into(),
    }
}

pub(super) fn fail_on(errors: &[FieldError]) -> Result<()> {
    match errors {
        [] => Ok(()),
        [first, rest @ ..] => Err(Error::TrainingData(format!(
            "{first}{}",
            if rest.is_empty() {
                String::new()
            } else {
                format!(" (and {} more problems)", rest.len())
            }
        ))),
    }
}

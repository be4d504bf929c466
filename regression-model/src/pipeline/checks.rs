//! What prediction checks before any work: the input columns a pipeline
//! reads and the ones its steps impute, and what becomes of rows that miss
//! a value nothing imputes (rejected, or given the fallback of the
//! pipeline's [`InputGuard`] with `on_missing = "impute"`).

use super::{InputGuard, Rejections};
use crate::config::CheckedConfig;
use crate::error::{Error, FieldError, Result};
use crate::frame::Frame;
use crate::input::{FieldProblem, TrainingColumns};
use crate::schema::{CellRef, Column, HouseRecord};

/// What `check` derives from the config once, to keep prediction lean.
#[derive(Debug, Clone)]
pub(super) struct Checked {
    pub(super) features: Vec<Column>,
    /// The features no step imputes (a row missing one is rejected, or
    /// given a fallback), with
    /// their positions in `features` and so in a frame built from them.
    required: Vec<(usize, Column)>,
    /// The config's `max_imputed`.
    max_imputed: usize,
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
        Checked {
            features,
            required,
            max_imputed: config.config().max_imputed,
        }
    }

    /// The features no step imputes, in config order.
    pub(super) fn required(&self) -> Vec<Column> {
        self.required.iter().map(|(_, c)| *c).collect()
    }

    /// Feature columns that are missing in `row` of `data` and that no
    /// step imputes.
    pub(super) fn missing_columns<'r>(
        &'r self,
        data: &'r TrainingColumns,
        row: usize,
    ) -> impl Iterator<Item = Column> + 'r {
        self.required.iter().map(|(_, c)| *c).filter(move |c| {
            matches!(
                data.cell(*c, row),
                CellRef::Number(None) | CellRef::Label(None)
            )
        })
    }
}

/// A row to predict: its number in the request, the record, and the
/// problems found while parsing it.
pub(super) type InputRow<'r> = (usize, &'r HouseRecord, &'r [FieldProblem]);

impl Checked {
    /// Excludes from `frame` (built from `rows`) the rows the model cannot
    /// price, before any step runs, with their reasons in `errors`: problems
    /// found while parsing the columns the model reads, then missing values
    /// nothing imputes. With a `guard` that imputes, a missing value is
    /// filled with its fallback instead, unless the row misses more than
    /// `max_imputed` of them (then the row is rejected with one error).
    /// Returns which rows were excluded, and the columns each row had
    /// filled.
    pub(super) fn exclude_unusable<'a>(
        &self,
        rows: &[InputRow<'_>],
        frame: &mut Frame<'a>,
        rejections: &mut Rejections,
        guard: &'a InputGuard,
    ) -> (Vec<bool>, Vec<Vec<Column>>) {
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
            missing[local].retain(|&column| !problems.iter().any(|p| p.column == Some(column)));
            if !guard.imputes() {
                for &column in &missing[local] {
                    excluded[local] = true;
                    rejections.add(*row, || missing_error(*row, column));
                }
                missing[local].clear();
            } else if missing[local].len() > self.max_imputed {
                excluded[local] = true;
                let columns = &missing[local];
                rejections.add(*row, || too_many_missing(*row, columns, self.max_imputed));
                missing[local].clear();
            } else if excluded[local] {
                missing[local].clear();
            }
        }
        for (local, _) in excluded.iter().enumerate().filter(|(_, e)| **e) {
            frame.exclude(local);
        }
        guard.fill(frame, &missing);
        (excluded, missing)
    }
}

pub(super) fn missing_error(row: usize, column: Column) -> FieldError {
    FieldError {
        row,
        field: column.name().to_owned(),
        message: "is missing, and this model has no imputer for it".into(),
    }
}

/// How many of a row's missing inputs the error for too many names: enough
/// to act on, few enough that the message stays short.
const NAMED_MISSING: usize = 5;

/// The one error of a row that misses more inputs than the model fills. It
/// names the first missing input as its field and a few more in the message
/// (schema names only, never a value the client sent).
fn too_many_missing(row: usize, columns: &[Column], max: usize) -> FieldError {
    let (field, rest) = match columns.split_first() {
        Some((first, rest)) => (first.name(), rest),
        None => ("record", columns),
    };
    let mut others: Vec<&str> = rest.iter().take(NAMED_MISSING).map(|c| c.name()).collect();
    if rest.len() > NAMED_MISSING {
        others.push("...");
    }
    FieldError {
        row,
        field: field.to_owned(),
        message: format!(
            "is missing, as are {} more inputs this model reads and has no imputer for ({}); it fills in at most {max} per row",
            rest.len(),
            others.join(", ")
        ),
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

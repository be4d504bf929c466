//! A small column-oriented table that the transformers work on, with a
//! per-row rejection list so that one bad row never fails a batch.
//!
//! Numeric columns use `NaN` for "missing": inputs can never be `NaN` (the
//! parser refuses non-finite numbers), so inside a frame `NaN` only ever means
//! a value that an imputer has yet to fill.

use std::borrow::Cow;

use smallvec::SmallVec;

use crate::error::{Error, FieldError, Result};
use crate::input::TrainingColumns;
use crate::schema::{Column, HouseRecord};

mod matrix;
mod rows;

use rows::RowState;
pub(crate) use rows::retain_flagged;

/// A label: borrowed from the input records where possible, owned only
/// where a step writes a new one (an imputed fill, `Rare`).
pub type Label<'a> = Cow<'a, str>;

/// A numeric column's values (`NaN`: missing).
///
/// Columns keep one value inline: a one-row frame, which is what the service
/// predicts most, then allocates nothing per column. A one-hot pipeline has
/// hundreds of columns, and their allocations and frees were a third of a
/// one-row prediction.
pub type Numbers = SmallVec<[f64; 1]>;

/// A categorical column's labels (`None`: missing), one inline as for [`Numbers`].
pub type Labels<'a> = SmallVec<[Option<Label<'a>>; 1]>;

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData<'a> {
    Numeric(Numbers),
    Categorical(Labels<'a>),
}

impl ColumnData<'_> {
    pub fn kind_name(&self) -> &'static str {
        match self {
            ColumnData::Numeric(_) => "numeric",
            ColumnData::Categorical(_) => "categorical",
        }
    }
}

/// Named columns of equal length, plus the rows rejected so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame<'a> {
    /// Borrowed where the name outlives the frame (the schema's column
    /// names, a fitted pipeline's one-hot columns): a one-row prediction
    /// should not pay an allocation per column for its names.
    names: Vec<Label<'a>>,
    /// Where the last lookup found its column: steps mostly walk columns in
    /// frame order, so the next lookup usually succeeds at `hint + 1`
    /// (a one-hot pipeline has hundreds of columns to look up by name).
    hint: std::cell::Cell<usize>,
    columns: Vec<ColumnData<'a>>,
    rows: usize,
    rejected: Vec<RowState>,
    errors: Vec<FieldError>,
}

impl<'a> Frame<'a> {
    /// Builds a frame with the given input columns of `records`.
    pub fn from_records(records: &[&'a HouseRecord], features: &[Column]) -> Frame<'a> {
        Frame::gathered(features, records.len(), |column| {
            HouseRecord::gather(records, column)
        })
    }

    /// Builds a frame with the given input columns of stored training rows.
    pub(crate) fn from_training(data: &'a TrainingColumns, features: &[Column]) -> Frame<'a> {
        Frame::gathered(features, data.rows(), |column| data.gather(column))
    }

    fn gathered(
        features: &[Column],
        rows: usize,
        gather: impl FnMut(Column) -> ColumnData<'a>,
    ) -> Frame<'a> {
        Frame {
            hint: Default::default(),
            names: features.iter().map(|c| Cow::Borrowed(c.name())).collect(),
            columns: features.iter().copied().map(gather).collect(),
            rows,
            rejected: vec![RowState::Accepted; rows],
            errors: Vec::new(),
        }
    }

    /// Builds a frame from named columns (the transforms' unit tests).
    #[cfg(test)]
    pub fn from_columns(columns: Vec<(&str, ColumnData<'a>)>) -> Frame<'a> {
        let rows = columns.first().map_or(0, |(_, c)| match c {
            ColumnData::Numeric(v) => v.len(),
            ColumnData::Categorical(v) => v.len(),
        });
        Frame {
            hint: Default::default(),
            names: columns
                .iter()
                .map(|(n, _)| Cow::Owned((*n).to_owned()))
                .collect(),
            columns: columns.into_iter().map(|(_, c)| c).collect(),
            rows,
            rejected: vec![RowState::Accepted; rows],
            errors: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn names(&self) -> &[Label<'a>] {
        &self.names
    }

    fn position(&self, step: &str, name: &str) -> Result<usize> {
        let hint = self.hint.get();
        let found = [hint, hint + 1]
            .into_iter()
            .find(|&at| self.names.get(at).is_some_and(|n| n.as_ref() == name))
            .or_else(|| self.names.iter().position(|n| n.as_ref() == name));
        match found {
            Some(at) => {
                self.hint.set(at);
                Ok(at)
            }
            None => Err(Error::MissingColumn {
                step: step.to_owned(),
                column: name.to_owned(),
                present: self.names.join(", "),
            }),
        }
    }

    pub fn column(&self, step: &str, name: &str) -> Result<&ColumnData<'a>> {
        Ok(&self.columns[self.position(step, name)?])
    }

    pub fn numeric(&self, step: &str, name: &str) -> Result<&[f64]> {
        match self.column(step, name)? {
            ColumnData::Numeric(v) => Ok(v),
            other => Err(kind_error(step, name, "numeric", other)),
        }
    }

    pub fn numeric_mut(&mut self, step: &str, name: &str) -> Result<&mut Numbers> {
        let at = self.position(step, name)?;
        match &mut self.columns[at] {
            ColumnData::Numeric(v) => Ok(v),
            other => Err(kind_error(step, name, "numeric", other)),
        }
    }

    pub fn labels(&self, step: &str, name: &str) -> Result<&[Option<Label<'a>>]> {
        match self.column(step, name)? {
            ColumnData::Categorical(v) => Ok(v),
            other => Err(kind_error(step, name, "categorical", other)),
        }
    }

    pub fn labels_mut(&mut self, step: &str, name: &str) -> Result<&mut Labels<'a>> {
        let at = self.position(step, name)?;
        match &mut self.columns[at] {
            ColumnData::Categorical(v) => Ok(v),
            other => Err(kind_error(step, name, "categorical", other)),
        }
    }

    /// Moves a categorical column's labels out, leaving the column empty
    /// for the step to remove: a step that turns labels into new columns
    /// (one-hot) then frees each input as it goes instead of holding them
    /// all beside their encodings (a training frame's largest moment).
    pub fn take_labels(&mut self, step: &str, name: &str) -> Result<Labels<'a>> {
        Ok(std::mem::take(self.labels_mut(step, name)?))
    }

    /// Replaces a column's data (e.g. labels encoded as numbers), keeping its place.
    pub fn replace(&mut self, step: &str, name: &str, data: ColumnData<'a>) -> Result<()> {
        let at = self.position(step, name)?;
        self.columns[at] = data;
        Ok(())
    }

    /// Appends a new column at the end, as feature-engine does.
    pub fn push(&mut self, name: impl Into<Label<'a>>, data: ColumnData<'a>) {
        self.names.push(name.into());
        self.columns.push(data);
    }

    pub fn remove(&mut self, step: &str, name: &str) -> Result<()> {
        let at = self.position(step, name)?;
        self.names.remove(at);
        self.columns.remove(at);
        Ok(())
    }

    /// Removes several columns in one pass (removing them one at a time
    /// shifts the columns after each, which adds up for a wide frame).
    pub fn remove_all<'n>(
        &mut self,
        step: &str,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Result<()> {
        let mut keep = vec![true; self.columns.len()];
        for name in names {
            keep[self.position(step, name)?] = false;
        }
        retain_flagged(&mut self.names, &keep);
        retain_flagged(&mut self.columns, &keep);
        self.hint.set(0);
        Ok(())
    }
}

fn kind_error(step: &str, name: &str, expected: &'static str, found: &ColumnData<'_>) -> Error {
    Error::ColumnKind {
        step: step.to_owned(),
        column: name.to_owned(),
        expected,
        found: found.kind_name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(names: &[&'static str]) -> Frame<'static> {
        Frame::from_columns(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (*n, ColumnData::Numeric(smallvec::smallvec![i as f64])))
                .collect(),
        )
    }

    #[test]
    fn remove_all_keeps_the_other_columns_in_order() {
        let mut frame = numbers(&["a", "b", "c", "d", "e"]);
        frame.remove_all("t", ["d", "b"]).unwrap();
        assert_eq!(frame.names(), &["a", "c", "e"]);
        assert_eq!(frame.numeric("t", "e").unwrap(), &[4.0]);
        assert!(matches!(
            frame.remove_all("t", ["a", "zz"]),
            Err(Error::MissingColumn { .. })
        ));
    }

    #[test]
    fn an_excluded_row_gets_no_step_errors_and_is_not_accepted() {
        let mut frame = numbers(&["a"]);
        frame.exclude(0);
        frame.reject(0, "a", "step problem".into());
        assert!(frame.errors().is_empty());
        assert!(frame.is_rejected(0));
        assert_eq!(frame.accepted_rows().count(), 0);
    }

    #[test]
    fn a_linear_combination_has_the_bits_of_the_estimator_on_the_matrix() {
        use crate::estimator::{FittedEstimator, LinearModel};
        let column = |seed: f64| -> Vec<f64> {
            (0..50)
                .map(|i| ((i as f64 + seed) * 0.7391).sin() * 1e3 / (seed + 1.0))
                .collect()
        };
        let mut frame = Frame::from_columns(vec![
            ("a", ColumnData::Numeric(column(1.0).into())),
            ("b", ColumnData::Numeric(column(2.0).into())),
            ("c", ColumnData::Numeric(column(3.0).into())),
        ]);
        frame.reject(7, "a", "rejected".into());
        let model = LinearModel {
            coefficients: vec![0.123456789, -3.3e-3, 17.0 / 3.0],
            intercept: 11.75,
            iterations: 0,
        };
        let fast = frame
            .linear_combination("t", &model.coefficients, model.intercept)
            .unwrap();
        let from_matrix = FittedEstimator::<()>::Linear(model)
            .predict(&frame.to_matrix("t").unwrap())
            .unwrap();
        assert_eq!(fast.len(), 49);
        assert!(
            fast.iter()
                .zip(&from_matrix)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        assert!(frame.linear_combination("t", &[1.0], 0.0).is_err());
    }
}

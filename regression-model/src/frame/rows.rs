//! The rows of a [`Frame`]: which are still in play, why the others were
//! rejected, and keeping a subset of them (training-row filters).

use smallvec::SmallVec;

use super::{ColumnData, Frame};
use crate::error::{Error, FieldError, Result};

/// Whether a row of a frame is still in play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowState {
    Accepted,
    /// Rejected by a step, with the reasons in the frame's errors.
    Rejected,
    /// Left out before the steps ran (see [`Frame::exclude`]).
    Excluded,
}

impl Frame<'_> {
    /// Keeps only the rows where `keep` is true (training-row filters);
    /// rejections are renumbered with their rows.
    ///
    /// # Errors
    /// [`Error::TrainingData`] when `keep` does not have one flag per row.
    pub fn retain_rows(&mut self, keep: &[bool]) -> Result<()> {
        if keep.len() != self.rows {
            return Err(Error::TrainingData(format!(
                "a row filter gave {} flags for {} rows",
                keep.len(),
                self.rows
            )));
        }
        for column in &mut self.columns {
            match column {
                ColumnData::Numeric(v) => retain_flagged(v, keep),
                ColumnData::Categorical(v) => retain_flagged(v, keep),
            }
        }
        let new_index: Vec<Option<usize>> = keep
            .iter()
            .scan(0, |next, &k| {
                let index = k.then_some(*next);
                *next += usize::from(k);
                Some(index)
            })
            .collect();
        self.errors.retain_mut(|e| match new_index[e.row] {
            Some(row) => {
                e.row = row;
                true
            }
            None => false,
        });
        retain_flagged(&mut self.rejected, keep);
        self.rows = self.rejected.len();
        Ok(())
    }

    /// Marks a row as rejected, with the reason. A row excluded before the
    /// steps ran keeps the reasons it was excluded for, and gets no more.
    pub fn reject(&mut self, row: usize, field: &str, message: String) {
        if self.rejected[row] == RowState::Excluded {
            return;
        }
        self.rejected[row] = RowState::Rejected;
        self.errors.push(FieldError {
            row,
            field: field.to_owned(),
            message,
        });
    }

    /// Leaves a row out of the results without a reason from the frame:
    /// its input was found unusable (and reported) before any step ran.
    /// Steps still see its values, so that columns stay whole.
    pub fn exclude(&mut self, row: usize) {
        self.rejected[row] = RowState::Excluded;
    }

    /// The rows of the column at `position` (in frame order) with a
    /// missing value: `NaN` or no label.
    pub fn missing_rows(&self, position: usize) -> Vec<usize> {
        match &self.columns[position] {
            ColumnData::Numeric(v) => (0..v.len()).filter(|&r| v[r].is_nan()).collect(),
            ColumnData::Categorical(v) => (0..v.len()).filter(|&r| v[r].is_none()).collect(),
        }
    }

    #[cfg(test)]
    pub fn is_rejected(&self, row: usize) -> bool {
        self.rejected[row] != RowState::Accepted
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    pub fn take_errors(&mut self) -> Vec<FieldError> {
        std::mem::take(&mut self.errors)
    }

    /// Indices of the rows not rejected.
    pub fn accepted_rows(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.rows).filter(|&r| self.rejected[r] == RowState::Accepted)
    }
}

pub(crate) fn retain_flagged<T>(values: &mut impl Retain<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    values.retain(|_| flags.next().copied().unwrap_or(false));
}

/// `retain` on the vectors a frame holds (std's and the columns' small ones).
pub(crate) trait Retain<T> {
    fn retain(&mut self, keep: impl FnMut(&mut T) -> bool);
}

impl<T> Retain<T> for Vec<T> {
    fn retain(&mut self, mut keep: impl FnMut(&mut T) -> bool) {
        self.retain_mut(|v| keep(v));
    }
}

impl<A: smallvec::Array> Retain<A::Item> for SmallVec<A> {
    fn retain(&mut self, keep: impl FnMut(&mut A::Item) -> bool) {
        SmallVec::retain(self, keep);
    }
}

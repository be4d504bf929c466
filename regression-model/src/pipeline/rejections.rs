//! Collecting the errors of one prediction batch under a limit: rows
//! rejected are always counted (each with its number of problems), but only
//! [`ErrorLimit`]'s share of the problems is ever built as a
//! [`FieldError`], so a batch with a problem in every cell costs a counter
//! per row, not a message per cell.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// How many of a batch's field errors a prediction keeps; the rest are
/// counted ([`super::Outcome::error_count`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorLimit {
    /// At most this many in all, the first found.
    Total(usize),
    /// The first error of each rejected row (a command-line report: one
    /// line per row).
    FirstPerRow,
}

impl Default for ErrorLimit {
    /// Every error: what a caller that passes no limit gets.
    fn default() -> Self {
        ErrorLimit::Total(usize::MAX)
    }
}

/// A rejected row and how many problems it had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// The row's index in the input.
    pub row: usize,
    /// How many errors it had, kept or not.
    pub errors: usize,
}

/// The collector: errors kept under the limit, every rejected row counted.
#[derive(Debug)]
pub(crate) struct Rejections {
    limit: ErrorLimit,
    kept: Vec<FieldError>,
    rows: Vec<RejectedRow>,
    total: usize,
}

impl Rejections {
    pub(crate) fn new(limit: ErrorLimit) -> Rejections {
        Rejections {
            limit,
            kept: Vec::new(),
            rows: Vec::new(),
            total: 0,
        }
    }

    /// Records one problem of `row`; `error` is only called if the problem
    /// is kept. A row's problems must be recorded together.
    pub(crate) fn add(&mut self, row: usize, error: impl FnOnce() -> FieldError) {
        self.total += 1;
        let first_of_row = match self.rows.last_mut() {
            Some(last) if last.row == row => {
                last.errors += 1;
                false
            }
            _ => {
                self.rows.push(RejectedRow { row, errors: 1 });
                true
            }
        };
        let keep = match self.limit {
            ErrorLimit::Total(max) => self.kept.len() < max,
            ErrorLimit::FirstPerRow => first_of_row,
        };
        if keep {
            self.kept.push(error());
        }
    }

    /// Takes a rejected row as another collection counted it (a blend
    /// member's), keeping its kept errors under this limit. Each row is
    /// merged once, and not also [`Rejections::add`]ed.
    pub(crate) fn merge_row(&mut self, rejected: RejectedRow, errors: &[FieldError]) {
        let kept = match self.limit {
            ErrorLimit::Total(max) => max.saturating_sub(self.kept.len()),
            ErrorLimit::FirstPerRow => 1,
        };
        self.kept.extend(errors.iter().take(kept).cloned());
        self.rows.push(rejected);
        self.total += rejected.errors;
    }

    /// The kept errors and the rejected rows in row order, and the count of
    /// every problem found.
    pub(crate) fn finish(mut self) -> (Vec<FieldError>, Vec<RejectedRow>, usize) {
        // Stable: a row's errors stay in the order they were found.
        self.kept.sort_by_key(|e| e.row);
        self.rows.sort_by_key(|r| r.row);
        (self.kept, self.rows, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(row: usize) -> FieldError {
        FieldError {
            row,
            field: "LotArea".into(),
            message: "must not be negative".into(),
        }
    }

    #[test]
    fn past_the_limit_errors_are_counted_and_never_built() {
        let mut rejections = Rejections::new(ErrorLimit::Total(3));
        let mut built = 0;
        for row in 0..1000 {
            for _ in 0..5 {
                rejections.add(row, || {
                    built += 1;
                    error(row)
                });
            }
        }
        let (kept, rows, total) = rejections.finish();
        assert_eq!((kept.len(), built, total), (3, 3, 5000));
        assert_eq!(rows.len(), 1000);
        assert!(rows.iter().all(|r| r.errors == 5));
    }

    #[test]
    fn first_per_row_keeps_one_error_a_row_and_counts_the_rest() {
        let mut rejections = Rejections::new(ErrorLimit::FirstPerRow);
        for row in [4, 4, 4, 9] {
            rejections.add(row, || error(row));
        }
        let (kept, rows, total) = rejections.finish();
        assert_eq!(kept.iter().map(|e| e.row).collect::<Vec<_>>(), [4, 9]);
        assert_eq!(
            rows,
            [
                RejectedRow { row: 4, errors: 3 },
                RejectedRow { row: 9, errors: 1 }
            ]
        );
        assert_eq!(total, 4);
    }
}

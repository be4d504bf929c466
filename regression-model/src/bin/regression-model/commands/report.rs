//! The stderr lines about an input's rows: one per rejected row (its first
//! problem and how many more) for the first [`LISTED_REJECTIONS`], then one
//! line with the count of all; one note per price that rests on a fallback
//! or an extrapolation, one line for unknown columns. Written into a
//! buffer per chunk, so that a streamed file reports its rows as they are
//! scored, in input order, with their row numbers in the whole input.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;

use regression_model::{
    Column, FieldError, ParsedRow, Prediction, RejectedRow, RowErrors, UnknownFields,
};

/// Rejected rows listed on stderr, one line each, per command run: the
/// first rows say what is wrong with an input; the rest are counted in one
/// line ([`write_unlisted`]). Without a bound a file of short bad rows made
/// stderr 40 times its own size (2 MB of `x` lines, 83 MB of rejections).
pub(super) const LISTED_REJECTIONS: usize = 100;

/// The stderr lines about the rows of an input handled a chunk at a time
/// (`explain`, `capture`): the first [`LISTED_REJECTIONS`] rejected rows,
/// gathered as chunks are handled and written by [`Rejections::finish`]
/// after the unknown-columns line, then the count of all.
#[derive(Default)]
pub(super) struct Rejections {
    text: String,
    listed: usize,
    rejected: usize,
}

impl Rejections {
    /// Notes the rejected rows of a chunk whose rows are `rows`, the first
    /// of them `first_row` in the input.
    pub(super) fn add(&mut self, errors: &RowErrors, rows: &[ParsedRow], first_row: usize) {
        let room = LISTED_REJECTIONS - self.listed;
        write_rejections(
            &mut self.text,
            &errors.errors,
            &errors.rejected,
            rows,
            first_row,
            room,
        );
        self.listed += room.min(errors.rejected.len());
        self.rejected += errors.rejected.len();
    }

    /// How many rows were rejected in all.
    pub(super) fn count(&self) -> usize {
        self.rejected
    }

    /// Writes the unknown-columns line, the listed rows and the count.
    pub(super) fn finish(self, unknown: &UnknownNames) {
        let mut text = String::new();
        write_unknown(&mut text, &unknown.first, unknown.count);
        text.push_str(&self.text);
        write_unlisted(&mut text, self.rejected);
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Unknown columns of an input read in chunks, gathered over them: the
/// first names met, and at least how many distinct ones there were.
#[derive(Default)]
pub(super) struct UnknownNames {
    pub first: Vec<String>,
    seen: HashSet<String>,
    pub count: usize,
}

impl UnknownNames {
    /// Distinct names remembered; beyond it only chunks' own counts add up.
    const REMEMBERED: usize = 10_000;

    pub(super) fn add(&mut self, names: Vec<String>, count: usize) {
        for name in names {
            if self.seen.len() < Self::REMEMBERED
                && self.seen.insert(name.clone())
                && self.first.len() < UnknownFields::KEPT
            {
                self.first.push(name);
            }
        }
        self.count = self.count.max(count).max(self.seen.len());
    }
}

/// The line after the listed rejections when `rejected` rows (all of the
/// input's) were more than [`LISTED_REJECTIONS`].
pub(super) fn write_unlisted(out: &mut String, rejected: usize) {
    if rejected > LISTED_REJECTIONS {
        let _ = writeln!(
            out,
            "rejected {rejected} rows in all; only the first {LISTED_REJECTIONS} are listed"
        );
    }
}

/// The line naming the columns outside the schema, when there were any.
pub(super) fn write_unknown(out: &mut String, names: &[String], count: usize) {
    if count > 0 {
        let _ = writeln!(
            out,
            "ignored {count} unknown column(s): {}",
            names.join(", ")
        );
    }
}

/// One line per rejected row, for the first `most` of them: its first
/// problem (the response holds the first error of each row, see
/// `ErrorLimit::FirstPerRow`) and how many more. `rows` are the chunk's,
/// whose first row is `first_row` in the input.
pub(super) fn write_rejections(
    out: &mut String,
    errors: &[FieldError],
    rejected: &[RejectedRow],
    rows: &[ParsedRow],
    first_row: usize,
    most: usize,
) {
    for (e, rejected) in errors.iter().zip(rejected).take(most) {
        let id = rows
            .get(e.row)
            .and_then(|r| r.record.id)
            .map(|id| format!(" (Id {id})"))
            .unwrap_or_default();
        let more = match rejected.errors.saturating_sub(1) {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        let _ = writeln!(
            out,
            "rejected row {}{id}: {}: {}{more}",
            first_row + e.row,
            e.field,
            e.message
        );
    }
}

/// One note per priced row that used a fallback for a missing value or had
/// a value beyond the training data, so that a file of prices says which of
/// them rest on a guess. Returns how many rows got a note.
pub(super) fn write_flags(out: &mut String, predictions: &[Prediction], first_row: usize) -> usize {
    let mut noted = 0;
    for p in predictions {
        if p.imputed.is_empty() && p.extrapolated.is_empty() {
            continue;
        }
        noted += 1;
        let id = p.id.map(|id| format!(" (Id {id})")).unwrap_or_default();
        let list = |columns: &[Column]| {
            columns
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut parts = Vec::with_capacity(2);
        if !p.imputed.is_empty() {
            parts.push(format!("imputed (missing): {}", list(&p.imputed)));
        }
        if !p.extrapolated.is_empty() {
            parts.push(format!(
                "extrapolated (beyond the training data): {}",
                list(&p.extrapolated)
            ));
        }
        let _ = writeln!(
            out,
            "note: row {}{id}: {}",
            first_row + p.row,
            parts.join("; ")
        );
    }
    noted
}

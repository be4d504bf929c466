//! Input drift: what the training data looked like ([`TrainingSummary`],
//! stored in the artifact from format 3 on) and how far the rows a model
//! is served have moved from it ([`DriftMonitor`]).
//!
//! Each input the model reads is cut into bins fixed at training time: a
//! number by its training deciles (ties merged, plus a bin for missing
//! values), a label by the training labels (the [`MAX_LABELS`] most
//! frequent, one bin for any other label and one for missing). The
//! monitor counts served rows into the same bins over a sliding window and
//! compares the two distributions with the population stability index,
//! `PSI = Σ (a − e) · ln(a / e)` over the bins, `a` the window's share of
//! a bin and `e` training's (both floored at [`PSI_FLOOR`], so an empty
//! bin counts but never divides by zero). The usual reading: under 0.1 no
//! shift, 0.1–0.2 a moderate one, above 0.2 a significant one.
//!
//! Memory is bounded by bins × blocks, not by the window: the window is a
//! ring of `blocks` blocks of `window / blocks` rows, each holding only its
//! bin counts; when the newest block is full the oldest is dropped. So the
//! window holds between `window − window / blocks` and `window` rows once
//! full, and observing a row costs one bin look-up and one increment per
//! input.

use serde::{Deserialize, Serialize};

use crate::schema::Column;

mod bins;
#[cfg(feature = "train")]
mod fit;
mod monitor;

pub use monitor::{DriftMonitor, DriftReport, DriftSettings, FieldDrift};

/// The most labels a categorical input's summary lists; rarer ones are
/// counted together as `other`. Every Ames variable has fewer (the most,
/// `Neighborhood`, has 25).
pub const MAX_LABELS: usize = 64;

/// The share a bin's proportion is floored at in the PSI, on both sides.
pub const PSI_FLOOR: f64 = 1e-4;

/// What training saw of every input the model reads: the basis of drift
/// monitoring. Built from the training split's rows (those given to
/// fitting, before a training-row filter such as `drop_outliers`: the rows
/// a served batch should look like), in the model's input order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// The number of training rows summarised.
    pub rows: u64,
    /// One summary per numeric input.
    pub numeric: Vec<NumericSummary>,
    /// One summary per categorical input.
    pub categorical: Vec<LabelSummary>,
}

/// A numeric input's training distribution, as PSI bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericSummary {
    /// The input.
    pub column: Column,
    /// The bins' upper edges, increasing: the training deciles with ties
    /// merged. Bin `i` holds the values `≤ edges[i]` above `edges[i − 1]`;
    /// one more bin holds the values above the last edge.
    pub edges: Vec<f64>,
    /// Training rows per bin (`edges.len() + 1` bins).
    pub counts: Vec<u64>,
    /// Training rows with no value.
    pub missing: u64,
}

/// A categorical input's training label frequencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelSummary {
    /// The input.
    pub column: Column,
    /// The most frequent labels (at most [`MAX_LABELS`]) with their
    /// training counts, most frequent first, ties by label.
    pub labels: Vec<(String, u64)>,
    /// Training rows with a label beyond those listed. When 0, `labels`
    /// is every label training saw, and the monitor counts the others as
    /// never seen.
    pub other: u64,
    /// Training rows with no label.
    pub missing: u64,
}

impl TrainingSummary {
    /// Checks a loaded summary: every column summarised once and of its
    /// kind, edges finite and increasing, one count per bin, counts adding
    /// up to `rows`, at most [`MAX_LABELS`] labels.
    pub(crate) fn check(&self) -> Result<(), String> {
        let mut seen: Vec<Column> = Vec::new();
        let mut once = |column: Column, kind| {
            if column.kind() != kind || seen.contains(&column) {
                return Err(format!(
                    "`{column}` is summarised twice or as the wrong kind"
                ));
            }
            seen.push(column);
            Ok(())
        };
        for n in &self.numeric {
            once(n.column, crate::schema::ColumnKind::Numeric)?;
            let increasing = n.edges.windows(2).all(|w| w[0] < w[1]);
            if !increasing || n.edges.iter().any(|e| !e.is_finite()) {
                return Err(format!(
                    "`{}`: bin edges are not finite and increasing",
                    n.column
                ));
            }
            let total = n.counts.iter().sum::<u64>() + n.missing;
            if n.counts.len() != n.edges.len() + 1 || total != self.rows {
                return Err(format!(
                    "`{}`: bin counts do not fit the edges or the rows",
                    n.column
                ));
            }
        }
        for c in &self.categorical {
            once(c.column, crate::schema::ColumnKind::Categorical)?;
            let total = c.labels.iter().map(|(_, n)| n).sum::<u64>() + c.other + c.missing;
            if c.labels.len() > MAX_LABELS || total != self.rows {
                return Err(format!(
                    "`{}`: label counts do not add up to the rows",
                    c.column
                ));
            }
        }
        Ok(())
    }

    /// The summarised inputs' names, numeric ones first.
    pub fn columns(&self) -> impl Iterator<Item = Column> + '_ {
        let numeric = self.numeric.iter().map(|n| n.column);
        numeric.chain(self.categorical.iter().map(|c| c.column))
    }
}

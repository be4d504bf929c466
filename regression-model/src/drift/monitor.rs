//! The sliding-window monitor of served rows (see the module docs of
//! `drift` for the bins, the PSI and the window's ring of blocks).

use serde::Serialize;

use super::bins::Bins;
use super::{PSI_FLOOR, TrainingSummary};
use crate::error::{Error, Result};
use crate::schema::{Column, ColumnKind, HouseRecord};

/// How much a [`DriftMonitor`] remembers.
///
/// | setting | default | range | what |
/// | --- | ---: | --- | --- |
/// | `window` | 10,000 | `blocks` – 10,000,000 | served rows the PSI is computed over |
/// | `blocks` | 10 | 1 – 100 | parts the window slides by |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriftSettings {
    /// Served rows the PSI is computed over (once that many were seen).
    pub window: usize,
    /// The window slides by `window / blocks` rows at a time; memory is
    /// `blocks ×` bins of every input, whatever the window.
    pub blocks: usize,
}

impl Default for DriftSettings {
    fn default() -> Self {
        DriftSettings {
            window: 10_000,
            blocks: 10,
        }
    }
}

/// The largest accepted window: a count that still fits every bin's u32.
pub const MAX_WINDOW: usize = 10_000_000;
const MAX_BLOCKS: usize = 100;

impl DriftSettings {
    /// Refuses a window or a block count out of range, naming it.
    pub fn check(&self) -> Result<()> {
        if !(1..=MAX_BLOCKS).contains(&self.blocks) {
            return Err(Error::DriftSetting {
                setting: "blocks",
                value: self.blocks,
                expected: "1 to 100",
            });
        }
        if !(self.blocks..=MAX_WINDOW).contains(&self.window) {
            return Err(Error::DriftSetting {
                setting: "window",
                value: self.window,
                expected: "at least `blocks` and at most 10,000,000",
            });
        }
        Ok(())
    }
}

/// One input's training shares and window counts.
#[derive(Debug, Clone)]
struct Field {
    bins: Bins,
    /// Training share of each bin.
    expected: Vec<f64>,
    /// Unseen labels since the monitor started.
    unseen: u64,
}

/// Compares the rows a model is served with its training data, input by
/// input: the PSI over a sliding window, and labels never seen in
/// training.
///
/// ```
/// use regression_model::{DriftMonitor, DriftSettings, shipped_model};
///
/// let model = shipped_model()?;
/// let monitor = DriftMonitor::for_model(model, DriftSettings::default())?;
/// // Artifacts carry a training summary from format 3 on (0.2.0's does not).
/// assert_eq!(monitor.is_some(), model.metadata.training_summary.is_some());
/// # Ok::<(), regression_model::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DriftMonitor {
    fields: Vec<Field>,
    /// Where each field's bins start in a block's counts.
    offsets: Vec<usize>,
    /// `blocks × Σ bins` counts, block after block.
    counts: Vec<u32>,
    /// Σ over blocks of `counts`, per bin.
    totals: Vec<u32>,
    /// Rows counted in each block.
    block_rows: Vec<usize>,
    current: usize,
    rows_per_block: usize,
    observed: u64,
    training_rows: u64,
}

/// One input's drift.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDrift {
    /// The input.
    pub field: Column,
    /// Numbers or labels.
    pub kind: ColumnKind,
    /// The PSI of the window against training (`None` while the window is
    /// empty).
    pub psi: Option<f64>,
    /// Labels training never saw, since the monitor started (0 for a
    /// number, and for an input whose summary lists only its most frequent
    /// labels).
    pub unseen_labels: u64,
}

/// The monitor's state, input by input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftReport {
    /// The window's capacity in rows.
    pub window: usize,
    /// Rows in the window now.
    pub rows_in_window: usize,
    /// Rows observed since the monitor started.
    pub rows_observed: u64,
    /// Rows in the training summary.
    pub training_rows: u64,
    /// Every summarised input, numeric ones first, in model order.
    pub fields: Vec<FieldDrift>,
}

impl DriftMonitor {
    /// A monitor of the inputs of `summary`.
    ///
    /// # Errors
    /// [`Error::DriftSetting`] for settings out of range.
    pub fn new(summary: &TrainingSummary, settings: DriftSettings) -> Result<DriftMonitor> {
        settings.check()?;
        let rows = summary.rows.max(1) as f64;
        let share = |n: u64| n as f64 / rows;
        let mut fields = Vec::new();
        for n in &summary.numeric {
            let mut expected: Vec<f64> = n.counts.iter().map(|c| share(*c)).collect();
            expected.push(share(n.missing));
            fields.push((Bins::numeric(n), expected));
        }
        for c in &summary.categorical {
            let mut expected: Vec<f64> = c.labels.iter().map(|(_, n)| share(*n)).collect();
            expected.extend([share(c.other), share(c.missing)]);
            fields.push((Bins::labels(c), expected));
        }
        let mut offsets = Vec::with_capacity(fields.len());
        let mut width = 0;
        for (bins, _) in &fields {
            offsets.push(width);
            width += bins.len();
        }
        Ok(DriftMonitor {
            fields: fields
                .into_iter()
                .map(|(bins, expected)| Field {
                    bins,
                    expected,
                    unseen: 0,
                })
                .collect(),
            offsets,
            counts: vec![0; width * settings.blocks],
            totals: vec![0; width],
            block_rows: vec![0; settings.blocks],
            current: 0,
            rows_per_block: settings.window / settings.blocks,
            observed: 0,
            training_rows: summary.rows,
        })
    }

    /// A monitor for `model`, or `None` when its artifact has no training
    /// summary (formats 1 and 2).
    ///
    /// # Errors
    /// [`Error::DriftSetting`] for settings out of range.
    pub fn for_model(
        model: &crate::TrainedModel,
        settings: DriftSettings,
    ) -> Result<Option<DriftMonitor>> {
        settings.check()?;
        model
            .metadata
            .training_summary
            .as_ref()
            .map(|s| DriftMonitor::new(s, settings))
            .transpose()
    }

    /// Counts one served row into the window.
    pub fn observe(&mut self, record: &HouseRecord) {
        if self.block_rows[self.current] == self.rows_per_block {
            self.advance();
        }
        let width = self.totals.len();
        let block = &mut self.counts[self.current * width..(self.current + 1) * width];
        for (field, &offset) in self.fields.iter_mut().zip(&self.offsets) {
            let placed = field.bins.place(record);
            block[offset + placed.bin] += 1;
            self.totals[offset + placed.bin] += 1;
            field.unseen += u64::from(placed.unseen);
        }
        self.block_rows[self.current] += 1;
        self.observed += 1;
    }

    /// Starts the next block, dropping the oldest one's counts.
    fn advance(&mut self) {
        let width = self.totals.len();
        self.current = (self.current + 1) % self.block_rows.len();
        let block = &mut self.counts[self.current * width..(self.current + 1) * width];
        for (total, count) in self.totals.iter_mut().zip(block.iter_mut()) {
            *total -= *count;
            *count = 0;
        }
        self.block_rows[self.current] = 0;
    }

    /// Rows in the window now.
    pub fn rows_in_window(&self) -> usize {
        self.block_rows.iter().sum()
    }

    /// Every input's PSI over the window and unseen label count.
    pub fn report(&self) -> DriftReport {
        let rows = self.rows_in_window();
        let fields = self
            .fields
            .iter()
            .zip(&self.offsets)
            .map(|(field, &offset)| {
                let column = field.bins.column();
                let window = &self.totals[offset..offset + field.expected.len()];
                FieldDrift {
                    field: column,
                    kind: column.kind(),
                    psi: (rows > 0).then(|| psi(&field.expected, window, rows)),
                    unseen_labels: field.unseen,
                }
            })
            .collect();
        DriftReport {
            window: self.rows_per_block * self.block_rows.len(),
            rows_in_window: rows,
            rows_observed: self.observed,
            training_rows: self.training_rows,
            fields,
        }
    }
}

/// The PSI of `counts` (of `rows` rows) against the `expected` shares.
fn psi(expected: &[f64], counts: &[u32], rows: usize) -> f64 {
    expected
        .iter()
        .zip(counts)
        .map(|(&e, &n)| {
            let a = (f64::from(n) / rows as f64).max(PSI_FLOOR);
            let e = e.max(PSI_FLOOR);
            (a - e) * (a / e).ln()
        })
        .sum()
}

#[cfg(test)]
mod tests;

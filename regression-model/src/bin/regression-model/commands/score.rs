//! Scoring an input chunk by chunk in constant memory: while one thread
//! reads the next batch of chunks, the others parse and predict the current
//! batch in parallel (rayon); each chunk becomes its output lines and its
//! stderr lines, handed over in input order. Memory is a few batches of
//! chunks, whatever the input's length.

use std::io::Read;

use anyhow::{Context, Result};
use rayon::prelude::*;
use regression_model::{ChunkReader, ErrorLimit, InputRows, RawChunk, TrainedModel};

use super::report::{LISTED_REJECTIONS, write_flags, write_rejections};

/// Rows per chunk: small enough that the chunks in flight (a few per core,
/// twice over) stay a few MB, large enough that handing a chunk to a
/// thread costs nothing next to scoring it.
pub(super) const ROWS_PER_CHUNK: usize = 1024;

/// One chunk scored: the `Id,SalePrice` lines, the stderr lines, counts.
#[derive(Debug, Default)]
pub(super) struct Scored {
    /// The output lines of the priced rows, in row order.
    pub prices: String,
    /// Notes on priced rows, in row order.
    pub report: String,
    /// The lines of the first rejected rows, at most [`LISTED_REJECTIONS`]
    /// (no more are ever listed): the sink lists the input's first ones.
    pub rejections: String,
    pub tally: Tally,
    /// Unknown NDJSON keys met in the chunk (CSV reports its header's).
    pub unknown: Vec<String>,
    pub unknown_count: usize,
}

/// What the rows of a chunk (or of the whole input) came to.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tally {
    pub rows: usize,
    pub predicted: usize,
    pub rejected: usize,
    /// Priced with a fallback for a missing input.
    pub imputed: usize,
    /// Priced with a note (imputed or extrapolated).
    pub noted: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.rows += other.rows;
        self.predicted += other.predicted;
        self.rejected += other.rejected;
        self.imputed += other.imputed;
        self.noted += other.noted;
    }
}

/// Predicts parsed rows whose first is `first_row` in the input.
pub(super) fn score_rows(model: &TrainedModel, input: &InputRows, first_row: usize) -> Scored {
    let response = model.predict_input(input, ErrorLimit::FirstPerRow);
    let mut prices = String::with_capacity(response.predictions.len() * 16);
    for p in &response.predictions {
        use std::fmt::Write as _;
        // As `predict` always wrote them: an empty Id when the row has none,
        // the price in Rust's shortest round-trip form.
        let _ = match p.id {
            Some(id) => writeln!(prices, "{id},{}", p.price),
            None => writeln!(prices, ",{}", p.price),
        };
    }
    let mut report = String::new();
    let noted = write_flags(&mut report, &response.predictions, first_row);
    let mut rejections = String::new();
    write_rejections(
        &mut rejections,
        &response.row_errors.errors,
        &response.row_errors.rejected,
        &input.rows,
        first_row,
        LISTED_REJECTIONS,
    );
    Scored {
        prices,
        report,
        rejections,
        tally: Tally {
            rows: input.rows.len(),
            predicted: response.predictions.len(),
            rejected: input.rows.len() - response.predictions.len(),
            imputed: (response.predictions.iter())
                .filter(|p| !p.imputed.is_empty())
                .count(),
            noted,
        },
        unknown: response.row_errors.unknown_fields,
        unknown_count: response.row_errors.unknown_field_count,
    }
}

fn score_chunk(model: &TrainedModel, chunk: &RawChunk) -> Result<Scored> {
    let input = chunk.parse()?;
    Ok(score_rows(model, &input, chunk.first_row()))
}

/// Reads up to `count` chunks.
fn read_batch<R: Read>(chunks: &mut ChunkReader<R>, count: usize) -> Result<Vec<RawChunk>> {
    let mut batch = Vec::with_capacity(count);
    for chunk in chunks.by_ref().take(count) {
        batch.push(chunk?);
    }
    Ok(batch)
}

/// Scores every chunk of `chunks`, handing each to `sink` in input order.
/// The read of batch k+1 overlaps the scoring of batch k.
///
/// # Errors
/// The first error of reading, parsing or `sink`, after the chunks before
/// it were handed over.
pub(super) fn score_stream<R: Read + Send>(
    model: &TrainedModel,
    mut chunks: ChunkReader<R>,
    mut sink: impl FnMut(Scored) -> Result<()>,
) -> Result<()> {
    let window = 2 * rayon::current_num_threads().max(1);
    let mut batch = read_batch(&mut chunks, window)?;
    while !batch.is_empty() {
        let (next, scored) = rayon::join(
            || read_batch(&mut chunks, window),
            || {
                batch
                    .par_iter()
                    .map(|chunk| score_chunk(model, chunk))
                    .collect::<Vec<_>>()
            },
        );
        for (chunk, scored) in batch.iter().zip(scored) {
            let scored =
                scored.with_context(|| format!("in the rows from row {} on", chunk.first_row()))?;
            sink(scored)?;
        }
        batch = next?;
    }
    Ok(())
}

//! Reading the input of `explain`, `evaluate` and `capture` a chunk of rows
//! at a time, in the formats `predict` reads (CSV, NDJSON or a JSON list;
//! a file or stdin; gzip or not): memory is one chunk whatever the input's
//! length. Until 0.3.0 they read it whole, ~1.7 KB per row however short
//! (a file of empty 80-cell rows took ~20 times its size, and a file of
//! `{}` records ~500 times).

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use anyhow::{Context, Result};
use regression_model::{ChunkReader, InputRows, TrainedModel};

use super::report::UnknownNames;
use super::score::ROWS_PER_CHUNK;
use super::source::{self, Format};

/// Hands each chunk of the rows of `path` (`-` for stdin, read as CSV) to
/// `each`, with the input row number of the chunk's first row, until the
/// input ends or `each` breaks. Only the columns `model` reads are
/// parsed. Returns the unknown columns met, for one line at the end.
///
/// # Errors
/// The input cannot be opened or read, is not CSV or JSON, or `each`
/// failed; the input's name is in the message.
pub(super) fn for_each_chunk(
    path: &Path,
    model: &TrainedModel,
    mut each: impl FnMut(&InputRows, usize) -> Result<ControlFlow<()>>,
) -> Result<UnknownNames> {
    let stdin = path == Path::new("-");
    let format = if stdin { Format::Csv } else { Format::of(path) };
    let name = if stdin {
        "stdin".to_owned()
    } else {
        path.display().to_string()
    };
    let input = source::open(path, format, None)?;
    let features = model.pipeline.features();
    let mut unknown = UnknownNames::default();
    let mut first_row = 0;
    let mut take = |rows: InputRows| -> Result<ControlFlow<()>> {
        unknown.add(rows.unknown.names().to_vec(), rows.unknown.count());
        let flow = each(&rows, first_row)?;
        first_row += rows.rows.len();
        Ok(flow)
    };
    let read = match format {
        Format::Csv => ChunkReader::csv(input.reader, Some(&features), ROWS_PER_CHUNK)
            .map_err(anyhow::Error::from)
            .and_then(|chunks| {
                let header = chunks.unknown().clone();
                take_chunks(chunks, &mut take).map(|()| header)
            }),
        Format::Ndjson => {
            let chunks = ChunkReader::ndjson(input.reader, Some(&features), ROWS_PER_CHUNK);
            take_chunks(chunks, &mut take).map(|()| Default::default())
        }
        Format::Json => read_json(input.reader).and_then(|bytes| {
            let mut stopped = false;
            regression_model::parse_json_chunks(
                &bytes,
                Some(&features),
                ROWS_PER_CHUNK,
                |rows| -> Result<()> {
                    // A JSON list is parsed to its end whatever `each` says:
                    // its bytes are in memory already.
                    if !stopped {
                        stopped = take(rows)?.is_break();
                    }
                    Ok(())
                },
            )
            .map(|()| Default::default())
        }),
    };
    let header: regression_model::UnknownFields = read.with_context(|| name)?;
    unknown.add(header.names().to_vec(), header.count());
    Ok(unknown)
}

/// Parses and hands over chunks until the reader ends or `take` breaks.
fn take_chunks<R: Read>(
    chunks: ChunkReader<R>,
    take: &mut impl FnMut(InputRows) -> Result<ControlFlow<()>>,
) -> Result<()> {
    for chunk in chunks {
        let chunk = chunk?;
        let rows = chunk
            .parse()
            .with_context(|| format!("in the rows from row {} on", chunk.first_row()))?;
        if take(rows)?.is_break() {
            break;
        }
    }
    Ok(())
}

/// A JSON list is one value: its bytes are read whole, its rows parsed
/// and handled a chunk at a time (each row costs ~1.7 KB however short its
/// JSON: a million `{}` took 3.4 GB as one batch).
pub(super) fn read_json(mut reader: impl Read) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .context("cannot read the input")?;
    Ok(bytes)
}

//! Reading a big input a chunk at a time, in constant memory: the reader
//! only splits the text into records (cheap, and necessarily in order);
//! turning them into rows (the costly part) is [`RawChunk::parse`], which
//! can run on other threads while the next chunk is read.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use super::csv_file::{CsvLayout, csv_error};
use super::json::parse_ndjson;
use super::record_limit::{MAX_RECORD_BYTES, RecordLimit};
use super::records::Records;
use super::{InputRows, UnknownFields};
use crate::error::{Error, Result};
use crate::schema::Column;

/// Reads CSV (with a header) or NDJSON (one record per line) in chunks of
/// unparsed records, so that a file of any length is scored in the memory
/// of a few chunks. Rows are numbered across chunks from 0, as in the
/// whole-file readers, and each chunk parses to exactly the rows
/// [`read_csv_columns`](crate::read_csv_columns) (or a JSON batch of the
/// same records) would give.
///
/// # Examples
///
/// Score a CSV file chunk by chunk with the shipped model (the CLI's
/// `predict` does the same, parsing and predicting chunks in parallel):
///
/// ```
/// use regression_model::{ChunkReader, ErrorLimit, shipped_model};
///
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/synthetic/test.csv");
/// let model = shipped_model()?;
/// let features = model.pipeline.features();
/// let file = std::fs::File::open(path).expect("the fixture exists");
/// let mut chunks = ChunkReader::csv(file, Some(&features), 100)?;
/// let (mut priced, mut rows) = (0, 0);
/// for chunk in &mut chunks {
///     let chunk = chunk?;
///     let input = chunk.parse()?;
///     let response = model.predict_input(&input, ErrorLimit::FirstPerRow);
///     // Row numbers in a response count from the chunk's first row.
///     for p in &response.predictions {
///         assert!(chunk.first_row() + p.row < chunk.first_row() + chunk.len());
///     }
///     priced += response.predictions.len();
///     rows += chunk.len();
/// }
/// assert_eq!(rows, chunks.rows_read());
/// assert!(priced > 0 && priced <= rows);
/// # Ok::<(), regression_model::Error>(())
/// ```
pub struct ChunkReader<R: Read> {
    source: Source<R>,
    rows_per_chunk: usize,
    rows_read: usize,
    unknown: UnknownFields,
}

enum Source<R: Read> {
    Csv {
        reader: csv::Reader<RecordLimit<R>>,
        layout: Arc<CsvLayout>,
        /// The record being read, reused.
        record: csv::ByteRecord,
    },
    Ndjson {
        reader: BufReader<R>,
        wanted: Arc<[Column]>,
        lines_read: u64,
    },
}

/// Records read but not yet parsed; see [`ChunkReader`]. It owns its data,
/// so it can be sent to another thread.
#[derive(Debug, Clone)]
pub struct RawChunk {
    first_row: usize,
    rows: usize,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    Csv {
        records: Records,
        layout: Arc<CsvLayout>,
    },
    Ndjson {
        text: Vec<u8>,
        first_line: u64,
        wanted: Arc<[Column]>,
    },
}

impl<R: Read> ChunkReader<R> {
    /// Reads a CSV header from `reader`; chunks then hold up to
    /// `rows_per_chunk` records (at least 1). Only the `wanted` input
    /// columns are parsed (all with `None`).
    ///
    /// # Errors
    /// [`Error::Csv`] when the header cannot be read. Reading fails later
    /// at a record longer than 1 MiB (no house record is; a quoted field
    /// left open is one), naming the line it started on, before it is held
    /// whole.
    pub fn csv(reader: R, wanted: Option<&[Column]>, rows_per_chunk: usize) -> Result<Self> {
        let mut reader = (csv::ReaderBuilder::new())
            .flexible(true)
            .from_reader(RecordLimit::new(reader));
        let (layout, unknown) = CsvLayout::from_header(&mut reader, wanted)?;
        Ok(ChunkReader {
            source: Source::Csv {
                reader,
                layout: Arc::new(layout),
                record: csv::ByteRecord::new(),
            },
            rows_per_chunk: rows_per_chunk.max(1),
            rows_read: 0,
            unknown,
        })
    }

    /// Reads NDJSON from `reader`: one JSON record per line, blank lines
    /// skipped; chunks then hold up to `rows_per_chunk` records (at least 1).
    pub fn ndjson(reader: R, wanted: Option<&[Column]>, rows_per_chunk: usize) -> Self {
        ChunkReader {
            source: Source::Ndjson {
                reader: BufReader::new(reader),
                wanted: wanted.unwrap_or(Column::ALL).into(),
                lines_read: 0,
            },
            rows_per_chunk: rows_per_chunk.max(1),
            rows_read: 0,
            unknown: UnknownFields::default(),
        }
    }

    /// The CSV header's columns outside the schema (empty for NDJSON,
    /// whose chunks report their own in [`InputRows::unknown`]).
    pub fn unknown(&self) -> &UnknownFields {
        &self.unknown
    }

    /// Rows read so far, over every chunk returned.
    pub fn rows_read(&self) -> usize {
        self.rows_read
    }

    fn next_chunk(&mut self) -> Result<Option<RawChunk>> {
        let first_row = self.rows_read;
        let body = match &mut self.source {
            Source::Csv {
                reader,
                layout,
                record,
            } => {
                let mut records = Records::default();
                while records.len() < self.rows_per_chunk
                    && reader.read_byte_record(record).map_err(|e| csv_error(&e))?
                {
                    records.push(record);
                }
                if records.len() == 0 {
                    return Ok(None);
                }
                Body::Csv {
                    records,
                    layout: Arc::clone(layout),
                }
            }
            Source::Ndjson {
                reader,
                wanted,
                lines_read,
            } => {
                let first_line = *lines_read + 1;
                let mut text = Vec::new();
                let mut records = 0;
                while records < self.rows_per_chunk {
                    let start = text.len();
                    let read = (&mut *reader)
                        .take(MAX_RECORD_BYTES + 1)
                        .read_until(b'\n', &mut text)
                        .map_err(|e| Error::Json(format!("the NDJSON could not be read: {e}")))?;
                    if read == 0 {
                        break;
                    }
                    *lines_read += 1;
                    let line = &text[start..];
                    if line.len() as u64 > MAX_RECORD_BYTES {
                        return Err(Error::Json(format!(
                            "NDJSON line {lines_read} is longer than {MAX_RECORD_BYTES} bytes: not one house record"
                        )));
                    }
                    if !line.iter().all(u8::is_ascii_whitespace) {
                        records += 1;
                    }
                    if line.last() != Some(&b'\n') {
                        text.push(b'\n');
                    }
                }
                if records == 0 {
                    return Ok(None);
                }
                self.rows_read += records;
                return Ok(Some(RawChunk {
                    first_row,
                    rows: records,
                    body: Body::Ndjson {
                        text,
                        first_line,
                        wanted: Arc::clone(wanted),
                    },
                }));
            }
        };
        let rows = match &body {
            Body::Csv { records, .. } => records.len(),
            Body::Ndjson { .. } => unreachable!("NDJSON chunks return above"),
        };
        self.rows_read += rows;
        Ok(Some(RawChunk {
            first_row,
            rows,
            body,
        }))
    }
}

impl<R: Read> Iterator for ChunkReader<R> {
    type Item = Result<RawChunk>;

    /// The next chunk, `None` at the end of the input; after an error
    /// (bad CSV, a line that is not JSON) the input cannot be followed
    /// further, and the caller should stop.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_chunk().transpose()
    }
}

impl RawChunk {
    /// The input row number of the chunk's first row (from 0): add it to
    /// the chunk-relative `row` of a prediction or an error.
    pub fn first_row(&self) -> usize {
        self.first_row
    }

    /// How many rows the chunk holds.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the chunk holds no row (a reader never returns one).
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Parses the chunk's records into rows, numbered from 0 within it.
    ///
    /// # Errors
    /// [`Error::Csv`] for a CSV record that is not UTF-8, [`Error::Json`]
    /// for an NDJSON line that is not JSON; both name the line.
    pub fn parse(&self) -> Result<InputRows> {
        match &self.body {
            Body::Csv { records, layout } => {
                let mut out = layout.empty_rows();
                out.rows.reserve(records.len());
                for at in 0..records.len() {
                    let record = records.record(at);
                    // Every cell must be text, as for the whole-file reader
                    // (which reads `StringRecord`s), not only those parsed.
                    let text = |n| {
                        record
                            .field(n)
                            .is_some_and(|f| std::str::from_utf8(f).is_ok())
                    };
                    if !record.all_bytes().is_ascii() && !(0..record.len()).all(text) {
                        return Err(Error::Csv {
                            line: records.lines[at],
                            message: "is not UTF-8 text".into(),
                        });
                    }
                    let cell = |n| std::str::from_utf8(record.field(n)?).ok();
                    layout.push_row(cell, record.len(), &mut out);
                }
                Ok(out)
            }
            Body::Ndjson {
                text,
                first_line,
                wanted,
            } => parse_ndjson(text, *first_line, wanted),
        }
    }
}

#[cfg(test)]
mod tests;

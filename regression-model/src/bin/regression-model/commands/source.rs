//! Where `predict` reads and writes: a file or stdin (`-`), gzip-compressed
//! or not (told by its first bytes, whatever its name), CSV, NDJSON or a
//! JSON list (told by `--format`, else by the name); one shard of a file;
//! the output (in `output`).

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use flate2::read::MultiGzDecoder;

use super::shard::{LineCount, Shard};

mod output;

pub use output::Output;

/// How the input's records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A header line, then one record per line (Kaggle's layout).
    Csv,
    /// One JSON record per line.
    Ndjson,
    /// One JSON list of records (read whole: use NDJSON for big inputs).
    Json,
}

impl Format {
    /// The format a file name says (`.json`, `.ndjson`/`.jsonl`, else CSV),
    /// looking through a `.gz` suffix.
    pub fn of(path: &Path) -> Format {
        let name = path.to_string_lossy().to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        if name.ends_with(".json") {
            Format::Json
        } else if name.ends_with(".ndjson") || name.ends_with(".jsonl") {
            Format::Ndjson
        } else {
            Format::Csv
        }
    }
}

/// The bytes read so far from the underlying file or stdin (compressed
/// bytes for a `.gz`), shared with the progress display.
pub type Counter = Arc<AtomicU64>;

struct Counting<R> {
    inner: R,
    read: Counter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened input: its decoded bytes, how many raw bytes it has in all
/// (when known) and a counter of those read.
pub struct Opened {
    pub reader: Box<dyn Read + Send>,
    pub total_bytes: Option<u64>,
    pub read: Counter,
    /// For a shard, its non-blank lines, counted as they are read.
    pub lines: Option<LineCount>,
}

/// Opens `path` (`-` for stdin), decompressing a gzip stream; with a shard,
/// only that part of the file (plus its CSV header).
pub fn open(path: &Path, format: Format, shard: Option<Shard>) -> Result<Opened> {
    let read = Counter::default();
    if path == Path::new("-") {
        if shard.is_some() {
            bail!(
                "--shard needs a file: the parts of stdin cannot be found without reading it all"
            );
        }
        let raw = Counting {
            inner: std::io::stdin(),
            read: Arc::clone(&read),
        };
        return Ok(Opened {
            reader: decompressed(BufReader::with_capacity(1 << 16, raw))?,
            total_bytes: None,
            read,
            lines: None,
        });
    }
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    if shard.is_some() && is_gzip(&mut BufReader::new(&mut file))? {
        bail!(
            "--shard needs an uncompressed file: {} is gzip, whose parts cannot be found without decompressing it all",
            path.display()
        );
    }
    let size = file.metadata().map(|m| m.len()).ok();
    let (reader, total_bytes, lines): (Box<dyn Read + Send>, _, _) = match shard {
        None => (Box::new(file), size, None),
        Some(shard) => {
            let part = (shard.part_of(file, format))
                .and_then(|part| Ok((part.len, part.lines(), part.into_reader()?)))
                .with_context(|| format!("cannot find part {shard} of {}", path.display()))?;
            (part.2, Some(part.0), Some(part.1))
        }
    };
    let raw = Counting {
        inner: reader,
        read: Arc::clone(&read),
    };
    let reader = BufReader::with_capacity(1 << 16, raw);
    Ok(Opened {
        reader: match shard {
            Some(_) => Box::new(reader),
            None => decompressed(reader)?,
        },
        total_bytes,
        read,
        lines,
    })
}

fn is_gzip(reader: &mut impl BufRead) -> Result<bool> {
    Ok(reader.fill_buf()?.starts_with(&[0x1f, 0x8b]))
}

/// The stream itself, or its decompression when it starts with gzip's
/// magic bytes (of one member or several, as `cat a.gz b.gz` makes).
fn decompressed<R: BufRead + Send + 'static>(mut reader: R) -> Result<Box<dyn Read + Send>> {
    Ok(if is_gzip(&mut reader)? {
        Box::new(MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    })
}

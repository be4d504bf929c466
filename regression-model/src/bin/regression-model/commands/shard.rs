//! `--shard i/n`: part i of n of a file, cut at line breaks, so that n
//! processes (or Kubernetes pods) score disjoint parts and the outputs,
//! concatenated in order, are the single process's output byte for byte.
//!
//! The body (after a CSV header) is cut at byte `k * body / n` for each k,
//! moved on to the start of the next line: deterministic, found by reading
//! one line per cut, and the parts cover every line once. A record must not
//! span lines (a quoted field holding a line break): each part counts its
//! lines, and a count that differs from its records fails the run.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result, bail};

use super::source::Format;

/// Which part, of how many; written `i/n`, `0 <= i < n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: expected i/n with 0 <= i < n, e.g. 0/4");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index = i.trim().parse().map_err(|_| bad())?;
        let count = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A shard's bytes: the file's header, then its part of the body.
pub struct Part {
    header: Vec<u8>,
    file: File,
    start: u64,
    pub len: u64,
    lines: LineCount,
}

/// Non-blank lines seen in a part, to check that each held one record.
#[derive(Clone, Default)]
pub struct LineCount(Arc<AtomicU64>);

impl LineCount {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Shard {
    /// Finds this shard's part of `file`, whose records are in `format`.
    pub fn part_of(self, mut file: File, format: Format) -> Result<Part> {
        let size = file.metadata()?.len();
        file.seek(SeekFrom::Start(0))?;
        let header_end = match format {
            Format::Json => bail!("a JSON list cannot be sharded: use NDJSON, one record per line"),
            Format::Ndjson => 0,
            Format::Csv => {
                let mut csv = csv::ReaderBuilder::new()
                    .flexible(true)
                    .from_reader(BufReader::new(&mut file));
                csv.headers().context("cannot read the CSV header")?;
                csv.position().byte()
            }
        };
        let mut header = vec![0; usize::try_from(header_end)?];
        file.seek(SeekFrom::Start(0))?;
        file.read_exact(&mut header)?;
        let start = line_start(&mut file, header_end, size, self.cut(header_end, size))?;
        let end = match self.index + 1 == self.count {
            true => size,
            false => {
                let next = Shard {
                    index: self.index + 1,
                    count: self.count,
                };
                line_start(&mut file, header_end, size, next.cut(header_end, size))?
            }
        };
        Ok(Part {
            header,
            file,
            start,
            len: end - start,
            lines: LineCount::default(),
        })
    }

    /// Where the body is cut before this shard, before moving to a line start.
    fn cut(self, body_start: u64, size: u64) -> u64 {
        let body = u128::from(size - body_start);
        let offset = body * u128::from(self.index) / u128::from(self.count);
        body_start + u64::try_from(offset).expect("at most the body's length")
    }
}

/// The first line start at or after `at` (the body's start is one).
fn line_start(file: &mut File, body_start: u64, size: u64, at: u64) -> Result<u64> {
    if at <= body_start {
        return Ok(body_start);
    }
    // The byte before `at` ends a line when it is a line break; else the
    // line goes on to the next one.
    file.seek(SeekFrom::Start(at - 1))?;
    let mut rest = Vec::new();
    let read = BufReader::new(file.take(size - (at - 1))).read_until(b'\n', &mut rest)?;
    Ok(at - 1 + read as u64)
}

impl Part {
    /// A counter of the part's non-blank lines, filled as it is read.
    pub fn lines(&self) -> LineCount {
        self.lines.clone()
    }

    /// The header followed by the part's bytes.
    pub fn into_reader(mut self) -> Result<Box<dyn Read + Send>> {
        self.file.seek(SeekFrom::Start(self.start))?;
        let body = Lines {
            inner: self.file.take(self.len),
            count: self.lines,
            in_line: false,
        };
        Ok(Box::new(Cursor::new(self.header).chain(body)))
    }
}

/// Counts the non-blank lines passing through (a line of only `\r` or of
/// nothing is blank: CSV and NDJSON readers skip both).
struct Lines<R> {
    inner: R,
    count: LineCount,
    in_line: bool,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut lines = 0;
        for &b in &buf[..n] {
            match b {
                b'\n' => {
                    lines += u64::from(self.in_line);
                    self.in_line = false;
                }
                b'\r' => {}
                _ => self.in_line = true,
            }
        }
        if n == 0 && self.in_line {
            // The last line, without a line break.
            lines += 1;
            self.in_line = false;
        }
        self.count.0.fetch_add(lines, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_is_read_as_i_of_n_and_nonsense_is_refused() {
        assert_eq!("2/5".parse(), Ok(Shard { index: 2, count: 5 }));
        for bad in ["5/5", "1/0", "-1/3", "a/b", "3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn parts_cover_every_line_once_whatever_the_cuts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        let text = "a,b\n1,2\n333,4\n5,66666\n\n7,8\n9,10";
        std::fs::write(&path, text).unwrap();
        for n in 1..=12 {
            let mut body = String::new();
            for i in 0..n {
                let part = Shard { index: i, count: n }
                    .part_of(File::open(&path).unwrap(), Format::Csv)
                    .unwrap();
                let mut bytes = String::new();
                part.into_reader()
                    .unwrap()
                    .read_to_string(&mut bytes)
                    .unwrap();
                let part_body = bytes
                    .strip_prefix("a,b\n")
                    .expect("each part starts with the header");
                assert!(
                    part_body.is_empty() || i == 0 || body.ends_with('\n'),
                    "cut mid-line"
                );
                body.push_str(part_body);
            }
            assert_eq!(format!("a,b\n{body}"), text, "{n} parts");
        }
    }
}

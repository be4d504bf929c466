//! A bound on the length of a CSV record read: one house record is a few
//! KB, so a record of a megabyte is not one, and reading it whole would let
//! a single record (a file without line breaks, a quoted field left open)
//! take any amount of memory.
//!
//! The bound is on records, not lines: a quoted field may hold line
//! breaks, and the CSV reader keeps reading into it until the quote
//! closes, so counting raw lines would let an unterminated quote through.
//! The scanner follows the CSV reader's quoting rules (a `"` opens a quoted
//! field only at a field's start; `""` inside one is an escaped quote) with
//! `memchr`, so a file without quotes costs one `memchr3` pass.

use std::io::{self, Read};

/// Longest record (or NDJSON line) read, in bytes, line breaks outside
/// quotes not counted.
pub(super) const MAX_RECORD_BYTES: u64 = 1 << 20;

/// Where the scanner is with respect to quoting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// Outside any quoted field.
    Outside,
    /// Inside a quoted field: only `"` matters (and `\n`, for line numbers).
    Inside,
    /// Just after a `"` inside a quoted field: a second `"` is an escaped
    /// quote, anything else closed the field.
    AfterQuote,
}

/// Passes bytes through, failing with [`io::ErrorKind::InvalidData`] once
/// more than [`MAX_RECORD_BYTES`] pass in one CSV record.
pub(super) struct RecordLimit<R> {
    inner: R,
    /// Bytes of the current record so far.
    record_bytes: u64,
    /// `\n`s passed so far, quoted ones too: they number the file's lines.
    breaks: u64,
    /// The line (from 1) the current record started on.
    record_line: u64,
    quoting: Quoting,
    /// The last byte passed outside quotes (a record start counts as `\n`):
    /// a `"` after a delimiter or a line break opens a quoted field.
    previous: u8,
}

/// The error a [`RecordLimit`] fails with: the line (from 1) on which the
/// record that was too long started.
#[derive(Debug, thiserror::Error)]
#[error(
    "starts a record longer than {MAX_RECORD_BYTES} bytes (a quoted field left open?): not a house record"
)]
pub(super) struct RecordTooLong {
    pub(super) line: u64,
}

impl<R> RecordLimit<R> {
    pub(super) fn new(inner: R) -> Self {
        RecordLimit {
            inner,
            record_bytes: 0,
            breaks: 0,
            record_line: 1,
            quoting: Quoting::Outside,
            previous: b'\n',
        }
    }

    /// Adds `bytes` to the current record, failing once it is too long.
    fn grow(&mut self, bytes: usize) -> Result<(), RecordTooLong> {
        self.record_bytes += bytes as u64;
        if self.record_bytes > MAX_RECORD_BYTES {
            return Err(RecordTooLong {
                line: self.record_line,
            });
        }
        Ok(())
    }

    /// Follows `bytes`, the next bytes of the input, through the records.
    fn scan(&mut self, bytes: &[u8]) -> Result<(), RecordTooLong> {
        let mut at = 0;
        while at < bytes.len() {
            let rest = &bytes[at..];
            match self.quoting {
                Quoting::Inside => {
                    let Some(found) = memchr::memchr2(b'"', b'\n', rest) else {
                        return self.grow(rest.len());
                    };
                    self.grow(found + 1)?;
                    if rest[found] == b'\n' {
                        self.breaks += 1;
                    } else {
                        self.quoting = Quoting::AfterQuote;
                    }
                    at += found + 1;
                }
                Quoting::AfterQuote if rest[0] == b'"' => {
                    self.grow(1)?;
                    self.quoting = Quoting::Inside;
                    at += 1;
                }
                Quoting::AfterQuote => {
                    // The field closed; this byte is read as outside quotes
                    // (a stray byte after the closing quote is not a field start).
                    self.quoting = Quoting::Outside;
                    self.previous = b'"';
                }
                Quoting::Outside => {
                    let Some(found) = memchr::memchr3(b'"', b'\n', b'\r', rest) else {
                        self.previous = rest[rest.len() - 1];
                        return self.grow(rest.len());
                    };
                    let before = match found {
                        0 => self.previous,
                        _ => rest[found - 1],
                    };
                    at += found + 1;
                    match rest[found] {
                        b'"' => {
                            self.grow(found + 1)?;
                            if matches!(before, b',' | b'\n' | b'\r') {
                                self.quoting = Quoting::Inside;
                            } else {
                                self.previous = b'"';
                            }
                        }
                        terminator => {
                            self.grow(found)?;
                            if terminator == b'\n' {
                                self.breaks += 1;
                            }
                            self.record_bytes = 0;
                            self.record_line = self.breaks + 1;
                            self.previous = terminator;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n])
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests;

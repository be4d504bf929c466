//! A bound on the length of a line read: one house record is a few KB, so
//! a line of a megabyte is not one, and reading it whole would let a single
//! line (a file without line breaks, a runaway quoted field) take any amount
//! of memory.

use std::io::{self, Read};

/// Longest line read, in bytes.
pub(super) const MAX_LINE_BYTES: u64 = 1 << 20;

/// Passes bytes through, failing with [`io::ErrorKind::InvalidData`] once
/// more than [`MAX_LINE_BYTES`] pass without a line break.
pub(super) struct LineLimit<R> {
    inner: R,
    since_break: u64,
    /// Line breaks passed so far.
    breaks: u64,
}

/// The error a [`LineLimit`] fails with: which line was too long (from 1).
#[derive(Debug, thiserror::Error)]
#[error("is longer than {MAX_LINE_BYTES} bytes: not a house record")]
pub(super) struct LineTooLong {
    pub(super) line: u64,
}

impl<R> LineLimit<R> {
    pub(super) fn new(inner: R) -> Self {
        LineLimit {
            inner,
            since_break: 0,
            breaks: 0,
        }
    }
}

impl<R> LineLimit<R> {
    /// Adds `bytes` to the current line, failing once it is too long.
    fn check(&mut self, bytes: usize) -> io::Result<()> {
        self.since_break += bytes as u64;
        if self.since_break > MAX_LINE_BYTES {
            let line = self.breaks + 1;
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                LineTooLong { line },
            ));
        }
        Ok(())
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut start = 0;
        for at in memchr::memchr_iter(b'\n', &buf[..n]) {
            self.check(at - start)?;
            self.breaks += 1;
            self.since_break = 0;
            start = at + 1;
        }
        // The rest goes on in the next read.
        self.check(n - start)?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_up_to_the_limit_pass_and_a_longer_one_fails() {
        let ok = format!(
            "{}\n{}\n",
            "a".repeat(MAX_LINE_BYTES as usize),
            "b".repeat(10)
        );
        let mut out = Vec::new();
        LineLimit::new(ok.as_bytes()).read_to_end(&mut out).unwrap();
        assert_eq!(out, ok.as_bytes());

        let long = format!("a\nb\n{}", "c".repeat(MAX_LINE_BYTES as usize + 1));
        let error = LineLimit::new(long.as_bytes())
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        let too_long = error
            .get_ref()
            .and_then(|e| e.downcast_ref::<LineTooLong>());
        assert_eq!(too_long.map(|e| e.line), Some(3));
    }
}

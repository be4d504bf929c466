//! Lines waiting for the log writer thread. A thread that logs only appends
//! here; the monitor thread writes, so a sink that blocks (a full pipe on
//! stdout, a stalled disk) holds up the log, never a request. The buffer
//! is bounded: past [`MAX_PENDING_BYTES`] lines are dropped and counted.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// The writer is woken once this many bytes wait (or every second).
pub const PENDING_BYTES: usize = 64 * 1024;

/// Most bytes waiting: one second of the default byte budget. Lines that
/// would pass it are dropped (`ml_api_log_lines_dropped_total`).
pub const MAX_PENDING_BYTES: usize = 1024 * 1024;

/// See the module docs.
#[derive(Debug, Default)]
pub struct Pending {
    lines: Mutex<Vec<u8>>,
    /// The buffer being written; its lock makes writes one at a time and
    /// in order.
    writing: Mutex<Vec<u8>>,
    wake: Condvar,
}

impl Pending {
    /// Appends `line`; `false` when it was dropped because the buffer is full.
    pub fn push(&self, line: &[u8]) -> bool {
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        if lines.len() + line.len() > MAX_PENDING_BYTES {
            return false;
        }
        let was_below = lines.len() < PENDING_BYTES;
        lines.extend_from_slice(line);
        if was_below && lines.len() >= PENDING_BYTES {
            self.wake.notify_one();
        }
        true
    }

    /// Waits until [`PENDING_BYTES`] wait or `timeout` passes.
    pub fn wait(&self, timeout: Duration) {
        let lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        if lines.len() < PENDING_BYTES {
            let _ = self.wake.wait_timeout(lines, timeout);
        }
    }

    /// Hands what waits to `write`, outside the lock that `push` takes.
    pub fn write_with(&self, write: impl FnOnce(&[u8])) {
        let mut writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        {
            let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::swap(&mut *lines, &mut *writing);
        }
        if !writing.is_empty() {
            write(&writing);
        }
        writing.clear();
        // After a burst, give back what a quiet log does not need.
        writing.shrink_to(PENDING_BYTES * 2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_written_in_order_and_once() {
        let pending = Pending::default();
        assert!(pending.push(b"a\n") && pending.push(b"b\n"));
        let mut written = Vec::new();
        pending.write_with(|bytes| written.extend_from_slice(bytes));
        pending.write_with(|bytes| written.extend_from_slice(bytes));
        assert_eq!(written, b"a\nb\n");
    }

    #[test]
    fn past_the_bound_lines_are_refused_until_written() {
        let pending = Pending::default();
        let line = vec![b'x'; 1000];
        let accepted = (0..2000).filter(|_| pending.push(&line)).count();
        assert_eq!(accepted, MAX_PENDING_BYTES / 1000);
        pending.write_with(|_| {});
        assert!(pending.push(&line));
    }
}

//! What happened to the log lines, for `/metrics`: whether the sink can be
//! written, how often writing failed, and how many lines were lost to a
//! failing sink or to the byte budget. Process-wide, like the logger.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The state of the log sink; see the module docs.
#[derive(Debug, Default)]
pub struct LogHealth {
    failing: AtomicBool,
    failures: AtomicU64,
    dropped_lines: AtomicU64,
    rate_limited: AtomicU64,
}

/// The one [`LogHealth`] of the process.
pub static HEALTH: LogHealth = LogHealth {
    failing: AtomicBool::new(false),
    failures: AtomicU64::new(0),
    dropped_lines: AtomicU64::new(0),
    rate_limited: AtomicU64::new(0),
};

impl LogHealth {
    /// Whether lines currently reach the sink (the log file or stdout).
    pub fn healthy(&self) -> bool {
        !self.failing.load(Ordering::Relaxed)
    }

    /// Failed attempts to write the sink (each write, flush or check).
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Lines that never reached the sink because it could not be written.
    pub fn dropped_lines(&self) -> u64 {
        self.dropped_lines.load(Ordering::Relaxed)
    }

    /// Lines dropped because `LOG_MAX_BYTES_PER_SEC` was used up.
    pub fn rate_limited_lines(&self) -> u64 {
        self.rate_limited.load(Ordering::Relaxed)
    }

    pub(super) fn count_rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn count_dropped(&self, lines: u64) {
        self.dropped_lines.fetch_add(lines, Ordering::Relaxed);
    }

    pub(super) fn count_failure(&self) {
        self.failures.fetch_add(1, Ordering::Relaxed);
    }

    /// Records a failed write of `sink` (`the log file in DIR`, `stdout`)
    /// that lost `lost_lines`; the first failure of a run of them is
    /// reported on stderr, once.
    pub(super) fn fail(&self, sink: &str, what: &str, lost_lines: u64) {
        self.count_failure();
        self.count_dropped(lost_lines);
        if !self.failing.swap(true, Ordering::Relaxed) {
            // `eprintln!` would panic if stderr is gone too.
            let _ = writeln!(
                std::io::stderr(),
                "ml-api: cannot write {sink}: {what}; requests are still served, log lines are dropped and counted (ml_api_log_file_healthy 0 in /metrics) until writing works again",
            );
        }
    }

    /// Reports, once on stderr, that `sink` can be written again.
    pub(super) fn recover(&self, sink: &str) {
        if self.failing.swap(false, Ordering::Relaxed) {
            let _ = writeln!(
                std::io::stderr(),
                "ml-api: {sink} can be written again ({} lines were dropped)",
                self.dropped_lines()
            );
        }
    }
}

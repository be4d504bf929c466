//! The one [`LogWriter`] of the process: every record is formatted into a
//! line by [`LineBuffers`] (escaped, at most `LOG_MAX_LINE_BYTES`), admitted by the
//! byte budget ([`TokenBucket`]) or dropped and counted, and handed to the
//! sink chosen by `LOG_SINK`. The bounds are here, before the sink, so the
//! file and stdout get the same ones.
//!
//! Admitted lines wait in a bounded buffer (`Pending`); a monitor thread
//! writes them when 64 KiB wait or every second, so no request ever waits
//! for the sink. Every second it also ticks the sink (a failed file is
//! retried) and, when the budget dropped lines since the last tick, writes
//! one WARN line saying how many: at most one such line a second, outside
//! the budget, so the reader of the log learns that lines are missing.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use flexi_logger::writers::LogWriter;
use flexi_logger::{DeferredNow, FormatFunction};

use super::HEALTH;
use super::line::LineBuffers;
use super::pending::Pending;
use super::rate::TokenBucket;

/// Bytes of the shortest line: `2026-11-26T10:02:10.123+00:00 INFO [x] ` and the newline.
const SHORTEST_LINE: usize = 40;

/// How often the sink is ticked and dropped lines are reported.
const MONITOR_PERIOD: Duration = Duration::from_secs(1);

/// Where admitted lines go, written by the monitor thread (or a flush):
/// whole lines, escaped, each with its newline. A sink that cannot write
/// counts the lost lines ([`super::LogHealth`]); it never fails.
pub trait LineSink: Send + Sync + 'static {
    /// Writes `lines` (one or more whole lines).
    fn write(&self, lines: &[u8]);
    /// Called every second: notice and retry faults.
    fn tick(&self);
    /// Releases the sink; nothing is written after it.
    fn shutdown(&self);
}

struct Inner {
    sink: Box<dyn LineSink>,
    pending: Pending,
    max_line_bytes: usize,
    budget: TokenBucket,
    bytes_per_sec: u64,
    /// Rate-limited lines already reported in a WARN line.
    reported: AtomicU64,
}

/// A [`LogWriter`] that bounds every line and the bytes per second; see
/// the module docs.
pub struct BoundedWriter {
    inner: Arc<Inner>,
    format: FormatFunction,
}

impl BoundedWriter {
    /// Wraps `sink` and starts the monitor thread.
    pub fn start(
        sink: Box<dyn LineSink>,
        format: FormatFunction,
        max_line_bytes: usize,
        bytes_per_sec: u64,
    ) -> BoundedWriter {
        let inner = Arc::new(Inner {
            sink,
            pending: Pending::default(),
            max_line_bytes,
            budget: TokenBucket::new(bytes_per_sec, max_line_bytes, Instant::now()),
            bytes_per_sec,
            reported: AtomicU64::new(HEALTH.rate_limited_lines()),
        });
        let weak = Arc::downgrade(&inner);
        let spawned = std::thread::Builder::new()
            .name("ml-api-log-monitor".into())
            .spawn(move || monitor(&weak));
        if let Err(e) = spawned {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "ml-api: no log monitor thread: {e}");
        }
        BoundedWriter { inner, format }
    }
}

impl Inner {
    fn push(&self, line: &[u8]) {
        if !self.pending.push(line) {
            HEALTH.count_dropped(1);
        }
    }

    fn flush(&self) {
        self.pending.write_with(|lines| self.sink.write(lines));
    }

    fn tick(&self) {
        let dropped = HEALTH.rate_limited_lines();
        let reported = self.reported.swap(dropped, Ordering::Relaxed);
        if dropped > reported {
            let mut buffers = LineBuffers::default();
            let mut now = DeferredNow::new();
            let line = buffers.line(self.max_line_bytes, |w| {
                write!(
                    w,
                    "{} WARN [ml_api::telemetry] {} log lines dropped: more than LOG_MAX_BYTES_PER_SEC={} bytes a second (ml_api_log_lines_rate_limited_total)",
                    now.format_rfc3339(),
                    dropped - reported,
                    self.bytes_per_sec
                )
            });
            if let Ok(line) = line {
                self.push(line);
            }
        }
        self.flush();
        self.sink.tick();
    }
}

/// Writes what waits when 64 KiB wait, and ticks every second.
fn monitor(inner: &Weak<Inner>) {
    let mut ticked = Instant::now();
    loop {
        let Some(inner) = inner.upgrade() else {
            return;
        };
        inner
            .pending
            .wait(MONITOR_PERIOD.saturating_sub(ticked.elapsed()));
        if ticked.elapsed() >= MONITOR_PERIOD {
            inner.tick();
            ticked = Instant::now();
        } else {
            inner.flush();
        }
    }
}

thread_local! {
    /// The line being formatted: it never grows past `LOG_MAX_LINE_BYTES`.
    static LINE: RefCell<LineBuffers> = RefCell::new(LineBuffers::default());
}

impl LogWriter for BoundedWriter {
    fn write(&self, now: &mut DeferredNow, record: &log::Record) -> std::io::Result<()> {
        // No line is shorter than its timestamp, level and target: when not
        // even that much budget is left, the line is dropped unformatted.
        if !self.inner.budget.has(SHORTEST_LINE, Instant::now()) {
            HEALTH.count_rate_limited();
            return Ok(());
        }
        let mut append = |buffers: &mut LineBuffers| {
            let max = self.inner.max_line_bytes;
            let Ok(line) = buffers.line(max, |w| (self.format)(w, now, record)) else {
                return;
            };
            if self.inner.budget.take(line.len(), Instant::now()) {
                self.inner.push(line);
            } else {
                HEALTH.count_rate_limited();
            }
        };
        // A log call inside formatting (a Display impl that logs) finds the
        // thread's buffer borrowed and uses a fresh one.
        LINE.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut line) => append(&mut line),
            Err(_) => append(&mut LineBuffers::default()),
        });
        // Never an error: a log line must not fail the request that wrote it.
        Ok(())
    }

    fn flush(&self) -> std::io::Result<()> {
        self.inner.flush();
        Ok(())
    }

    fn max_log_level(&self) -> log::LevelFilter {
        log::LevelFilter::Trace
    }

    fn shutdown(&self) {
        self.inner.flush();
        self.inner.sink.shutdown();
    }
}

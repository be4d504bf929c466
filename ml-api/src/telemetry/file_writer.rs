//! The log file writer that never fails a request: lines are buffered (at
//! most [`PENDING_BYTES`]) and written by a monitor thread every second, or
//! by the logging thread when the buffer is full. When the file cannot be
//! written (disk full, the folder removed or replaced by a file), the fault
//! is reported once on stderr and in `/metrics`
//! ([`LogHealth`]), further lines are dropped and counted, and every second
//! the monitor reopens the file and tries again; the first line that gets
//! through reports the recovery.
//!
//! flexi_logger's own `FileLogWriter` does the file handling (rotation,
//! cleanup); its own error reports are per line and its buffered flushes
//! drop errors silently, which is why it is driven directly here.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use flexi_logger::writers::{ArcFileLogWriter, FileLogWriterHandle, LogWriter};
use flexi_logger::{DeferredNow, FormatFunction};

/// Lines are written once this many bytes are waiting.
pub const PENDING_BYTES: usize = 64 * 1024;

/// How often waiting lines are written and a failed file is retried.
const MONITOR_PERIOD: Duration = Duration::from_secs(1);

/// The state of the log file, for `/metrics`: process-wide, like the logger.
#[derive(Debug, Default)]
pub struct LogHealth {
    failing: AtomicBool,
    failures: AtomicU64,
    dropped_lines: AtomicU64,
}

/// The one [`LogHealth`] of the process.
pub static HEALTH: LogHealth = LogHealth {
    failing: AtomicBool::new(false),
    failures: AtomicU64::new(0),
    dropped_lines: AtomicU64::new(0),
};

impl LogHealth {
    /// Whether lines currently reach the log file.
    pub fn healthy(&self) -> bool {
        !self.failing.load(Ordering::Relaxed)
    }

    /// Failed attempts to write the file (each write, flush or check).
    pub fn failures(&self) -> u64 {
        self.failures.load(Ordering::Relaxed)
    }

    /// Lines that never reached the file.
    pub fn dropped_lines(&self) -> u64 {
        self.dropped_lines.load(Ordering::Relaxed)
    }

    fn fail(&self, dir: &std::path::Path, what: &str, lost_lines: u64) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        self.dropped_lines.fetch_add(lost_lines, Ordering::Relaxed);
        if !self.failing.swap(true, Ordering::Relaxed) {
            // `eprintln!` would panic if stderr is gone too.
            let _ = writeln!(
                std::io::stderr(),
                "ml-api: cannot write the log file in {}: {what}; requests are still served, log lines are dropped and counted (ml_api_log_file_healthy 0 in /metrics) until writing works again",
                dir.display()
            );
        }
    }

    fn recover(&self, dir: &std::path::Path) {
        if self.failing.swap(false, Ordering::Relaxed) {
            let _ = writeln!(
                std::io::stderr(),
                "ml-api: the log file in {} can be written again ({} lines were dropped)",
                dir.display(),
                self.dropped_lines()
            );
        }
    }
}

struct Inner {
    file: ArcFileLogWriter,
    dir: PathBuf,
    current: PathBuf,
    /// Formatted lines waiting to be written.
    pending: Mutex<Vec<u8>>,
    /// Device and inode of `current` when last looked at: when they
    /// change, someone replaced the file and the writer reopens it.
    identity: Mutex<Option<(u64, u64)>>,
}

/// Device and inode of the file at `path` (after symlinks), if any.
fn identity(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// A [`LogWriter`] for the primary log file; see the module docs.
pub struct GuardedFileWriter {
    inner: Arc<Inner>,
    format: FormatFunction,
    _handle: FileLogWriterHandle,
}

impl GuardedFileWriter {
    /// Wraps a `FileLogWriter` (built with `WriteMode::Direct`) writing
    /// `current` in `dir`, and starts the monitor thread.
    pub fn start(
        (file, handle): (ArcFileLogWriter, FileLogWriterHandle),
        dir: PathBuf,
        current: PathBuf,
        format: FormatFunction,
    ) -> GuardedFileWriter {
        let inner = Arc::new(Inner {
            file,
            dir,
            identity: Mutex::new(identity(&current)),
            current,
            pending: Mutex::new(Vec::with_capacity(PENDING_BYTES)),
        });
        let weak = Arc::downgrade(&inner);
        let spawned = std::thread::Builder::new()
            .name("ml-api-log-monitor".into())
            .spawn(move || monitor(&weak));
        if let Err(e) = spawned {
            let _ = writeln!(std::io::stderr(), "ml-api: no log monitor thread: {e}");
        }
        GuardedFileWriter {
            inner,
            format,
            _handle: handle,
        }
    }
}

impl Inner {
    /// Writes the waiting lines (the lock is held, so lines keep their order).
    fn write_pending(&self, pending: &mut Vec<u8>) {
        if pending.is_empty() {
            return;
        }
        if HEALTH.healthy() {
            if let Err(e) = self.file.clone().write_all(pending) {
                let lost = pending.iter().filter(|b| **b == b'\n').count() as u64;
                HEALTH.fail(&self.dir, &format!("writing failed ({e})"), lost);
            }
        } else {
            let lost = pending.iter().filter(|b| **b == b'\n').count() as u64;
            HEALTH.dropped_lines.fetch_add(lost, Ordering::Relaxed);
        }
        pending.clear();
    }

    fn flush(&self) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        self.write_pending(&mut pending);
    }

    /// One monitor round: write what waits, notice a vanished folder or
    /// file, and while failing, reopen the file and try one line.
    fn check(&self) {
        self.flush();
        if HEALTH.healthy() {
            if !self.dir.is_dir() {
                HEALTH.fail(&self.dir, "the folder is gone or is no longer a folder", 0);
                return;
            }
            // Removed or replaced by hand (or rotated by flexi_logger):
            // reopen, or lines go to a file nobody can see.
            let mut known = self.identity.lock().unwrap_or_else(|e| e.into_inner());
            let found = identity(&self.current);
            if found.is_none() || found != *known {
                if let Err(e) = self.file.reopen_outputfile() {
                    HEALTH.fail(&self.dir, &format!("cannot reopen the file ({e})"), 0);
                }
                *known = identity(&self.current);
            }
            return;
        }
        if !self.dir.is_dir() || self.file.reopen_outputfile().is_err() {
            HEALTH.failures.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let mut now = DeferredNow::new();
        let line = format!(
            "{} WARN [ml_api::telemetry] the log file can be written again; {} lines were dropped while it could not\n",
            now.format_rfc3339(),
            HEALTH.dropped_lines()
        );
        match self.file.clone().write_all(line.as_bytes()) {
            Ok(()) => HEALTH.recover(&self.dir),
            Err(_) => {
                HEALTH.failures.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

fn monitor(inner: &Weak<Inner>) {
    loop {
        std::thread::sleep(MONITOR_PERIOD);
        match inner.upgrade() {
            Some(inner) => inner.check(),
            None => return,
        }
    }
}

thread_local! {
    static LINE: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(512));
}

impl LogWriter for GuardedFileWriter {
    fn write(&self, now: &mut DeferredNow, record: &log::Record) -> std::io::Result<()> {
        let mut append = |line: &mut Vec<u8>| {
            line.clear();
            if (self.format)(line, now, record).is_err() {
                return;
            }
            line.push(b'\n');
            if !HEALTH.healthy() {
                HEALTH.dropped_lines.fetch_add(1, Ordering::Relaxed);
                return;
            }
            let mut pending = self.inner.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.extend_from_slice(line);
            if pending.len() >= PENDING_BYTES {
                self.inner.write_pending(&mut pending);
            }
        };
        // A log call inside formatting (a Display impl that logs) finds the
        // thread's buffer borrowed and uses a fresh one.
        LINE.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut line) => append(&mut line),
            Err(_) => append(&mut Vec::new()),
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
        LogWriter::shutdown(&*self.inner.file);
    }
}

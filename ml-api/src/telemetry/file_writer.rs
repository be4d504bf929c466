//! The log file sink (`LOG_SINK=file`) that never fails a request: the
//! monitor thread writes the waiting lines to it (see [`super::bounded`]).
//! When the file cannot be written (disk full, the folder removed or replaced by a file),
//! the fault is reported once on stderr and in `/metrics` ([`LogHealth`]),
//! further lines are dropped and counted, and every second the file is
//! reopened and tried again; the first line that gets through reports the
//! recovery.
//!
//! flexi_logger's own `FileLogWriter` does the file handling (rotation,
//! cleanup); its own error reports are per line and its buffered flushes
//! drop errors silently, which is why it is driven directly here.
//!
//! [`LogHealth`]: super::LogHealth

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use flexi_logger::DeferredNow;
use flexi_logger::writers::{ArcFileLogWriter, FileLogWriterHandle, LogWriter};

use super::HEALTH;
use super::bounded::LineSink;

/// The rotated log files; see the module docs.
pub struct FileSink {
    file: ArcFileLogWriter,
    _handle: FileLogWriterHandle,
    dir: PathBuf,
    /// `the log file in DIR`, for the reports on stderr.
    name: String,
    current: PathBuf,
    /// Device and inode of `current` when last looked at: when they
    /// change, someone replaced the file and the sink reopens it.
    identity: Mutex<Option<(u64, u64)>>,
}

/// Device and inode of the file at `path` (after symlinks), if any.
fn identity(path: &std::path::Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn lines_in(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

impl FileSink {
    /// Wraps a `FileLogWriter` (built with `WriteMode::Direct`) writing
    /// `current` in `dir`.
    pub fn new(
        (file, handle): (ArcFileLogWriter, FileLogWriterHandle),
        dir: PathBuf,
        current: PathBuf,
    ) -> FileSink {
        FileSink {
            file,
            _handle: handle,
            name: format!("the log file in {}", dir.display()),
            dir,
            identity: Mutex::new(identity(&current)),
            current,
        }
    }
}

impl LineSink for FileSink {
    fn write(&self, lines: &[u8]) {
        if !HEALTH.healthy() {
            HEALTH.count_dropped(lines_in(lines));
        } else if let Err(e) = self.file.clone().write_all(lines) {
            HEALTH.fail(
                &self.name,
                &format!("writing failed ({e})"),
                lines_in(lines),
            );
        }
    }

    /// Notices a vanished folder or file, and while failing, reopens the
    /// file and tries one line.
    fn tick(&self) {
        if HEALTH.healthy() {
            if !self.dir.is_dir() {
                HEALTH.fail(&self.name, "the folder is gone or is no longer a folder", 0);
                return;
            }
            // Removed or replaced by hand (or rotated by flexi_logger):
            // reopen, or lines go to a file nobody can see.
            let mut known = self.identity.lock().unwrap_or_else(|e| e.into_inner());
            let found = identity(&self.current);
            if found.is_none() || found != *known {
                if let Err(e) = self.file.reopen_outputfile() {
                    HEALTH.fail(&self.name, &format!("cannot reopen the file ({e})"), 0);
                }
                *known = identity(&self.current);
            }
            return;
        }
        if !self.dir.is_dir() || self.file.reopen_outputfile().is_err() {
            HEALTH.count_failure();
            return;
        }
        let mut now = DeferredNow::new();
        let line = format!(
            "{} WARN [ml_api::telemetry] the log file can be written again; {} lines were dropped while it could not\n",
            now.format_rfc3339(),
            HEALTH.dropped_lines()
        );
        match self.file.clone().write_all(line.as_bytes()) {
            Ok(()) => HEALTH.recover(&self.name),
            Err(_) => HEALTH.count_failure(),
        }
    }

    fn shutdown(&self) {
        LogWriter::shutdown(&*self.file);
    }
}

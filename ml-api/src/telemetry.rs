//! Logging with `log` + `flexi_logger`, to one sink chosen by `LOG_SINK`:
//! rotated files in `LOG_DIR` (`file`, the default) or stdout (`stdout`,
//! for a container runtime that collects it). Both get `LOG_LEVEL` and the
//! same bounds, applied once in [`bounded`] before the sink:
//!
//! - every line is at most `LOG_MAX_LINE_BYTES` (16 KiB), newline
//!   included; a longer one is cut and marked ` … [cut: N bytes]`;
//! - control characters are escaped, so one record is one line;
//! - at most `LOG_MAX_BYTES_PER_SEC` (1 MiB) a second, with one second of
//!   burst; lines past it are dropped and counted
//!   (`ml_api_log_lines_rate_limited_total`), and a WARN line a second
//!   says how many.
//!
//! - ERROR records of actix-http's HTTP/1 dispatcher (a client's malformed
//!   head) are written at WARN ([`client_faults`]): ERROR is for our bugs.
//!
//! Nothing is copied to stderr: stderr carries only the start-up line of
//! `main` and the one-off reports of a sink that cannot be written.
//!
//! Files rotate daily, or sooner when one reaches `LOG_MAX_FILE_BYTES`,
//! with the last [`KEPT_FILES`] kept, so the log's disk use stays under
//! `(KEPT_FILES + 1) * LOG_MAX_FILE_BYTES` (128 MiB by default).
//!
//! Unlike the course (file at WARNING and above), the sink gets
//! `LOG_LEVEL` (INFO by default): the sampled inputs (`LOG_INPUT_SAMPLE`,
//! 1% by default) and the outputs of predictions are the audit trail.
//! Lines are buffered and written by a log thread, so logging stays off
//! the request's critical path, a sink that blocks holds up only the log,
//! and a sink that cannot be written never fails a request (see
//! [`bounded`], [`file_writer`], [`stdout`]).

use std::cell::RefCell;

use flexi_logger::writers::FileLogWriter;
use flexi_logger::{
    Age, Cleanup, Criterion, DeferredNow, ErrorChannel, FileSpec, LogSpecification, Logger,
    LoggerHandle, Naming, WriteMode,
};

use crate::configuration::LogSettings;
use crate::error::Error;

pub mod bounded;
pub mod client_faults;
pub mod file_writer;
mod health;
pub mod line;
mod pending;
pub mod rate;
pub mod stdout;

pub use health::{HEALTH, LogHealth};

/// How many rotated files are kept besides the current one.
pub const KEPT_FILES: usize = 7;

/// The file lines are written to; rotated files get a timestamp instead.
pub const CURRENT_FILE: &str = "ml-api_rCURRENT.log";

/// Where log lines go (`LOG_SINK`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogSink {
    /// Rotated files in `LOG_DIR`: the service keeps its own history.
    File,
    /// stdout: the container runtime keeps the history.
    Stdout,
}

impl LogSink {
    /// # Errors
    /// A message when `value` is neither `file` nor `stdout`.
    pub fn parse(value: &str) -> Result<LogSink, String> {
        match value.to_ascii_lowercase().as_str() {
            "file" => Ok(LogSink::File),
            "stdout" => Ok(LogSink::Stdout),
            _ => Err(format!("`{value}` is not a log sink")),
        }
    }

    /// The setting's value: `file` or `stdout`.
    pub fn name(self) -> &'static str {
        match self {
            LogSink::File => "file",
            LogSink::Stdout => "stdout",
        }
    }
}

/// Starts logging; keep the handle alive for as long as the process logs.
///
/// With the file sink, a folder that cannot be created stops start-up (a
/// deployment mistake is best found at once); once running, a sink that
/// cannot be written only costs log lines.
///
/// # Errors
/// [`Error::Logging`] when the folder cannot be created or the logger was
/// already started.
pub fn init(settings: &LogSettings) -> Result<LoggerHandle, Error> {
    let fail = |e: flexi_logger::FlexiLoggerError| Error::Logging {
        dir: settings.dir.clone(),
        message: e.to_string(),
    };
    let sink: Box<dyn bounded::LineSink> = match settings.sink {
        LogSink::Stdout => Box::new(stdout::StdoutSink),
        LogSink::File => {
            let file = FileLogWriter::builder(
                FileSpec::default()
                    .directory(&settings.dir)
                    .basename("ml-api")
                    .suffix("log"),
            )
            .rotate(
                Criterion::AgeOrSize(Age::Day, settings.max_file_bytes),
                Naming::Timestamps,
                Cleanup::KeepLogFiles(KEPT_FILES),
            )
            .append()
            .write_mode(WriteMode::Direct)
            .try_build_with_handle()
            .map_err(fail)?;
            let current = settings.dir.join(CURRENT_FILE);
            Box::new(file_writer::FileSink::new(
                file,
                settings.dir.clone(),
                current,
            ))
        }
    };
    let writer = bounded::BoundedWriter::start(
        sink,
        format_line,
        settings.max_line_bytes,
        settings.max_bytes_per_sec,
    );
    let spec = LogSpecification::parse(&settings.level).map_err(fail)?;
    Logger::with(spec.clone())
        .log_to_writer(Box::new(writer))
        .filter(Box::new(client_faults::ClientFaultsAtWarn::new(spec)))
        // flexi_logger's own complaints go to stderr, but a broken stderr
        // must not turn a log call into a panic.
        .error_channel(ErrorChannel::StdErr)
        .panic_if_error_channel_is_broken(false)
        .start()
        .map_err(fail)
}

/// The line format: `2026-11-26T10:02:10.123+00:00 INFO [ml_api::output] message`; the
/// writer it is given escapes and bounds it ([`line::LineBuffers`]).
pub fn format_line(
    w: &mut dyn std::io::Write,
    now: &mut DeferredNow,
    record: &log::Record,
) -> std::io::Result<()> {
    timestamp(w, now)?;
    write!(
        w,
        " {} [{}] {}",
        record.level(),
        record.target(),
        record.args()
    )
}

thread_local! {
    /// The last second this thread formatted, with its UTC offset, and its
    /// text: formatting the date and time was a third of a line's cost.
    static SECOND: RefCell<(i64, i32, String)> = const { RefCell::new((0, 0, String::new())) };
}

/// `now` as RFC 3339 with milliseconds and the numeric offset
/// (`2026-11-26T10:02:10.123+00:00`), like `DeferredNow::format_rfc3339`.
fn timestamp(w: &mut dyn std::io::Write, now: &mut DeferredNow) -> std::io::Result<()> {
    let now = now.now();
    let (second, offset) = (now.timestamp(), now.offset().local_minus_utc());
    // A leap second shows as 1000 ms or more; chrono prints it as .999.
    let millis = now.timestamp_subsec_millis().min(999);
    let (sign, minutes) = (if offset < 0 { '-' } else { '+' }, offset.abs() / 60);
    SECOND.with(|cached| {
        let mut cached = cached.borrow_mut();
        if cached.2.is_empty() || (cached.0, cached.1) != (second, offset) {
            *cached = (second, offset, now.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
        write!(
            w,
            "{}.{millis:03}{sign}{:02}:{:02}",
            cached.2,
            minutes / 60,
            minutes % 60
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timestamp_is_the_one_flexi_logger_would_write() {
        for _ in 0..3 {
            let mut now = DeferredNow::new();
            let mut ours = Vec::new();
            timestamp(&mut ours, &mut now).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), now.format_rfc3339());
        }
    }
}

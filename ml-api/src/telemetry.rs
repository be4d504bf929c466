//! Logging with `log` + `flexi_logger`: files in `LOG_DIR` (`ml-api_*.log`)
//! rotated daily, or sooner when one reaches `LOG_MAX_FILE_BYTES`, with the
//! last [`KEPT_FILES`] kept, so the log's disk use stays under
//! `(KEPT_FILES + 1) * LOG_MAX_FILE_BYTES` (128 MiB by default) even under
//! load; and, optionally, the console. Both get `LOG_LEVEL`.
//!
//! Unlike the course (file at WARNING and above), the file gets `LOG_LEVEL`
//! (INFO by default): the sampled inputs and all outputs of predictions are
//! the audit trail, and a log that drops them on disk is of no use for it.
//! Operators who want a quieter file set `LOG_LEVEL=warn` or lower
//! `LOG_INPUT_SAMPLE`. Lines are buffered and written every second, so
//! logging stays off the request's critical path, and a log file that
//! cannot be written never fails a request (see [`file_writer`]).

use flexi_logger::writers::FileLogWriter;
use flexi_logger::{
    Age, Cleanup, Criterion, DeferredNow, Duplicate, ErrorChannel, FileSpec, Logger, LoggerHandle,
    Naming, WriteMode,
};

use crate::configuration::LogSettings;
use crate::error::Error;

pub mod file_writer;

pub use file_writer::{HEALTH, LogHealth};

/// How many rotated files are kept besides the current one.
pub const KEPT_FILES: usize = 7;

/// The file lines are written to; rotated files get a timestamp instead.
pub const CURRENT_FILE: &str = "ml-api_rCURRENT.log";

/// Starts logging; keep the handle alive for as long as the process logs.
///
/// A folder that cannot be created stops start-up (a deployment mistake is
/// best found at once); once running, a file that cannot be written only
/// costs log lines (see [`file_writer`]).
///
/// # Errors
/// [`Error::Logging`] when the folder cannot be created or the logger was
/// already started.
pub fn init(settings: &LogSettings, console: bool) -> Result<LoggerHandle, Error> {
    let fail = |e: flexi_logger::FlexiLoggerError| Error::Logging {
        dir: settings.dir.clone(),
        message: e.to_string(),
    };
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
    .format(line)
    .write_mode(WriteMode::Direct)
    .try_build_with_handle()
    .map_err(fail)?;
    let writer = file_writer::GuardedFileWriter::start(
        file,
        settings.dir.clone(),
        settings.dir.join(CURRENT_FILE),
        line,
    );
    Logger::try_with_str(&settings.level)
        .map_err(fail)?
        .log_to_writer(Box::new(writer))
        .format(line)
        .duplicate_to_stderr(if console {
            Duplicate::All
        } else {
            Duplicate::None
        })
        // flexi_logger's own complaints go to stderr, but a broken stderr
        // must not turn a log call into a panic.
        .error_channel(ErrorChannel::StdErr)
        .panic_if_error_channel_is_broken(false)
        .start()
        .map_err(fail)
}

/// `2026-11-26T10:02:10.123+00:00 INFO [ml_api::output] message`
fn line(
    w: &mut dyn std::io::Write,
    now: &mut DeferredNow,
    record: &log::Record,
) -> std::io::Result<()> {
    write!(
        w,
        "{} {} [{}] {}",
        now.format_rfc3339(),
        record.level(),
        record.target(),
        record.args()
    )
}

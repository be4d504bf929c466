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
//! `LOG_INPUT_SAMPLE`. Lines are buffered and flushed every second, so
//! logging stays off the request's critical path.

use flexi_logger::{
    Age, Cleanup, Criterion, DeferredNow, Duplicate, FileSpec, Logger, LoggerHandle, Naming,
    WriteMode,
};

use crate::configuration::LogSettings;
use crate::error::Error;

/// How many rotated files are kept besides the current one.
pub const KEPT_FILES: usize = 7;

/// Starts logging; keep the handle alive for as long as the process logs.
///
/// # Errors
/// [`Error::Logging`] when the folder cannot be created or the logger was
/// already started.
pub fn init(settings: &LogSettings, console: bool) -> Result<LoggerHandle, Error> {
    let fail = |e: flexi_logger::FlexiLoggerError| Error::Logging {
        dir: settings.dir.clone(),
        message: e.to_string(),
    };
    Logger::try_with_str(&settings.level)
        .map_err(fail)?
        .log_to_file(
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
        .duplicate_to_stderr(if console {
            Duplicate::All
        } else {
            Duplicate::None
        })
        .write_mode(WriteMode::BufferAndFlush)
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

//! actix-http's HTTP/1 dispatcher logs each connection it drops at ERROR
//! (`stream error: request parse error: invalid Header provided`, `URI
//! error: uri too long`, `invalid HTTP version`): what a client sent, not a
//! fault of this service. The README keeps ERROR for our own bugs, so any
//! client could set off error-level alerts. [`ClientFaultsAtWarn`] caps
//! the records of `actix_http::h1` at WARN: still in the log (a burst of
//! them says something), no longer paging anyone.

use flexi_logger::filter::{LogLineFilter, LogLineWriter};
use flexi_logger::{DeferredNow, LogSpecification};
use log::{Level, Record};

/// The target whose ERROR records are capped, with every module under it.
pub const CAPPED_TARGET: &str = "actix_http::h1";

/// A filter between the level check and the writer: re-levels
/// [`CAPPED_TARGET`]'s ERROR records to WARN, and drops those the log
/// spec would not take at WARN (`LOG_LEVEL=error` keeps them out).
pub struct ClientFaultsAtWarn {
    spec: LogSpecification,
}

impl ClientFaultsAtWarn {
    /// `spec` must be the logger's own (`LOG_LEVEL`), which never changes
    /// while the service runs.
    pub fn new(spec: LogSpecification) -> ClientFaultsAtWarn {
        ClientFaultsAtWarn { spec }
    }
}

fn capped(target: &str) -> bool {
    target
        .strip_prefix(CAPPED_TARGET)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

impl LogLineFilter for ClientFaultsAtWarn {
    fn write(
        &self,
        now: &mut DeferredNow,
        record: &Record,
        log_line_writer: &dyn LogLineWriter,
    ) -> std::io::Result<()> {
        if record.level() != Level::Error || !capped(record.target()) {
            return log_line_writer.write(now, record);
        }
        if !self.spec.enabled(Level::Warn, record.target()) {
            return Ok(());
        }
        let warning = Record::builder()
            .args(*record.args())
            .level(Level::Warn)
            .target(record.target())
            .module_path(record.module_path())
            .file(record.file())
            .line(record.line())
            .build();
        log_line_writer.write(now, &warning)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Keeps `LEVEL target` of each record written.
    #[derive(Default)]
    struct Kept(Mutex<Vec<String>>);

    impl LogLineWriter for Kept {
        fn write(&self, _: &mut DeferredNow, record: &Record) -> std::io::Result<()> {
            let line = format!("{} {}", record.level(), record.target());
            self.0.lock().unwrap().push(line);
            Ok(())
        }
    }

    fn filtered(spec: &str, records: &[(Level, &str)]) -> Vec<String> {
        let filter = ClientFaultsAtWarn::new(LogSpecification::parse(spec).unwrap());
        let kept = Kept::default();
        for (level, target) in records {
            let args = format_args!("stream error");
            let record = Record::builder()
                .level(*level)
                .target(target)
                .args(args)
                .build();
            filter
                .write(&mut DeferredNow::new(), &record, &kept)
                .unwrap();
        }
        kept.0.into_inner().unwrap()
    }

    #[test]
    fn actix_http_h1_errors_become_warnings_and_others_are_untouched() {
        let records = [
            (Level::Error, "actix_http::h1::dispatcher"),
            (Level::Error, "actix_http::h1"),
            (Level::Error, "actix_http::h10"),
            (Level::Error, "ml_api::error"),
            (Level::Info, "actix_http::h1::dispatcher"),
        ];
        assert_eq!(
            filtered("info", &records),
            [
                "WARN actix_http::h1::dispatcher",
                "WARN actix_http::h1",
                "ERROR actix_http::h10",
                "ERROR ml_api::error",
                "INFO actix_http::h1::dispatcher",
            ]
        );
    }

    #[test]
    fn a_capped_error_is_dropped_when_the_spec_takes_no_warnings_from_it() {
        let records = [
            (Level::Error, "actix_http::h1::dispatcher"),
            (Level::Error, "ml_api::error"),
        ];
        assert_eq!(filtered("error", &records), ["ERROR ml_api::error"]);
        assert_eq!(
            filtered("error,actix_http=warn", &records),
            ["WARN actix_http::h1::dispatcher", "ERROR ml_api::error"]
        );
    }
}

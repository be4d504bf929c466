//! The stdout sink (`LOG_SINK=stdout`), the container convention: the
//! runtime collects and rotates what the process prints. The monitor
//! thread writes the waiting lines (see [`super::bounded`]), so a reader
//! that stalls holds up the log, not the requests; a stdout that cannot be
//! written (a closed pipe) costs log lines, counted in `/metrics`. Nothing
//! is copied to stderr.

use std::io::Write;

use flexi_logger::DeferredNow;

use super::HEALTH;
use super::bounded::LineSink;

const NAME: &str = "the log to stdout";

/// See the module docs.
#[derive(Debug, Default)]
pub struct StdoutSink;

fn lines_in(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

impl LineSink for StdoutSink {
    fn write(&self, lines: &[u8]) {
        if !HEALTH.healthy() {
            HEALTH.count_dropped(lines_in(lines));
            return;
        }
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(lines).and_then(|()| out.flush()) {
            HEALTH.fail(NAME, &format!("writing failed ({e})"), lines_in(lines));
        }
    }

    /// While failing, tries one line to see whether stdout works again.
    fn tick(&self) {
        if HEALTH.healthy() {
            return;
        }
        let mut now = DeferredNow::new();
        let line = format!(
            "{} WARN [ml_api::telemetry] stdout can be written again; {} lines were dropped while it could not\n",
            now.format_rfc3339(),
            HEALTH.dropped_lines()
        );
        let mut out = std::io::stdout().lock();
        match out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => HEALTH.recover(NAME),
            Err(_) => HEALTH.count_failure(),
        }
    }

    fn shutdown(&self) {}
}

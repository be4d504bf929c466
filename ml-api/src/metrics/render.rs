//! The series that describe the service rather than count its requests:
//! the loaded models (`ml_api_model_info`), the shadow's queue and
//! comparisons, and the log sink's health.

use std::fmt::Write;

use super::{escape, header, single};
use crate::models::Roster;
use crate::shadow::Shadow;

/// `ml_api_model_info`: one line per loaded model, with its aliases.
pub(super) fn models(out: &mut String, roster: Option<&Roster>) {
    header(
        out,
        "ml_api_model_info",
        "gauge",
        "The models loaded (value 1), described by their labels; alias is champion, challenger or empty.",
    );
    let Some(roster) = roster else { return };
    for loaded in roster.models() {
        let m = &loaded.model.metadata;
        let _ = writeln!(
            out,
            "ml_api_model_info{{model_version=\"{}\",artifact_model_version=\"{}\",alias=\"{}\",config_name=\"{}\",estimator=\"{}\",artifact_sha256=\"{}\",api_version=\"{}\"}} 1",
            escape(&loaded.name),
            escape(&m.model_version),
            roster.aliases(loaded).join(","),
            escape(&m.config_name),
            escape(&m.estimator),
            escape(&loaded.artifact_sha256),
            env!("CARGO_PKG_VERSION")
        );
    }
}

pub(super) fn shadow(out: &mut String, shadow: &Shadow) {
    let (queued, dropped, _, _) = shadow.queue_counts();
    single(
        out,
        "ml_api_shadow_sample",
        "gauge",
        "Share of champion requests also scored by the challenger (SHADOW_SAMPLE).",
        shadow.sample(),
    );
    single(
        out,
        "ml_api_shadow_requests_queued_total",
        "counter",
        "Champion requests handed to the challenger's queue.",
        queued,
    );
    single(
        out,
        "ml_api_shadow_requests_dropped_total",
        "counter",
        "Sampled requests not shadowed because SHADOW_QUEUE or SHADOW_QUEUE_BYTES was full.",
        dropped,
    );
    shadow.comparisons().render(out);
}

pub(super) fn log_health(out: &mut String, health: &crate::telemetry::LogHealth) {
    single(
        out,
        "ml_api_log_file_healthy",
        "gauge",
        "1 while log lines reach the log file, 0 while it cannot be written.",
        u8::from(health.healthy()),
    );
    single(
        out,
        "ml_api_log_write_failures_total",
        "counter",
        "Failed attempts to write or reach the log file.",
        health.failures(),
    );
    single(
        out,
        "ml_api_log_lines_dropped_total",
        "counter",
        "Log lines that never reached the log file (or stdout) because it could not be written.",
        health.dropped_lines(),
    );
    single(
        out,
        "ml_api_log_lines_rate_limited_total",
        "counter",
        "Log lines dropped because LOG_MAX_BYTES_PER_SEC was used up.",
        health.rate_limited_lines(),
    );
}

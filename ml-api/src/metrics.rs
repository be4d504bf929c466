//! Prometheus metrics, kept in memory and written in the text exposition
//! format by hand (a few counters and one histogram do not need a crate).
//!
//! Series: `ml_api_http_requests_total` and
//! `ml_api_http_request_duration_seconds` by route and status,
//! `ml_api_rows_predicted_total`, `ml_api_rows_rejected_total`,
//! `ml_api_field_errors_total` by field, `ml_api_model_info` whose labels
//! carry the model version, `ml_api_model_reloads_total` by trigger and
//! outcome, `ml_api_requests_overloaded_total` (503 `overloaded`), and the
//! log file's health (`ml_api_log_file_healthy`,
//! `ml_api_log_write_failures_total`, `ml_api_log_lines_dropped_total`,
//! `ml_api_log_lines_rate_limited_total`).
//! Labels only take values from a closed set (route patterns, status codes,
//! column names, outcomes), so a client cannot grow them.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use regression_model::{Column, FieldError};

use crate::model::LoadedModel;

/// Histogram bucket bounds, in seconds: sub-millisecond predictions up to slow batches.
const BUCKETS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    /// Non-cumulative counts per bucket; the last slot is `+Inf`.
    buckets: [u64; BUCKETS.len() + 1],
}

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// route -> status -> series.
    http: Mutex<HashMap<String, HashMap<u16, Series>>>,
    rows_predicted: AtomicU64,
    rows_rejected: AtomicU64,
    /// Times a busy worker gave its CPU away (`YIELD_INTERVAL_US`).
    worker_yields: AtomicU64,
    /// Requests refused because `MAX_INFLIGHT_BODY_BYTES` were buffered.
    overloaded: AtomicU64,
    field_errors: Mutex<HashMap<&'static str, u64>>,
    /// (trigger, outcome) -> reloads.
    reloads: Mutex<HashMap<(&'static str, &'static str), u64>>,
}

impl Metrics {
    /// Records one finished request; `route` is the matched route pattern.
    pub fn observe_request(&self, route: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        let mut http = self.http.lock().unwrap_or_else(|e| e.into_inner());
        let by_status = match http.get_mut(route) {
            Some(by_status) => by_status,
            None => http.entry(route.to_owned()).or_default(),
        };
        let series = by_status.entry(status).or_default();
        series.count += 1;
        series.sum += seconds;
        series.buckets[bucket] += 1;
    }

    /// Records the outcome of one prediction request.
    pub fn observe_prediction(&self, predicted: usize, errors: &[FieldError]) {
        self.rows_predicted
            .fetch_add(predicted as u64, Ordering::Relaxed);
        if errors.is_empty() {
            return;
        }
        let mut rows: Vec<usize> = errors.iter().map(|e| e.row).collect();
        rows.dedup();
        self.rows_rejected
            .fetch_add(rows.len() as u64, Ordering::Relaxed);
        let mut fields = self.field_errors.lock().unwrap_or_else(|e| e.into_inner());
        for error in errors {
            *fields.entry(field_label(&error.field)).or_default() += 1;
        }
    }

    /// Records that a busy worker yielded its CPU.
    pub fn count_yield(&self) {
        self.worker_yields.fetch_add(1, Ordering::Relaxed);
    }

    /// Records a request refused with 503 `overloaded`.
    pub fn count_overloaded(&self) {
        self.overloaded.fetch_add(1, Ordering::Relaxed);
    }

    /// Records one reload attempt.
    pub fn observe_reload(&self, trigger: &'static str, outcome: &'static str) {
        let mut reloads = self.reloads.lock().unwrap_or_else(|e| e.into_inner());
        *reloads.entry((trigger, outcome)).or_default() += 1;
    }

    /// The metrics in Prometheus text format (version 0.0.4).
    pub fn render(&self, model: Option<&LoadedModel>) -> String {
        let mut out = String::with_capacity(4096);
        let http = self.http.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut routes: Vec<_> = http.iter().collect();
        routes.sort_by(|a, b| a.0.cmp(b.0));
        header(
            &mut out,
            "ml_api_http_requests_total",
            "counter",
            "HTTP requests by route pattern and status.",
        );
        for (route, by_status) in &routes {
            for (status, series) in sorted(by_status) {
                let _ = writeln!(
                    out,
                    "ml_api_http_requests_total{{route=\"{}\",status=\"{status}\"}} {}",
                    escape(route),
                    series.count
                );
            }
        }
        let name = "ml_api_http_request_duration_seconds";
        header(
            &mut out,
            name,
            "histogram",
            "Time from request to response, by route pattern and status.",
        );
        for (route, by_status) in &routes {
            let route = escape(route);
            for (status, series) in sorted(by_status) {
                let mut cumulative = 0;
                for (bound, count) in BUCKETS.iter().zip(&series.buckets) {
                    cumulative += count;
                    let _ = writeln!(
                        out,
                        "{name}_bucket{{route=\"{route}\",status=\"{status}\",le=\"{bound}\"}} {cumulative}"
                    );
                }
                let _ = writeln!(
                    out,
                    "{name}_bucket{{route=\"{route}\",status=\"{status}\",le=\"+Inf\"}} {}",
                    series.count
                );
                let _ = writeln!(
                    out,
                    "{name}_sum{{route=\"{route}\",status=\"{status}\"}} {}",
                    series.sum
                );
                let _ = writeln!(
                    out,
                    "{name}_count{{route=\"{route}\",status=\"{status}\"}} {}",
                    series.count
                );
            }
        }
        single(
            &mut out,
            "ml_api_rows_predicted_total",
            "counter",
            "Records that received a price.",
            self.rows_predicted.load(Ordering::Relaxed),
        );
        single(
            &mut out,
            "ml_api_rows_rejected_total",
            "counter",
            "Records rejected with field errors.",
            self.rows_rejected.load(Ordering::Relaxed),
        );
        header(
            &mut out,
            "ml_api_field_errors_total",
            "counter",
            "Field errors that rejected records, by field.",
        );
        let mut fields: Vec<(&str, u64)> = self
            .field_errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(f, n)| (*f, *n))
            .collect();
        fields.sort_unstable();
        for (field, count) in fields {
            let _ = writeln!(
                out,
                "ml_api_field_errors_total{{field=\"{field}\"}} {count}"
            );
        }
        single(
            &mut out,
            "ml_api_worker_yields_total",
            "counter",
            "Times a worker busy for most of YIELD_INTERVAL_US gave its CPU to other threads.",
            self.worker_yields.load(Ordering::Relaxed),
        );
        single(
            &mut out,
            "ml_api_requests_overloaded_total",
            "counter",
            "Requests refused with 503 because MAX_INFLIGHT_BODY_BYTES of bodies were buffered.",
            self.overloaded.load(Ordering::Relaxed),
        );
        header(
            &mut out,
            "ml_api_model_info",
            "gauge",
            "The model being served (value 1), described by its labels.",
        );
        if let Some(loaded) = model {
            let m = &loaded.model.metadata;
            let _ = writeln!(
                out,
                "ml_api_model_info{{model_version=\"{}\",config_name=\"{}\",estimator=\"{}\",artifact_sha256=\"{}\",api_version=\"{}\"}} 1",
                escape(&m.model_version),
                escape(&m.config_name),
                escape(&m.estimator),
                escape(&loaded.artifact_sha256),
                env!("CARGO_PKG_VERSION")
            );
        }
        self.render_reloads(&mut out);
        render_log_health(&mut out, &crate::telemetry::HEALTH);
        out
    }

    fn render_reloads(&self, out: &mut String) {
        header(
            out,
            "ml_api_model_reloads_total",
            "counter",
            "Model reloads by trigger (http, signal) and outcome (success, rejected, nothing_to_reload, in_progress).",
        );
        let mut reloads: Vec<_> = self
            .reloads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(k, n)| (*k, *n))
            .collect();
        reloads.sort_unstable();
        for ((trigger, outcome), count) in reloads {
            let _ = writeln!(
                out,
                "ml_api_model_reloads_total{{trigger=\"{trigger}\",outcome=\"{outcome}\"}} {count}"
            );
        }
    }
}

fn render_log_health(out: &mut String, health: &crate::telemetry::LogHealth) {
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

/// A series with one value and no labels, with its header.
fn single(out: &mut String, name: &str, kind: &str, help: &str, value: impl std::fmt::Display) {
    header(out, name, kind, help);
    let _ = writeln!(out, "{name} {value}");
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn sorted(by_status: &HashMap<u16, Series>) -> Vec<(u16, &Series)> {
    let mut list: Vec<(u16, &Series)> = by_status.iter().map(|(s, v)| (*s, v)).collect();
    list.sort_unstable_by_key(|(status, _)| *status);
    list
}

/// Field names come from clients; only known ones become label values.
fn field_label(field: &str) -> &'static str {
    match field {
        "record" => "record",
        "Id" => "Id",
        other => Column::from_name(other).map_or("unknown_field", Column::name),
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_lands_in_the_first_bucket_that_holds_it_and_buckets_are_cumulative() {
        let metrics = Metrics::default();
        metrics.observe_request("/health", 200, Duration::from_micros(300));
        metrics.observe_request("/health", 200, Duration::from_secs(10));
        let text = metrics.render(None);
        assert!(text.contains(r#"ml_api_http_requests_total{route="/health",status="200"} 2"#));
        let bucket = r#"ml_api_http_request_duration_seconds_bucket{route="/health",status="200""#;
        assert!(
            text.contains(&format!(r#"{bucket},le="0.00025"}} 0"#)),
            "{text}"
        );
        assert!(
            text.contains(&format!(r#"{bucket},le="0.0005"}} 1"#)),
            "{text}"
        );
        assert!(text.contains(&format!(r#"{bucket},le="5"}} 1"#)), "{text}");
        assert!(
            text.contains(&format!(r#"{bucket},le="+Inf"}} 2"#)),
            "{text}"
        );
    }

    #[test]
    fn unknown_field_names_do_not_become_label_values() {
        let metrics = Metrics::default();
        let error = |field: &str| FieldError {
            row: 0,
            field: field.into(),
            message: "x".into(),
        };
        metrics.observe_prediction(0, &[error("GrLivArea"), error("made-up\"field")]);
        let text = metrics.render(None);
        assert!(text.contains(r#"ml_api_field_errors_total{field="GrLivArea"} 1"#));
        assert!(text.contains(r#"ml_api_field_errors_total{field="unknown_field"} 1"#));
        assert!(text.contains("ml_api_rows_rejected_total 1"));
    }
}

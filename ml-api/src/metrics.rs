//! Prometheus metrics, kept in memory and written in the text exposition
//! format by hand (a few counters and histograms do not need a crate).
//!
//! Every request, latency, row and error series carries `model_version`,
//! the name of the model that served it ([`labels`]: bounded), so a
//! dashboard can set versions side by side. Series:
//! `ml_api_http_requests_total` and `ml_api_http_request_duration_seconds`
//! by route, model and status (`http`), `ml_api_stage_duration_seconds`
//! by model and stage ([`stages`]), `ml_api_rows_predicted_total`,
//! `ml_api_rows_rejected_total` and `ml_api_field_errors_total` (by field)
//! per model, `ml_api_imputed_fields_total` and
//! `ml_api_extrapolated_fields_total` by model and field (`flags`),
//! `ml_api_model_info` for every loaded model with its aliases,
//! `ml_api_model_reloads_total` by trigger and outcome,
//! `ml_api_model_promotions_total`, the shadow's queue and comparisons
//! ([`crate::shadow`]), `ml_api_requests_overloaded_total` (503
//! `overloaded`), and the log file's health (`ml_api_log_file_healthy`,
//! `ml_api_log_write_failures_total`, `ml_api_log_lines_dropped_total`,
//! `ml_api_log_lines_rate_limited_total`).
//! Labels only take values from a closed set (route patterns, status codes,
//! column names, model names, outcomes), so a client cannot grow them.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use regression_model::{Column, FieldError, Prediction};

use crate::models::Roster;
use crate::shadow::Shadow;

mod flags;
mod http;
pub mod labels;
mod render;
pub mod stages;

pub use labels::{ModelLabels, NO_MODEL};
pub use stages::Stage;

/// Rows a model predicted and rejected.
#[derive(Debug, Default, Clone, Copy)]
struct Rows {
    predicted: u64,
    rejected: u64,
}

/// The service's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Model names as label values, bounded.
    pub labels: ModelLabels,
    http: http::HttpSeries,
    stages: stages::StageTimes,
    rows: Mutex<BTreeMap<Arc<str>, Rows>>,
    /// Times a busy worker gave its CPU away (`YIELD_INTERVAL_US`).
    worker_yields: AtomicU64,
    /// Requests refused because `MAX_INFLIGHT_BODY_BYTES` were buffered.
    overloaded: AtomicU64,
    field_errors: Mutex<BTreeMap<(Arc<str>, &'static str), u64>>,
    /// (trigger, outcome) -> reloads.
    reloads: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    promotions: AtomicU64,
    flags: flags::FlagCounters,
}

impl Metrics {
    /// Records one finished request; `route` is the matched route pattern,
    /// `model` the label of the model that served it ([`NO_MODEL`]: none).
    pub fn observe_request(&self, route: &str, model: &Arc<str>, status: u16, elapsed: Duration) {
        self.http.observe(route, model, status, elapsed);
    }

    /// Records the stages of one request served by `model`.
    pub fn observe_stages(&self, model: &str, stages: &[(Stage, Duration)]) {
        self.stages.observe(&self.labels.get(model), stages);
    }

    /// Records the outcome of one prediction request by `model`.
    pub fn observe_prediction(&self, model: &str, predicted: usize, errors: &[FieldError]) {
        let label = self.labels.get(model);
        let mut rejected: Vec<usize> = errors.iter().map(|e| e.row).collect();
        rejected.dedup();
        {
            let mut rows = self.rows.lock().unwrap_or_else(|e| e.into_inner());
            let counts = rows.entry(label.clone()).or_default();
            counts.predicted += predicted as u64;
            counts.rejected += rejected.len() as u64;
        }
        if errors.is_empty() {
            return;
        }
        let mut fields = self.field_errors.lock().unwrap_or_else(|e| e.into_inner());
        for error in errors {
            *fields
                .entry((label.clone(), field_label(&error.field)))
                .or_default() += 1;
        }
    }

    /// Counts the prices' imputed and extrapolated fields, by model.
    pub fn observe_flags(&self, model: &str, predictions: &[Prediction]) {
        self.flags.observe(&self.labels, model, predictions);
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

    /// Records one swap of champion and challenger.
    pub fn count_promotion(&self) {
        self.promotions.fetch_add(1, Ordering::Relaxed);
    }

    /// The metrics in Prometheus text format (version 0.0.4).
    pub fn render(&self, roster: Option<&Roster>, shadow: &Shadow) -> String {
        let mut out = String::with_capacity(8192);
        self.http.render(&mut out);
        self.stages.render(&mut out);
        let rows = self.rows.lock().unwrap_or_else(|e| e.into_inner()).clone();
        for (name, help, value) in [
            (
                "ml_api_rows_predicted_total",
                "Records that received a price, by model.",
                (|r: &Rows| r.predicted) as fn(&Rows) -> u64,
            ),
            (
                "ml_api_rows_rejected_total",
                "Records rejected with field errors, by model.",
                |r: &Rows| r.rejected,
            ),
        ] {
            header(&mut out, name, "counter", help);
            for (model, counts) in &rows {
                let model = escape(model);
                let _ = writeln!(out, "{name}{{model_version=\"{model}\"}} {}", value(counts));
            }
        }
        header(
            &mut out,
            "ml_api_field_errors_total",
            "counter",
            "Field errors that rejected records, by model and field.",
        );
        let fields = self
            .field_errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for ((model, field), count) in fields {
            let _ = writeln!(
                out,
                "ml_api_field_errors_total{{model_version=\"{}\",field=\"{field}\"}} {count}",
                escape(&model)
            );
        }
        self.flags.render(&mut out);
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
        render::models(&mut out, roster);
        self.render_reloads(&mut out);
        single(
            &mut out,
            "ml_api_model_promotions_total",
            "counter",
            "Swaps of champion and challenger (POST /admin/promote).",
            self.promotions.load(Ordering::Relaxed),
        );
        render::shadow(&mut out, shadow);
        render::log_health(&mut out, &crate::telemetry::HEALTH);
        out
    }

    fn render_reloads(&self, out: &mut String) {
        header(
            out,
            "ml_api_model_reloads_total",
            "counter",
            "Model reloads by trigger (http, signal) and outcome (success, rejected, nothing_to_reload, in_progress).",
        );
        let reloads = self
            .reloads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for ((trigger, outcome), count) in reloads {
            let _ = writeln!(
                out,
                "ml_api_model_reloads_total{{trigger=\"{trigger}\",outcome=\"{outcome}\"}} {count}"
            );
        }
    }
}

/// A series with one value and no labels, with its header.
pub(crate) fn single(
    out: &mut String,
    name: &str,
    kind: &str,
    help: &str,
    value: impl std::fmt::Display,
) {
    header(out, name, kind, help);
    let _ = writeln!(out, "{name} {value}");
}

pub(crate) fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Field names come from clients; only known ones become label values.
fn field_label(field: &str) -> &'static str {
    match field {
        "record" => "record",
        "Id" => "Id",
        other => Column::from_name(other).map_or("unknown_field", Column::name),
    }
}

pub(crate) fn escape(value: &str) -> String {
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
        let none: Arc<str> = Arc::from(NO_MODEL);
        metrics.observe_request("/health", &none, 200, Duration::from_micros(300));
        metrics.observe_request("/health", &none, 200, Duration::from_secs(10));
        let text = metrics.render(None, &Shadow::off());
        assert!(text.contains(
            r#"ml_api_http_requests_total{route="/health",model_version="",status="200"} 2"#
        ));
        let bucket = r#"ml_api_http_request_duration_seconds_bucket{route="/health",model_version="",status="200""#;
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
        metrics.observe_prediction("a", 0, &[error("GrLivArea"), error("made-up\"field")]);
        let text = metrics.render(None, &Shadow::off());
        assert!(
            text.contains(r#"ml_api_field_errors_total{model_version="a",field="GrLivArea"} 1"#)
        );
        assert!(
            text.contains(
                r#"ml_api_field_errors_total{model_version="a",field="unknown_field"} 1"#
            )
        );
        assert!(text.contains(r#"ml_api_rows_rejected_total{model_version="a"} 1"#));
    }
}

//! `ml_api_http_requests_total` and `ml_api_http_request_duration_seconds`
//! by route pattern, model (`model_version`) and status.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::escape;

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

/// route -> model -> status -> series.
type ByRoute = HashMap<String, HashMap<Arc<str>, HashMap<u16, Series>>>;

#[derive(Debug, Default)]
pub struct HttpSeries(Mutex<ByRoute>);

impl HttpSeries {
    pub fn observe(&self, route: &str, model: &Arc<str>, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        let mut http = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let by_model = match http.get_mut(route) {
            Some(by_model) => by_model,
            None => http.entry(route.to_owned()).or_default(),
        };
        let by_status = match by_model.get_mut(model) {
            Some(by_status) => by_status,
            None => by_model.entry(model.clone()).or_default(),
        };
        let series = by_status.entry(status).or_default();
        series.count += 1;
        series.sum += seconds;
        series.buckets[bucket] += 1;
    }

    pub fn render(&self, out: &mut String) {
        let http = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut rows: Vec<(String, u16, &Series)> = Vec::new();
        for (route, by_model) in &http {
            for (model, by_status) in by_model {
                for (status, series) in by_status {
                    let labels = format!(
                        "route=\"{}\",model_version=\"{}\",status=\"{status}\"",
                        escape(route),
                        escape(model)
                    );
                    rows.push((labels, *status, series));
                }
            }
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        super::header(
            out,
            "ml_api_http_requests_total",
            "counter",
            "HTTP requests by route pattern, model and status.",
        );
        for (labels, _, series) in &rows {
            let _ = writeln!(
                out,
                "ml_api_http_requests_total{{{labels}}} {}",
                series.count
            );
        }
        let name = "ml_api_http_request_duration_seconds";
        super::header(
            out,
            name,
            "histogram",
            "Time from request to response, by route pattern, model and status.",
        );
        for (labels, _, series) in &rows {
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(&series.buckets) {
                cumulative += count;
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
            }
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels},le=\"+Inf\"}} {}",
                series.count
            );
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", series.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", series.count);
        }
    }
}

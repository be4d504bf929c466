//! Input drift of the served model: every row a request sends to the
//! model (predict, explain, OIP infer) is counted into the model's
//! [`DriftMonitor`], which compares a sliding window of them with the
//! training data summarised in the artifact (format 3 on). Read at
//! `GET /v1/monitoring/drift` and as the gauges `ml_api_drift_psi{field}`
//! and `ml_api_unseen_labels_total{field}` in `/metrics`; the field label
//! takes the model's input names only (at most the schema's 79).
//!
//! Only a share of the rows is counted (`DRIFT_SAMPLE`, a tenth by
//! default), each row drawn on its own from the request's random number
//! and its position: a bin look-up per input costs about a tenth of a
//! prediction, and a random sample estimates the same distributions (the
//! window then spans `DRIFT_WINDOW / DRIFT_SAMPLE` served rows).
//!
//! The monitor belongs to the loaded model, so a reload starts a fresh
//! window for the new model. Observing is a bin look-up and an increment
//! per input under a lock taken with `try_lock`: a request never waits for
//! another's observation; rows it could not count are counted as skipped.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use regression_model::{DriftMonitor, DriftReport, DriftSettings, ParsedRow, TrainedModel};
use serde::Serialize;

/// Which rows of one request are counted: each with probability `share`,
/// drawn from the request's uniform number and the row's position.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    share: f64,
    seed: u64,
}

impl Sample {
    /// `share` in (0, 1]; `uniform` in [0, 1), the request's random number.
    pub fn new(share: f64, uniform: f64) -> Sample {
        Sample {
            share,
            seed: (uniform * (1u64 << 53) as f64) as u64,
        }
    }

    /// Whether the row at `index` is counted.
    fn takes(self, index: usize) -> bool {
        if self.share >= 1.0 {
            return true;
        }
        let draw = splitmix64(self.seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        ((draw >> 11) as f64 / (1u64 << 53) as f64) < self.share
    }
}

/// SplitMix64's finaliser: a well-mixed 64-bit hash of `x`.
fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The monitor of one loaded model, made on first use (`None` inside when
/// the artifact has no training summary).
#[derive(Debug, Default)]
pub struct DriftSlot {
    monitor: OnceLock<Option<Mutex<DriftMonitor>>>,
    skipped: AtomicU64,
}

/// What `GET /v1/monitoring/drift` answers.
#[derive(Debug, Serialize)]
pub struct DriftAnswer<'a> {
    /// Whether the model can be monitored (its artifact has a summary).
    pub available: bool,
    pub model_version: &'a str,
    /// Why not, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// The share of served rows counted (`DRIFT_SAMPLE`).
    pub sample: f64,
    /// Rows drawn for counting but not counted because another request
    /// held the monitor.
    pub rows_skipped: u64,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub report: Option<DriftReport>,
}

const NO_SUMMARY: &str = "the model's artifact has no training-data summary (formats 1 and 2; retrain it with regression-model 0.3 or later to monitor drift)";

impl DriftSlot {
    fn monitor(
        &self,
        model: &TrainedModel,
        settings: DriftSettings,
    ) -> Option<&Mutex<DriftMonitor>> {
        self.monitor
            .get_or_init(|| match DriftMonitor::for_model(model, settings) {
                Ok(monitor) => monitor.map(Mutex::new),
                // The settings were checked at start-up.
                Err(e) => {
                    log::error!("drift monitoring is off: {e}");
                    None
                }
            })
            .as_ref()
    }

    /// Counts `rows` into the window, unless another request holds it.
    pub fn observe(
        &self,
        model: &TrainedModel,
        settings: DriftSettings,
        sample: Sample,
        rows: &[ParsedRow],
    ) {
        let Some(monitor) = self.monitor(model, settings) else {
            return;
        };
        let mut taken = (rows.iter().enumerate())
            .filter(|(i, _)| sample.takes(*i))
            .map(|(_, r)| &r.record)
            .peekable();
        if taken.peek().is_none() {
            return;
        }
        match monitor.try_lock() {
            Ok(mut monitor) => taken.for_each(|record| monitor.observe(record)),
            Err(_) => {
                self.skipped
                    .fetch_add(taken.count() as u64, Ordering::Relaxed);
            }
        }
    }

    /// The window's state, or `None` when the model cannot be monitored.
    pub fn report(&self, model: &TrainedModel, settings: DriftSettings) -> Option<DriftReport> {
        let monitor = self.monitor(model, settings)?;
        Some(monitor.lock().unwrap_or_else(|e| e.into_inner()).report())
    }

    /// The endpoint's answer.
    pub fn answer<'a>(
        &self,
        model: &'a TrainedModel,
        settings: DriftSettings,
        sample: f64,
    ) -> DriftAnswer<'a> {
        let report = self.report(model, settings);
        DriftAnswer {
            available: report.is_some(),
            model_version: &model.metadata.model_version,
            reason: report.is_none().then_some(NO_SUMMARY),
            sample,
            rows_skipped: self.skipped.load(Ordering::Relaxed),
            report,
        }
    }
}

/// Appends the drift series of every loaded model that has a training
/// summary, labelled by the model's name (`model_version`, as the other
/// series): at most `MAX_MODELS` × inputs lines.
pub fn render_metrics(out: &mut String, reports: &[(&str, DriftReport)]) {
    let _ = writeln!(
        out,
        "# HELP ml_api_drift_psi Population stability index of the served rows' window against the training data, by model and input (over 0.2: a significant shift).\n# TYPE ml_api_drift_psi gauge"
    );
    for (model, report) in reports {
        for field in &report.fields {
            if let Some(psi) = field.psi {
                let _ = writeln!(
                    out,
                    "ml_api_drift_psi{{model_version=\"{model}\",field=\"{}\"}} {psi}",
                    field.field.name()
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "# HELP ml_api_unseen_labels_total Served labels never seen in training, by model and input, since the model was loaded.\n# TYPE ml_api_unseen_labels_total counter"
    );
    for (model, report) in reports {
        for field in &report.fields {
            if field.kind == regression_model::ColumnKind::Categorical {
                let _ = writeln!(
                    out,
                    "ml_api_unseen_labels_total{{model_version=\"{model}\",field=\"{}\"}} {}",
                    field.field.name(),
                    field.unseen_labels
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_takes_about_its_share_of_rows_and_all_of_them_at_one() {
        let taken: usize = (0..1000)
            .map(|request| {
                let sample = Sample::new(0.1, f64::from(request) / 1000.0);
                (0..100).filter(|i| sample.takes(*i)).count()
            })
            .sum();
        assert!((9_000..11_000).contains(&taken), "{taken} of 100,000 rows");
        let all = Sample::new(1.0, 0.5);
        assert!((0..100).all(|i| all.takes(i)));
    }
}

//! Input drift of the served model: every row a request sends to the
//! model (predict, explain, OIP infer) is counted into the model's
//! [`DriftMonitor`], which compares a sliding window of them with the
//! training data summarised in the artifact (format 3 on). Read at
//! `GET /v1/monitoring/drift` and as the gauges `ml_api_drift_psi{field}`
//! and `ml_api_unseen_labels_total{field}` in `/metrics`; the field label
//! takes the model's input names only (at most the schema's 79).
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
    /// Rows not counted because another request held the monitor.
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
    pub fn observe(&self, model: &TrainedModel, settings: DriftSettings, rows: &[ParsedRow]) {
        let Some(monitor) = self.monitor(model, settings) else {
            return;
        };
        match monitor.try_lock() {
            Ok(mut monitor) => rows.iter().for_each(|r| monitor.observe(&r.record)),
            Err(_) => {
                self.skipped.fetch_add(rows.len() as u64, Ordering::Relaxed);
            }
        }
    }

    /// The window's state, or `None` when the model cannot be monitored.
    pub fn report(&self, model: &TrainedModel, settings: DriftSettings) -> Option<DriftReport> {
        let monitor = self.monitor(model, settings)?;
        Some(monitor.lock().unwrap_or_else(|e| e.into_inner()).report())
    }

    /// The endpoint's answer.
    pub fn answer<'a>(&self, model: &'a TrainedModel, settings: DriftSettings) -> DriftAnswer<'a> {
        let report = self.report(model, settings);
        DriftAnswer {
            available: report.is_some(),
            model_version: &model.metadata.model_version,
            reason: report.is_none().then_some(NO_SUMMARY),
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

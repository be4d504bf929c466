//! Shared state: the model registry, the limits, the shadow and the
//! metrics, built once at start-up and handed to every worker as
//! `web::Data<AppState>`. The models are loaded and verified by
//! [`crate::model`] and kept by [`crate::models`], whose roster sits behind
//! an atomic pointer: a request takes a cheap snapshot (`Arc`) and keeps it
//! for its whole lifetime, so a reload or a promotion swaps models without
//! stopping requests in flight.

use std::sync::Mutex;

use crate::configuration::{ErrorSettings, InputSample, Limits, ModelsFolder};
use crate::metrics::Metrics;
use crate::models::Models;
use crate::scheduling::Yielder;
use crate::shadow::Shadow;

/// Everything handlers share.
#[derive(Debug)]
pub struct AppState {
    /// Every model served, and the aliases `champion` and `challenger`;
    /// `model.current()` is the champion.
    pub model: Models,
    pub limits: Limits,
    /// How many errors a response keeps, and whether it may quote names.
    pub errors: ErrorSettings,
    pub input_sample: InputSample,
    pub metrics: Metrics,
    /// The challenger's scoring of a share of the champion's requests.
    pub shadow: Shadow,
    /// Held while a reload runs, so two reloads never race.
    pub reloading: Mutex<()>,
    /// When a busy worker gives its CPU away (`YIELD_INTERVAL_US`); `None`
    /// (the default here): never.
    pub yielder: Option<Yielder>,
    /// The drift monitor's window (`DRIFT_WINDOW`).
    pub drift: regression_model::DriftSettings,
    /// The share of served rows counted into it (`DRIFT_SAMPLE`).
    pub drift_sample: f64,
    /// `MODELS_DIR`: a reload reads its listing again and replaces the
    /// whole roster; `None`: a reload re-reads each model's own file.
    pub models_folder: Option<ModelsFolder>,
}

impl AppState {
    /// State around the loaded models, with fresh metrics and no shadow.
    pub fn new(model: Models, limits: Limits, input_sample: InputSample) -> AppState {
        AppState {
            model,
            limits,
            errors: ErrorSettings::default(),
            input_sample,
            metrics: Metrics::default(),
            shadow: Shadow::off(),
            reloading: Mutex::new(()),
            yielder: None,
            drift: regression_model::DriftSettings::default(),
            drift_sample: crate::configuration::DEFAULT_DRIFT_SAMPLE,
            models_folder: None,
        }
    }
}

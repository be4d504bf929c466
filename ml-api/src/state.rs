//! Shared state: the model slot, the limits and the metrics, built once at
//! start-up and handed to every worker as `web::Data<AppState>`. The model
//! in the slot is loaded and verified by [`crate::model`].
//!
//! The model sits behind an [`ArcSwapOption`]: a request takes a cheap
//! snapshot (`Arc`) and keeps it for its whole lifetime, so a later hot
//! reload can swap the model atomically without stopping requests in flight.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwapOption;

use crate::configuration::{ErrorSettings, InputSample, Limits};
use crate::error::Error;
use crate::metrics::Metrics;
use crate::model::LoadedModel;
use crate::scheduling::Yielder;

/// Holds the model being served, or nothing.
#[derive(Debug, Default)]
pub struct ModelSlot(ArcSwapOption<LoadedModel>);

impl ModelSlot {
    pub fn new(model: LoadedModel) -> ModelSlot {
        ModelSlot(ArcSwapOption::from_pointee(model))
    }

    /// A slot with no model, as before a first load; `/ready` says 503.
    pub fn empty() -> ModelSlot {
        ModelSlot::default()
    }

    /// The current model; requests keep this snapshot until they finish.
    ///
    /// # Errors
    /// [`Error::ModelNotReady`] when the slot is empty.
    pub fn current(&self) -> Result<Arc<LoadedModel>, Error> {
        self.0.load_full().ok_or(Error::ModelNotReady)
    }

    pub fn is_ready(&self) -> bool {
        self.0.load().is_some()
    }

    /// Puts `model` in the slot in one atomic step and returns the one it
    /// replaces. Requests that started before keep their snapshot of the old
    /// model, which is freed when the last of them finishes.
    pub fn replace(&self, model: LoadedModel) -> Option<Arc<LoadedModel>> {
        self.0.swap(Some(Arc::new(model)))
    }
}

/// Everything handlers share.
#[derive(Debug)]
pub struct AppState {
    pub model: ModelSlot,
    pub limits: Limits,
    /// How many errors a response keeps, and whether it may quote names.
    pub errors: ErrorSettings,
    pub input_sample: InputSample,
    pub metrics: Metrics,
    /// Where reloads read the artifact; `None` on the shipped model.
    pub model_path: Option<PathBuf>,
    /// Held while a reload runs, so two reloads never race.
    pub reloading: Mutex<()>,
    /// When a busy worker gives its CPU away (`YIELD_INTERVAL_US`); `None`
    /// (the default here): never.
    pub yielder: Option<Yielder>,
    /// The drift monitor's window (`DRIFT_WINDOW`).
    pub drift: regression_model::DriftSettings,
}

impl AppState {
    /// State around a loaded model, with fresh metrics.
    pub fn new(
        model: ModelSlot,
        limits: Limits,
        input_sample: InputSample,
        model_path: Option<PathBuf>,
    ) -> AppState {
        AppState {
            model,
            limits,
            errors: ErrorSettings::default(),
            input_sample,
            metrics: Metrics::default(),
            model_path,
            reloading: Mutex::new(()),
            yielder: None,
            drift: regression_model::DriftSettings::default(),
        }
    }
}

//! Shared state: the model slot, the limits and the metrics, built once at
//! start-up and handed to every worker as `web::Data<AppState>`.
//!
//! The model sits behind an [`ArcSwapOption`]: a request takes a cheap
//! snapshot (`Arc`) and keeps it for its whole lifetime, so a later hot
//! reload can swap the model atomically without stopping requests in flight.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwapOption;
use regression_model::{Column, TrainedModel};

use crate::configuration::{ErrorSettings, InputSample, Limits};
use crate::error::Error;
use crate::metrics::Metrics;
use crate::scheduling::Yielder;

/// Where the served model came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// The artifact embedded in the `regression-model` crate.
    Shipped,
    /// An artifact file given with `--model` or `MODEL_PATH`.
    File(PathBuf),
}

impl ModelSource {
    /// How clients see the source: without the server's file paths.
    pub fn public_name(&self) -> &'static str {
        match self {
            ModelSource::Shipped => "shipped with regression-model",
            ModelSource::File(_) => "file at MODEL_PATH",
        }
    }
}

/// For the log: names the file.
impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::Shipped => f.write_str("shipped with regression-model"),
            ModelSource::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A decoded, verified model and its origin.
#[derive(Debug)]
pub struct LoadedModel {
    pub model: TrainedModel,
    /// The input columns the model reads (parsers skip the others).
    pub features: Vec<Column>,
    pub source: ModelSource,
    /// SHA-256 (hex) of the artifact's bytes: which file is served.
    pub artifact_sha256: String,
}

impl LoadedModel {
    /// Decodes and verifies the shipped model, or the artifact at `path`
    /// (see [`crate::reload::verify`]), for start-up: errors name the file.
    ///
    /// The shipped bytes are decoded here (not borrowed from
    /// `regression_model::shipped_model`) so the slot owns its model and a
    /// later reload can replace it like any other.
    ///
    /// # Errors
    /// [`Error::Model`] naming the artifact and what is wrong with it.
    pub fn load(path: Option<&Path>) -> Result<LoadedModel, Error> {
        match path {
            None => {
                let bytes = regression_model::shipped_bytes().ok_or_else(|| {
                    // Reuses the crate's own explanation of a missing model.
                    regression_model::shipped_model()
                        .err()
                        .map_or(Error::ModelNotReady, Error::Model)
                })?;
                crate::reload::verify(bytes, "(embedded model)", ModelSource::Shipped)
            }
            Some(path) => {
                let bytes = crate::reload::read_artifact(path).map_err(|source| {
                    Error::Model(regression_model::Error::Io {
                        path: path.to_owned(),
                        source,
                    })
                })?;
                let origin = path.display().to_string();
                crate::reload::verify(&bytes, &origin, ModelSource::File(path.to_owned()))
            }
        }
    }
}

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
        }
    }
}

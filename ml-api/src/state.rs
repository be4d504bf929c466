//! Shared state: the model slot, the limits and the metrics, built once at
//! start-up and handed to every worker as `web::Data<AppState>`.
//!
//! The model sits behind an [`ArcSwapOption`]: a request takes a cheap
//! snapshot (`Arc`) and keeps it for its whole lifetime, so a later hot
//! reload can swap the model atomically without stopping requests in flight.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arc_swap::ArcSwapOption;
use regression_model::{TrainedModel, VersionPolicy};

use crate::configuration::{InputSample, Limits};
use crate::error::Error;
use crate::metrics::Metrics;

/// Where the served model came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// The artifact embedded in the `regression-model` crate.
    Shipped,
    /// An artifact file given with `--model` or `MODEL_PATH`.
    File(PathBuf),
}

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
    pub source: ModelSource,
}

impl LoadedModel {
    /// Decodes and verifies the shipped model, or the artifact at `path`.
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
                let model =
                    TrainedModel::from_bytes(bytes, "(embedded model)", VersionPolicy::Exact)?;
                Ok(LoadedModel {
                    model,
                    source: ModelSource::Shipped,
                })
            }
            Some(path) => {
                // An external artifact may come from another model version:
                // serve it, but say so loudly.
                let model = TrainedModel::load(path, VersionPolicy::Any)?;
                if model.metadata.model_version != regression_model::MODEL_VERSION {
                    log::warn!(
                        "serving {} with model version {}, not the shipped {}",
                        path.display(),
                        model.metadata.model_version,
                        regression_model::MODEL_VERSION
                    );
                }
                Ok(LoadedModel {
                    model,
                    source: ModelSource::File(path.to_owned()),
                })
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

    /// A slot with no model, as during a failed reload; `/ready` says 503.
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
}

/// Everything handlers share.
#[derive(Debug)]
pub struct AppState {
    pub model: ModelSlot,
    pub limits: Limits,
    pub input_sample: InputSample,
    pub metrics: Metrics,
}

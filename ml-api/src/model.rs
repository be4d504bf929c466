//! The model a server holds: where it came from, how an artifact is read
//! (within [`regression_model::MAX_ARTIFACT_BYTES`]) and verified (magic, format, checksum,
//! pipeline consistency, then a smoke prediction on fixture rows), for
//! start-up and for reloads alike. It needs nothing from the server's state,
//! so the state, the reloads and the metrics all depend on it and not on
//! each other.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use regression_model::{Column, TrainedModel, VersionPolicy};

use crate::error::Error;

/// House records (fixture rows) every served model must predict sensibly.
pub(crate) const SMOKE_ROWS: &str = include_str!("../fixtures/smoke.csv");

/// Where the served model came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// The artifact embedded in the `regression-model` crate.
    Shipped,
    /// An artifact file given with `--model` or `MODEL_PATH`.
    File(PathBuf),
    /// An artifact file named in `MODELS`.
    Listed(PathBuf),
    /// An artifact file listed in `MODELS_DIR`'s `models.toml`.
    InFolder(PathBuf),
}

impl ModelSource {
    /// How clients see the source: without the server's file paths.
    pub fn public_name(&self) -> &'static str {
        match self {
            ModelSource::Shipped => "shipped with regression-model",
            ModelSource::File(_) => "file at MODEL_PATH",
            ModelSource::Listed(_) => "file in MODELS",
            ModelSource::InFolder(_) => "file in MODELS_DIR",
        }
    }
}

/// For the log: names the file.
impl std::fmt::Display for ModelSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelSource::Shipped => f.write_str("shipped with regression-model"),
            ModelSource::File(path) | ModelSource::Listed(path) | ModelSource::InFolder(path) => {
                write!(f, "{}", path.display())
            }
        }
    }
}

impl ModelSource {
    /// The file a reload reads again; `None` for the shipped model.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ModelSource::Shipped => None,
            ModelSource::File(path) | ModelSource::Listed(path) | ModelSource::InFolder(path) => {
                Some(path)
            }
        }
    }
}

/// A decoded, verified model and its origin.
#[derive(Debug)]
pub struct LoadedModel {
    /// What routes (`/v1/models/{name}/...`) and metric labels
    /// (`model_version`) call it: the name given in `MODELS`, else the
    /// artifact's model version. An `Arc` so every request can label its
    /// metrics without copying the string.
    pub name: Arc<str>,
    pub model: TrainedModel,
    /// The input columns the model reads (parsers skip the others).
    pub features: Vec<Column>,
    pub source: ModelSource,
    /// SHA-256 (hex) of the artifact's bytes: which file is served.
    pub artifact_sha256: String,
    /// The input drift of the rows this model is served.
    pub drift: crate::drift::DriftSlot,
}

impl LoadedModel {
    /// Decodes and verifies the shipped model, or the artifact at `path`
    /// (see [`verify`]), for start-up: errors name the file.
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
                verify(bytes, "(embedded model)", ModelSource::Shipped)
            }
            Some(path) => LoadedModel::load_source(ModelSource::File(path.to_owned())),
        }
    }

    /// [`LoadedModel::load`] for any source (a `MODELS` entry too).
    ///
    /// # Errors
    /// [`Error::Model`] naming the artifact and what is wrong with it.
    pub fn load_source(source: ModelSource) -> Result<LoadedModel, Error> {
        let Some(path) = source.path() else {
            return LoadedModel::load(None);
        };
        let bytes = regression_model::read_artifact(path).map_err(Error::Model)?;
        let origin = path.display().to_string();
        verify(&bytes, &origin, source)
    }

    /// The same model under another name (a `MODELS` entry's).
    pub fn named(self, name: Option<&str>) -> LoadedModel {
        match name {
            Some(name) => LoadedModel {
                name: Arc::from(name),
                ..self
            },
            None => self,
        }
    }
}

/// Decodes and verifies an artifact, then runs the smoke test; `origin`
/// names it in errors.
///
/// # Errors
/// [`Error::Model`] with an [`regression_model::Error::Artifact`] naming
/// `origin` and the problem.
pub fn verify(bytes: &[u8], origin: &str, source: ModelSource) -> Result<LoadedModel, Error> {
    verify_counted(bytes, origin, source).map(|(loaded, _)| loaded)
}

/// [`verify`], also returning how many smoke rows got a price.
pub(crate) fn verify_counted(
    bytes: &[u8],
    origin: &str,
    source: ModelSource,
) -> Result<(LoadedModel, usize), Error> {
    let policy = match source {
        ModelSource::Shipped => VersionPolicy::Exact,
        ModelSource::File(_) | ModelSource::Listed(_) | ModelSource::InFolder(_) => {
            VersionPolicy::Any
        }
    };
    let model = TrainedModel::from_bytes(bytes, origin, policy)?;
    let smoke_rows_predicted = smoke_test(&model).map_err(|problem| {
        Error::Model(regression_model::Error::Artifact {
            path: origin.to_owned(),
            problem: format!("fails the smoke test: {problem}"),
        })
    })?;
    if model.metadata.model_version != regression_model::MODEL_VERSION {
        log::warn!(
            "{origin} holds model version {}, not the shipped {}; serving it (version check off for external artifacts)",
            model.metadata.model_version,
            regression_model::MODEL_VERSION
        );
    }
    let artifact_sha256 = regression_model::hex(&regression_model::sha256(bytes));
    let loaded = LoadedModel {
        name: Arc::from(model.metadata.model_version.as_str()),
        artifact_sha256,
        features: model.pipeline.features(),
        model,
        source,
        drift: Default::default(),
    };
    Ok((loaded, smoke_rows_predicted))
}

/// Predicts the embedded fixture rows: at least one must get a price, and
/// every price must be a finite, positive number. Catches a model that
/// decodes but cannot serve (wrong columns, broken coefficients).
///
/// # Errors
/// A message saying what the predictions got wrong.
pub fn smoke_test(model: &TrainedModel) -> Result<usize, String> {
    let rows = regression_model::read_csv(SMOKE_ROWS.as_bytes())
        .map_err(|e| format!("the smoke rows do not parse: {e}"))?
        .rows;
    let response = model.predict_rows(&rows);
    if response.predictions.is_empty() {
        let first = response.row_errors.errors.first().map(ToString::to_string);
        return Err(format!(
            "none of the {} fixture rows could be predicted (first problem: {})",
            rows.len(),
            first.unwrap_or_else(|| "none reported".into())
        ));
    }
    if let Some(bad) = response
        .predictions
        .iter()
        .find(|p| !p.price.is_finite() || p.price <= 0.0)
    {
        return Err(format!(
            "fixture row {} got the price {}, not a finite positive number",
            bad.row, bad.price
        ));
    }
    Ok(response.predictions.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_passes_the_smoke_test_on_most_rows() {
        let model = regression_model::shipped_model().unwrap();
        let predicted = smoke_test(model).unwrap();
        assert!(predicted >= 6, "{predicted} of 12 smoke rows predicted");
    }
}

//! Loading a model, at start-up or while serving: read the artifact (within
//! [`MAX_ARTIFACT_BYTES`]), verify it (magic, format, checksum, pipeline
//! consistency, then a smoke prediction on fixture rows), and only then put
//! it in the model slot in one atomic step. A model that fails any check
//! never serves a request; on a reload the old one keeps serving.
//!
//! Reloads come from `POST /admin/reload` and SIGHUP and read `MODEL_PATH`
//! again. Any model version is accepted (an operator deploys a newer model
//! without a new binary), and logged when it differs from the shipped one.
//! Errors shown to clients name the artifact `MODEL_PATH`, never its path.

use std::io::Read;
use std::path::Path;

use regression_model::{TrainedModel, VersionPolicy};
use serde::Serialize;

use crate::error::Error;
use crate::state::{AppState, LoadedModel, ModelSource};

/// Largest artifact read. The shipped model takes about 11 KB; a forest
/// config a few MB. A path that points at something else entirely (a log,
/// `/dev/zero`) must not fill the memory.
pub const MAX_ARTIFACT_BYTES: u64 = 256 * 1024 * 1024;

/// House records (fixture rows) every served model must predict sensibly.
const SMOKE_ROWS: &str = include_str!("../fixtures/smoke.csv");

/// What asked for a reload (a metrics label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Http,
    Signal,
}

impl Trigger {
    pub fn label(self) -> &'static str {
        match self {
            Trigger::Http => "http",
            Trigger::Signal => "signal",
        }
    }
}

/// What a successful reload did; the body of `POST /admin/reload`.
#[derive(Debug, Clone, Serialize)]
pub struct Reloaded {
    pub status: &'static str,
    pub previous_version: Option<String>,
    pub model_version: String,
    pub config_name: String,
    pub estimator: String,
    pub artifact_sha256: String,
    pub smoke_rows_predicted: usize,
}

/// Reads an artifact file, refusing anything but a regular file of at most
/// [`MAX_ARTIFACT_BYTES`].
///
/// # Errors
/// The I/O error, or `InvalidData` for a device, a folder or an oversized file.
pub fn read_artifact(path: &Path) -> std::io::Result<Vec<u8>> {
    let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidData, message);
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(invalid("not a regular file".into()));
    }
    let mut bytes = Vec::with_capacity(metadata.len().min(MAX_ARTIFACT_BYTES) as usize);
    // The length can change between the check and the read: read one byte
    // more than allowed to notice.
    file.take(MAX_ARTIFACT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ARTIFACT_BYTES {
        return Err(invalid(format!(
            "larger than {MAX_ARTIFACT_BYTES} bytes, which no model artifact is"
        )));
    }
    Ok(bytes)
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
fn verify_counted(
    bytes: &[u8],
    origin: &str,
    source: ModelSource,
) -> Result<(LoadedModel, usize), Error> {
    let policy = match source {
        ModelSource::Shipped => VersionPolicy::Exact,
        ModelSource::File(_) => VersionPolicy::Any,
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
        artifact_sha256,
        features: model.pipeline.features(),
        model,
        source,
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
        let first = response.errors.first().map(ToString::to_string);
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

/// Reloads `MODEL_PATH` into the model slot, counting the outcome.
///
/// # Errors
/// [`Error::NothingToReload`] on the shipped model, [`Error::ReloadInProgress`]
/// while another reload runs, [`Error::ArtifactRejected`] when the artifact
/// cannot be read or fails verification (the old model keeps serving).
pub fn reload(state: &AppState, trigger: Trigger) -> Result<Reloaded, Error> {
    let result = try_reload(state);
    let outcome = match &result {
        Ok(_) => "success",
        Err(Error::NothingToReload) => "nothing_to_reload",
        Err(Error::ReloadInProgress) => "in_progress",
        Err(_) => "rejected",
    };
    state.metrics.observe_reload(trigger.label(), outcome);
    match &result {
        Ok(done) => log::info!(
            "reload ({}): now serving model {} ({} config, {}, sha256 {}), was {}",
            trigger.label(),
            done.model_version,
            done.config_name,
            done.estimator,
            done.artifact_sha256,
            done.previous_version.as_deref().unwrap_or("none")
        ),
        Err(error) => log::warn!("reload ({}) refused: {error}", trigger.label()),
    }
    result
}

fn try_reload(state: &AppState) -> Result<Reloaded, Error> {
    let path = state.model_path.as_deref().ok_or(Error::NothingToReload)?;
    let _guard = match state.reloading.try_lock() {
        Ok(guard) => guard,
        Err(std::sync::TryLockError::WouldBlock) => return Err(Error::ReloadInProgress),
        // A panic in an earlier reload left nothing half-done: the slot is
        // only written by one atomic swap.
        Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
    };
    let serving = state.model.current().map_or_else(
        |_| "none".to_owned(),
        |m| m.model.metadata.model_version.clone(),
    );
    let reject = |problem: String| Error::ArtifactRejected {
        serving: serving.clone(),
        problem,
    };
    let bytes = read_artifact(path).map_err(|e| {
        log::error!("reload: cannot read {}: {e}", path.display());
        reject(match e.kind() {
            std::io::ErrorKind::InvalidData => e.to_string(),
            kind => format!("cannot read it ({kind})"),
        })
    })?;
    let source = ModelSource::File(path.to_owned());
    let (loaded, smoke_rows_predicted) =
        verify_counted(&bytes, "MODEL_PATH", source).map_err(|e| {
            log::error!("reload: {} rejected: {e}", path.display());
            match e {
                Error::Model(regression_model::Error::Artifact { problem, .. }) => reject(problem),
                other => reject(other.to_string()),
            }
        })?;
    let metadata = &loaded.model.metadata;
    let done = Reloaded {
        status: "reloaded",
        previous_version: None,
        model_version: metadata.model_version.clone(),
        config_name: metadata.config_name.clone(),
        estimator: metadata.estimator.clone(),
        artifact_sha256: loaded.artifact_sha256.clone(),
        smoke_rows_predicted,
    };
    let previous = state.model.replace(loaded);
    Ok(Reloaded {
        previous_version: previous.map(|m| m.model.metadata.model_version.clone()),
        ..done
    })
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

    #[test]
    fn a_device_or_a_folder_is_refused_before_anything_is_read() {
        for path in ["/dev/zero", "/"] {
            let error = read_artifact(Path::new(path)).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::InvalidData, "{path}");
        }
    }
}

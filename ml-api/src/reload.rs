//! Replacing the served model while serving: read the artifact again,
//! verify it ([`crate::model`]: checksum, pipeline consistency, a smoke
//! prediction), and only then put it in the model slot in one atomic step.
//! A model that fails any check never serves a request; the old one keeps
//! serving.
//!
//! Reloads come from `POST /admin/reload` and SIGHUP and read `MODEL_PATH`
//! again. Any model version is accepted (an operator deploys a newer model
//! without a new binary), and logged when it differs from the shipped one.
//! Errors shown to clients name the artifact `MODEL_PATH`, never its path.

use serde::Serialize;

use crate::error::Error;
use crate::model::{ModelSource, read_artifact, verify_counted};
use crate::state::AppState;

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

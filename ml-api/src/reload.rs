//! Replacing the served model while serving: read the artifact again,
//! verify it ([`crate::model`]: checksum, pipeline consistency, a smoke
//! prediction), and only then put it in the model slot in one atomic step.
//! A model that fails any check never serves a request; the old one keeps
//! serving.
//!
//! Reloads come from `POST /admin/reload` and SIGHUP and read `MODEL_PATH`
//! (or every file in `MODELS`, or `MODELS_DIR`'s listing and its files:
//! [`folder`]) again; all are verified before any is swapped in, so one bad
//! file refuses the reload and changes nothing. Any model version is accepted (an operator deploys a newer model
//! without a new binary), and logged when it differs from the shipped one.
//! Errors shown to clients name the artifact `MODEL_PATH`, never its path.

use serde::Serialize;

use crate::error::Error;
use crate::model::{LoadedModel, ModelSource, verify_counted};
use crate::models::{Described, Roster};
use crate::state::AppState;

mod folder;

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
    /// Smoke rows predicted: the fewest of any artifact reloaded.
    pub smoke_rows_predicted: usize,
    /// Every model served after the reload.
    pub models: Vec<Described>,
}

impl Reloaded {
    /// The body for the roster now served, after `previous_version`'s.
    fn of(now: &Roster, previous_version: String, smoke_rows_predicted: usize) -> Reloaded {
        let champion = now.champion();
        let metadata = &champion.model.metadata;
        Reloaded {
            status: "reloaded",
            previous_version: Some(previous_version),
            model_version: metadata.model_version.clone(),
            config_name: metadata.config_name.clone(),
            estimator: metadata.estimator.clone(),
            artifact_sha256: champion.artifact_sha256.clone(),
            smoke_rows_predicted,
            models: now.models().iter().map(|m| Described::from(&**m)).collect(),
        }
    }
}

/// Reloads `MODEL_PATH` (or the `MODELS` files) into the registry, counting the outcome.
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
    let _guard = match state.reloading.try_lock() {
        Ok(guard) => guard,
        Err(std::sync::TryLockError::WouldBlock) => return Err(Error::ReloadInProgress),
        // A panic in an earlier reload left nothing half-done: the roster is
        // only written by one atomic swap.
        Err(std::sync::TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
    };
    if let Some(listing) = &state.models_folder {
        return folder::reload_folder(state, listing);
    }
    let roster = state.model.roster()?;
    let files: Vec<(usize, &LoadedModel)> = roster
        .models()
        .iter()
        .enumerate()
        .filter(|(_, m)| m.source.path().is_some())
        .map(|(i, m)| (i, &**m))
        .collect();
    if files.is_empty() {
        return Err(Error::NothingToReload);
    }
    // Every artifact is verified before any is swapped in: one bad file
    // refuses the reload and every model keeps serving as it was.
    let serving = still_serving(&roster);
    let mut fresh = Vec::with_capacity(files.len());
    let mut smoke_rows_predicted = usize::MAX;
    for (index, old) in files {
        let (loaded, smoke_rows) = verify_again(old, &serving)?;
        smoke_rows_predicted = smoke_rows_predicted.min(smoke_rows);
        fresh.push((index, loaded));
    }
    let previous_champion = roster.champion().model.metadata.model_version.clone();
    state.model.replace(fresh)?;
    Ok(Reloaded::of(
        &*state.model.roster()?,
        previous_champion,
        smoke_rows_predicted,
    ))
}

/// Reads and verifies the file `old` was loaded from; a `MODELS` entry
/// keeps its name, a `MODEL_PATH` model is named after its new version.
fn verify_again(old: &LoadedModel, serving: &str) -> Result<(LoadedModel, usize), Error> {
    let (artifact, name) = match &old.source {
        ModelSource::Listed(_) | ModelSource::InFolder(_) => {
            (format!("MODELS entry `{}`", old.name), Some(&old.name))
        }
        ModelSource::File(_) => ("MODEL_PATH".to_owned(), None),
        ModelSource::Shipped => return Err(Error::NothingToReload),
    };
    let (loaded, smoke_rows) = verify_file(old.source.clone(), artifact, serving)?;
    Ok((loaded.named(name.map(|n| &**n)), smoke_rows))
}

/// What keeps serving when a reload is refused ([`still_serving`]), for
/// its message. A refused reload swaps nothing in, so it is every model
/// served: naming the champion alone (`the model 0.3.0 keeps serving`) read
/// as if it had taken the place of the entry that was rejected.
fn still_serving(roster: &Roster) -> String {
    match roster.models() {
        [one] => format!("the model `{}` keeps serving", one.name),
        all => {
            let names: Vec<String> = all.iter().map(|m| format!("`{}`", m.name)).collect();
            format!("every model ({}) keeps serving as it was", names.join(", "))
        }
    }
}

/// Reads and verifies the artifact of `source` (a file), refusing it as
/// [`Error::ArtifactRejected`] under the name `artifact`, never its path;
/// `serving` says what keeps serving then ([`still_serving`]).
fn verify_file(
    source: ModelSource,
    artifact: String,
    serving: &str,
) -> Result<(LoadedModel, usize), Error> {
    let reject = |problem: String| Error::ArtifactRejected {
        artifact: artifact.clone(),
        serving: serving.to_owned(),
        problem,
    };
    let Some(path) = source.path() else {
        return Err(Error::NothingToReload);
    };
    let bytes = regression_model::read_artifact(path).map_err(|e| {
        log::error!("reload: {e}");
        reject(match &e {
            regression_model::Error::Io { source, .. }
                if source.kind() == std::io::ErrorKind::InvalidData =>
            {
                source.to_string()
            }
            regression_model::Error::Io { source, .. } => {
                format!("cannot read it ({})", source.kind())
            }
            other => other.to_string(),
        })
    })?;
    let (loaded, smoke_rows) = verify_counted(&bytes, &artifact, source.clone()).map_err(|e| {
        log::error!("reload: {} rejected: {e}", path.display());
        match e {
            Error::Model(regression_model::Error::Artifact { problem, .. }) => reject(problem),
            other => reject(other.to_string()),
        }
    })?;
    Ok((loaded, smoke_rows))
}

//! Reloading a `MODELS_DIR` folder: its `models.toml` is read again, so a
//! reload may add, remove or rename models and move the aliases. The new
//! listing and every artifact it names are checked and verified before the
//! new roster replaces the old one in one atomic step; a bad listing or a
//! bad artifact refuses the reload and every model keeps serving.
//!
//! The listing is the truth after a reload: champion and challenger are
//! the ones it names, so a `POST /admin/promote` that should outlive the
//! next reload is written into `models.toml` too.

use super::{Reloaded, still_serving, verify_file};
use crate::configuration::{MODELS_FILE, ModelsFolder};
use crate::error::Error;
use crate::model::{ModelSource, verify_counted};
use crate::models::Roster;
use crate::state::AppState;

/// Reads `listing` again and swaps in every model it names.
///
/// # Errors
/// [`Error::ArtifactRejected`] naming `models.toml` (or its entry) when the
/// listing or an artifact is refused; nothing changes then.
pub(super) fn reload_folder(state: &AppState, listing: &ModelsFolder) -> Result<Reloaded, Error> {
    let roster = state.model.roster()?;
    let serving = still_serving(&roster);
    let reject = |artifact: String, problem: String| Error::ArtifactRejected {
        artifact,
        serving: serving.clone(),
        problem,
    };
    let settings = listing.read().map_err(|e| {
        log::error!("reload: {e}");
        // The message names entries and the paths written in the listing,
        // never where the folder is.
        match e {
            Error::ConfigFile { message, .. } => reject(MODELS_FILE.into(), message),
            other => reject(MODELS_FILE.into(), other.to_string()),
        }
    })?;
    let mut models = Vec::with_capacity(settings.entries.len());
    let mut smoke_rows_predicted = usize::MAX;
    for entry in &settings.entries {
        let name = entry.name.as_deref().unwrap_or_default();
        let artifact = format!("{MODELS_FILE} entry `{name}`");
        let (loaded, smoke_rows) = match &entry.source {
            ModelSource::Shipped => {
                let bytes = regression_model::shipped_bytes().ok_or_else(|| {
                    reject(
                        artifact.clone(),
                        "no model is embedded in this build".into(),
                    )
                })?;
                verify_counted(bytes, &artifact, ModelSource::Shipped)
                    .map_err(|e| reject(artifact.clone(), e.to_string()))?
            }
            source => verify_file(source.clone(), artifact, &serving)?,
        };
        smoke_rows_predicted = smoke_rows_predicted.min(smoke_rows);
        models.push(loaded.named(Some(name)));
    }
    let fresh = Roster::new(models, settings.champion, settings.challenger)?;
    let previous_version = roster.champion().model.metadata.model_version.clone();
    state.model.install(fresh);
    let now = state.model.roster()?;
    let champion = now.champion();
    log::info!(
        "reload: {} listed {} models; champion `{}`, challenger `{}`",
        listing.file().display(),
        now.models().len(),
        champion.name,
        now.challenger().map_or("none", |c| &c.name)
    );
    Ok(Reloaded::of(&now, previous_version, smoke_rows_predicted))
}

//! The registry of the models one process serves: every loaded model by
//! name, and the aliases `champion` (the unversioned routes) and
//! `challenger` (the shadow, and the next champion).
//!
//! The whole set is one immutable [`Roster`] behind an [`ArcSwapOption`]:
//! a request resolves its model once and keeps that `Arc` until it
//! finishes, so a promotion or a reload that swaps in a new roster never
//! changes the model under a request in flight, and an old model is freed
//! when its last request ends. Writers (promote, reload) are serialised by
//! a mutex and build a new roster from the current one, so neither loses
//! the other's change.

use std::sync::{Arc, Mutex};

use arc_swap::ArcSwapOption;
use serde::Serialize;

use crate::error::Error;
use crate::model::LoadedModel;

pub const CHAMPION: &str = "champion";
pub const CHALLENGER: &str = "challenger";

/// The loaded models and which of them the aliases point at.
#[derive(Debug, Clone)]
pub struct Roster {
    models: Vec<Arc<LoadedModel>>,
    champion: usize,
    challenger: Option<usize>,
}

/// A model resolved for one request.
#[derive(Debug, Clone)]
pub struct Target {
    pub model: Arc<LoadedModel>,
    /// The challenger, when `model` is the champion: the model that may
    /// shadow the request.
    pub shadow: Option<Arc<LoadedModel>>,
}

/// What a promotion did; the body of `POST /admin/promote`.
#[derive(Debug, Clone, Serialize)]
pub struct Promoted {
    pub status: &'static str,
    pub champion: Described,
    pub challenger: Described,
}

/// A model as the admin routes and the log name it.
#[derive(Debug, Clone, Serialize)]
pub struct Described {
    pub name: String,
    pub model_version: String,
    pub artifact_sha256: String,
}

impl From<&LoadedModel> for Described {
    fn from(model: &LoadedModel) -> Described {
        Described {
            name: model.name.to_string(),
            model_version: model.model.metadata.model_version.clone(),
            artifact_sha256: model.artifact_sha256.clone(),
        }
    }
}

impl Roster {
    /// # Errors
    /// [`Error::Internal`] when the list is empty or an alias points past
    /// it (settings are checked before, so this is a bug of ours).
    pub fn new(
        models: Vec<LoadedModel>,
        champion: usize,
        challenger: Option<usize>,
    ) -> Result<Roster, Error> {
        let fits = |i: usize| i < models.len();
        if !fits(champion) || challenger.is_some_and(|c| !fits(c) || c == champion) {
            return Err(Error::Internal(format!(
                "roster of {} models with champion {champion} and challenger {challenger:?}",
                models.len()
            )));
        }
        Ok(Roster {
            models: models.into_iter().map(Arc::new).collect(),
            champion,
            challenger,
        })
    }

    pub fn champion(&self) -> &Arc<LoadedModel> {
        &self.models[self.champion]
    }

    pub fn challenger(&self) -> Option<&Arc<LoadedModel>> {
        self.challenger.map(|i| &self.models[i])
    }

    /// Every model, in the order of the settings.
    pub fn models(&self) -> &[Arc<LoadedModel>] {
        &self.models
    }

    /// The aliases that point at `model`: `champion`, `challenger` or none.
    pub fn aliases(&self, model: &LoadedModel) -> Vec<&'static str> {
        let is = |i: usize| std::ptr::eq(&*self.models[i], model);
        let mut aliases = Vec::new();
        if is(self.champion) {
            aliases.push(CHAMPION);
        }
        if self.challenger.is_some_and(is) {
            aliases.push(CHALLENGER);
        }
        aliases
    }

    /// The model called `key`: an alias or a name.
    ///
    /// # Errors
    /// [`Error::UnknownVersion`] when no model answers to it.
    pub fn resolve(&self, key: &str) -> Result<Target, Error> {
        let index = match key {
            CHAMPION => Some(self.champion),
            CHALLENGER => self.challenger,
            name => self.models.iter().position(|m| &*m.name == name),
        }
        .ok_or_else(|| Error::UnknownVersion(crate::error::clip(key, 64)))?;
        Ok(self.target(index))
    }

    /// The champion, as the unversioned routes use it.
    pub fn champion_target(&self) -> Target {
        self.target(self.champion)
    }

    fn target(&self, index: usize) -> Target {
        Target {
            model: self.models[index].clone(),
            shadow: (index == self.champion)
                .then(|| self.challenger().cloned())
                .flatten(),
        }
    }
}

/// The registry: the current roster, swapped atomically.
#[derive(Debug, Default)]
pub struct Models {
    roster: ArcSwapOption<Roster>,
    /// Held while a new roster is built from the current one.
    writing: Mutex<()>,
}

impl Models {
    pub fn new(roster: Roster) -> Models {
        Models {
            roster: ArcSwapOption::from_pointee(roster),
            writing: Mutex::new(()),
        }
    }

    /// One model, champion of itself.
    pub fn single(model: LoadedModel) -> Models {
        Models::new(Roster {
            models: vec![Arc::new(model)],
            champion: 0,
            challenger: None,
        })
    }

    /// A registry with no model, as before a first load; `/ready` says 503.
    pub fn empty() -> Models {
        Models::default()
    }

    /// The current roster; a request keeps it (or a model from it) to the end.
    ///
    /// # Errors
    /// [`Error::ModelNotReady`] when no model is loaded.
    pub fn roster(&self) -> Result<Arc<Roster>, Error> {
        self.roster.load_full().ok_or(Error::ModelNotReady)
    }

    /// The champion: the model of the unversioned routes.
    ///
    /// # Errors
    /// [`Error::ModelNotReady`] when no model is loaded.
    pub fn current(&self) -> Result<Arc<LoadedModel>, Error> {
        let roster = self.roster.load();
        let roster = roster.as_ref().ok_or(Error::ModelNotReady)?;
        Ok(roster.champion().clone())
    }

    /// The champion with its challenger, for a request that may be shadowed.
    ///
    /// # Errors
    /// [`Error::ModelNotReady`] when no model is loaded.
    pub fn champion_target(&self) -> Result<Target, Error> {
        let roster = self.roster.load();
        let roster = roster.as_ref().ok_or(Error::ModelNotReady)?;
        Ok(roster.champion_target())
    }

    pub fn is_ready(&self) -> bool {
        self.roster.load().is_some()
    }

    /// The model called `key` (an alias or a name).
    ///
    /// # Errors
    /// [`Error::ModelNotReady`] with no model, [`Error::UnknownVersion`].
    pub fn resolve(&self, key: &str) -> Result<Target, Error> {
        self.roster()?.resolve(key)
    }

    /// Swaps `champion` and `challenger` in one atomic step; both stay
    /// loaded, so a second promotion reverses the first.
    ///
    /// # Errors
    /// [`Error::NoChallenger`] when no challenger is set.
    pub fn promote(&self) -> Result<Promoted, Error> {
        let _writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let roster = self.roster()?;
        let challenger = roster.challenger.ok_or(Error::NoChallenger)?;
        let promoted = Roster {
            models: roster.models.clone(),
            champion: challenger,
            challenger: Some(roster.champion),
        };
        let done = Promoted {
            status: "promoted",
            champion: Described::from(&**promoted.champion()),
            challenger: Described::from(&**roster.champion()),
        };
        self.roster.store(Some(Arc::new(promoted)));
        Ok(done)
    }

    /// Replaces the whole roster in one atomic step (a `MODELS_DIR`
    /// reload: the listing decides the models and the aliases); returns the
    /// roster it replaces.
    pub fn install(&self, roster: Roster) -> Option<Arc<Roster>> {
        let _writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        self.roster.swap(Some(Arc::new(roster)))
    }

    /// Replaces the models named in `fresh` (matched by position in the
    /// current roster) in one atomic step, keeping the aliases where they
    /// are; returns the models they replace.
    ///
    /// # Errors
    /// [`Error::ModelNotReady`] with no roster to update.
    pub fn replace(
        &self,
        fresh: Vec<(usize, LoadedModel)>,
    ) -> Result<Vec<Arc<LoadedModel>>, Error> {
        let _writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let roster = self.roster()?;
        let mut models = roster.models.clone();
        let mut previous = Vec::with_capacity(fresh.len());
        for (index, model) in fresh {
            let slot = models
                .get_mut(index)
                .ok_or_else(|| Error::Internal(format!("no model at {index}")))?;
            previous.push(std::mem::replace(slot, Arc::new(model)));
        }
        self.roster.store(Some(Arc::new(Roster {
            models,
            ..(*roster).clone()
        })));
        Ok(previous)
    }
}

#[cfg(test)]
mod tests;

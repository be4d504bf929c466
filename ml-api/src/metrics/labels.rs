//! The `model_version` label: the name of the model that served a request
//! (see [`crate::model::LoadedModel::name`]). Names come from `MODELS` (at
//! most `MAX_MODELS`) or, for a single model, from each artifact a reload
//! brings in; past [`MAX_MODEL_LABELS`] distinct names, later ones are
//! counted as `other`, so no sequence of reloads grows the series without
//! bound. Routes that use no model have the empty value (Prometheus treats
//! it as no label).

use std::sync::{Arc, RwLock};

/// Most distinct `model_version` values ever written.
pub const MAX_MODEL_LABELS: usize = 32;

/// The label value of requests whose model is not known (no model route,
/// an unknown version).
pub const NO_MODEL: &str = "";

/// The names seen so far, up to the bound.
#[derive(Debug)]
pub struct ModelLabels {
    known: RwLock<Vec<Arc<str>>>,
    none: Arc<str>,
    other: Arc<str>,
}

impl Default for ModelLabels {
    fn default() -> Self {
        ModelLabels {
            known: RwLock::default(),
            none: Arc::from(NO_MODEL),
            other: Arc::from("other"),
        }
    }
}

impl ModelLabels {
    /// The label of requests no model served.
    pub fn none(&self) -> Arc<str> {
        self.none.clone()
    }

    /// The label value for `name`: itself while the bound allows, else `other`.
    pub fn get(&self, name: &str) -> Arc<str> {
        if name.is_empty() {
            return self.none();
        }
        {
            let known = self.known.read().unwrap_or_else(|e| e.into_inner());
            if let Some(found) = known.iter().find(|k| &***k == name) {
                return found.clone();
            }
        }
        let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = known.iter().find(|k| &***k == name) {
            return found.clone();
        }
        if known.len() >= MAX_MODEL_LABELS {
            return self.other.clone();
        }
        let label: Arc<str> = Arc::from(name);
        known.push(label.clone());
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_past_the_bound_share_the_label_other() {
        let labels = ModelLabels::default();
        for i in 0..MAX_MODEL_LABELS {
            assert_eq!(&*labels.get(&format!("v{i}")), format!("v{i}"));
        }
        assert_eq!(&*labels.get("one-more"), "other");
        assert_eq!(&*labels.get("v0"), "v0");
    }
}

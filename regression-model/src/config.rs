//! Pipeline configuration: features, ordered steps and estimator, read from
//! TOML and checked as a whole before any data is touched, so a bad config
//! fails at load with a message naming the offending entry.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::estimator::EstimatorConfig;
use crate::schema::Column;
use crate::transform::StepConfig;

mod blend;
mod check;
mod missing;
mod source;

pub use missing::OnMissing;
pub(crate) use source::{config_error, read_config_text, toml_error};

/// The generation-3 config, the crate's default, embedded at build time.
pub const DEFAULT_CONFIG: &str = include_str!("../config/generation-3.toml");

/// How the target is transformed before fitting (and inverted after predicting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetTransform {
    /// Fit on `ln(y)`, predict `exp(output)`; targets must be positive.
    #[default]
    Log,
    /// Fit and predict the price itself.
    None,
}

impl TargetTransform {
    /// The target as the estimator is fitted on it.
    pub fn forward(self, y: f64) -> f64 {
        match self {
            TargetTransform::Log => y.ln(),
            TargetTransform::None => y,
        }
    }

    /// The price an estimator's output stands for (the inverse of [`TargetTransform::forward`]).
    pub fn inverse(self, output: f64) -> f64 {
        match self {
            TargetTransform::Log => output.exp(),
            TargetTransform::None => output,
        }
    }
}

/// The default hold-out split of a config (the CLI can override both).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitConfig {
    /// Share of rows held out for evaluation, in `[0, 1)`.
    pub holdout: f64,
    /// Seed of the shuffle that picks them.
    pub seed: u64,
}

impl Default for SplitConfig {
    fn default() -> Self {
        SplitConfig {
            holdout: 0.1,
            seed: 0,
        }
    }
}

/// A pipeline config as written in TOML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// The config's name, recorded in the artifact (`generation-3`).
    pub name: String,
    #[serde(default)]
    /// What the generation does, for people reading reports.
    pub description: String,
    #[serde(default = "sale_price")]
    /// The target column (`SalePrice`).
    pub target: String,
    #[serde(default)]
    /// How the target is transformed before fitting.
    pub target_transform: TargetTransform,
    /// Input columns; empty (omitted) for a blend, which reads its
    /// members' features.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// What prediction does with a missing value no step imputes (a
    /// blend's setting applies to every member).
    #[serde(default, skip_serializing_if = "OnMissing::is_reject")]
    pub on_missing: OnMissing,
    /// With `on_missing = "impute"`, the most fallbacks one row may use;
    /// a row missing more is rejected with one error.
    #[serde(
        default = "missing::default_max_imputed",
        skip_serializing_if = "missing::is_default_max_imputed"
    )]
    pub max_imputed: usize,
    #[serde(default)]
    /// The default hold-out split of a training run.
    pub split: SplitConfig,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) steps: Vec<StepConfig>,
    pub(crate) estimator: EstimatorConfig,
}

fn sale_price() -> String {
    "SalePrice".into()
}

/// A config that passed every check, with its features resolved to columns.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedConfig {
    config: PipelineConfig,
    features: Vec<Column>,
    /// A blend's members, checked, with their weights (empty otherwise).
    members: Vec<(f64, CheckedConfig)>,
}

impl PipelineConfig {
    /// Parses and checks a TOML config; `origin` names it in errors.
    ///
    /// # Errors
    /// [`Error::Config`] for TOML that does not parse, unknown keys or step
    /// kinds, unknown columns, steps reading columns that are absent or of the
    /// wrong kind at that point, and invalid hyper-parameters.
    /// Blend members given as paths are read relative to the current
    /// directory; [`PipelineConfig::from_file`] reads them relative to the file.
    pub fn from_toml(text: &str, origin: &str) -> Result<CheckedConfig> {
        PipelineConfig::from_toml_in(text, origin, Path::new("."))
    }

    /// [`PipelineConfig::from_toml`], reading member paths relative to `base`.
    pub fn from_toml_in(text: &str, origin: &str, base: &Path) -> Result<CheckedConfig> {
        let mut config: PipelineConfig =
            toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
        config.resolve_members(base)?;
        config
            .check()
            .map_err(|message| config_error(origin, message))
    }

    /// Reads and checks a config file.
    pub fn from_file(path: &Path) -> Result<CheckedConfig> {
        let text = read_config_text(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        PipelineConfig::from_toml_in(&text, &path.display().to_string(), base)
    }

    /// The embedded default (generation 3).
    pub fn default_config() -> CheckedConfig {
        PipelineConfig::from_toml(DEFAULT_CONFIG, "generation-3.toml")
            .expect("the embedded default config is valid (tested)")
    }
}

impl CheckedConfig {
    /// The config that was checked.
    pub fn config(&self) -> &PipelineConfig {
        &self.config
    }

    /// The input columns read (for a blend, every member's, in schema order).
    pub fn features(&self) -> &[Column] {
        &self.features
    }

    /// A blend's checked members with their weights; empty for other models.
    pub fn members(&self) -> &[(f64, CheckedConfig)] {
        &self.members
    }

    /// Returns a copy with another estimator (used by tuning), re-checked.
    pub fn with_estimator(&self, estimator: EstimatorConfig) -> Result<CheckedConfig, String> {
        PipelineConfig {
            estimator,
            ..self.config.clone()
        }
        .check()
    }
}

/// Serde adapter that stores a config as its TOML text.
pub(crate) mod as_toml {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::PipelineConfig;

    pub fn serialize<S: Serializer>(
        config: &PipelineConfig,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = config.to_toml().map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<PipelineConfig, D::Error> {
        let text = String::deserialize(deserializer)?;
        toml::from_str(&text).map_err(serde::de::Error::custom)
    }
}

impl PipelineConfig {
    /// The config as TOML text (deterministic: same config, same text).
    pub fn to_toml(&self) -> Result<String, String> {
        toml::to_string(self).map_err(|e| e.to_string())
    }

    /// The kind of each step, in order (`impute`, `one_hot`, ...). The steps'
    /// settings are read from TOML, not built in Rust, so their types stay
    /// inside the crate.
    pub fn step_kinds(&self) -> impl ExactSizeIterator<Item = &'static str> + '_ {
        self.steps.iter().map(|s| s.kind())
    }

    /// The estimator's name as the `model` key gives it (`lasso`, `gbm`,
    /// `blend`, ...).
    pub fn estimator_name(&self) -> &'static str {
        self.estimator.name()
    }
}

#[cfg(test)]
mod tests;

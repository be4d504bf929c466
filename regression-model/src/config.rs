//! Pipeline configuration: features, ordered steps and estimator, read from
//! TOML and checked as a whole before any data is touched, so a bad config
//! fails at load with a message naming the offending entry.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::estimator::EstimatorConfig;
use crate::plan::ColumnPlan;
use crate::schema::{Column, ColumnKind};
use crate::transform::StepConfig;

mod blend;

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
        let mut config: PipelineConfig = toml::from_str(text)
            .map_err(|e| config_error(origin, e.to_string().trim_end().to_owned()))?;
        config.resolve_members(base)?;
        config
            .check()
            .map_err(|message| config_error(origin, message))
    }

    /// Reads and checks a config file.
    pub fn from_file(path: &Path) -> Result<CheckedConfig> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        PipelineConfig::from_toml_in(&text, &path.display().to_string(), base)
    }

    /// The embedded default (generation 3).
    pub fn default_config() -> CheckedConfig {
        PipelineConfig::from_toml(DEFAULT_CONFIG, "generation-3.toml")
            .expect("the embedded default config is valid (tested)")
    }

    /// Checks the whole config; see [`PipelineConfig::from_toml`].
    pub fn check(self) -> Result<CheckedConfig, String> {
        if self.target != "SalePrice" {
            return Err(format!(
                "target `{}` is not supported; the target column is `SalePrice`",
                self.target
            ));
        }
        if !(0.0..1.0).contains(&self.split.holdout) {
            return Err(format!(
                "split.holdout must be in [0, 1), got {}",
                self.split.holdout
            ));
        }
        if let EstimatorConfig::Blend(blend) = &self.estimator {
            let blend = blend.clone();
            return self.check_blend(blend);
        }
        if self.features.is_empty() {
            return Err("`features` is empty".into());
        }
        let mut features = Vec::with_capacity(self.features.len());
        for name in &self.features {
            let column = Column::from_name(name).ok_or_else(|| {
                format!("features: `{name}` is not a column of the house-prices data")
            })?;
            if features.contains(&column) {
                return Err(format!("features: `{name}` is listed twice"));
            }
            features.push(column);
        }
        let mut plan = ColumnPlan::from_features(&features);
        for (index, step) in self.steps.iter().enumerate() {
            step.plan(&mut plan)
                .map_err(|m| format!("step {} ({}) {m}", index + 1, step.kind()))?;
        }
        if let Some((name, _)) = plan
            .present()
            .iter()
            .find(|(_, k)| *k != ColumnKind::Numeric)
        {
            return Err(format!(
                "`{name}` is still categorical after the last step; encode it (map_labels, ordinal_by_target) or drop it"
            ));
        }
        if plan.present().is_empty() {
            return Err("no column is left for the estimator after the last step".into());
        }
        self.estimator
            .check()
            .map_err(|m| format!("estimator: {m}"))?;
        Ok(CheckedConfig {
            config: self,
            features,
            members: Vec::new(),
        })
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

fn config_error(origin: &str, message: String) -> Error {
    Error::Config {
        origin: origin.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<CheckedConfig> {
        PipelineConfig::from_toml(text, "test.toml")
    }

    fn error_of(text: &str) -> String {
        load(text).unwrap_err().to_string()
    }

    const MINIMAL: &str = r#"
        name = "t"
        features = ["GrLivArea", "YrSold", "Neighborhood"]
        [[steps]]
        step = "drop"
        variables = ["YrSold"]
        [[steps]]
        step = "ordinal_by_target"
        variables = ["Neighborhood"]
        [estimator]
        model = "lasso"
        alpha = 0.001
    "#;

    #[test]
    fn the_shipped_configs_are_valid() {
        for file in [
            "generation-1.toml",
            "generation-2.toml",
            "random-forest.toml",
            "generation-3.toml",
            "generation-3-blend.toml",
            "generation-3-forest.toml",
            "generation-4-gbm.toml",
            "generation-4.toml",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("config")
                .join(file);
            PipelineConfig::from_file(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        assert_eq!(
            PipelineConfig::default_config().config().name,
            "generation-3"
        );
    }

    #[test]
    fn a_minimal_config_loads_with_defaults() {
        let checked = load(MINIMAL).unwrap();
        assert_eq!(checked.features().len(), 3);
        assert_eq!(checked.config().target_transform, TargetTransform::Log);
    }

    #[test]
    fn an_unknown_step_is_rejected_by_name() {
        let text = MINIMAL.replace("step = \"drop\"", "step = \"dropp\"");
        assert!(error_of(&text).contains("dropp"), "{}", error_of(&text));
    }

    #[test]
    fn an_unknown_column_is_rejected_by_name() {
        let text = MINIMAL.replace(
            "\"GrLivArea\", \"YrSold\"",
            "\"GrLivArea\", \"YrSold\", \"Garage\"",
        );
        assert!(error_of(&text).contains("`Garage` is not a column"));
    }

    #[test]
    fn a_step_reading_a_dropped_column_is_rejected_with_its_position() {
        let text = MINIMAL.replace(
            "variables = [\"Neighborhood\"]",
            "variables = [\"Neighborhood\"]\n[[steps]]\nstep = \"log\"\nvariables = [\"YrSold\"]",
        );
        let message = error_of(&text);
        assert!(
            message.contains("step 3 (log)") && message.contains("dropped"),
            "{message}"
        );
    }

    #[test]
    fn a_column_left_categorical_is_rejected() {
        let text = MINIMAL.replace(
            "step = \"ordinal_by_target\"\n        variables = [\"Neighborhood\"]",
            "step = \"drop\"\n        variables = [\"GrLivArea\"]",
        );
        assert!(error_of(&text).contains("`Neighborhood` is still categorical"));
    }

    #[test]
    fn a_step_given_the_wrong_column_kind_is_rejected() {
        let text = MINIMAL.replace(
            "variables = [\"YrSold\"]",
            "variables = [\"YrSold\"]\n[[steps]]\nstep = \"log\"\nvariables = [\"Neighborhood\"]",
        );
        assert!(error_of(&text).contains("needs `Neighborhood` to be Numeric"));
    }

    #[test]
    fn invalid_hyper_parameters_and_unknown_keys_are_rejected() {
        assert!(error_of(&MINIMAL.replace("alpha = 0.001", "alpha = -1.0")).contains("alpha"));
        assert!(error_of(&MINIMAL.replace("alpha = 0.001", "alpah = 0.1")).contains("alpah"));
        assert!(error_of(&MINIMAL.replace("model = \"lasso\"", "model = \"svm\"")).contains("svm"));
    }

    #[test]
    fn toml_that_does_not_parse_names_the_file() {
        assert!(error_of("name = ").starts_with("config test.toml"));
    }
}

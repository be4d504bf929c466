//! The whole-config check: target and split, the features, then each step
//! in order against the columns the steps before it leave (a step reading a
//! dropped or still-categorical column is refused with its position), and
//! the estimator's hyper-parameters. Blends are checked member by member
//! (`blend`).

use super::{CheckedConfig, PipelineConfig};
use crate::estimator::EstimatorConfig;
use crate::plan::ColumnPlan;
use crate::schema::{Column, ColumnKind};

impl PipelineConfig {
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
        super::missing::check_max_imputed(self.max_imputed)?;
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

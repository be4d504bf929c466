//! Blend configs: members given as paths are read and inlined at load time
//! (so an artifact never depends on other files), and each member is
//! checked as a whole pipeline of its own.

use std::path::Path;

use super::source::{read_config_text, toml_error};
use super::{CheckedConfig, PipelineConfig};
use crate::error::Result;
use crate::estimator::{Blend, EstimatorConfig, MemberConfig};
use crate::schema::Column;

impl PipelineConfig {
    /// Replaces blend members given as paths by the configs they name.
    pub(super) fn resolve_members(&mut self, base: &Path) -> Result<()> {
        let EstimatorConfig::Blend(blend) = &mut self.estimator else {
            return Ok(());
        };
        for member in &mut blend.members {
            if let MemberConfig::Path(relative) = &member.config {
                let path = base.join(relative);
                let text = read_config_text(&path)?;
                let inner: PipelineConfig = toml::from_str(&text)
                    .map_err(|e| toml_error(&path.display().to_string(), &text, &e))?;
                member.config = MemberConfig::Inline(Box::new(inner));
            }
        }
        Ok(())
    }

    pub(super) fn check_blend(self, blend: Blend) -> Result<CheckedConfig, String> {
        if !self.features.is_empty() || !self.steps.is_empty() {
            return Err(
                "a blend has no `features` or `steps` of its own: its members have them".into(),
            );
        }
        blend.check().map_err(|m| format!("estimator: {m}"))?;
        let mut members = Vec::with_capacity(blend.members.len());
        for (index, member) in blend.members.into_iter().enumerate() {
            let at = |m: String| format!("blend member {}: {m}", index + 1);
            let mut config = match member.config {
                MemberConfig::Inline(config) => *config,
                MemberConfig::Path(path) => {
                    return Err(at(format!(
                        "config path `{path}` was not read; load the blend with PipelineConfig::from_file"
                    )));
                }
            };
            if matches!(config.estimator, EstimatorConfig::Blend(_)) {
                return Err(at("a member cannot itself be a blend".into()));
            }
            // How the blend treats missing values is the blend's choice:
            // a row is priced only when every member prices it.
            config.on_missing = self.on_missing;
            config.max_imputed = self.max_imputed;
            // Stacked members weigh 1 until fitting learns their weights.
            let weight = member.weight.unwrap_or(1.0);
            members.push((weight, config.check().map_err(at)?));
        }
        let mut features: Vec<Column> = members
            .iter()
            .flat_map(|(_, c)| c.features.iter().copied())
            .collect();
        features.sort();
        features.dedup();
        Ok(CheckedConfig {
            config: self,
            features,
            members,
        })
    }
}

//! The blend's side of fitting and loading a pipeline: every member is a
//! whole pipeline, fitted on the same rows, and checked against the blend's
//! config when an artifact is loaded.

use super::{Checked, FittedMember, FittedPipeline};
use crate::config::CheckedConfig;
use crate::error::{Error, Result};
use crate::estimator::{Blend, EstimatorConfig, FittedEstimator};
use crate::schema::HouseRecord;

impl FittedPipeline {
    /// Fits every member of a blend on the same rows.
    #[cfg(feature = "train")]
    pub(super) fn fit_blend(
        config: &CheckedConfig,
        records: &[&HouseRecord],
        targets: &[f64],
    ) -> Result<FittedPipeline> {
        if let EstimatorConfig::Blend(Blend {
            stacking: Some(stacking),
            ..
        }) = &config.config().estimator
        {
            return FittedPipeline::fit_stack(config, *stacking, records, targets);
        }
        let mut members = Vec::with_capacity(config.members().len());
        for (index, (weight, member)) in config.members().iter().enumerate() {
            let pipeline = FittedPipeline::fit(member, records, targets).map_err(|e| match e {
                Error::TrainingData(m) => {
                    Error::TrainingData(format!("blend member {}: {m}", index + 1))
                }
                other => other,
            })?;
            members.push(FittedMember {
                weight: *weight,
                pipeline,
            });
        }
        Ok(FittedPipeline {
            config: config.config().clone(),
            steps: Vec::new(),
            output_features: Vec::new(),
            estimator: FittedEstimator::Blend(members),
            guard: super::InputGuard::default(),
            checked: Some(Checked::from_config(config)),
            lookups: Vec::new(),
        })
    }

    /// A loaded blend's members must be the configured ones; each is
    /// verified in turn.
    pub(super) fn verify_members(&mut self, checked: &CheckedConfig) -> Result<(), String> {
        // A stack's weights were learnt, so only a fixed blend's are compared.
        let (members, learnt) = match &mut self.estimator {
            FittedEstimator::Blend(members) => (members, false),
            FittedEstimator::Stacked(stack) => (&mut stack.members, true),
            _ => return Ok(()),
        };
        let stacked = matches!(
            &checked.config().estimator,
            EstimatorConfig::Blend(Blend {
                stacking: Some(_),
                ..
            })
        );
        if learnt != stacked {
            return Err(if stacked {
                "the config learns its weights by stacking but the fitted blend has fixed ones"
                    .into()
            } else {
                "the config fixes the weights but the fitted blend learnt its own".into()
            });
        }
        if members.len() != checked.members().len() {
            return Err(format!(
                "{} fitted blend members for {} configured",
                members.len(),
                checked.members().len()
            ));
        }
        for (index, (member, (weight, configured))) in
            members.iter_mut().zip(checked.members()).enumerate()
        {
            let weight_ok = if learnt {
                member.weight.is_finite() && member.weight >= 0.0
            } else {
                member.weight == *weight
            };
            if !weight_ok || member.pipeline.config != *configured.config() {
                return Err(format!(
                    "blend member {} disagrees with the blend's config",
                    index + 1
                ));
            }
            member
                .pipeline
                .verify_in_place()
                .map_err(|m| format!("blend member {}: {m}", index + 1))?;
        }
        Ok(())
    }
}

//! The blend's side of fitting and loading a pipeline: every member is a
//! whole pipeline, fitted on the same rows, and checked against the blend's
//! config when an artifact is loaded.

use super::{Checked, FittedPipeline};
use crate::config::CheckedConfig;
use crate::error::{Error, Result};
use crate::estimator::{FittedEstimator, FittedMember};
use crate::schema::HouseRecord;

impl FittedPipeline {
    /// Fits every member of a blend on the same rows.
    pub(super) fn fit_blend(
        config: &CheckedConfig,
        records: &[&HouseRecord],
        targets: &[f64],
    ) -> Result<FittedPipeline> {
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
            checked: Some(Checked::from_config(config)),
            lookups: Vec::new(),
        })
    }

    /// A loaded blend's members must be the configured ones; each is
    /// verified in turn.
    pub(super) fn verify_members(&mut self, checked: &CheckedConfig) -> Result<(), String> {
        let FittedEstimator::Blend(members) = &mut self.estimator else {
            return Ok(());
        };
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
            if member.weight != *weight || member.pipeline.config != *configured.config() {
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

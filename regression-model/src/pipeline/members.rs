//! The blend's side of fitting a pipeline: every member is a whole
//! pipeline, fitted on the same rows (verifying one as it is read is
//! `verify`'s).

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
            checked: Checked::from_config(config),
            lookups: Vec::new(),
            prepared: Default::default(),
        })
    }
}

//! Verifying a pipeline as it is read: `FittedPipeline`'s `Deserialize`
//! goes through [`StoredPipeline`] and `TryFrom`, so a pipeline that exists
//! has passed its checks; there is no unverified pipeline to forget to
//! check, and none to check again on every prediction.
//!
//! `StoredPipeline` has `FittedPipeline`'s serialised fields in the same
//! order, so the bytes it reads are the bytes `FittedPipeline` writes (the
//! postcard layout does not change). A blend's members are stored pipelines
//! too, verified one by one against the blend's config.

use serde::Deserialize;

use super::{Checked, FittedMember, FittedPipeline, InputGuard};
use crate::config::{CheckedConfig, OnMissing, PipelineConfig};
use crate::estimator::{Blend, EstimatorConfig, FittedEstimator};
use crate::transform::{FittedStep, Lookups};

/// A fitted pipeline as stored, before it is verified.
#[derive(Debug, Deserialize)]
pub(crate) struct StoredPipeline {
    #[serde(with = "crate::config::as_toml")]
    config: PipelineConfig,
    steps: Vec<FittedStep>,
    output_features: Vec<String>,
    estimator: FittedEstimator<StoredMember>,
    guard: InputGuard,
}

impl StoredPipeline {
    /// A stored pipeline from its parts (an artifact of an older format,
    /// upgraded before it is verified).
    pub(crate) fn from_parts(
        config: PipelineConfig,
        steps: Vec<FittedStep>,
        output_features: Vec<String>,
        estimator: FittedEstimator<StoredMember>,
        guard: InputGuard,
    ) -> StoredPipeline {
        StoredPipeline {
            config,
            steps,
            output_features,
            estimator,
            guard,
        }
    }
}

/// A blend member as stored: [`FittedMember`]'s fields, unverified.
#[derive(Debug, Deserialize)]
pub(crate) struct StoredMember {
    weight: f64,
    pipeline: StoredPipeline,
}

impl StoredMember {
    /// A member from its weight and stored pipeline.
    pub(crate) fn new(weight: f64, pipeline: StoredPipeline) -> StoredMember {
        StoredMember { weight, pipeline }
    }
}

impl TryFrom<StoredPipeline> for FittedPipeline {
    type Error = String;

    /// Re-checks the config, then that the fitted state agrees with it:
    /// the steps (number and kinds), the estimator's feature count, and a
    /// blend's members (each verified in turn).
    fn try_from(stored: StoredPipeline) -> Result<FittedPipeline, String> {
        let checked = stored.config.clone().check()?;
        let configured = &checked.config().steps;
        if stored.steps.len() != configured.len() {
            return Err(format!(
                "{} fitted steps for {} configured",
                stored.steps.len(),
                configured.len()
            ));
        }
        for (index, (fitted, configured)) in stored.steps.iter().zip(configured).enumerate() {
            if fitted.kind() != configured.kind() {
                return Err(format!(
                    "step {} is {} but the config says {}",
                    index + 1,
                    fitted.kind(),
                    configured.kind()
                ));
            }
        }
        if stored.estimator.n_features() != stored.output_features.len() {
            return Err(format!(
                "estimator has {} features, the pipeline records {}",
                stored.estimator.n_features(),
                stored.output_features.len()
            ));
        }
        if let FittedEstimator::BoostedTrees(trees) = &stored.estimator {
            trees
                .check_cover()
                .map_err(|m| format!("boosted trees: {m}"))?;
        }
        if let FittedEstimator::Quadratic(model) = &stored.estimator {
            model
                .check_shape()
                .map_err(|m| format!("kernel ridge: {m}"))?;
        }
        if let FittedEstimator::Kernel(model) = &stored.estimator {
            model.check_shape().map_err(|m| format!("svr: {m}"))?;
        }
        let estimator = verify_members(stored.estimator, &checked)?;
        let inputs = Checked::from_config(&checked);
        let impute = stored.config.on_missing == OnMissing::Impute && checked.members().is_empty();
        stored
            .guard
            .verify(impute, &inputs.required())
            .map_err(|m| format!("input guard: {m}"))?;
        let pipeline = FittedPipeline {
            checked: inputs,
            guard: stored.guard,
            lookups: Lookups::for_pipeline(&stored.steps),
            config: stored.config,
            steps: stored.steps,
            output_features: stored.output_features,
            estimator,
            prepared: Default::default(),
        };
        dry_run(&pipeline).map_err(|e| format!("the fitted steps do not fit its inputs: {e}"))?;
        Ok(pipeline)
    }
}

/// Runs the fitted steps on no rows of the columns the pipeline reads: a
/// step whose stored state names a column the data will not have (a
/// damaged artifact whose checksum was recomputed) fails here, at load,
/// instead of on every row it is asked to price. (The estimator's width is
/// checked above; how it reads the frame depends on the estimator.)
fn dry_run(pipeline: &FittedPipeline) -> crate::error::Result<()> {
    if matches!(pipeline.estimator, FittedEstimator::Blend(_)) {
        // Its members were each run as pipelines of their own.
        return Ok(());
    }
    let mut frame = crate::frame::Frame::from_records(&[], &pipeline.features());
    pipeline
        .steps
        .iter()
        .try_for_each(|step| step.transform(&mut frame))
}

/// A blend's members must be the configured ones, with the configured
/// weights (a stack's learnt weights only need to be usable); each member
/// pipeline is verified in turn.
fn verify_members(
    estimator: FittedEstimator<StoredMember>,
    checked: &CheckedConfig,
) -> Result<FittedEstimator<FittedMember>, String> {
    let learnt = matches!(estimator, FittedEstimator::Stacked(_));
    if let Some(members) = estimator.members() {
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
    }
    // Called once per member, in order: none for a single estimator.
    let mut configured = checked.members().iter().enumerate();
    estimator.try_map_members(|member| {
        let (index, (weight, config)) = configured.next().ok_or("more members than configured")?;
        let weight_ok = if learnt {
            member.weight.is_finite() && member.weight >= 0.0
        } else {
            member.weight == *weight
        };
        if !weight_ok || member.pipeline.config != *config.config() {
            return Err(format!(
                "blend member {} disagrees with the blend's config",
                index + 1
            ));
        }
        let pipeline = FittedPipeline::try_from(member.pipeline)
            .map_err(|m| format!("blend member {}: {m}", index + 1))?;
        Ok(FittedMember {
            weight: member.weight,
            pipeline,
        })
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::input::read_csv_file;
    use crate::schema::HouseRecord;

    fn fitted() -> FittedPipeline {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let train = read_csv_file(&root.join("fixtures/synthetic/train.csv")).unwrap();
        let records: Vec<&HouseRecord> = train.rows.iter().map(|r| &r.record).collect();
        let targets: Vec<f64> = train.target.unwrap().into_iter().flatten().collect();
        let config = PipelineConfig::from_file(&root.join("config/generation-2.toml")).unwrap();
        FittedPipeline::fit(&config, &records, &targets).unwrap()
    }

    #[test]
    fn a_pipeline_is_verified_when_deserialised_and_an_inconsistent_one_refused() {
        let mut pipeline = fitted();
        let bytes = postcard::to_allocvec(&pipeline).unwrap();
        let read: FittedPipeline = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(postcard::to_allocvec(&read).unwrap(), bytes);
        assert_eq!(read.lookups.len(), read.steps.len());

        pipeline.output_features.pop();
        let forged = postcard::to_allocvec(&pipeline).unwrap();
        assert!(postcard::from_bytes::<FittedPipeline>(&forged).is_err());
        let stored: StoredPipeline = postcard::from_bytes(&forged).unwrap();
        let problem = FittedPipeline::try_from(stored).unwrap_err();
        assert!(problem.contains("the pipeline records"), "{problem}");
    }

    #[test]
    fn a_step_of_another_kind_than_configured_is_refused_by_its_position() {
        let mut pipeline = fitted();
        pipeline.steps.swap(1, 2);
        let forged = postcard::to_allocvec(&pipeline).unwrap();
        let stored: StoredPipeline = postcard::from_bytes(&forged).unwrap();
        let problem = FittedPipeline::try_from(stored).unwrap_err();
        assert!(
            problem.starts_with("step 2 is missing_indicator"),
            "{problem}"
        );
    }
}

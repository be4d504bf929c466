//! Reading artifacts of format version 1 (regression-model 0.2.0 and
//! earlier): the same pipeline without its [`InputGuard`]. Such a model
//! predicts as it always did: it rejects missing values nothing imputes,
//! and flags nothing as extrapolated (it never recorded its training
//! range). Written again, it becomes version 2.

use serde::Deserialize;

use crate::config::PipelineConfig;
use crate::estimator::{FittedEstimator, Stack};
use crate::pipeline::{InputGuard, StoredMember, StoredPipeline};
use crate::transform::FittedStep;

/// [`FittedPipeline`] as format version 1 laid it out.
#[derive(Deserialize)]
pub(super) struct PipelineV1 {
    #[serde(with = "crate::config::as_toml")]
    config: PipelineConfig,
    steps: Vec<FittedStep>,
    output_features: Vec<String>,
    estimator: FittedEstimator<MemberV1>,
}

#[derive(Deserialize)]
struct MemberV1 {
    weight: f64,
    pipeline: PipelineV1,
}

impl PipelineV1 {
    /// The pipeline with an empty guard (verified next, as any other).
    pub(super) fn upgrade(self) -> StoredPipeline {
        let member = |m: MemberV1| StoredMember::new(m.weight, m.pipeline.upgrade());
        let estimator = match self.estimator {
            FittedEstimator::Linear(m) => FittedEstimator::Linear(m),
            FittedEstimator::RandomForest(m) => FittedEstimator::RandomForest(m),
            FittedEstimator::BoostedTrees(m) => FittedEstimator::BoostedTrees(m),
            FittedEstimator::Blend(members) => {
                FittedEstimator::Blend(members.into_iter().map(member).collect())
            }
            FittedEstimator::Stacked(stack) => FittedEstimator::Stacked(Stack {
                members: stack.members.into_iter().map(member).collect(),
                out_of_fold: stack.out_of_fold,
            }),
        };
        StoredPipeline::from_parts(
            self.config,
            self.steps,
            self.output_features,
            estimator,
            InputGuard::default(),
        )
    }
}

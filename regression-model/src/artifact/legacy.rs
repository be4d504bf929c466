//! Reading artifacts of older formats. postcard is not self-describing, so
//! each older layout has its own types here, upgraded to the current ones
//! before the pipeline is verified:
//!
//! - format 1 (regression-model 0.2.0 and earlier): the pipeline without
//!   its [`InputGuard`]. Such a model rejects missing values nothing
//!   imputes, and flags nothing as extrapolated (it never recorded its
//!   training range).
//! - formats 1 and 2: metadata without the training-data summary (no drift
//!   monitoring) and boosted trees without their cover (no TreeSHAP
//!   explanation: such a model predicts as before and explaining it is
//!   refused with a message saying why).
//!
//! Written again, any of them becomes the current format.

use serde::Deserialize;

use super::Metadata;
use crate::config::PipelineConfig;
use crate::estimator::{
    BoostedTrees, FittedEstimator, ForestModel, LinearModel, Node, Stack, Tree,
};
use crate::metrics::Metrics;
use crate::pipeline::{InputGuard, StoredMember, StoredPipeline};
use crate::transform::FittedStep;

/// [`Metadata`] as formats 1 and 2 laid it out: without the summary.
#[derive(Deserialize)]
pub(super) struct MetadataV2 {
    model_version: String,
    config_name: String,
    estimator: String,
    config_toml: String,
    input_features: Vec<String>,
    output_features: Vec<String>,
    seed: u64,
    holdout_fraction: f64,
    training_data_sha256: String,
    rows_total: usize,
    rows_train: usize,
    rows_holdout: usize,
    holdout_metrics: Option<Metrics>,
    crate_version: String,
    rustc_version: String,
}

impl MetadataV2 {
    /// The metadata with no training summary.
    pub(super) fn upgrade(self) -> Metadata {
        Metadata {
            model_version: self.model_version,
            config_name: self.config_name,
            estimator: self.estimator,
            config_toml: self.config_toml,
            input_features: self.input_features,
            output_features: self.output_features,
            seed: self.seed,
            holdout_fraction: self.holdout_fraction,
            training_data_sha256: self.training_data_sha256,
            rows_total: self.rows_total,
            rows_train: self.rows_train,
            rows_holdout: self.rows_holdout,
            holdout_metrics: self.holdout_metrics,
            crate_version: self.crate_version,
            rustc_version: self.rustc_version,
            training_summary: None,
        }
    }
}

/// The fitted pipeline as format 1 laid it out (no guard).
#[derive(Deserialize)]
pub(super) struct PipelineV1 {
    #[serde(with = "crate::config::as_toml")]
    config: PipelineConfig,
    steps: Vec<FittedStep>,
    output_features: Vec<String>,
    estimator: EstimatorV2<MemberV1>,
}

#[derive(Deserialize)]
struct MemberV1 {
    weight: f64,
    pipeline: PipelineV1,
}

/// The fitted pipeline as format 2 laid it out (trees without cover).
#[derive(Deserialize)]
pub(super) struct PipelineV2 {
    #[serde(with = "crate::config::as_toml")]
    config: PipelineConfig,
    steps: Vec<FittedStep>,
    output_features: Vec<String>,
    estimator: EstimatorV2<MemberV2>,
    guard: InputGuard,
}

#[derive(Deserialize)]
struct MemberV2 {
    weight: f64,
    pipeline: PipelineV2,
}

/// [`FittedEstimator`] of formats 1 and 2: the same variants in the same
/// order, with trees that store no cover.
#[derive(Deserialize)]
enum EstimatorV2<Member> {
    Linear(LinearModel),
    RandomForest(ForestModel),
    Blend(Vec<Member>),
    BoostedTrees(TreesV2),
    Stacked(Stack<Member>),
}

#[derive(Deserialize)]
struct TreesV2 {
    n_features: usize,
    base: f64,
    trees: Vec<TreeV2>,
}

#[derive(Deserialize)]
struct TreeV2 {
    nodes: Vec<Node>,
}

impl<Member> EstimatorV2<Member> {
    fn upgrade(self, member: impl Fn(Member) -> StoredMember) -> FittedEstimator<StoredMember> {
        match self {
            EstimatorV2::Linear(m) => FittedEstimator::Linear(m),
            EstimatorV2::RandomForest(m) => FittedEstimator::RandomForest(m),
            EstimatorV2::BoostedTrees(m) => FittedEstimator::BoostedTrees(BoostedTrees {
                n_features: m.n_features,
                base: m.base,
                trees: m
                    .trees
                    .into_iter()
                    .map(|t| Tree {
                        nodes: t.nodes,
                        cover: Vec::new(),
                    })
                    .collect(),
            }),
            EstimatorV2::Blend(members) => {
                FittedEstimator::Blend(members.into_iter().map(member).collect())
            }
            EstimatorV2::Stacked(stack) => FittedEstimator::Stacked(Stack {
                members: stack.members.into_iter().map(member).collect(),
                out_of_fold: stack.out_of_fold,
            }),
        }
    }
}

impl PipelineV1 {
    /// The pipeline with an empty guard (verified next, as any other).
    pub(super) fn upgrade(self) -> StoredPipeline {
        let member = |m: MemberV1| StoredMember::new(m.weight, m.pipeline.upgrade());
        StoredPipeline::from_parts(
            self.config,
            self.steps,
            self.output_features,
            self.estimator.upgrade(member),
            InputGuard::default(),
        )
    }
}

impl PipelineV2 {
    /// The pipeline with trees that store no cover.
    pub(super) fn upgrade(self) -> StoredPipeline {
        let member = |m: MemberV2| StoredMember::new(m.weight, m.pipeline.upgrade());
        StoredPipeline::from_parts(
            self.config,
            self.steps,
            self.output_features,
            self.estimator.upgrade(member),
            self.guard,
        )
    }
}

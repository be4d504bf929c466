//! Feature-engineering transformers. Each has a configuration type (what the
//! TOML says) and a fitted type (what was learnt from the training rows);
//! `fit` turns the first into the second, so nothing is ever half-fitted.
//! Stateless steps are their own fitted form.
//!
//! `transform` works on a whole [`Frame`]; a problem with one row's value
//! (a label never seen in training, a log of zero) rejects that row only.
//! An `Err` means the frame itself does not fit the step (a missing column),
//! which the config check at load time rules out for the shipped pipelines.

mod as_label;
mod clip;
mod columns;
mod derive;
mod encode;
mod group_impute;
mod impute;
mod lineage;
mod lookup;
mod numeric;
mod one_hot;
mod outliers;
// Feature selection rewrites configs with it.
#[cfg(feature = "research")]
mod prune;
mod scale;

pub use as_label::AsLabel;
pub use clip::{Clip, FittedClip};
pub use columns::{Drop, MissingIndicator};
pub use derive::Combine;
pub use encode::{
    FittedOrdinalByTarget, FittedRareLabels, MapLabels, OrdinalByTarget, RARE_LABEL, RareLabels,
};
pub use group_impute::{FittedImputeByGroup, ImputeByGroup};
pub use impute::{FittedImputeCategorical, FittedImputeNumeric, ImputeCategorical, ImputeNumeric};
pub use lineage::Lineage;
pub use lookup::Lookups;
pub use numeric::{AsNumber, Binarize, ElapsedYears, Log, Log1p};
pub use one_hot::{FittedOneHot, OneHot};
pub use outliers::{DropOutliers, FittedDropOutliers};
pub use scale::{FittedMinMaxScale, FittedRobustScale, MinMaxScale, RobustScale};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::frame::Frame;
use crate::plan::ColumnPlan;

/// One configured pipeline step, as written in the TOML `[[steps]]` list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StepConfig {
    AsNumber(AsNumber),
    ImputeCategorical(ImputeCategorical),
    ImputeNumeric(ImputeNumeric),
    MissingIndicator(MissingIndicator),
    ElapsedYears(ElapsedYears),
    Drop(Drop),
    Log(Log),
    Binarize(Binarize),
    MapLabels(MapLabels),
    RareLabels(RareLabels),
    OrdinalByTarget(OrdinalByTarget),
    MinMaxScale(MinMaxScale),
    // New kinds go last: the artifact (postcard) stores variant indices.
    OneHot(OneHot),
    Log1p(Log1p),
    Combine(Combine),
    DropOutliers(DropOutliers),
    RobustScale(RobustScale),
    Clip(Clip),
    AsLabel(AsLabel),
    ImputeByGroup(ImputeByGroup),
}

/// A step after fitting: everything it needs to transform new rows.
/// (Externally tagged: postcard, the artifact format, cannot decode
/// internally tagged enums.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FittedStep {
    AsNumber(AsNumber),
    ImputeCategorical(FittedImputeCategorical),
    ImputeNumeric(FittedImputeNumeric),
    MissingIndicator(MissingIndicator),
    ElapsedYears(ElapsedYears),
    Drop(Drop),
    Log(Log),
    Binarize(Binarize),
    MapLabels(MapLabels),
    RareLabels(FittedRareLabels),
    OrdinalByTarget(FittedOrdinalByTarget),
    MinMaxScale(FittedMinMaxScale),
    // New kinds go last: postcard stores variant indices.
    OneHot(FittedOneHot),
    Log1p(Log1p),
    Combine(Combine),
    DropOutliers(FittedDropOutliers),
    RobustScale(FittedRobustScale),
    Clip(FittedClip),
    AsLabel(AsLabel),
    ImputeByGroup(FittedImputeByGroup),
}

impl StepConfig {
    /// The step's name in the config (`log`, `rare_labels`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            StepConfig::AsNumber(_) => "as_number",
            StepConfig::ImputeCategorical(_) => "impute_categorical",
            StepConfig::ImputeNumeric(_) => "impute_numeric",
            StepConfig::MissingIndicator(_) => "missing_indicator",
            StepConfig::ElapsedYears(_) => "elapsed_years",
            StepConfig::Drop(_) => "drop",
            StepConfig::Log(_) => "log",
            StepConfig::Binarize(_) => "binarize",
            StepConfig::MapLabels(_) => "map_labels",
            StepConfig::RareLabels(_) => "rare_labels",
            StepConfig::OrdinalByTarget(_) => "ordinal_by_target",
            StepConfig::MinMaxScale(_) => "min_max_scale",
            StepConfig::OneHot(_) => "one_hot",
            StepConfig::Log1p(_) => "log1p",
            StepConfig::Combine(_) => "combine",
            StepConfig::DropOutliers(_) => "drop_outliers",
            StepConfig::RobustScale(_) => "robust_scale",
            StepConfig::Clip(_) => "clip",
            StepConfig::AsLabel(_) => "as_label",
            StepConfig::ImputeByGroup(_) => "impute_by_group",
        }
    }

    /// Checks the step against the columns present before it and updates
    /// them to what the step leaves behind.
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        match self {
            StepConfig::AsNumber(s) => s.plan(columns),
            StepConfig::ImputeCategorical(s) => s.plan(columns),
            StepConfig::ImputeNumeric(s) => s.plan(columns),
            StepConfig::MissingIndicator(s) => s.plan(columns),
            StepConfig::ElapsedYears(s) => s.plan(columns),
            StepConfig::Drop(s) => s.plan(columns),
            StepConfig::Log(s) => s.plan(columns),
            StepConfig::Binarize(s) => s.plan(columns),
            StepConfig::MapLabels(s) => s.plan(columns),
            StepConfig::RareLabels(s) => s.plan(columns),
            StepConfig::OrdinalByTarget(s) => s.plan(columns),
            StepConfig::MinMaxScale(s) => s.plan(columns),
            StepConfig::OneHot(s) => s.plan(columns),
            StepConfig::Log1p(s) => s.plan(columns),
            StepConfig::Combine(s) => s.plan(columns),
            StepConfig::DropOutliers(s) => s.plan(columns),
            StepConfig::RobustScale(s) => s.plan(columns),
            StepConfig::Clip(s) => s.plan(columns),
            StepConfig::AsLabel(s) => s.plan(columns),
            StepConfig::ImputeByGroup(s) => s.plan(columns),
        }
    }

    /// Learns the step's state from the training frame (and the target, for
    /// steps that use it).
    pub fn fit(&self, frame: &Frame, target: &[f64]) -> Result<FittedStep> {
        Ok(match self {
            StepConfig::AsNumber(s) => FittedStep::AsNumber(s.clone()),
            StepConfig::ImputeCategorical(s) => FittedStep::ImputeCategorical(s.fit(frame)?),
            StepConfig::ImputeNumeric(s) => FittedStep::ImputeNumeric(s.fit(frame)?),
            StepConfig::MissingIndicator(s) => FittedStep::MissingIndicator(s.clone()),
            StepConfig::ElapsedYears(s) => FittedStep::ElapsedYears(s.clone()),
            StepConfig::Drop(s) => FittedStep::Drop(s.clone()),
            StepConfig::Log(s) => FittedStep::Log(s.clone()),
            StepConfig::Binarize(s) => FittedStep::Binarize(s.clone()),
            StepConfig::MapLabels(s) => FittedStep::MapLabels(s.clone()),
            StepConfig::RareLabels(s) => FittedStep::RareLabels(s.fit(frame)?),
            StepConfig::OrdinalByTarget(s) => FittedStep::OrdinalByTarget(s.fit(frame, target)?),
            StepConfig::MinMaxScale(s) => FittedStep::MinMaxScale(s.fit(frame)?),
            StepConfig::OneHot(s) => FittedStep::OneHot(s.fit(frame)?),
            StepConfig::Log1p(s) => FittedStep::Log1p(s.clone()),
            StepConfig::Combine(s) => FittedStep::Combine(s.clone()),
            StepConfig::DropOutliers(s) => FittedStep::DropOutliers(s.fit(frame)?),
            StepConfig::RobustScale(s) => FittedStep::RobustScale(s.fit(frame)?),
            StepConfig::Clip(s) => FittedStep::Clip(s.fit(frame)?),
            StepConfig::AsLabel(s) => FittedStep::AsLabel(s.clone()),
            StepConfig::ImputeByGroup(s) => FittedStep::ImputeByGroup(s.fit(frame)?),
        })
    }

    /// The columns this step fills in when they are missing.
    pub fn imputes(&self) -> &[String] {
        match self {
            StepConfig::ImputeCategorical(s) => &s.variables,
            StepConfig::ImputeNumeric(s) => &s.variables,
            StepConfig::ImputeByGroup(s) => &s.variables,
            _ => &[],
        }
    }
}

impl FittedStep {
    pub fn kind(&self) -> &'static str {
        match self {
            FittedStep::AsNumber(_) => "as_number",
            FittedStep::ImputeCategorical(_) => "impute_categorical",
            FittedStep::ImputeNumeric(_) => "impute_numeric",
            FittedStep::MissingIndicator(_) => "missing_indicator",
            FittedStep::ElapsedYears(_) => "elapsed_years",
            FittedStep::Drop(_) => "drop",
            FittedStep::Log(_) => "log",
            FittedStep::Binarize(_) => "binarize",
            FittedStep::MapLabels(_) => "map_labels",
            FittedStep::RareLabels(_) => "rare_labels",
            FittedStep::OrdinalByTarget(_) => "ordinal_by_target",
            FittedStep::MinMaxScale(_) => "min_max_scale",
            FittedStep::OneHot(_) => "one_hot",
            FittedStep::Log1p(_) => "log1p",
            FittedStep::Combine(_) => "combine",
            FittedStep::DropOutliers(_) => "drop_outliers",
            FittedStep::RobustScale(_) => "robust_scale",
            FittedStep::Clip(_) => "clip",
            FittedStep::AsLabel(_) => "as_label",
            FittedStep::ImputeByGroup(_) => "impute_by_group",
        }
    }

    /// Applies the step to every row of the frame.
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        match self {
            // Its look-ups would hold the names of the columns it adds,
            // which the frame cannot borrow from a local.
            FittedStep::OneHot(s) => s.transform(frame),
            _ => self.transform_tables(frame, &Lookups::of(self)),
        }
    }

    /// [`FittedStep::transform`] with the step's look-up tables built
    /// beforehand ([`Lookups::for_pipeline`]); the frame may borrow from them.
    pub fn transform_with<'a>(&self, frame: &mut Frame<'a>, lookups: &'a Lookups) -> Result<()> {
        if let (FittedStep::OneHot(s), Lookups::Columns(columns)) = (self, lookups) {
            return s.transform_with(frame, columns);
        }
        self.transform_tables(frame, lookups)
    }

    fn transform_tables(&self, frame: &mut Frame, lookups: &Lookups) -> Result<()> {
        match (self, lookups) {
            (FittedStep::MapLabels(s), Lookups::Codes(table)) => {
                return s.transform_with(frame, table);
            }
            (FittedStep::RareLabels(s), Lookups::Kept(kept)) => {
                return s.transform_with(frame, kept);
            }
            (FittedStep::OrdinalByTarget(s), Lookups::Ranks(ranks)) => {
                return s.transform_with(frame, ranks);
            }
            _ => {}
        }
        match self {
            FittedStep::AsNumber(s) => s.transform(frame),
            FittedStep::ImputeCategorical(s) => s.transform(frame),
            FittedStep::ImputeNumeric(s) => s.transform(frame),
            FittedStep::MissingIndicator(s) => s.transform(frame),
            FittedStep::ElapsedYears(s) => s.transform(frame),
            FittedStep::Drop(s) => s.transform(frame),
            FittedStep::Log(s) => s.transform(frame),
            FittedStep::Binarize(s) => s.transform(frame),
            FittedStep::MapLabels(s) => s.transform(frame),
            FittedStep::RareLabels(s) => s.transform(frame),
            FittedStep::OrdinalByTarget(s) => s.transform(frame),
            FittedStep::MinMaxScale(s) => s.transform(frame),
            FittedStep::OneHot(s) => s.transform(frame),
            FittedStep::Log1p(s) => s.transform(frame),
            FittedStep::Combine(s) => s.transform(frame),
            FittedStep::DropOutliers(s) => s.transform(frame),
            FittedStep::RobustScale(s) => s.transform(frame),
            FittedStep::Clip(s) => s.transform(frame),
            FittedStep::AsLabel(s) => s.transform(frame),
            FittedStep::ImputeByGroup(s) => s.transform(frame),
        }
    }

    /// For training-row filters, the training rows to keep (`None` for
    /// every other step). Applied by the pipeline to the training frame
    /// only, never to rows being predicted.
    pub fn training_rows(&self, frame: &Frame) -> Result<Option<Vec<bool>>> {
        match self {
            FittedStep::DropOutliers(s) => s.keep_rows(frame).map(Some),
            _ => Ok(None),
        }
    }
}

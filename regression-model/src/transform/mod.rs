//! Feature-engineering transformers. Each has a configuration type (what the
//! TOML says) and a fitted type (what was learnt from the training rows);
//! `fit` turns the first into the second, so nothing is ever half-fitted.
//! Stateless steps are their own fitted form.
//!
//! `transform` works on a whole [`Frame`]; a problem with one row's value
//! (a label never seen in training, a log of zero) rejects that row only.
//! An `Err` means the frame itself does not fit the step (a missing column),
//! which the config check at load time rules out for the shipped pipelines.
//!
//! Adding a step kind: write its module (a config type with `plan` and, if
//! it learns anything, `fit`; a fitted type with `transform`), then add one
//! line at the end of the table in `step_kinds!`, which generates both
//! enums and their kind-wise matches. The compiler then asks for its
//! lineage rule (`lineage.rs`) and, with the `research` feature, its
//! pruning rule (`prune.rs`): those matches list every kind on purpose,
//! since no default is right for a step that derives or drops columns.

mod as_label;
mod clip;
mod columns;
mod derive;
mod encode;
mod group_impute;
mod impute;
mod label_table;
mod lineage;
mod lookup;
mod numeric;
mod one_hot;
mod outliers;
mod product;
// Feature selection rewrites configs with it.
#[cfg(feature = "research")]
mod prune;
mod scale;
mod standardize;
mod unskew;

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
pub(crate) use lookup::LabelSet;
pub use lookup::Lookups;
pub use numeric::{AsNumber, Binarize, BoxCox1p, ElapsedYears, Log, Log1p};
pub use one_hot::{FittedOneHot, OneHot};
pub use outliers::{DropOutliers, FittedDropOutliers};
pub use product::Multiply;
pub use scale::{FittedMinMaxScale, FittedRobustScale, MinMaxScale, RobustScale};
pub use standardize::{FittedStandardScale, StandardScale};
pub use unskew::{FittedUnskew, Unskew};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::frame::Frame;
use crate::plan::ColumnPlan;

/// The list of step kinds, each written once: its name in the TOML, the
/// variant, the configuration type, the fitted type and how it is fitted
/// (`same`: stateless, the config is its own fitted form; `frame`: learns
/// from the training frame; `target`: from the frame and the target).
///
/// Both enums and their kind-wise matches are generated from it, so the two
/// variant orders are the same by construction. **New kinds go last**: the
/// artifact (postcard) stores a fitted step's variant index, so reordering
/// or removing a line changes the meaning of every artifact already written
/// (`tests::variant_indices_are_pinned` fails if that happens).
macro_rules! step_kinds {
    ($($name:literal => $variant:ident($config:ty => $fitted:ty, $fit:ident);)*) => {
        /// One configured pipeline step, as written in the TOML `[[steps]]` list.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "step")]
        pub enum StepConfig {
            $(#[serde(rename = $name)] $variant($config),)*
        }

        /// A step after fitting: everything it needs to transform new rows.
        /// (Externally tagged: postcard, the artifact format, cannot decode
        /// internally tagged enums.)
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum FittedStep {
            $(#[serde(rename = $name)] $variant($fitted),)*
        }

        /// Every step kind's name, in variant order (the order postcard's
        /// variant indices follow).
        #[cfg_attr(not(test), allow(dead_code))]
        pub(crate) const STEP_KINDS: &[&str] = &[$($name),*];

        impl StepConfig {
            /// The step's name in the config (`log`, `rare_labels`, ...).
            pub fn kind(&self) -> &'static str {
                match self {
                    $(StepConfig::$variant(_) => $name,)*
                }
            }

            /// Checks the step against the columns present before it and updates
            /// them to what the step leaves behind.
            pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
                match self {
                    $(StepConfig::$variant(s) => s.plan(columns),)*
                }
            }

            /// Learns the step's state from the training frame (and the target, for
            /// steps that use it).
            pub fn fit(&self, frame: &Frame, target: &[f64]) -> Result<FittedStep> {
                Ok(match self {
                    $(StepConfig::$variant(s) => {
                        FittedStep::$variant(step_kinds!(@fit $fit, s, frame, target))
                    })*
                })
            }
        }

        impl FittedStep {
            /// The step's name in the config (`log`, `rare_labels`, ...).
            pub fn kind(&self) -> &'static str {
                match self {
                    $(FittedStep::$variant(_) => $name,)*
                }
            }

            /// Applies the step with its own `transform` (no prebuilt tables).
            fn transform_plain(&self, frame: &mut Frame) -> Result<()> {
                match self {
                    $(FittedStep::$variant(s) => s.transform(frame),)*
                }
            }
        }
    };
    (@fit same, $s:ident, $frame:ident, $target:ident) => { $s.clone() };
    (@fit frame, $s:ident, $frame:ident, $target:ident) => { $s.fit($frame)? };
    (@fit target, $s:ident, $frame:ident, $target:ident) => { $s.fit($frame, $target)? };
}

step_kinds! {
    "as_number" => AsNumber(AsNumber => AsNumber, same);
    "impute_categorical" => ImputeCategorical(ImputeCategorical => FittedImputeCategorical, frame);
    "impute_numeric" => ImputeNumeric(ImputeNumeric => FittedImputeNumeric, frame);
    "missing_indicator" => MissingIndicator(MissingIndicator => MissingIndicator, same);
    "elapsed_years" => ElapsedYears(ElapsedYears => ElapsedYears, same);
    "drop" => Drop(Drop => Drop, same);
    "log" => Log(Log => Log, same);
    "binarize" => Binarize(Binarize => Binarize, same);
    "map_labels" => MapLabels(MapLabels => MapLabels, same);
    "rare_labels" => RareLabels(RareLabels => FittedRareLabels, frame);
    "ordinal_by_target" => OrdinalByTarget(OrdinalByTarget => FittedOrdinalByTarget, target);
    "min_max_scale" => MinMaxScale(MinMaxScale => FittedMinMaxScale, frame);
    "one_hot" => OneHot(OneHot => FittedOneHot, frame);
    "log1p" => Log1p(Log1p => Log1p, same);
    "combine" => Combine(Combine => Combine, same);
    "drop_outliers" => DropOutliers(DropOutliers => FittedDropOutliers, frame);
    "robust_scale" => RobustScale(RobustScale => FittedRobustScale, frame);
    "clip" => Clip(Clip => FittedClip, frame);
    "as_label" => AsLabel(AsLabel => AsLabel, same);
    "impute_by_group" => ImputeByGroup(ImputeByGroup => FittedImputeByGroup, frame);
    "box_cox1p" => BoxCox1p(BoxCox1p => BoxCox1p, same);
    "standard_scale" => StandardScale(StandardScale => FittedStandardScale, frame);
    "multiply" => Multiply(Multiply => Multiply, same);
    "unskew" => Unskew(Unskew => FittedUnskew, frame);
    // New kinds go here, last.
}

impl StepConfig {
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
        self.transform_plain(frame)
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

#[cfg(test)]
mod tests;

//! What a fitted pipeline builds on first use to predict and explain
//! faster: derived from the stored parts, never stored, so an artifact's
//! bytes do not depend on it.

use std::sync::OnceLock;

use super::guard::SeenLabels;
use crate::estimator::KernelLayout;
use crate::estimator::gbm::CompactTrees;
use crate::explain::LinearExplainer;

#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// A linear pipeline's prepared explanation.
    pub explainer: OnceLock<LinearExplainer>,
    /// Boosted trees in their prediction layout (`None`: not trees, or
    /// trees the compact layout refuses).
    pub compact_trees: OnceLock<Option<CompactTrees>>,
    /// An SVR's support vectors in their prediction layout (`None`: not
    /// an SVR, or one with no two-valued column).
    pub kernel_layout: OnceLock<Option<KernelLayout>>,
    /// The guard's labels in hash sets.
    pub seen_labels: OnceLock<SeenLabels>,
    /// A blend's members: whether an earlier member's guard has the same
    /// training extent, so that the member's `extrapolated` flags would
    /// repeat that member's (the blend keeps the union).
    pub repeated_extent: OnceLock<Vec<bool>>,
}

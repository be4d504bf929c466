//! Test-style distortions: labels never seen in training and missing values where training
//! never has any, reproducing what Kaggle's `test.csv` does to a model trained on `train.csv`.
//!
//! Kaggle's test file has MSSubClass 150 (absent from train) and `NA` in MSZoning,
//! KitchenQual, GarageCars, Functional, SaleType, BsmtFullBath, ... which are never missing
//! in train. A pipeline that only ever sees the training file breaks on these at prediction
//! time; test-style synthetic files ([`crate::GeneratorConfig::with_target`] `= false`) let
//! tests provoke exactly that. Distortions are applied to the rendered cells, never to the
//! [`crate::House`], and use their own ChaCha stream (stream 1 of the same seed), so the
//! underlying houses of a seed are identical in both styles.

use crate::house::column_index;
use crate::portable::Sampler;

/// A label a test-style file may contain that a training-style file never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnseenLabel {
    /// Kaggle column name.
    pub column: &'static str,
    /// The label written instead of the generated one.
    pub label: &'static str,
}

/// Labels injected, each independently per row, at `unseen_label_rate` in test style.
///
/// MSZoning `A` (agriculture) and MSSubClass 150 and KitchenQual `Po` are legal per
/// `data_description.txt` but absent from Kaggle's train; `Synthtown` is made up.
pub const UNSEEN_LABELS: [UnseenLabel; 4] = [
    UnseenLabel {
        column: "MSZoning",
        label: "A",
    },
    UnseenLabel {
        column: "Neighborhood",
        label: "Synthtown",
    },
    UnseenLabel {
        column: "MSSubClass",
        label: "150",
    },
    UnseenLabel {
        column: "KitchenQual",
        label: "Po",
    },
];

/// Columns never missing in training style that get `NA`, each independently per row, at
/// `test_style_missing_rate` in test style (applied after the unseen labels).
pub const TEST_ONLY_MISSING: [&str; 6] = [
    "MSZoning",
    "KitchenQual",
    "GarageCars",
    "Functional",
    "SaleType",
    "BsmtFullBath",
];

/// Applies the test-style distortions to rendered rows.
pub(crate) struct Injector {
    sampler: Sampler,
    unseen_rate: f64,
    missing_rate: f64,
    unseen: Vec<(usize, &'static str)>,
    missing: Vec<usize>,
}

impl Injector {
    pub(crate) fn new(seed: u64, unseen_rate: f64, missing_rate: f64) -> Self {
        let index = |name| column_index(name).expect("injected columns are Kaggle columns");
        Self {
            sampler: Sampler::new(seed, 1),
            unseen_rate,
            missing_rate,
            unseen: UNSEEN_LABELS
                .iter()
                .map(|u| (index(u.column), u.label))
                .collect(),
            missing: TEST_ONLY_MISSING.iter().map(|&c| index(c)).collect(),
        }
    }

    /// Distorts one rendered row. Draws a fixed number of uniforms per row, so a row's
    /// distortions depend only on the seed, the row number and the two rates.
    pub(crate) fn apply(&mut self, cells: &mut [String]) {
        for &(col, label) in &self.unseen {
            if self.sampler.chance(self.unseen_rate) {
                cells[col].clear();
                cells[col].push_str(label);
            }
        }
        for &col in &self.missing {
            if self.sampler.chance(self.missing_rate) {
                cells[col].clear();
                cells[col].push_str("NA");
            }
        }
    }
}

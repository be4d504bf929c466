//! The step table's variant order, which artifacts depend on.

use std::path::Path;

use crate::config::PipelineConfig;
use crate::input::read_csv_file;
use crate::pipeline::FittedPipeline;
use crate::schema::HouseRecord;

/// Every step kind, at the variant index postcard writes for it. Artifacts
/// already written store these indices: this list only ever grows at the end.
const PINNED: [&str; 24] = [
    "as_number",
    "impute_categorical",
    "impute_numeric",
    "missing_indicator",
    "elapsed_years",
    "drop",
    "log",
    "binarize",
    "map_labels",
    "rare_labels",
    "ordinal_by_target",
    "min_max_scale",
    "one_hot",
    "log1p",
    "combine",
    "drop_outliers",
    "robust_scale",
    "clip",
    "as_label",
    "impute_by_group",
    "box_cox1p",
    "standard_scale",
    "multiply",
    "unskew",
];

/// A pipeline with one step of every kind (fitted on the synthetic rows).
const EVERY_STEP: &str = r#"
name = "every-step"
description = "one step of every kind"
features = [
    "MSSubClass", "MSZoning", "LotFrontage", "LotArea", "Neighborhood", "OverallQual",
    "YearBuilt", "YearRemodAdd", "ExterQual", "1stFlrSF", "2ndFlrSF", "GrLivArea",
    "CentralAir", "KitchenQual", "YrSold",
]
target_transform = "log"

[[steps]]
step = "drop_outliers"
variables = ["GrLivArea"]
method = "range"
max = 4000

[[steps]]
step = "impute_categorical"
variables = ["MSSubClass", "MSZoning", "KitchenQual", "CentralAir", "ExterQual", "Neighborhood"]
method = "most_frequent"

[[steps]]
step = "missing_indicator"
variables = ["LotFrontage"]

[[steps]]
step = "impute_by_group"
variables = ["LotFrontage"]
by = "Neighborhood"

[[steps]]
step = "impute_numeric"
variables = ["LotArea", "1stFlrSF", "2ndFlrSF", "GrLivArea", "YearBuilt", "YearRemodAdd", "YrSold", "OverallQual"]
method = "median"

[[steps]]
step = "as_label"
variables = ["YearRemodAdd"]

[[steps]]
step = "combine"
name = "TotalSF"
add = ["1stFlrSF", "2ndFlrSF"]

[[steps]]
step = "elapsed_years"
variables = ["YearBuilt"]
reference = "YrSold"

[[steps]]
step = "map_labels"
variables = ["ExterQual", "KitchenQual"]
mapping = { Po = 1, Fa = 2, TA = 3, Gd = 4, Ex = 5 }

[[steps]]
step = "map_labels"
variables = ["CentralAir"]
mapping = { N = 0, Y = 1 }

[[steps]]
step = "as_label"
variables = ["CentralAir"]

[[steps]]
step = "as_number"
variables = ["CentralAir"]

[[steps]]
step = "rare_labels"
variables = ["Neighborhood"]

[[steps]]
step = "ordinal_by_target"
variables = ["Neighborhood"]

[[steps]]
step = "one_hot"
variables = ["MSZoning", "MSSubClass"]

[[steps]]
step = "binarize"
variables = ["2ndFlrSF"]

[[steps]]
step = "clip"
variables = ["LotArea"]
method = "training_range"

[[steps]]
step = "log"
variables = ["LotArea"]

[[steps]]
step = "log1p"
variables = ["TotalSF"]

[[steps]]
step = "box_cox1p"
variables = ["LotArea"]
lambda = 0.15

[[steps]]
step = "unskew"
variables = ["LotArea", "OverallQual"]

[[steps]]
step = "multiply"
name = "QualityArea"
of = ["OverallQual", "GrLivArea"]

[[steps]]
step = "drop"
variables = ["YrSold", "YearRemodAdd"]

[[steps]]
step = "min_max_scale"
variables = ["OverallQual"]

[[steps]]
step = "robust_scale"

[[steps]]
step = "standard_scale"

[estimator]
model = "lasso"
alpha = 0.001
"#;

/// The step table's order is the pinned one: a fitted step of each kind,
/// encoded with postcard, starts with the variant index [`PINNED`] gives it
/// (both enums come from one table, so the config enum's order is the same).
#[test]
fn variant_indices_are_pinned() {
    assert_eq!(super::STEP_KINDS, PINNED, "the step table was reordered");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/synthetic");
    let train = read_csv_file(&fixtures.join("train.csv")).unwrap();
    let records: Vec<&HouseRecord> = train.rows.iter().map(|r| &r.record).collect();
    let targets: Vec<f64> = (train.target.as_ref().unwrap().iter())
        .map(|t| t.unwrap())
        .collect();
    let config = PipelineConfig::from_toml(EVERY_STEP, "every-step").unwrap();
    let pipeline = FittedPipeline::fit(&config, &records, &targets).unwrap();
    let mut seen = [false; PINNED.len()];
    for (step, configured) in pipeline.steps.iter().zip(&config.config().steps) {
        assert_eq!(step.kind(), configured.kind());
        let index = PINNED.iter().position(|k| *k == step.kind()).unwrap();
        let bytes = postcard::to_allocvec(step).unwrap();
        // A varint: one byte below 128.
        assert_eq!(usize::from(bytes[0]), index, "{}", step.kind());
        seen[index] = true;
    }
    let missing: Vec<&str> = (PINNED.iter().zip(seen))
        .filter(|(_, s)| !s)
        .map(|(k, _)| *k)
        .collect();
    assert!(missing.is_empty(), "no step of kind {missing:?}");
}

//! The flags of a blend's prices: a blend marks what any member imputed
//! or found beyond its training data, and members that share their
//! training extent flag it once without losing a flag.

use regression_model::{Column, PipelineConfig};
use serde_json::json;

use crate::guard::{predict, three_houses};
use crate::helpers::{config_path, quick_stack, synthetic_train};

#[test]
fn a_blend_marks_what_any_member_imputed_or_found_beyond_training() {
    // Generation 4's stack with the generation-2 Lasso (quick in a debug
    // build), 3 inner folds and few trees: the blend's `impute` applies
    // to both members.
    let stack = quick_stack(20);
    let options = regression_model::TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let model = regression_model::train(&stack, synthetic_train(), "synthetic", options)
        .unwrap()
        .0;

    // (Row 2 has a label the generation-2 member's rare-label step refuses.)
    let mut records = three_houses();
    records.truncate(2);
    records[1]["GrLivArea"] = json!(7000);
    let response = predict(&model, &records);

    assert_eq!(
        response.predictions.len(),
        2,
        "{:?}",
        response.row_errors.errors
    );
    assert_eq!(response.predictions[0].imputed, [Column::Functional]);
    assert_eq!(response.predictions[1].extrapolated, [Column::GrLivArea]);
}

#[test]
fn a_stack_of_members_with_the_same_extent_flags_each_input_once_still() {
    // Both members are generation 2 fitted on the same rows: the second
    // leaves the `extrapolated` flags to the first.
    let path = config_path("generation-4");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("generation-3.toml", "generation-2.toml")
        .replace("generation-4-gbm.toml", "generation-2.toml")
        .replace("folds = 5", "folds = 3");
    let checked = PipelineConfig::from_toml_in(&text, "twins", path.parent().unwrap()).unwrap();
    let options = regression_model::TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let model = regression_model::train(&checked, synthetic_train(), "synthetic", options)
        .unwrap()
        .0;

    let mut records = three_houses();
    records.truncate(2);
    records[1]["GrLivArea"] = json!(7000);
    records[1]["WoodDeckSF"] = json!(5000);
    let response = predict(&model, &records);
    assert_eq!(response.predictions.len(), 2);
    assert_eq!(response.predictions[0].imputed, [Column::Functional]);
    assert_eq!(
        response.predictions[1].extrapolated,
        [Column::GrLivArea, Column::WoodDeckSf]
    );
}

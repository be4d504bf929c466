//! TreeSHAP explanations of gradient-boosted trees: base value plus
//! contributions reproduce every prediction, alone and inside generation
//! 4's stack, and trees from an artifact older than format 3 are refused.

use regression_model::tune::{self, GridParam};
use regression_model::{
    CheckedConfig, Error, ErrorLimit, PipelineConfig, TrainOptions, TrainedModel, VersionPolicy,
};

use crate::explain::assert_explains_every_prediction;
use crate::helpers::{config, config_path, fixture, real_data, synthetic_test, synthetic_train};

/// `base` with `n_trees` set at `at` (a debug build fits 500 trees slowly).
fn with_trees(base: &CheckedConfig, at: &str, n_trees: usize) -> CheckedConfig {
    let grid: GridParam = format!("{at}={n_trees}").parse().unwrap();
    tune::expand(base, &[grid]).unwrap().remove(0).config
}

fn train(config: &CheckedConfig, data: &regression_model::InputRows) -> TrainedModel {
    let options = TrainOptions {
        holdout: 0.1,
        seed: 0,
    };
    regression_model::train(config, data, "data", options)
        .unwrap()
        .0
}

#[test]
fn boosted_trees_explanations_reproduce_every_prediction() {
    let gbm = with_trees(&config("generation-4-gbm"), "estimator.n_trees", 60);
    let model = train(&gbm, synthetic_train());
    // Through the artifact: the cover is stored and read back.
    let bytes = model.to_bytes().unwrap();
    let model = TrainedModel::from_bytes(&bytes, "gbm", VersionPolicy::Exact).unwrap();
    assert!(model.pipeline.has_trees());
    let test = assert_explains_every_prediction(&model, synthetic_test(), "gbm test");
    let train = assert_explains_every_prediction(&model, synthetic_train(), "gbm train");
    assert!(test > 0 && train > 0);
    let explained = model
        .explain_input(synthetic_test(), ErrorLimit::default())
        .unwrap();
    let first = &explained.explanations[0];
    // Trees credit several raw columns, and a derived column's share
    // reaches its inputs (TotalSF = TotalBsmtSF + 1stFlrSF + 2ndFlrSF).
    assert!(first.contributions.len() > 5, "{first:?}");
    assert!(
        explained
            .explanations
            .iter()
            .any(|e| e.contributions.iter().any(|c| c.column == "1stFlrSF")),
        "no row credits 1stFlrSF"
    );
}

#[test]
fn a_stack_with_a_tree_member_is_the_weighted_sum_of_its_members_explanations() {
    let path = config_path("generation-4");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("generation-3.toml", "generation-2.toml")
        .replace("folds = 5", "folds = 2");
    // The SVR member has no explanation (see the next test).
    let text = text.replace("    { config = \"generation-4-svr.toml\" },\n", "");
    let base = PipelineConfig::from_toml_in(&text, "stack", path.parent().unwrap()).unwrap();
    let stack = with_trees(&base, "estimator.members[1].config.estimator.n_trees", 40);
    let model = train(&stack, synthetic_train());
    assert!(model.pipeline.has_trees(), "a member is made of trees");
    let members = model.pipeline.members().unwrap();
    assert_eq!(members.len(), 2);
    assert!(!members[0].pipeline.has_trees(), "generation 2 is linear");
    let explained = assert_explains_every_prediction(&model, synthetic_test(), "stack");
    assert!(explained > 0);
}

#[test]
fn a_stack_with_an_svr_member_is_refused_as_not_explainable_naming_why() {
    let model = train(&crate::helpers::quick_stack(20), synthetic_train());
    let refused = model.explain_input(synthetic_test(), ErrorLimit::default());
    let Err(Error::NotExplainable { reason, .. }) = refused else {
        panic!("a stack with an SVR member was explained");
    };
    assert!(reason.contains("SVR"), "{reason}");
    // It still prices every row the others price.
    assert!(
        !model
            .predict_rows(&synthetic_test().rows)
            .predictions
            .is_empty()
    );
}

#[test]
fn trees_from_a_format_2_artifact_predict_but_are_refused_as_not_explainable() {
    let bytes = std::fs::read(fixture("artifacts/format-2-gbm.postcard")).unwrap();
    assert_eq!(regression_model::format_version(&bytes), Some(2));
    let model = TrainedModel::from_bytes(&bytes, "format-2", VersionPolicy::Any).unwrap();
    assert_eq!(model.metadata.estimator, "gradient_boosting");
    let predicted = model.predict_rows(&synthetic_test().rows);
    assert!(predicted.predictions.len() > 50);
    let Err(Error::NotExplainable { estimator, reason }) =
        model.explain_input(synthetic_test(), ErrorLimit::default())
    else {
        panic!("trees without cover must be refused");
    };
    assert_eq!(estimator, "gradient_boosting");
    assert!(reason.contains("format 3"), "{reason}");
    // Written again, it is format 3 but still has no cover to explain with.
    let rewritten = model.to_bytes().unwrap();
    let again = TrainedModel::from_bytes(&rewritten, "again", VersionPolicy::Any).unwrap();
    assert!(again.pipeline.check_explainable().is_err());
    assert_eq!(
        again.predict_rows(&synthetic_test().rows).predictions,
        predicted.predictions
    );
}

#[test]
fn boosted_trees_explain_every_real_test_row_they_predict() {
    let Some(data) = real_data() else { return };
    let train_rows = regression_model::read_csv_file(&data.join("train.csv")).unwrap();
    let test_rows = regression_model::read_csv_file(&data.join("test.csv")).unwrap();
    let gbm = with_trees(&config("generation-4-gbm"), "estimator.n_trees", 200);
    let model = train(&gbm, &train_rows);
    let explained = assert_explains_every_prediction(&model, &test_rows, "real test.csv");
    assert!(explained > 1400, "only {explained} rows explained");
    let response = model
        .explain_input(&test_rows, ErrorLimit::default())
        .unwrap();
    let worst = (response.explanations.iter())
        .map(|e| (e.output() - e.price.ln()).abs())
        .fold(0.0, f64::max);
    eprintln!("largest |base + Σ contributions − ln(price)| over {explained} rows: {worst:e}");
}

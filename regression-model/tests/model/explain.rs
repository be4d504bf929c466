//! Explanations: base value plus contributions reproduce every prediction,
//! one contribution per raw column, the same rows and errors as prediction,
//! and a typed refusal for trees.

use std::collections::BTreeSet;

use regression_model::InputRows;
use regression_model::TrainOptions;
use regression_model::{
    Error, ErrorLimit, PipelineConfig, TrainedModel, VersionPolicy, shipped_model,
};

use crate::helpers::{
    config_path, real_data, synthetic_test, synthetic_train, temp_dir, train_synthetic,
};

/// Explains `rows` and checks every explanation against prediction: the same
/// rows at the same prices (to the bit) and the same errors, and base value
/// plus contributions equal to ln(price) within 1e-9. Returns how many rows
/// were explained.
pub fn assert_explains_every_prediction(
    model: &TrainedModel,
    rows: &InputRows,
    what: &str,
) -> usize {
    let limit = ErrorLimit::Total(usize::MAX);
    let predicted = model.predict_input(rows, limit);
    let explained = model.explain_input(rows, limit).expect(what);
    assert_eq!(explained.version, predicted.version);
    assert_eq!(
        explained.row_errors.errors, predicted.row_errors.errors,
        "{what}"
    );
    assert_eq!(
        explained.row_errors.error_count, predicted.row_errors.error_count,
        "{what}"
    );
    assert_eq!(
        explained.row_errors.rejected, predicted.row_errors.rejected,
        "{what}"
    );
    assert_eq!(
        explained.explanations.len(),
        predicted.predictions.len(),
        "{what}"
    );
    for (e, p) in explained.explanations.iter().zip(&predicted.predictions) {
        assert_eq!((e.row, e.id), (p.row, p.id), "{what}");
        assert_eq!(e.price.to_bits(), p.price.to_bits(), "{what} row {}", e.row);
        let gap = (e.output() - e.price.ln()).abs();
        assert!(gap < 1e-9, "{what} row {}: off by {gap}", e.row);
        assert!((e.base_price - e.base_value.exp()).abs() <= 1e-9 * e.base_price);
        let columns: BTreeSet<&str> = e.contributions.iter().map(|c| c.column.as_ref()).collect();
        assert_eq!(
            columns.len(),
            e.contributions.len(),
            "{what}: a column twice"
        );
        assert!(
            e.contributions
                .windows(2)
                .all(|w| w[0].value.abs() >= w[1].value.abs())
        );
        for c in &e.contributions {
            assert!(
                regression_model::Column::from_name(&c.column).is_some(),
                "{what}: {} is not a raw input column",
                c.column
            );
            assert_eq!(c.factor, Some(c.value.exp()));
        }
    }
    explained.explanations.len()
}

#[test]
fn explanations_reproduce_every_prediction_of_every_linear_config() {
    for name in ["generation-1", "generation-2", "generation-3"] {
        let model = train_synthetic(name);
        let test = assert_explains_every_prediction(&model, synthetic_test(), name);
        let train = assert_explains_every_prediction(&model, synthetic_train(), name);
        assert!(test > 0 && train > 0, "{name}: nothing explained");
    }
}

#[test]
fn a_one_hot_variable_gets_one_contribution_under_its_own_name() {
    let model = train_synthetic("generation-3");
    let explained = model
        .explain_input(synthetic_test(), ErrorLimit::default())
        .unwrap();
    let with_neighborhood = explained
        .explanations
        .iter()
        .filter(|e| e.contributions.iter().any(|c| c.column == "Neighborhood"))
        .count();
    assert!(with_neighborhood > 0, "no row credits Neighborhood");
    for e in &explained.explanations {
        assert!(e.contributions.iter().all(|c| !c.column.contains('=')));
    }
}

/// A blend config over the crate's linear configs, written to a temp dir.
fn blend_config(dir: &std::path::Path, stacking: &str) -> regression_model::CheckedConfig {
    let member = |name: &str| config_path(name).display().to_string().replace('\\', "/");
    // A stack learns its weights; a fixed blend is given them.
    let (first, second) = match stacking {
        "" => ("weight = 0.4, ", "weight = 0.6, "),
        _ => ("", ""),
    };
    let text = format!(
        "name = \"linear-blend\"\ntarget_transform = \"log\"\nfeatures = []\nsteps = []\n\n[estimator]\nmodel = \"blend\"\n{stacking}members = [\n  {{ {first}config = \"{}\" }},\n  {{ {second}config = \"{}\" }},\n]\n",
        member("generation-2"),
        member("generation-3"),
    );
    let path = dir.join("blend.toml");
    std::fs::write(&path, text).unwrap();
    PipelineConfig::from_file(&path).expect("the blend config loads")
}

#[test]
fn a_blend_or_stack_of_linear_members_is_the_weighted_sum_of_their_explanations() {
    let dir = temp_dir();
    for stacking in ["", "stacking = { folds = 2, seed = 0 }\n"] {
        let config = blend_config(dir.path(), stacking);
        let options = TrainOptions {
            holdout: 0.0,
            seed: 0,
        };
        let (model, _) =
            regression_model::train(&config, synthetic_train(), "synthetic", options).unwrap();
        let explained = assert_explains_every_prediction(&model, synthetic_test(), stacking);
        assert!(explained > 0);
        let weights = model.top_features(5).unwrap();
        assert_eq!(weights.len(), 5);
    }
}

#[test]
fn a_model_with_a_random_forest_is_refused_as_not_explainable_before_any_row_is_read() {
    let model = train_synthetic("generation-3-blend");
    let Err(Error::NotExplainable { estimator, reason }) =
        model.explain_input(synthetic_test(), ErrorLimit::default())
    else {
        panic!("a blend with a forest member must be refused");
    };
    assert_eq!(estimator, "random_forest");
    assert!(reason.contains("TreeSHAP"), "{reason}");
    assert!(matches!(
        model.top_features(3),
        Err(Error::NotExplainable { .. })
    ));
}

#[test]
fn the_shipped_models_top_features_are_distinct_raw_columns_largest_first() {
    let model = shipped_model().unwrap();
    let top = model.top_features(10).unwrap();
    assert_eq!(top.len(), 10);
    assert!(top.windows(2).all(|w| w[0].weight >= w[1].weight));
    let names: BTreeSet<&str> = top.iter().map(|f| f.column.as_ref()).collect();
    assert_eq!(names.len(), 10);
    assert!(
        top.iter()
            .all(|f| regression_model::Column::from_name(&f.column).is_some())
    );
    assert!(top.iter().all(|f| f.weight > 0.0 && f.weight.is_finite()));
}

/// The synthetic test rows with a negative `GrLivArea` (a value no house can
/// have, refused however the model treats missing inputs) in every 10th row.
fn synthetic_test_with_bad_rows() -> InputRows {
    let text = std::fs::read_to_string(crate::helpers::fixture("synthetic/test.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let area = header.iter().position(|h| h == "GrLivArea").unwrap();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for (i, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let cells = record.iter().enumerate().map(|(c, cell)| match c {
            c if c == area && i % 10 == 0 => "-5",
            _ => cell,
        });
        writer.write_record(cells).unwrap();
    }
    regression_model::read_csv(&writer.into_inner().unwrap()[..]).unwrap()
}

#[test]
fn an_error_limit_cuts_explain_errors_as_it_cuts_prediction_errors() {
    let model = shipped_model().unwrap();
    let limit = ErrorLimit::Total(1);
    let rows = synthetic_test_with_bad_rows();
    let predicted = model.predict_input(&rows, limit);
    let explained = model.explain_input(&rows, limit).unwrap();
    assert!(
        predicted.row_errors.error_count > 1,
        "the input has bad rows"
    );
    assert_eq!(explained.row_errors.errors, predicted.row_errors.errors);
    assert_eq!(
        explained.row_errors.error_count,
        predicted.row_errors.error_count
    );
    assert!(explained.row_errors.errors_truncated);
}

#[test]
fn the_shipped_model_explains_every_real_test_row_it_predicts() {
    let Some(data) = real_data() else { return };
    let rows = regression_model::read_csv_file(&data.join("test.csv")).unwrap();
    let model = TrainedModel::from_bytes(
        regression_model::shipped_bytes().unwrap(),
        "shipped",
        VersionPolicy::Exact,
    )
    .unwrap();
    let explained = assert_explains_every_prediction(&model, &rows, "real test.csv");
    assert!(explained > 1400, "only {explained} rows explained");
}

#[test]
fn a_one_hot_variables_weight_is_the_spread_of_its_coefficients_not_their_sum() {
    let model = train_synthetic("generation-3");
    let linear = model
        .pipeline
        .linear_weights()
        .expect("generation 3 is linear");
    let coefficients: Vec<f64> = model
        .pipeline
        .output_features()
        .iter()
        .zip(linear.coefficients)
        .filter(|(name, _)| name.starts_with("Neighborhood="))
        .map(|(_, c)| *c)
        .collect();
    let high = coefficients.iter().fold(0.0f64, |m, c| m.max(*c));
    let low = coefficients.iter().fold(0.0f64, |m, c| m.min(*c));
    let weights = model.pipeline.feature_weights().unwrap();
    let neighborhood = weights.iter().find(|w| w.column == "Neighborhood").unwrap();
    assert!(
        (neighborhood.weight - (high - low)).abs() < 1e-12,
        "{neighborhood:?}"
    );
    assert!(
        coefficients.iter().filter(|c| **c != 0.0).count() > 2,
        "a spread of several labels"
    );
}

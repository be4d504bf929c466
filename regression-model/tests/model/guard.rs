//! Missing values and values beyond the training data: `on_missing =
//! "impute"` prices a row that misses a value and says so, an implausible
//! value is refused, a plausible one beyond the training range is priced
//! and flagged, and the course configs keep their behaviour.

use std::sync::OnceLock;

use regression_model::{Column, PipelineConfig, PredictionResponse};
use regression_model::{Fallback, InputRows, TrainedModel, VersionPolicy};
use serde_json::{Value, json};

use crate::helpers::{config_path, fixture, real_data, temp_dir, train_synthetic};

/// Generation 3 (which imputes) trained on the synthetic fixture, once.
fn generation_3() -> &'static TrainedModel {
    static MODEL: OnceLock<TrainedModel> = OnceLock::new();
    MODEL.get_or_init(|| train_synthetic("generation-3"))
}

pub(crate) fn three_houses() -> Vec<Value> {
    let text = std::fs::read_to_string(fixture("requests/three-houses.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub(crate) fn predict(model: &TrainedModel, records: &[Value]) -> PredictionResponse {
    let body = serde_json::to_vec(records).unwrap();
    model.predict_rows(&regression_model::parse_json_batch(&body).unwrap().rows)
}

/// Row 1 of `three-houses.json` (complete) with `field` set to `value`.
fn house_with(field: &str, value: Value) -> Vec<Value> {
    let mut house = three_houses().remove(1);
    house[field] = value;
    vec![house]
}

#[test]
fn row_0_of_three_houses_is_priced_and_marked_imputed_by_generation_3() {
    let response = predict(generation_3(), &three_houses());

    assert_eq!(
        response.predictions.len(),
        3,
        "{:?}",
        response.row_errors.errors
    );
    let row0 = &response.predictions[0];
    assert_eq!(row0.imputed, [Column::Functional]);
    assert!(row0.price.is_finite() && row0.price > 0.0);
    assert!(
        response.predictions[1..]
            .iter()
            .all(|p| p.imputed.is_empty())
    );
    let json = serde_json::to_value(&response.predictions).unwrap();
    assert_eq!(json[0]["imputed"], json!(["Functional"]));
    assert!(json[1].get("imputed").is_none(), "empty lists are left out");
}

#[test]
fn a_course_config_still_rejects_the_missing_value_and_prices_the_rest_unchanged() {
    let model = train_synthetic("generation-2");
    // (Row 2 has a label generation 2's rare-label step refuses.)
    let response = predict(&model, &three_houses()[..2]);

    assert_eq!(
        response.row_errors.errors.len(),
        1,
        "{:?}",
        response.row_errors.errors
    );
    assert_eq!(response.row_errors.errors[0].field, "Functional");
    assert!(response.row_errors.errors[0].message.contains("missing"));
    assert_eq!(response.predictions.len(), 1);
    assert!(response.predictions[0].imputed.is_empty());
    assert!(model.pipeline.guard().fallbacks.is_empty());
}

#[test]
fn an_absurd_living_area_is_refused_naming_the_field_and_the_rule() {
    for absurd in [json!(1e7), json!(1e300), json!("1e300")] {
        let response = predict(generation_3(), &house_with("GrLivArea", absurd.clone()));

        assert!(response.predictions.is_empty(), "{absurd} was priced");
        assert_eq!(
            response.row_errors.errors.len(),
            1,
            "{:?}",
            response.row_errors.errors
        );
        let error = &response.row_errors.errors[0];
        assert_eq!(error.field, "GrLivArea");
        assert_eq!(error.message, "must be at most 30,000 sq ft");
    }
}

#[test]
fn a_large_plausible_area_is_priced_and_marked_extrapolated() {
    let usual = predict(generation_3(), &house_with("GrLivArea", json!(2000)));
    let large = predict(generation_3(), &house_with("GrLivArea", json!(7000)));

    assert!(usual.predictions[0].extrapolated.is_empty());
    let prediction = &large.predictions[0];
    assert_eq!(prediction.extrapolated, [Column::GrLivArea]);
    assert!(prediction.price.is_finite());
}

#[test]
fn an_unseen_label_is_priced_and_marked_extrapolated_by_one_hot_and_rare_encoders() {
    let generation_2 = train_synthetic("generation-2");
    for model in [generation_3(), &generation_2] {
        let response = predict(model, &house_with("Neighborhood", json!("Atlantis")));

        assert_eq!(
            response.predictions.len(),
            1,
            "{:?}",
            response.row_errors.errors
        );
        assert_eq!(response.predictions[0].extrapolated, [Column::Neighborhood]);
    }
}

#[test]
fn an_invalid_value_is_still_refused_when_missing_ones_are_imputed() {
    let unknown_label = predict(generation_3(), &house_with("Functional", json!("Bogus")));
    let text_for_a_number = predict(generation_3(), &house_with("GarageCars", json!("three")));

    for response in [unknown_label, text_for_a_number] {
        assert!(response.predictions.is_empty());
        assert_eq!(
            response.row_errors.errors.len(),
            1,
            "{:?}",
            response.row_errors.errors
        );
        assert!(!response.row_errors.errors[0].message.contains("three"));
        assert!(!response.row_errors.errors[0].message.contains("Bogus"));
    }
}

#[test]
fn a_record_missing_almost_everything_is_refused_with_one_short_error() {
    let response = predict(generation_3(), &[json!({}), json!({"Id": 7})]);

    assert!(response.predictions.is_empty());
    assert_eq!(response.row_errors.error_count, 2, "one error per row");
    let error = &response.row_errors.errors[0];
    // It names the first missing input, and a few more in its message.
    assert!(
        regression_model::Column::from_name(&error.field).is_some(),
        "{}",
        error.field
    );
    assert!(error.message.contains("at most 8"), "{}", error.message);
    assert!(error.message.contains(", ...)"), "{}", error.message);
}

#[test]
fn max_imputed_is_the_most_fallbacks_a_row_may_use() {
    let mut house = three_houses().remove(1);
    for field in ["Functional", "KitchenQual", "GarageCars"] {
        house[field] = Value::Null;
    }
    let text = std::fs::read_to_string(config_path("generation-3"))
        .unwrap()
        .replace(
            "\non_missing = \"impute\"\n",
            "\non_missing = \"impute\"\nmax_imputed = 2\n",
        );
    let checked = PipelineConfig::from_toml(&text, "max-2").unwrap();
    let options = regression_model::TrainOptions {
        holdout: 0.1,
        seed: 0,
    };
    let strict = regression_model::train(&checked, synthetic(), "synthetic", options)
        .unwrap()
        .0;

    let three_missing = predict(&strict, std::slice::from_ref(&house));
    let default_limit = predict(generation_3(), &[house]);

    assert_eq!(three_missing.row_errors.error_count, 1);
    let error = &three_missing.row_errors.errors[0];
    assert_eq!(error.field, "KitchenQual");
    assert!(
        error.message.contains("as are 2 more inputs"),
        "{}",
        error.message
    );
    assert_eq!(
        default_limit.predictions[0].imputed,
        [Column::KitchenQual, Column::Functional, Column::GarageCars]
    );
}

fn synthetic() -> &'static InputRows {
    crate::helpers::synthetic_train()
}

#[test]
fn the_fallbacks_follow_the_encoders_and_survive_the_artifact() {
    let model = generation_3();
    let fallback = |column| {
        (model.pipeline.guard().fallbacks.iter())
            .find(|(c, _)| *c == column)
            .map(|(_, f)| f.clone())
    };
    // KitchenQual's quality map has `Missing = 0`; Functional's has none.
    assert_eq!(
        fallback(Column::KitchenQual),
        Some(Fallback::Label("Missing".into()))
    );
    assert!(matches!(
        fallback(Column::Functional),
        Some(Fallback::Label(l)) if l != "Missing"
    ));
    // LotFrontage has its own imputer: no fallback.
    assert_eq!(fallback(Column::LotFrontage), None);

    let dir = temp_dir();
    let path = dir.path().join("g3.postcard");
    model.save(&path).unwrap();
    let loaded = TrainedModel::load(&path, VersionPolicy::Exact).unwrap();
    assert_eq!(loaded.pipeline.guard(), model.pipeline.guard());
    let records = house_with("GrLivArea", json!(7000));
    assert_eq!(predict(&loaded, &records), predict(model, &records));
}

#[test]
fn generation_3_with_impute_prices_every_real_test_row() {
    let Some(data) = real_data() else { return };
    let checked =
        regression_model::PipelineConfig::from_file(&config_path("generation-3")).unwrap();
    let (train_rows, sha) =
        regression_model::read_training_file(&data.join("train.csv"), &checked).unwrap();
    let options = regression_model::TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let model = regression_model::train(&checked, &train_rows, &sha, options)
        .unwrap()
        .0;
    let test = regression_model::read_csv_file(&data.join("test.csv")).unwrap();

    let response = model.predict_rows(&test.rows);

    let imputed = response
        .predictions
        .iter()
        .filter(|p| !p.imputed.is_empty())
        .count();
    let extrapolated = (response.predictions.iter())
        .filter(|p| !p.extrapolated.is_empty())
        .count();
    let most = (response.predictions.iter())
        .map(|p| p.imputed.len())
        .max()
        .unwrap_or(0);
    eprintln!(
        "generation 3 + impute on test.csv: {} of {} rows priced, {imputed} with a fallback (at most {most} in one row), {extrapolated} beyond the training data",
        response.predictions.len(),
        test.rows.len()
    );
    assert!(most <= 8);
    assert_eq!(
        response.predictions.len(),
        1459,
        "{:?}",
        response.row_errors.errors
    );
    assert_eq!(imputed, 11, "the 11 rows generation 3 used to refuse");
}

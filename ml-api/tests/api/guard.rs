//! A model that imputes (generation 3 with `on_missing = "impute"`, fitted
//! on the synthetic rows and served from `MODEL_PATH`): a house missing a
//! field is priced and says so, an absurd value is refused, a large but
//! plausible one is priced and flagged, and `/metrics` counts the flags.

use std::path::Path;
use std::sync::OnceLock;

use regression_model::{PipelineConfig, TrainedModel};
use regression_model::{TrainOptions, read_training_file, train};
use serde_json::{Value, json};
use tempfile::TempDir;

use crate::helpers::{TestApp, fixture, spawn_app_with};

/// The artifact's bytes, trained once per test binary.
fn imputing_model() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regression-model");
        let config = PipelineConfig::from_file(&root.join("config/generation-3.toml")).unwrap();
        let (rows, sha) = read_training_file(&fixture("train.csv"), &config).unwrap();
        let options = TrainOptions {
            holdout: 0.0,
            seed: 0,
        };
        let (model, _): (TrainedModel, _) = train(&config, &rows, &sha, options).unwrap();
        model.to_bytes().unwrap()
    })
}

/// The server with the imputing model; keep the folder while it runs.
async fn spawn_imputing_app() -> (TestApp, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.postcard");
    std::fs::write(&path, imputing_model()).unwrap();
    let app = spawn_app_with(&[("MODEL_PATH", path.to_str().unwrap())]).await;
    (app, dir)
}

fn three_houses() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/requests/three-houses.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Row 1 of `three-houses.json` (complete) with `field` set to `value`.
fn house_with(field: &str, value: Value) -> Value {
    let mut house = three_houses()[1].clone();
    house[field] = value;
    json!([house])
}

#[actix_web::test]
async fn a_house_missing_a_field_is_priced_and_lists_it_as_imputed() {
    let (app, _dir) = spawn_imputing_app().await;

    let reply = app.predict(&three_houses()).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    let predictions = body["predictions"].as_array().unwrap();
    assert_eq!(predictions.len(), 3, "{body}");
    assert_eq!(predictions[0]["imputed"], json!(["Functional"]));
    assert!(predictions[0]["price"].as_f64().unwrap() > 0.0);
    assert!(predictions[1].get("imputed").is_none(), "{body}");
    assert_eq!(body["error_count"], 0);
}

#[actix_web::test]
async fn an_absurd_living_area_is_refused_naming_the_field_and_the_rule_not_the_value() {
    let (app, _dir) = spawn_imputing_app().await;

    for absurd in [json!(1e7), json!(1e300)] {
        let reply = app.predict(&house_with("GrLivArea", absurd)).await;

        assert_eq!(reply.status, 422, "{}", reply.text());
        assert_eq!(reply.error_code(), "no_valid_rows");
        let detail = &reply.json()["error"]["details"][0];
        assert_eq!(detail["field"], "GrLivArea");
        assert_eq!(detail["message"], "must be at most 30,000 sq ft");
        let text = reply.text();
        assert!(
            !text.contains("1e300") && !text.contains("10000000"),
            "{text}"
        );
    }
}

#[actix_web::test]
async fn a_large_plausible_area_is_priced_and_lists_it_as_extrapolated() {
    let (app, _dir) = spawn_imputing_app().await;

    let reply = app.predict(&house_with("GrLivArea", json!(7000))).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let prediction = &reply.json()["predictions"][0];
    assert_eq!(prediction["extrapolated"], json!(["GrLivArea"]));
    assert!(prediction.get("imputed").is_none());
}

#[actix_web::test]
async fn metrics_count_imputed_and_extrapolated_fields() {
    let (app, _dir) = spawn_imputing_app().await;
    app.predict(&three_houses()).await;
    app.predict(&house_with("GrLivArea", json!(7000))).await;

    let text = app.get("/metrics").await.text();

    // Labelled by the model that served them (the imputing model's version).
    for (series, field) in [
        (
            "ml_api_imputed_fields_total{model_version=",
            r#",field="Functional"} 1"#,
        ),
        (
            "ml_api_extrapolated_fields_total{model_version=",
            r#",field="GrLivArea"} 1"#,
        ),
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(series) && l.ends_with(field)),
            "missing `{series}..{field}` in\n{text}"
        );
    }
    assert!(text.contains("# TYPE ml_api_imputed_fields_total counter"));
}

#[actix_web::test]
async fn empty_records_get_one_short_error_each_and_a_bounded_answer() {
    let (app, _dir) = spawn_imputing_app().await;
    let body = format!("[{}{{}}]", "{},".repeat(9_999));

    let reply = app
        .post(
            "/v1/predict/regression",
            Some("application/json"),
            body.clone(),
        )
        .await;

    assert_eq!(reply.status, 422, "{}", reply.text());
    let error = &reply.json()["error"];
    assert_eq!(error["error_count"], 10_000, "one error per record");
    let first = &error["details"][0];
    assert!(
        regression_model::Column::from_name(first["field"].as_str().unwrap()).is_some(),
        "the first missing input is named: {first}"
    );
    assert!(first["message"].as_str().unwrap().contains("at most 8"));
    assert!(
        reply.body.len() < 64 * 1024,
        "{} response bytes for a {}-byte request",
        reply.body.len(),
        body.len()
    );
}

#[actix_web::test]
async fn the_model_card_says_whether_the_model_imputes() {
    let (imputing, _dir) = spawn_imputing_app().await;
    let shipped = crate::helpers::spawn_app().await;

    let card = imputing.get("/v1/model").await.json();
    let shipped_card = shipped.get("/v1/model").await.json();

    assert_eq!(
        (&card["on_missing"], &card["max_imputed"]),
        (&json!("impute"), &json!(8))
    );
    // The shipped model (generation 3 since 0.3.0) imputes too.
    assert_eq!(shipped_card["on_missing"], "impute", "{shipped_card}");
}

#[actix_web::test]
async fn the_openapi_document_describes_the_imputed_and_extrapolated_lists() {
    let (app, _dir) = spawn_imputing_app().await;

    let document = app.get("/openapi.json").await.json();

    let properties = &document["components"]["schemas"]["Prediction"]["properties"];
    for list in ["imputed", "extrapolated"] {
        assert_eq!(properties[list]["type"], "array", "{list}");
        let names = properties[list]["items"]["enum"].as_array().unwrap();
        assert_eq!(names.len(), 79, "{list}: one name per input");
        assert!(names.contains(&json!("Functional")));
    }
}

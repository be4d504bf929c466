//! `POST /v1/explain/regression`: the same rows, prices and errors as
//! predict, contributions that add up to the price, a row cap checked
//! before any work, TreeSHAP for boosted trees trained now, and a 501 for
//! trees from an artifact older than format 3.

use regression_model::{ExplanationResponse, PipelineConfig, TrainOptions};
use serde_json::Value;

use crate::helpers::{
    TestApp, as_json, fixture, fixture_records, spawn_app, spawn_app_with, valid_records,
};

const EXPLAIN: &str = "/v1/explain/regression";

async fn explain(app: &TestApp, body: &Value) -> crate::helpers::Reply {
    app.post_json(EXPLAIN, body).await
}

#[actix_web::test]
async fn explanations_carry_the_predicted_prices_and_add_up_to_them() {
    let app = spawn_app().await;
    let mut records = as_json(&fixture_records()[..40]);
    // One impossible value, so the errors are compared as well as the prices.
    records[3]["GrLivArea"] = Value::from(-5);

    let predicted = app.predict(&records).await.json();
    let reply = explain(&app, &records).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    let response: ExplanationResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(body["errors"], predicted["errors"]);
    assert_eq!(body["error_count"], predicted["error_count"]);
    assert_eq!(body["errors_truncated"], predicted["errors_truncated"]);
    assert_eq!(body["version"], predicted["version"]);
    let prices = predicted["predictions"].as_array().unwrap();
    assert_eq!(response.explanations.len(), prices.len());
    assert!(!prices.is_empty() && response.row_errors.error_count > 0);
    for (e, p) in response.explanations.iter().zip(prices) {
        assert_eq!(e.row as u64, p["row"].as_u64().unwrap());
        assert_eq!(
            e.price,
            p["price"].as_f64().unwrap(),
            "the same price, to the bit"
        );
        assert!((e.output() - e.price.ln()).abs() < 1e-9);
        assert!((e.base_price - e.base_value.exp()).abs() <= 1e-9 * e.base_price);
        let first = &e.contributions[0];
        assert_eq!(first.factor, Some(first.value.exp()));
    }
}

#[actix_web::test]
async fn a_csv_body_is_explained_like_a_json_one() {
    let app = spawn_app().await;
    let csv = std::fs::read_to_string(fixture("test.csv")).unwrap();
    let head: String = csv.lines().take(21).map(|l| format!("{l}\n")).collect();

    let reply = app.post(EXPLAIN, Some("text/csv"), head).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let response: ExplanationResponse = serde_json::from_value(reply.json()).unwrap();
    assert!(!response.explanations.is_empty());
}

#[actix_web::test]
async fn more_records_than_max_explain_rows_is_a_413_that_names_the_setting() {
    let app = spawn_app_with(&[("MAX_EXPLAIN_ROWS", "3")]).await;
    let records = as_json(&valid_records()[..4]);

    let reply = explain(&app, &records).await;

    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "too_many_rows");
    assert!(
        reply.text().contains("MAX_EXPLAIN_ROWS"),
        "{}",
        reply.text()
    );
    // Prediction keeps its own, larger limit.
    assert_eq!(app.predict(&records).await.status, 200);
}

#[actix_web::test]
async fn a_request_whose_every_row_is_rejected_is_a_422_with_the_row_errors() {
    let app = spawn_app().await;
    let mut records = as_json(&valid_records()[..2]);
    for record in records.as_array_mut().unwrap() {
        record["GrLivArea"] = serde_json::json!(-1);
    }

    let reply = explain(&app, &records).await;

    assert_eq!(reply.status, 422);
    assert_eq!(reply.error_code(), "no_valid_rows");
    assert_eq!(reply.json()["error"]["details"][0]["field"], "GrLivArea");
}

#[actix_web::test]
async fn boosted_trees_trained_now_are_explained_and_older_ones_answer_501() {
    // Generation 4's boosted trees, cut to 20 trees to train quickly on
    // the synthetic fixtures: a model with trees, which stores its cover.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../regression-model");
    let text = std::fs::read_to_string(root.join("config/generation-4-gbm.toml"))
        .unwrap()
        .replace("n_trees = 500", "n_trees = 20");
    assert!(
        text.contains("n_trees = 20"),
        "the config's tree count moved"
    );
    let config = PipelineConfig::from_toml(&text, "trees").unwrap();
    let data = regression_model::read_csv_file(&crate::helpers::fixture("train.csv")).unwrap();
    let options = TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let (model, _) = regression_model::train(&config, &data, "synthetic", options).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trees.postcard");
    std::fs::write(&path, model.to_bytes().unwrap()).unwrap();
    let app = spawn_app_with(&[("MODEL_PATH", path.to_str().unwrap())]).await;
    let records = as_json(&valid_records()[..5]);

    let predicted = app.predict(&records).await.json();
    let reply = explain(&app, &records).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let response: ExplanationResponse = serde_json::from_value(reply.json()).unwrap();
    let prices = predicted["predictions"].as_array().unwrap();
    assert!(!prices.is_empty());
    assert_eq!(response.explanations.len(), prices.len());
    for (e, p) in response.explanations.iter().zip(prices) {
        assert_eq!(e.price, p["price"].as_f64().unwrap());
        let gap = (e.output() - e.price.ln()).abs();
        assert!(gap < 1e-9, "row {}: off by {gap}", e.row);
        assert!(e.contributions.len() > 3);
    }

    // The same kind of model in format 2 stores no cover: 501, and it
    // still predicts.
    let old = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/artifacts/format-2-gbm.postcard");
    let app = spawn_app_with(&[("MODEL_PATH", old.to_str().unwrap())]).await;
    let reply = explain(&app, &records).await;
    assert_eq!(reply.status, 501, "{}", reply.text());
    assert_eq!(reply.error_code(), "not_explainable");
    assert!(reply.text().contains("format 3"), "{}", reply.text());
    assert_eq!(app.predict(&records).await.status, 200);
}

#[actix_web::test]
async fn the_openapi_document_describes_the_explain_route_and_its_schemas() {
    let app = spawn_app().await;
    let document = app.get("/openapi.json").await.json();
    let route = &document["paths"][EXPLAIN]["post"];
    assert!(route["responses"]["200"].is_object() && route["responses"]["501"].is_object());
    for schema in ["Explanation", "Contribution", "ExplanationResponse"] {
        assert!(
            document["components"]["schemas"][schema].is_object(),
            "{schema}"
        );
    }
}

#[actix_web::test]
async fn an_answer_for_max_explain_rows_records_stays_under_a_megabyte() {
    let app = spawn_app().await;
    let valid = valid_records();
    let records: Vec<_> = valid.iter().cycle().take(100).cloned().collect();

    let reply = explain(&app, &as_json(&records)).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.body.len() < 1 << 20, "{} bytes", reply.body.len());
    let response: ExplanationResponse = serde_json::from_value(reply.json()).unwrap();
    assert_eq!(response.explanations.len(), 100);
    assert!(
        response
            .explanations
            .iter()
            .all(|e| e.contributions.len() <= 79)
    );
}

//! Health, readiness, version, model metadata, OpenAPI and the 404 fallback.

use crate::helpers::spawn_app;

#[actix_web::test]
async fn health_returns_200_ok() {
    let app = spawn_app().await;

    let reply = app.get("/health").await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.text(), "ok");
}

#[actix_web::test]
async fn ready_returns_200_once_the_model_is_loaded() {
    let app = spawn_app().await;

    let reply = app.get("/ready").await;

    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json()["model_version"],
        regression_model::MODEL_VERSION
    );
}

#[actix_web::test]
async fn version_reports_the_model_version_and_the_api_version() {
    let app = spawn_app().await;

    let body = app.get("/version").await.json();

    assert_eq!(body["model_version"], regression_model::MODEL_VERSION);
    assert_eq!(body["api_version"], env!("CARGO_PKG_VERSION"));
}

#[actix_web::test]
async fn model_metadata_describes_the_shipped_model_without_data_rows() {
    let app = spawn_app().await;
    let model = regression_model::shipped_model().unwrap();

    let reply = app.get("/v1/model").await;

    assert_eq!(reply.status, 200);
    let body = reply.json();
    let metadata = &model.metadata;
    assert_eq!(body["model_version"], metadata.model_version);
    assert_eq!(body["config_name"], metadata.config_name);
    assert_eq!(body["estimator"], metadata.estimator);
    assert_eq!(
        body["input_features"],
        serde_json::json!(metadata.input_features)
    );
    assert_eq!(
        body["output_features"],
        serde_json::json!(metadata.output_features)
    );
    assert_eq!(body["training_data_sha256"], metadata.training_data_sha256);
    assert_eq!(body["rows"]["train"], metadata.rows_train);
    let steps: Vec<&str> = model.pipeline.step_kinds().collect();
    assert_eq!(body["pipeline_steps"], serde_json::json!(steps));
    assert!(body["holdout_metrics"]["rmse"].is_number());
    assert!(body["rustc_version"].as_str().unwrap().starts_with("rustc"));
    assert!(body.get("config_toml").is_none(), "no bulky internals");
    assert!(reply.body.len() < 16 * 1024, "no data rows");
}

#[actix_web::test]
async fn the_openapi_document_describes_every_route_and_each_is_served() {
    let app = spawn_app().await;

    let document = app.get("/openapi.json").await.json();

    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(document["info"]["version"], env!("CARGO_PKG_VERSION"));
    let paths = document["paths"].as_object().unwrap();
    for route in [
        "/",
        "/v1/predict/regression",
        "/v1/explain/regression",
        "/v1/model",
        "/v1/models",
        "/v1/models/compare",
        "/v1/models/{version}",
        "/v1/models/{version}/predict/regression",
        "/v1/monitoring/drift",
        "/health",
        "/ready",
        "/version",
        "/metrics",
        "/openapi.json",
        "/v2",
        "/v2/health/live",
        "/v2/health/ready",
        "/v2/models/{name}",
        "/v2/models/{name}/ready",
        "/v2/models/{name}/infer",
        "/v2/models/{name}/versions/{version}",
        "/v2/models/{name}/versions/{version}/ready",
        "/v2/models/{name}/versions/{version}/infer",
        "/admin/reload",
        "/admin/promote",
    ] {
        assert!(paths.contains_key(route), "{route} is documented");
    }
    assert_eq!(paths.len(), 25, "every documented path is listed above");
    for (path, operations) in paths {
        if operations.get("get").is_some() {
            let path = path
                .replace("{name}", "regression-model")
                .replace("{version}", "champion");
            assert_eq!(app.get(&path).await.status, 200, "GET {path}");
        }
    }
    let record = &document["components"]["schemas"]["HouseRecord"]["properties"];
    assert_eq!(
        record.as_object().unwrap().len(),
        1 + 79 + 3,
        "Id, 79 inputs, 3 aliases"
    );
}

#[actix_web::test]
async fn an_unknown_route_returns_404_with_the_common_error_body() {
    let app = spawn_app().await;

    let reply = app.get("/v1/predict/nothing").await;

    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "not_found");
}

#[actix_web::test]
async fn a_wrong_method_returns_405_with_the_common_error_body() {
    let app = spawn_app().await;

    let reply = app.get("/v1/predict/regression").await;

    assert_eq!(reply.status, 405);
    assert_eq!(reply.error_code(), "method_not_allowed");
}

#[actix_web::test]
async fn every_response_carries_its_own_request_id() {
    let app = spawn_app().await;

    let first = app.get("/health").await.request_id.expect("x-request-id");
    let second = app.get("/nowhere").await.request_id.expect("x-request-id");

    assert_ne!(first, second);
}

#[actix_web::test]
async fn head_on_a_get_route_answers_like_get_without_a_body() {
    let app = spawn_app().await;

    for path in ["/health", "/v1/model", "/v2/health/live"] {
        let reply = crate::raw::exchange(
            &app.address,
            format!("HEAD {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").into_bytes(),
            std::time::Duration::ZERO,
            Vec::new(),
            std::time::Duration::from_secs(5),
        )
        .await;

        assert_eq!(reply.status(), Some(200), "{path}: {}", reply.text);
        let (head, body) = reply.text.split_once("\r\n\r\n").expect("a head");
        assert_eq!(body, "", "{path}");
        assert!(
            head.to_ascii_lowercase().contains("x-request-id:"),
            "{head}"
        );
    }
}

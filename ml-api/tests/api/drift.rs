//! `GET /v1/monitoring/drift` and the drift gauges: a model trained now is
//! monitored (a shifted input shows in its PSI, an unseen label is
//! counted), a model of an older format says it cannot be, and the window
//! is a checked setting.

use regression_model::{PipelineConfig, TrainOptions};
use serde_json::Value;

use crate::helpers::{TestApp, as_json, fixture, fixture_records, spawn_app, spawn_app_with};

const DRIFT: &str = "/v1/monitoring/drift";

/// Generation 2 (it reads GrLivArea) trained on the synthetic fixture, as
/// an artifact of this build's format, in `dir`.
fn trained_artifact(dir: &std::path::Path) -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../regression-model");
    let config = PipelineConfig::from_file(&root.join("config/generation-2.toml")).unwrap();
    let data = regression_model::read_csv_file(&fixture("train.csv")).unwrap();
    let options = TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let (model, _) = regression_model::train(&config, &data, "synthetic", options).unwrap();
    let path = dir.join("model.postcard");
    std::fs::write(&path, model.to_bytes().unwrap()).unwrap();
    path
}

fn field<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == name)
        .unwrap_or_else(|| panic!("no {name} in {report}"))
}

async fn drift(app: &TestApp) -> Value {
    let reply = app.get(DRIFT).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

#[actix_web::test]
async fn a_shifted_input_shows_in_its_psi_and_unseen_labels_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = trained_artifact(dir.path());
    let app = spawn_app_with(&[
        ("MODEL_PATH", path.to_str().unwrap()),
        ("DRIFT_WINDOW", "100"),
        ("DRIFT_SAMPLE", "1"),
    ])
    .await;
    let before = drift(&app).await;
    assert_eq!(before["available"], true, "{before}");
    assert_eq!(before["window"], 100);
    assert_eq!(field(&before, "GrLivArea")["psi"], Value::Null);

    // Every house three times as large.
    let mut records = as_json(&fixture_records()[..100]);
    for record in records.as_array_mut().unwrap() {
        if let Some(area) = record["GrLivArea"].as_f64() {
            record["GrLivArea"] = (area * 3.0).into();
        }
    }
    assert_eq!(app.predict(&records).await.status, 200);
    let after = drift(&app).await;
    assert_eq!(after["rows_observed"], 100);
    let area = field(&after, "GrLivArea")["psi"].as_f64().unwrap();
    assert!(area > 0.2, "{after}");

    // Then one house in a neighborhood never seen.
    let unseen = |report: &Value| {
        field(report, "Neighborhood")["unseen_labels"]
            .as_u64()
            .unwrap()
    };
    let mut record = as_json(&fixture_records()[..1]);
    record[0]["Neighborhood"] = "Atlantis".into();
    app.predict(&record).await;
    let last = drift(&app).await;
    assert_eq!(unseen(&last), unseen(&after) + 1, "{last}");
    let after = last;
    let area = field(&after, "GrLivArea")["psi"].as_f64().unwrap();
    let metrics = app.get("/metrics").await.text();
    let version = after["model_version"].as_str().unwrap();
    assert!(
        metrics.contains(&format!(
            "ml_api_drift_psi{{model_version=\"{version}\",field=\"GrLivArea\"}} {area}"
        )),
        "{metrics}"
    );
    let counter = format!(
        "ml_api_unseen_labels_total{{model_version=\"{version}\",field=\"Neighborhood\"}} {}",
        unseen(&after)
    );
    assert!(metrics.contains(&counter), "{metrics}");
    // One series per input the model reads, whatever the requests held.
    let series = metrics
        .lines()
        .filter(|l| l.starts_with("ml_api_drift_psi{"))
        .count();
    assert_eq!(series, after["fields"].as_array().unwrap().len());
}

#[actix_web::test]
async fn a_model_without_a_training_summary_says_so() {
    // A format-2 artifact: formats 1 and 2 have no summary.
    let old = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/artifacts/format-2-gbm.postcard");
    let app = spawn_app_with(&[("MODEL_PATH", old.to_str().unwrap())]).await;
    let records = as_json(&fixture_records()[..3]);
    assert_eq!(app.predict(&records).await.status, 200);

    let report = drift(&app).await;

    assert_eq!(report["available"], false);
    assert!(
        report["reason"]
            .as_str()
            .unwrap()
            .contains("training-data summary")
    );
    assert!(report.get("fields").is_none());
    let metrics = app.get("/metrics").await.text();
    assert!(metrics.contains("# TYPE ml_api_drift_psi gauge"));
    assert!(!metrics.contains("ml_api_drift_psi{"));
}

#[actix_web::test]
async fn the_drift_route_is_in_the_openapi_document() {
    let app = spawn_app().await;
    let document = app.get("/openapi.json").await.json();
    assert!(document["paths"][DRIFT]["get"]["responses"]["200"].is_object());
    assert!(document["components"]["schemas"]["DriftReport"].is_object());
}

#[test]
fn a_drift_window_or_sample_out_of_range_stops_start_up_naming_the_setting() {
    for (setting, value) in [
        ("DRIFT_WINDOW", "5"),
        ("DRIFT_SAMPLE", "0"),
        ("DRIFT_SAMPLE", "1.5"),
        ("DRIFT_SAMPLE", "NaN"),
    ] {
        let lookup = |key: &str| (key == setting).then(|| value.to_owned());
        let error = ml_api::configuration::Settings::load(lookup, None).unwrap_err();
        let message = error.to_string();
        assert!(message.contains(setting), "{setting}={value}: {message}");
    }
}

#[actix_web::test]
async fn by_default_about_a_tenth_of_the_served_rows_are_counted() {
    let app = spawn_app().await;
    let records = as_json(&fixture_records()[..50]);
    for _ in 0..20 {
        assert_eq!(app.predict(&records).await.status, 200);
    }

    let report = drift(&app).await;

    assert_eq!(report["sample"], 0.1);
    let counted = report["rows_observed"].as_u64().unwrap();
    assert!((50..=150).contains(&counted), "{counted} of 1,000 rows");
}

#[actix_web::test]
async fn the_shipped_model_reports_drift_and_a_model_is_picked_by_name_or_alias() {
    let app = spawn_app_with(&[("DRIFT_SAMPLE", "1")]).await;
    assert_eq!(
        app.predict(&as_json(&fixture_records()[..5])).await.status,
        200
    );

    let champion = app.get("/v1/monitoring/drift?model=champion").await;
    let unknown = app.get("/v1/monitoring/drift?model=no-such-model").await;
    let garbled = app.get("/v1/monitoring/drift?model=%ZZ").await;

    assert_eq!(champion.status, 200, "{}", champion.text());
    let report = champion.json();
    assert_eq!(report["available"], true, "{report}");
    assert_eq!(report["rows_observed"], 5);
    assert_eq!(unknown.status, 404, "{}", unknown.text());
    assert_eq!(unknown.error_code(), "unknown_version");
    assert!(
        garbled.status >= 400 && garbled.status < 500,
        "{}",
        garbled.text()
    );
    assert!(
        garbled.json()["error"]["code"].is_string(),
        "{}",
        garbled.text()
    );
}

#[actix_web::test]
async fn a_query_the_route_cannot_read_gets_a_400_in_the_json_error_body() {
    let app = spawn_app().await;

    let reply = app.get("/v1/monitoring/drift?model=a&model=b").await;

    assert_eq!(reply.status, 400, "{}", reply.text());
    assert_eq!(reply.content_type, "application/json");
    assert_eq!(reply.error_code(), "invalid_query");
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("duplicate field `model`"), "{message}");
}

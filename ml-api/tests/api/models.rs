//! Several models in one process: `MODELS`, the aliases `champion` and
//! `challenger`, the versioned routes (v1 and OIP), promotion and
//! rollback, shadow scoring, and bad artifacts at start-up and at reload.
//! Model `a` is the shipped artifact, model `b` generation 1 trained on the
//! synthetic fixture (relabelled `<version>-gen1`): they price differently
//! and read different columns.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use ml_api::startup::Application;
use regression_model::{
    Column, ColumnKind, HouseRecord, PipelineConfig, TrainOptions, TrainedModel, VersionPolicy,
};
use serde_json::json;
use tempfile::TempDir;

use crate::helpers::{
    Reply, TestApp, as_json, infer_body, spawn_app_with, test_settings, valid_records,
};
use crate::raw::eventually;

pub(crate) const TOKEN: &str = "test-admin-token-0123456789";

/// Model `b`'s artifact, trained once per test binary.
pub(crate) fn model_b_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regression-model");
        let text = std::fs::read_to_string(root.join("config/generation-1.toml")).unwrap();
        let config = PipelineConfig::from_toml(&text, "generation-1").unwrap();
        let data = regression_model::read_csv_file(&crate::helpers::fixture("train.csv")).unwrap();
        let options = TrainOptions {
            holdout: 0.0,
            seed: 0,
        };
        let (mut model, _) = regression_model::train(&config, &data, "synthetic", options).unwrap();
        model.metadata.model_version = format!("{}-gen1", regression_model::MODEL_VERSION);
        model.to_bytes().unwrap()
    })
}

pub(crate) fn model_b() -> TrainedModel {
    TrainedModel::from_bytes(model_b_bytes(), "b", VersionPolicy::Any).unwrap()
}

/// A folder with `a.postcard` (shipped) and `b.postcard`.
fn artifacts() -> (TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.postcard"), dir.path().join("b.postcard"));
    std::fs::write(&a, regression_model::shipped_bytes().unwrap()).unwrap();
    std::fs::write(&b, model_b_bytes()).unwrap();
    (dir, a, b)
}

/// `a` (champion) and `b` (challenger) from files, with the admin routes.
async fn spawn_two(extra: &[(&str, &str)]) -> (TestApp, TempDir, PathBuf, PathBuf) {
    let (dir, a, b) = artifacts();
    let models = format!("a={},b={}", a.display(), b.display());
    let mut vars = vec![
        ("MODELS", models.as_str()),
        ("CHALLENGER", "b"),
        ("ADMIN_TOKEN", TOKEN),
    ];
    vars.extend_from_slice(extra);
    let app = spawn_app_with(&vars).await;
    (app, dir, a, b)
}

pub(crate) async fn admin(app: &TestApp, path: &str, token: Option<&str>) -> Reply {
    let mut request = app.client.post(format!("{}{path}", app.address));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    crate::helpers::read(request.send().await.expect("answered")).await
}

pub(crate) fn prices(reply: &Reply) -> Vec<f64> {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["price"].as_f64().unwrap())
        .collect()
}

pub(crate) fn library_prices(model: &TrainedModel, records: &[HouseRecord]) -> Vec<f64> {
    model
        .predict(records)
        .predictions
        .iter()
        .map(|p| p.price)
        .collect()
}

/// Records both models price: the valid ones model `b` also accepts.
pub(crate) fn common_records(n: usize) -> Vec<HouseRecord> {
    let b = model_b();
    let records = valid_records();
    let response = b.predict(&records);
    let records: Vec<HouseRecord> = response
        .predictions
        .iter()
        .map(|p| records[p.row].clone())
        .take(n)
        .collect();
    assert_eq!(
        records.len(),
        n,
        "the fixture has {n} records both models price"
    );
    records
}

#[actix_web::test]
async fn two_models_are_listed_and_each_answers_on_its_own_routes() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = common_records(3);
    let body = as_json(&records);
    let shipped = regression_model::shipped_model().unwrap();

    let listed = app.get("/v1/models").await.json();
    let by_b = app
        .post_json("/v1/models/b/predict/regression", &body)
        .await;
    let by_challenger = app
        .post_json("/v1/models/challenger/predict/regression", &body)
        .await;
    let by_a = app
        .post_json("/v1/models/a/predict/regression", &body)
        .await;
    let unversioned = app.predict(&body).await;
    let oip_b = app
        .post_json(
            "/v2/models/regression-model/versions/b/infer",
            &infer_body(&records),
        )
        .await;
    let oip_meta = app
        .get("/v2/models/regression-model/versions/b")
        .await
        .json();
    let card = app.get("/v1/models/b").await.json();

    assert_eq!(listed["champion"], "a");
    assert_eq!(listed["challenger"], "b");
    assert_eq!(listed["models"][0]["aliases"], json!(["champion"]));
    assert_eq!(listed["models"][1]["aliases"], json!(["challenger"]));
    assert_eq!(listed["models"][1]["source"], "file in MODELS");
    assert!(
        !listed.to_string().contains("postcard"),
        "no server paths: {listed}"
    );
    let b_prices = library_prices(&model_b(), &records);
    assert_eq!(prices(&by_b), b_prices);
    assert_eq!(prices(&by_challenger), b_prices);
    assert_eq!(prices(&by_a), library_prices(shipped, &records));
    assert_eq!(prices(&unversioned), prices(&by_a));
    assert_ne!(prices(&by_a), b_prices);
    assert_eq!(oip_b.status, 200, "{}", oip_b.text());
    let oip_prices: Vec<f64> = oip_b.json()["outputs"][0]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(oip_prices, b_prices);
    assert_eq!(oip_meta["versions"], json!(["b"]));
    assert_eq!(
        card["model_version"],
        format!("{}-gen1", regression_model::MODEL_VERSION)
    );
}

#[actix_web::test]
async fn an_unknown_version_is_a_404_with_the_error_body_of_its_protocol() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = as_json(&valid_records()[..1]);

    let v1 = app
        .post_json("/v1/models/nope/predict/regression", &records)
        .await;
    let card = app.get("/v1/models/nope").await;
    let v2 = app
        .post_json(
            "/v2/models/regression-model/versions/nope/infer",
            &infer_body(&valid_records()[..1]),
        )
        .await;
    let v2_meta = app.get("/v2/models/regression-model/versions/nope").await;

    assert_eq!(v1.status, 404);
    assert_eq!(v1.error_code(), "unknown_version");
    assert_eq!(card.status, 404);
    assert_eq!(card.error_code(), "unknown_version");
    for reply in [v2, v2_meta] {
        assert_eq!(reply.status, 404);
        assert!(
            reply.json()["error"]
                .as_str()
                .is_some_and(|m| m.contains("nope")),
            "{}",
            reply.text()
        );
    }
}

#[actix_web::test]
async fn promote_swaps_champion_and_challenger_and_promoting_again_rolls_back() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = common_records(2);
    let body = as_json(&records);
    let a_prices = prices(&app.predict(&body).await);
    let b_prices = library_prices(&model_b(), &records);

    let refused = admin(&app, "/admin/promote", Some("wrong-token-wrong-token")).await;
    let promoted = admin(&app, "/admin/promote", Some(TOKEN)).await;
    let after_promote = prices(&app.predict(&body).await);
    let listed = app.get("/v1/models").await.json();
    let rolled_back = admin(&app, "/admin/promote", Some(TOKEN)).await;
    let after_rollback = prices(&app.predict(&body).await);

    assert_eq!(refused.status, 401);
    assert_eq!(promoted.status, 200, "{}", promoted.text());
    let swap = promoted.json();
    assert_eq!(swap["champion"]["name"], "b");
    assert_eq!(swap["challenger"]["name"], "a");
    assert_eq!(
        swap["champion"]["artifact_sha256"].as_str().unwrap().len(),
        64
    );
    assert_eq!(after_promote, b_prices);
    assert_eq!(
        (listed["champion"].as_str(), listed["challenger"].as_str()),
        (Some("b"), Some("a"))
    );
    assert_eq!(rolled_back.json()["champion"]["name"], "a");
    assert_eq!(after_rollback, a_prices);
    let metrics = app.get("/metrics").await.text();
    assert!(
        metrics.contains("ml_api_model_promotions_total 2"),
        "{metrics}"
    );
    let swaps = crate::helpers::log_lines()
        .into_iter()
        .filter(|l| l.contains("promote: champion is now b") && l.contains("sha256"))
        .count();
    assert!(
        swaps >= 1,
        "each swap is logged with versions and checksums"
    );
}

#[actix_web::test]
async fn promote_without_a_challenger_is_a_409() {
    let app = spawn_app_with(&[("MODELS", "a=shipped"), ("ADMIN_TOKEN", TOKEN)]).await;

    let reply = admin(&app, "/admin/promote", Some(TOKEN)).await;

    assert_eq!(reply.status, 409);
    assert_eq!(reply.error_code(), "no_challenger");
}

#[actix_web::test]
async fn requests_during_promotions_never_fail_and_each_is_priced_by_one_model_throughout() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = common_records(4);
    let body = as_json(&records);
    let shipped = regression_model::shipped_model().unwrap();
    let by_version = [
        (
            shipped.metadata.model_version.clone(),
            library_prices(shipped, &records),
        ),
        (
            model_b().metadata.model_version.clone(),
            library_prices(&model_b(), &records),
        ),
    ];

    let promotions = async {
        for _ in 0..10 {
            assert_eq!(admin(&app, "/admin/promote", Some(TOKEN)).await.status, 200);
        }
    };
    let predictions = async {
        let mut replies = Vec::new();
        for _ in 0..60 {
            replies.push(app.predict(&body).await);
        }
        replies
    };
    let ((), replies) = futures_util::future::join(promotions, predictions).await;

    for reply in &replies {
        let version = reply.json()["version"].as_str().unwrap().to_owned();
        let expected = &by_version.iter().find(|(v, _)| *v == version).unwrap().1;
        assert_eq!(&prices(reply), expected, "all rows priced by {version}");
    }
}

#[actix_web::test]
async fn with_shadow_sample_1_the_challenger_scores_every_champion_request() {
    let (app, _dir, _, _) = spawn_two(&[("SHADOW_SAMPLE", "1")]).await;
    let mut records = common_records(3);
    // A record only the champion refuses: a number it reads (and `b` does
    // not) that does not parse.
    let shipped = regression_model::shipped_model().unwrap();
    let only_a: Column = shipped
        .pipeline
        .features()
        .into_iter()
        .find(|c| c.kind() == ColumnKind::Numeric && !model_b().pipeline.features().contains(c))
        .expect("a numeric column only the shipped model reads");
    let mut body = as_json(&records);
    let mut odd = body[0].clone();
    odd[only_a.name()] = json!("not a number");
    body.as_array_mut().unwrap().push(odd);
    records.truncate(3);

    for _ in 0..4 {
        assert_eq!(app.predict(&body).await.status, 200);
    }
    // Versioned routes are not shadowed.
    app.post_json("/v1/models/b/predict/regression", &body)
        .await;

    let compared = eventually(Duration::from_secs(10), async || {
        app.get("/v1/models/compare").await.json()["pairs"][0]["requests"] == 4
    })
    .await;
    let compare = app.get("/v1/models/compare").await.json();
    assert!(compared, "{compare}");
    let pair = &compare["pairs"][0];
    assert_eq!(
        (pair["champion"].as_str(), pair["challenger"].as_str()),
        (Some("a"), Some("b"))
    );
    assert_eq!(pair["rows_compared"], 12);
    assert_eq!(pair["rows_refused_by_champion_only"], 4);
    assert_eq!(pair["rows_refused_by_challenger_only"], 0);
    let expected_max = library_prices(shipped, &records)
        .iter()
        .zip(library_prices(&model_b(), &records))
        .map(|(a, b)| (a.ln() - b.ln()).abs())
        .fold(0.0, f64::max);
    let max = pair["abs_log_diff"]["max"].as_f64().unwrap();
    assert!(
        (max - expected_max).abs() < 1e-12,
        "{max} vs {expected_max}"
    );
    assert_eq!(compare["requests_dropped"], 0);
    let metrics = app.get("/metrics").await.text();
    for expected in [
        r#"ml_api_shadow_rows_compared_total{champion="a",challenger="b"} 12"#,
        r#"ml_api_shadow_rows_refused_total{champion="a",challenger="b",refused_by="champion"} 4"#,
        r#"ml_api_shadow_abs_log_price_diff_count{champion="a",challenger="b"} 12"#,
        "ml_api_shadow_requests_dropped_total 0",
        r#"ml_api_rows_predicted_total{model_version="a"} 12"#,
        r#"ml_api_rows_predicted_total{model_version="b"} 4"#,
        r#"ml_api_http_requests_total{route="/v1/models/{version}/predict/regression",model_version="b",status="200"} 1"#,
        r#"ml_api_http_requests_total{route="/v1/predict/regression",model_version="a",status="200"} 4"#,
    ] {
        assert!(
            metrics.contains(expected),
            "missing `{expected}` in\n{metrics}"
        );
    }
}

#[actix_web::test]
async fn a_bad_artifact_in_models_stops_start_up_with_a_message_naming_the_entry() {
    let (dir, _, b) = artifacts();
    let bad = dir.path().join("bad.postcard");
    std::fs::write(&bad, b"not a model").unwrap();
    let models = format!("good={},bad={}", b.display(), bad.display());

    let error = Application::build(test_settings(&[("MODELS", &models)]))
        .err()
        .expect("start-up fails");

    let message = error.to_string();
    assert!(message.contains("MODELS entry `bad`"), "{message}");
    assert!(message.contains("bad.postcard"), "{message}");
}

#[actix_web::test]
async fn a_bad_artifact_at_reload_is_refused_and_every_model_keeps_serving() {
    let (app, dir, a, b) = spawn_two(&[]).await;
    let records = as_json(&common_records(2));
    let before = app.get("/v1/models").await.json();
    std::fs::write(&b, b"garbage").unwrap();
    let mut relabelled = TrainedModel::from_bytes(
        regression_model::shipped_bytes().unwrap(),
        "a",
        VersionPolicy::Any,
    )
    .unwrap();
    relabelled.metadata.model_version = "9.9.9".into();
    std::fs::write(&a, relabelled.to_bytes().unwrap()).unwrap();

    let refused = admin(&app, "/admin/reload", Some(TOKEN)).await;

    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.error_code(), "artifact_rejected");
    assert!(
        refused.text().contains("MODELS entry `b`"),
        "{}",
        refused.text()
    );
    assert!(!refused.text().contains(dir.path().to_str().unwrap()));
    assert_eq!(
        app.get("/v1/models").await.json(),
        before,
        "nothing was swapped"
    );
    for path in [
        "/v1/models/a/predict/regression",
        "/v1/models/b/predict/regression",
    ] {
        assert_eq!(app.post_json(path, &records).await.status, 200, "{path}");
    }

    std::fs::write(&b, model_b_bytes()).unwrap();
    let reloaded = admin(&app, "/admin/reload", Some(TOKEN)).await;

    assert_eq!(reloaded.status, 200, "{}", reloaded.text());
    let listed = app.get("/v1/models").await.json();
    assert_eq!(listed["models"][0]["name"], "a", "a MODELS name stays");
    assert_eq!(listed["models"][0]["model_version"], "9.9.9");
    assert_eq!(app.predict(&records).await.json()["version"], "9.9.9");
}

//! `POST /admin/reload` and SIGHUP: a verified artifact replaces the served
//! model without a restart; a bad one is refused and the old one serves on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use regression_model::{PipelineConfig, TrainOptions, TrainedModel, VersionPolicy};
use tempfile::TempDir;

use crate::helpers::{Reply, TestApp, as_json, spawn_app, spawn_app_with, valid_records};
use crate::raw::{Service, eventually};

const TOKEN: &str = "test-admin-token-0123456789";
const RELOAD: &str = "/admin/reload";

/// The shipped artifact, re-encoded with another model version.
fn artifact_with_version(version: &str) -> Vec<u8> {
    let bytes = regression_model::shipped_bytes().unwrap();
    let mut model = TrainedModel::from_bytes(bytes, "shipped", VersionPolicy::Exact).unwrap();
    model.metadata.model_version = version.to_owned();
    model.to_bytes().unwrap()
}

/// A temp folder holding the shipped artifact as `model.postcard`.
fn model_dir() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.postcard");
    std::fs::write(&path, regression_model::shipped_bytes().unwrap()).unwrap();
    (dir, path)
}

/// Replaces the file the way a deployment should: write aside, rename.
fn replace(path: &Path, bytes: &[u8]) {
    let aside = path.with_extension("new");
    std::fs::write(&aside, bytes).unwrap();
    std::fs::rename(aside, path).unwrap();
}

async fn reload(app: &TestApp, token: Option<&str>) -> Reply {
    let mut request = app.client.post(format!("{}{RELOAD}", app.address));
    if let Some(token) = token {
        request = request.insert_header(("authorization", format!("Bearer {token}")));
    }
    crate::helpers::read(request.send().await.expect("answered")).await
}

async fn spawn_reloadable(path: &Path) -> TestApp {
    spawn_app_with(&[
        ("MODEL_PATH", path.to_str().unwrap()),
        ("ADMIN_TOKEN", TOKEN),
    ])
    .await
}

#[actix_web::test]
async fn without_an_admin_token_the_reload_route_does_not_exist() {
    let app = spawn_app().await;

    let reply = reload(&app, Some(TOKEN)).await;

    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "not_found");
}

#[actix_web::test]
async fn a_reload_without_the_right_token_returns_401_and_changes_nothing() {
    let (_dir, path) = model_dir();
    let app = spawn_reloadable(&path).await;
    replace(&path, &artifact_with_version("9.0.0"));

    for token in [None, Some("wrong-token-wrong-token"), Some("")] {
        let reply = reload(&app, token).await;

        assert_eq!(reply.status, 401, "{token:?}");
        assert_eq!(reply.error_code(), "unauthorized");
    }
    let version = app.get("/version").await.json();
    assert_eq!(version["model_version"], regression_model::MODEL_VERSION);
}

#[actix_web::test]
async fn the_bearer_scheme_is_taken_in_any_case() {
    let app = spawn_app_with(&[("ADMIN_TOKEN", TOKEN)]).await;

    for scheme in ["bearer", "BEARER"] {
        let request = app
            .client
            .post(format!("{}{RELOAD}", app.address))
            .insert_header(("authorization", format!("{scheme} {TOKEN}")));
        let reply = crate::helpers::read(request.send().await.expect("answered")).await;

        // Past the token check: the shipped model has nothing to reload.
        assert_eq!(reply.status, 409, "{scheme}: {}", reply.text());
    }
}

#[actix_web::test]
async fn a_reload_on_the_shipped_model_returns_409_saying_there_is_nothing_to_reload() {
    let app = spawn_app_with(&[("ADMIN_TOKEN", TOKEN)]).await;

    let reply = reload(&app, Some(TOKEN)).await;

    assert_eq!(reply.status, 409);
    assert_eq!(reply.error_code(), "nothing_to_reload");
    assert!(reply.text().contains("MODEL_PATH"), "{}", reply.text());
}

#[actix_web::test]
async fn a_reload_swaps_in_the_new_artifact_and_version_and_metrics_show_it() {
    let (_dir, path) = model_dir();
    let app = spawn_reloadable(&path).await;
    let records = as_json(&valid_records()[..3]);
    let before = app.predict(&records).await.json();
    replace(&path, &artifact_with_version("9.0.0"));

    let reply = reload(&app, Some(TOKEN)).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["model_version"], "9.0.0");
    assert_eq!(body["previous_version"], regression_model::MODEL_VERSION);
    assert_eq!(app.get("/version").await.json()["model_version"], "9.0.0");
    let after = app.predict(&records).await.json();
    assert_eq!(after["version"], "9.0.0");
    assert_eq!(after["predictions"], before["predictions"], "same pipeline");
    let metrics = app.get("/metrics").await.text();
    assert!(metrics.contains(r#"ml_api_model_reloads_total{trigger="http",outcome="success"} 1"#));
    assert!(metrics.contains(r#"model_version="9.0.0""#), "{metrics}");
}

#[actix_web::test]
async fn a_corrupted_artifact_is_refused_the_old_model_keeps_serving_and_no_path_leaks() {
    let (dir, path) = model_dir();
    let app = spawn_reloadable(&path).await;
    let mut damaged = regression_model::shipped_bytes().unwrap().to_vec();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x55;
    std::fs::write(&path, damaged).unwrap();

    let reply = reload(&app, Some(TOKEN)).await;

    assert_eq!(reply.status, 422, "{}", reply.text());
    assert_eq!(reply.error_code(), "artifact_rejected");
    let text = reply.text();
    assert!(text.contains("checksum"), "{text}");
    assert!(text.contains(regression_model::MODEL_VERSION), "{text}");
    assert!(!text.contains(dir.path().to_str().unwrap()), "{text}");
    assert!(!text.contains("model.postcard"), "{text}");
    let prediction = app.predict(&as_json(&valid_records()[..1])).await;
    assert_eq!(prediction.status, 200);
    let metrics = app.get("/metrics").await.text();
    assert!(metrics.contains(r#"ml_api_model_reloads_total{trigger="http",outcome="rejected"} 1"#));
}

#[actix_web::test]
async fn a_missing_or_foreign_file_is_refused_without_naming_it() {
    let (dir, path) = model_dir();
    let app = spawn_reloadable(&path).await;

    std::fs::remove_file(&path).unwrap();
    let missing = reload(&app, Some(TOKEN)).await;
    std::fs::write(&path, b"{\"not\": \"a model\"}").unwrap();
    let foreign = reload(&app, Some(TOKEN)).await;

    for reply in [missing, foreign] {
        assert_eq!(reply.status, 422, "{}", reply.text());
        assert!(!reply.text().contains(dir.path().to_str().unwrap()));
    }
    assert_eq!(app.get("/ready").await.status, 200);
}

#[actix_web::test]
async fn a_model_that_decodes_but_fails_the_smoke_test_is_refused() {
    let (_dir, path) = model_dir();
    let app = spawn_reloadable(&path).await;
    // Intact and consistent, but trained to price every house below zero:
    // generation 1 on the untransformed, negated synthetic prices.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regression-model");
    let text = std::fs::read_to_string(root.join("config/generation-1.toml"))
        .unwrap()
        .replace("target_transform = \"log\"", "target_transform = \"none\"");
    let config = PipelineConfig::from_toml(&text, "negated").unwrap();
    let mut data = regression_model::read_csv_file(&crate::helpers::fixture("train.csv")).unwrap();
    for price in data.target.iter_mut().flatten().flatten() {
        *price = -*price;
    }
    let options = TrainOptions {
        holdout: 0.0,
        seed: 0,
    };
    let (model, _) = regression_model::train(&config, &data, "synthetic", options).unwrap();
    replace(&path, &model.to_bytes().unwrap());

    let reply = reload(&app, Some(TOKEN)).await;

    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(reply.text().contains("smoke test"), "{}", reply.text());
    assert!(reply.text().contains("positive"), "{}", reply.text());
    assert_eq!(app.get("/ready").await.status, 200);
}

#[actix_web::test]
async fn predictions_during_reloads_never_fail_and_carry_one_of_the_two_versions() {
    let (_dir, path) = model_dir();
    let app = spawn_reloadable(&path).await;
    let records = as_json(&valid_records()[..2]);
    let versions = [
        regression_model::MODEL_VERSION.to_owned(),
        "9.1.0".to_owned(),
    ];

    let reloads = async {
        for round in 0..6 {
            let bytes = if round % 2 == 0 {
                artifact_with_version("9.1.0")
            } else {
                regression_model::shipped_bytes().unwrap().to_vec()
            };
            replace(&path, &bytes);
            assert_eq!(reload(&app, Some(TOKEN)).await.status, 200);
        }
    };
    let predictions = async {
        let mut seen = Vec::new();
        for _ in 0..60 {
            let reply = app.predict(&records).await;
            assert_eq!(reply.status, 200);
            seen.push(reply.json()["version"].as_str().unwrap().to_owned());
        }
        seen
    };
    let ((), seen) = futures_util::future::join(reloads, predictions).await;

    assert!(seen.iter().all(|v| versions.contains(v)), "{seen:?}");
}

#[actix_web::test]
async fn sighup_reloads_model_path_in_the_running_binary() {
    let (dir, path) = model_dir();
    let logs = tempfile::tempdir().unwrap();
    let service = Service::start(&[
        ("MODEL_PATH", path.to_str().unwrap()),
        ("LOG_DIR", logs.path().to_str().unwrap()),
    ]);
    let app = service.app();
    replace(&path, &artifact_with_version("9.2.0"));

    service.signal("HUP");

    let swapped = eventually(Duration::from_secs(10), async || {
        app.get("/version").await.json()["model_version"] == "9.2.0"
    })
    .await;
    assert!(swapped, "{:?}", service.stderr_lines_with("reload"));
    let metrics = app.get("/metrics").await.text();
    assert!(
        metrics.contains(r#"ml_api_model_reloads_total{trigger="signal",outcome="success"} 1"#)
    );
    // A bad file on the next SIGHUP changes nothing.
    std::fs::write(&path, b"garbage").unwrap();
    service.signal("HUP");
    let refused = eventually(Duration::from_secs(10), async || {
        app.get("/metrics")
            .await
            .text()
            .contains(r#"trigger="signal",outcome="rejected"} 1"#)
    })
    .await;
    assert!(refused);
    assert_eq!(app.get("/version").await.json()["model_version"], "9.2.0");
    drop(dir);
}

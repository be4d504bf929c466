//! Two models for the tests of several models in one process: `a` is the
//! shipped artifact, `b` generation 1 trained on the synthetic fixture
//! (relabelled `<version>-gen1`): they price differently and read
//! different columns.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regression_model::{HouseRecord, PipelineConfig, TrainOptions, TrainedModel, VersionPolicy};
use tempfile::TempDir;

use crate::helpers::{Reply, TestApp, spawn_app_with, valid_records};

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
pub(crate) fn artifacts() -> (TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.postcard"), dir.path().join("b.postcard"));
    std::fs::write(&a, regression_model::shipped_bytes().unwrap()).unwrap();
    std::fs::write(&b, model_b_bytes()).unwrap();
    (dir, a, b)
}

/// `a` (champion) and `b` (challenger) from files, with the admin routes.
pub(crate) async fn spawn_two(extra: &[(&str, &str)]) -> (TestApp, TempDir, PathBuf, PathBuf) {
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

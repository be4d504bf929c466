//! Start-up with an external model artifact.

use ml_api::startup::Application;

use crate::helpers::{as_json, spawn_app, spawn_app_with, test_settings, valid_records};

#[actix_web::test]
async fn an_external_artifact_is_served_and_reported_without_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.postcard");
    std::fs::write(&path, regression_model::shipped_bytes().unwrap()).unwrap();
    let app = spawn_app_with(&[("MODEL_PATH", path.to_str().unwrap())]).await;
    let shipped = spawn_app().await;
    let records = as_json(&valid_records()[..3]);

    let info = app.get("/v1/model").await.json();
    let prediction = app.predict(&records).await;

    assert_eq!(info["source"], "file at MODEL_PATH");
    assert!(
        !info.to_string().contains(dir.path().to_str().unwrap()),
        "no server paths"
    );
    assert_eq!(prediction.status, 200);
    assert_eq!(prediction.json(), shipped.predict(&records).await.json());
}

#[actix_web::test]
async fn a_damaged_artifact_stops_start_up_with_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.postcard");
    let mut bytes = regression_model::shipped_bytes().unwrap().to_vec();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&path, bytes).unwrap();

    let error = Application::build(test_settings(&[("MODEL_PATH", path.to_str().unwrap())]))
        .err()
        .expect("start-up fails");

    let message = error.to_string();
    assert!(message.contains("damaged.postcard"), "{message}");
    assert!(message.contains("checksum"), "{message}");
}

//! Prediction inputs and outputs in the log file.

use crate::helpers::{as_json, log_lines, spawn_app, spawn_app_with, valid_records};

fn lines_of(request_id: &str) -> Vec<String> {
    let tag = format!("request_id={request_id} ");
    log_lines()
        .into_iter()
        .filter(|l| l.contains(&tag))
        .collect()
}

#[actix_web::test]
async fn a_prediction_logs_its_input_and_output_in_separate_lines_with_request_id_and_model_version()
 {
    let app = spawn_app().await;

    let reply = app.predict(&as_json(&valid_records()[..1])).await;

    let id = reply.request_id.expect("x-request-id");
    let lines = lines_of(&id);
    let version = format!("model_version={}", regression_model::MODEL_VERSION);
    let input = lines
        .iter()
        .find(|l| l.contains("[ml_api::input]"))
        .expect("an input line");
    let output = lines
        .iter()
        .find(|l| l.contains("[ml_api::output]"))
        .expect("an output line");
    assert!(input.contains(&version) && output.contains(&version));
    assert!(input.contains("\"GrLivArea\""), "{input}");
    assert!(output.contains("\"price\""), "{output}");
}

#[actix_web::test]
async fn with_an_input_sample_of_zero_only_the_output_is_logged() {
    let app = spawn_app_with(&[("LOG_INPUT_SAMPLE", "0")]).await;

    let reply = app.predict(&as_json(&valid_records()[..1])).await;

    let lines = lines_of(&reply.request_id.expect("x-request-id"));
    assert!(!lines.iter().any(|l| l.contains("[ml_api::input]")));
    assert!(lines.iter().any(|l| l.contains("[ml_api::output]")));
}

//! `POST /v1/predict/regression` with good and partly good input.

use regression_model::PredictionResponse;
use serde_json::{Value, json};

use crate::helpers::{as_json, fixture, fixture_records, spawn_app, valid_records};

/// A response as a client reads it: its rejected rows are not serialised,
/// so they are compared through `errors` and `error_count`.
fn response(body: &Value) -> PredictionResponse {
    serde_json::from_value(body.clone()).expect("a prediction response")
}

/// `expected` as the service answers it: without its rejected-row list
/// (not serialised), and with at most `MAX_ERRORS` (100) errors.
fn as_served(mut expected: PredictionResponse) -> PredictionResponse {
    expected.row_errors.rejected.clear();
    expected.row_errors.errors.truncate(100);
    expected.row_errors.errors_truncated =
        expected.row_errors.error_count > expected.row_errors.errors.len();
    expected
}

#[actix_web::test]
async fn a_prediction_for_a_fixture_record_equals_the_model_crates_prediction() {
    let app = spawn_app().await;
    let record = valid_records().remove(0);
    let expected = regression_model::predict(std::slice::from_ref(&record)).unwrap();

    let reply = app.predict(&as_json(&[record])).await;

    assert_eq!(reply.status, 200);
    let actual = response(&reply.json());
    assert_eq!(actual, as_served(expected), "exactly the same prices");
    assert_eq!(actual.predictions.len(), 1);
}

#[actix_web::test]
async fn a_mixed_batch_returns_the_valid_rows_predictions_and_the_invalid_rows_field_errors() {
    let app = spawn_app().await;
    let mut records = fixture_records();
    // Values no house can have, in two rows.
    records[1].lot_area = Some(-10.0);
    records[4].overall_qual = Some(11.0);
    let expected = regression_model::predict(&records).unwrap();

    let reply = app.predict(&as_json(&records)).await;

    assert_eq!(reply.status, 200);
    let actual = response(&reply.json());
    assert_eq!(actual, as_served(expected));
    let mut rejected: Vec<usize> = actual.row_errors.errors.iter().map(|e| e.row).collect();
    rejected.dedup();
    assert!(!actual.predictions.is_empty() && !rejected.is_empty());
    assert_eq!(actual.predictions.len() + rejected.len(), records.len());
    assert!(
        actual
            .row_errors
            .errors
            .iter()
            .all(|e| !e.field.is_empty() && !e.message.is_empty())
    );
}

#[actix_web::test]
async fn a_bad_field_rejects_only_its_own_row() {
    let app = spawn_app().await;
    let mut records = as_json(&valid_records()[..3]);
    records[1]["GrLivArea"] = json!(-5);

    let body = app.predict(&records).await.json();

    let rows: Vec<u64> = body["predictions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [0, 2]);
    assert_eq!(body["errors"][0]["row"], 1);
    assert_eq!(body["errors"][0]["field"], "GrLivArea");
}

#[actix_web::test]
async fn ids_are_echoed_with_their_predictions() {
    let app = spawn_app().await;
    let records = valid_records();

    let body = app.predict(&as_json(&records[..2])).await.json();

    assert_eq!(body["predictions"][0]["id"], records[0].id.unwrap());
    assert_eq!(body["predictions"][1]["id"], records[1].id.unwrap());
}

#[actix_web::test]
async fn a_single_record_object_is_predicted_like_a_list_of_one() {
    let app = spawn_app().await;
    let records = as_json(&valid_records()[..1]);

    let single = app.predict(&records[0]).await;
    let list = app.predict(&records).await;

    assert_eq!(single.status, 200);
    assert_eq!(single.json(), list.json());
}

#[actix_web::test]
async fn course_aliases_are_accepted_like_kaggle_names() {
    let app = spawn_app().await;
    let kaggle = as_json(&valid_records()[..1]);
    let mut course = kaggle.clone();
    let record = course[0].as_object_mut().unwrap();
    for (name, alias) in [
        ("1stFlrSF", "FirstFlrSF"),
        ("2ndFlrSF", "SecondFlrSF"),
        ("3SsnPorch", "ThreeSsnPortch"),
    ] {
        let value = record.remove(name).unwrap();
        record.insert(alias.into(), value);
    }

    let with_aliases = app.predict(&course).await;

    assert_eq!(with_aliases.status, 200);
    assert_eq!(with_aliases.json(), app.predict(&kaggle).await.json());
}

#[actix_web::test]
async fn a_csv_body_is_predicted_like_the_same_records_in_json() {
    let app = spawn_app().await;
    let csv = std::fs::read(fixture("test.csv")).unwrap();

    let from_csv = app
        .post("/v1/predict/regression", Some("text/csv"), csv)
        .await;
    let from_json = app.predict(&as_json(&fixture_records())).await;

    assert_eq!(from_csv.status, 200);
    assert_eq!(response(&from_csv.json()), response(&from_json.json()));
}

#[actix_web::test]
async fn a_batch_of_max_rows_records_is_predicted_in_full() {
    let app = spawn_app().await;
    let csv = std::fs::read_to_string(fixture("test.csv")).unwrap();
    let (header, rows) = csv.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    let mut body = format!("{header}\n");
    for i in 0..10_000 {
        body.push_str(rows[i % rows.len()]);
        body.push('\n');
    }
    let parsed = regression_model::read_csv(body.as_bytes()).unwrap();
    let expected = regression_model::shipped_model()
        .unwrap()
        .predict_rows(&parsed.rows);

    let reply = app
        .post("/v1/predict/regression", Some("text/csv"), body)
        .await;

    assert_eq!(reply.status, 200);
    assert!(expected.predictions.len() > 9_000);
    assert_eq!(response(&reply.json()), as_served(expected));
}

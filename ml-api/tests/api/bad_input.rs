//! The bad-input matrix: each case gets its status and the common error
//! body, and the server keeps answering afterwards.

use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, as_json, spawn_app, spawn_app_with, valid_records};

const PREDICT: &str = "/v1/predict/regression";

async fn post_text(app: &TestApp, content_type: Option<&str>, body: impl Into<Vec<u8>>) -> Reply {
    app.post(PREDICT, content_type, body).await
}

/// One valid record with `field` set to `value`.
fn record_with(field: &str, value: Value) -> Value {
    let mut records = as_json(&valid_records()[..1]);
    records[0][field] = value;
    records
}

/// Asserts a 422 whose details reject `field` of row 0, and that the body
/// echoes no value of the record back: not the one that broke a rule, and
/// none of the record's labels.
fn assert_field_rejected(reply: &Reply, field: &str) {
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert_eq!(reply.error_code(), "no_valid_rows");
    let details = reply.json()["error"]["details"].clone();
    assert!(
        details
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["row"] == 0 && d["field"] == field),
        "{details}"
    );
    let record = &as_json(&valid_records()[..1])[0];
    let text = reply.text();
    for (name, value) in record.as_object().unwrap() {
        if let Some(label) = value.as_str().filter(|l| l.len() >= 4) {
            assert!(!text.contains(label), "{name}'s value echoed: {text}");
        }
    }
    for sentinel in ["12345.678", "huge-house", "SENTINEL"] {
        assert!(!text.contains(sentinel), "a value sent was echoed: {text}");
    }
}

#[actix_web::test]
async fn malformed_json_returns_400() {
    let app = spawn_app().await;

    let reply = post_text(&app, Some("application/json"), r#"[{"MSSubClass": 20,"#).await;

    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "malformed_json");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_top_level_that_is_neither_list_nor_object_returns_400() {
    let app = spawn_app().await;

    for body in [r#""a string""#, "42", "null", "true"] {
        let reply = post_text(&app, Some("application/json"), body).await;

        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.error_code(), "malformed_json");
    }
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_string_in_a_number_field_rejects_the_row_naming_the_field() {
    let app = spawn_app().await;

    let reply = app.predict(&record_with("GrLivArea", json!("large"))).await;

    assert_field_rejected(&reply, "GrLivArea");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_record_missing_more_than_the_model_imputes_is_rejected_naming_a_field() {
    let app = spawn_app().await;
    let mut records = as_json(&valid_records()[..1]);
    // Generation 3 fills in up to `max_imputed` missing inputs per row; with
    // more missing than that the row is refused, naming a missing field.
    let record = records[0].as_object_mut().unwrap();
    let removed: Vec<String> = record
        .keys()
        .filter(|k| *k != "Id")
        .take(20)
        .cloned()
        .collect();
    for key in &removed {
        record.remove(key);
    }

    let reply = app.predict(&records).await;

    assert_eq!(reply.status, 422, "{}", reply.text());
    let field = reply.json()["error"]["details"][0]["field"].clone();
    assert!(removed.iter().any(|k| field == k.as_str()), "{field}");
}

#[actix_web::test]
async fn nan_and_infinity_as_strings_reject_the_row() {
    let app = spawn_app().await;

    for value in ["NaN", "Infinity", "-inf"] {
        let reply = app.predict(&record_with("GrLivArea", json!(value))).await;

        assert_field_rejected(&reply, "GrLivArea");
    }
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn nan_and_out_of_range_number_literals_are_malformed_json() {
    let app = spawn_app().await;

    for literal in ["NaN", "Infinity", "1e999"] {
        let body = format!(r#"[{{"LotArea": {literal}}}]"#);
        let reply = post_text(&app, Some("application/json"), body).await;

        assert_eq!(reply.status, 400, "{literal}");
        assert_eq!(reply.error_code(), "malformed_json");
    }
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_negative_area_rejects_the_row() {
    let app = spawn_app().await;

    let reply = app.predict(&record_with("1stFlrSF", json!(-1200))).await;

    assert_field_rejected(&reply, "1stFlrSF");
}

#[actix_web::test]
async fn an_unknown_field_is_named_once_and_rejects_no_row() {
    let app = spawn_app().await;
    let mut records = as_json(&valid_records()[..3]);
    for record in records.as_array_mut().unwrap() {
        record["SwimmingPool"] = json!(1);
    }

    let reply = app.predict(&records).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["predictions"].as_array().unwrap().len(), 3);
    assert_eq!(body["unknown_fields"], json!(["SwimmingPool"]));
    assert_eq!(body["unknown_field_count"], 1);
    assert_eq!(body["error_count"], 0);
}

#[actix_web::test]
async fn a_value_that_breaks_a_rule_is_named_by_field_and_rule_never_echoed() {
    let app = spawn_app().await;
    let mut records = as_json(&valid_records()[..1]);
    records[0]["GrLivArea"] = json!("SENTINEL huge-house");
    records[0]["LotArea"] = json!(-12345.678);

    let reply = app.predict(&records).await;

    assert_field_rejected(&reply, "GrLivArea");
    assert_field_rejected(&reply, "LotArea");
}

#[actix_web::test]
async fn with_error_detail_redacted_no_unknown_name_is_quoted() {
    let app = spawn_app_with(&[("ERROR_DETAIL", "redacted")]).await;
    let records = record_with("SENTINELField", json!(1));

    let reply = app.predict(&records).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["unknown_field_count"], 1);
    assert!(!reply.text().contains("SENTINEL"), "{}", reply.text());

    let reply = app.get("/SENTINEL/path").await;
    assert_eq!(reply.status, 404);
    assert!(!reply.text().contains("SENTINEL"), "{}", reply.text());
}

#[actix_web::test]
async fn an_empty_list_returns_422_no_rows() {
    let app = spawn_app().await;

    let reply = app.predict(&json!([])).await;

    assert_eq!(reply.status, 422);
    assert_eq!(reply.error_code(), "no_rows");
}

#[actix_web::test]
async fn more_records_than_max_rows_returns_413() {
    let app = spawn_app().await;
    let body = format!("[{}{{}}]", "{},".repeat(99_999));

    let reply = post_text(&app, Some("application/json"), body).await;

    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "too_many_rows");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_body_over_the_limit_returns_413() {
    let app = spawn_app_with(&[("MAX_BODY_BYTES", "65536")]).await;
    let body = format!("[{}]", " ".repeat(100_000));

    let reply = post_text(&app, Some("application/json"), body).await;

    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "body_too_large");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_chunked_body_over_the_limit_returns_413() {
    let app = spawn_app_with(&[("MAX_BODY_BYTES", "65536")]).await;
    let chunks =
        (0..20).map(|_| Ok::<_, std::io::Error>(actix_web::web::Bytes::from(vec![b' '; 8192])));

    let response = app
        .client
        .post(format!("{}{PREDICT}", app.address))
        .insert_header(("content-type", "application/json"))
        .send_stream(futures_util::stream::iter(chunks))
        .await
        .expect("answered");
    let reply = crate::helpers::read(response).await;

    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "body_too_large");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn an_unsupported_or_missing_content_type_returns_415() {
    let app = spawn_app().await;

    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let reply = post_text(&app, content_type, "[]").await;

        assert_eq!(reply.status, 415, "{content_type:?}");
        assert_eq!(reply.error_code(), "unsupported_media_type");
    }
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn deeply_nested_json_returns_400() {
    let app = spawn_app().await;
    let body = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));

    let reply = post_text(&app, Some("application/json"), body).await;

    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "malformed_json");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_broken_csv_body_returns_400() {
    let app = spawn_app().await;
    let body = b"Id,GrLivArea\n1,\xff\xfe\n".to_vec();

    let reply = post_text(&app, Some("text/csv"), body).await;

    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "malformed_csv");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn an_error_message_does_not_echo_a_long_input_back() {
    let app = spawn_app().await;
    let long = "x".repeat(10_000);

    let reply = post_text(&app, Some("application/json"), format!("\"{long}\"")).await;

    assert_eq!(reply.status, 400);
    assert!(reply.body.len() < 1_000, "{} bytes", reply.body.len());
    // Not even a clipped piece of it: messages locate a problem, never quote it.
    assert!(!reply.text().contains("xxxx"), "{}", reply.text());
}

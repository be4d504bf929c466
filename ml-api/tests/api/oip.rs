//! Open Inference Protocol v2 routes: shapes of requests and responses.

use regression_model::HouseRecord;
use serde_json::{Value, json};

use crate::helpers::{infer_body, spawn_app, valid_records};

const INFER: &str = "/v2/models/regression-model/infer";

/// One tensor per field of the records, in the protocol's request shape,
/// with a request id.
fn infer_request(records: &[HouseRecord]) -> Value {
    let mut body = infer_body(records);
    body["id"] = json!("req-7");
    body
}

#[actix_web::test]
async fn live_and_ready_return_200() {
    let app = spawn_app().await;

    for path in [
        "/v2/health/live",
        "/v2/health/ready",
        "/v2/models/regression-model/ready",
    ] {
        assert_eq!(app.get(path).await.status, 200, "{path}");
    }
}

#[actix_web::test]
async fn model_metadata_lists_one_tensor_per_input_feature_with_its_datatype() {
    let app = spawn_app().await;
    let features = &regression_model::shipped_model()
        .unwrap()
        .metadata
        .input_features;

    let body = app.get("/v2/models/regression-model").await.json();

    assert_eq!(body["name"], "regression-model");
    assert_eq!(body["platform"], "regression-model");
    assert_eq!(body["versions"], json!([regression_model::MODEL_VERSION]));
    let inputs = body["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), features.len());
    let datatype =
        |name: &str| inputs.iter().find(|i| i["name"] == name).unwrap()["datatype"].clone();
    assert_eq!(datatype("MSSubClass"), "BYTES");
    assert_eq!(datatype("GrLivArea"), "FP64");
    assert!(inputs.iter().all(|i| i["shape"] == json!([-1])));
    assert_eq!(
        body["outputs"],
        json!([{ "name": "price", "datatype": "FP64", "shape": [-1] }])
    );
}

#[actix_web::test]
async fn an_unknown_model_name_returns_404_with_an_oip_error() {
    let app = spawn_app().await;

    for reply in [
        app.get("/v2/models/resnet").await,
        app.get("/v2/models/resnet/ready").await,
        app.post_json("/v2/models/resnet/infer", &json!({ "inputs": [] }))
            .await,
    ] {
        assert_eq!(reply.status, 404);
        assert!(reply.json()["error"].as_str().unwrap().contains("resnet"));
    }
}

#[actix_web::test]
async fn infer_returns_one_price_per_row_equal_to_the_model_crates_prediction() {
    let app = spawn_app().await;
    let records = valid_records()[..5].to_vec();
    let expected = regression_model::predict(&records).unwrap();

    let reply = app.post_json(INFER, &infer_request(&records)).await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let body = reply.json();
    assert_eq!(body["model_name"], "regression-model");
    assert_eq!(body["model_version"], regression_model::MODEL_VERSION);
    assert_eq!(body["id"], "req-7");
    let output = &body["outputs"][0];
    assert_eq!(
        (&output["name"], &output["datatype"]),
        (&json!("price"), &json!("FP64"))
    );
    assert_eq!(output["shape"], json!([5]));
    let prices: Vec<f64> = expected.predictions.iter().map(|p| p.price).collect();
    assert_eq!(output["data"], json!(prices));
}

#[actix_web::test]
async fn infer_with_a_rejected_row_returns_400_naming_the_row_and_field() {
    let app = spawn_app().await;
    let mut records = valid_records()[..3].to_vec();
    records[2].gr_liv_area = Some(-5.0);

    let reply = app.post_json(INFER, &infer_request(&records)).await;

    assert_eq!(reply.status, 400);
    let error = reply.json()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("row 2: GrLivArea"), "{error}");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn infer_with_tensors_of_different_lengths_returns_400() {
    let app = spawn_app().await;
    let request = json!({ "inputs": [
        { "name": "GrLivArea", "shape": [2], "datatype": "FP64", "data": [1500, 1600] },
        { "name": "MSZoning", "shape": [1], "datatype": "BYTES", "data": ["RL"] }
    ]});

    let reply = app.post_json(INFER, &request).await;

    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"].is_string());
}

#[actix_web::test]
async fn infer_with_an_id_over_256_bytes_returns_400_naming_id_without_echoing_it() {
    let app = spawn_app().await;
    let mut request = infer_request(&valid_records()[..1]);
    request["id"] = json!("x".repeat(100_000));

    let reply = app.post_json(INFER, &request).await;

    assert_eq!(reply.status, 400, "{}", reply.text());
    let error = reply.json()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("`id`") && error.contains("256"), "{error}");
    assert!(reply.body.len() < 1000, "{} bytes", reply.body.len());
    let document = app.get("/openapi.json").await.json();
    let id = &document["components"]["schemas"]["OipInferRequest"]["properties"]["id"];
    assert_eq!(id["maxLength"], 256, "{id}");
}

#[actix_web::test]
async fn infer_with_malformed_json_or_csv_answers_in_the_oip_error_shape() {
    let app = spawn_app().await;

    let malformed = app
        .post(INFER, Some("application/json"), "{\"inputs\": [")
        .await;
    let not_a_request = app.post_json(INFER, &json!({ "rows": [] })).await;
    let csv = app.post(INFER, Some("text/csv"), "Id\n1\n").await;

    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"].is_string());
    assert_eq!(not_a_request.status, 400);
    assert!(not_a_request.json()["error"].is_string());
    assert_eq!(csv.status, 415);
    assert!(csv.json()["error"].is_string());
}

/// `{"inputs": [{"name": "Id", "data": [0,0,...]}]}` with `values` zeros.
fn one_long_tensor(values: usize) -> String {
    let mut data = "0,".repeat(values);
    data.pop();
    format!(r#"{{"inputs": [{{"name": "Id", "shape": [{values}], "data": [{data}]}}]}}"#)
}

#[actix_web::test]
async fn infer_with_more_rows_than_max_rows_returns_413_naming_the_limit() {
    let app = crate::helpers::spawn_app_with(&[("MAX_ROWS", "100")]).await;

    let reply = app
        .post(INFER, Some("application/json"), one_long_tensor(101))
        .await;

    assert_eq!(reply.status, 413, "{}", reply.text());
    let error = reply.json()["error"].as_str().unwrap().to_owned();
    assert!(
        error.contains("101 records") && error.contains("limit of 100"),
        "{error}"
    );
}

#[test]
fn an_oversized_infer_request_is_refused_before_its_values_are_built() {
    let body = one_long_tensor(4 * 1024 * 1024 - 40);
    assert!(body.len() <= 8 * 1024 * 1024);

    let (result, allocated) = crate::alloc::allocated_by(|| {
        ml_api::oip::InferRequest::parse(body.as_bytes(), 32)?.into_rows(10_000)
    });

    assert!(matches!(
        result,
        Err(ml_api::error::Error::TooManyRows { limit: 10_000, .. })
    ));
    // Building the cells first cost 32 bytes per `0,`: about 130 MB here.
    assert!(
        allocated.total < 64 * 1024,
        "allocated {} bytes",
        allocated.total
    );
}

#[test]
fn a_shape_that_disagrees_with_the_data_is_refused_before_its_values_are_built() {
    let body = one_long_tensor(9_000).replace("[9000]", "[9001]");

    let (result, allocated) = crate::alloc::allocated_by(|| {
        ml_api::oip::InferRequest::parse(body.as_bytes(), 32)?.into_rows(10_000)
    });

    let error = result.unwrap_err().to_string();
    assert!(error.contains("`Id`") && error.contains("shape"), "{error}");
    assert!(!error.contains("9001"), "the value sent is echoed: {error}");
    assert!(
        allocated.total < 64 * 1024,
        "allocated {} bytes",
        allocated.total
    );
}

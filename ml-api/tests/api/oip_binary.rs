//! What real OIP clients send (`tritonclient[http]`): infer bodies with no
//! `Content-Type`, and the binary tensor data extension, in both directions.

use std::time::{Duration, Instant};

use regression_model::{Column, ColumnKind, HouseRecord};
use serde_json::{Value, json};

use crate::helpers::{TestApp, as_json, spawn_app, valid_records};

const INFER: &str = "/v2/models/regression-model/infer";
const HEADER: &str = "inference-header-content-length";

/// A binary answer: its JSON header, its raw bytes, its header length.
struct Answer {
    status: u16,
    header_length: Option<usize>,
    body: Vec<u8>,
}

impl Answer {
    fn json_part(&self) -> Value {
        let end = self.header_length.unwrap_or(self.body.len());
        serde_json::from_slice(&self.body[..end]).expect("a JSON header")
    }

    fn prices(&self) -> Vec<f64> {
        let header = self.json_part();
        let output = &header["outputs"][0];
        match self.header_length {
            None => (output["data"].as_array().unwrap().iter())
                .map(|v| v.as_f64().unwrap())
                .collect(),
            Some(length) => {
                let size = output["parameters"]["binary_data_size"].as_u64().unwrap();
                let raw = &self.body[length..];
                assert_eq!(raw.len() as u64, size);
                raw.chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
                    .collect()
            }
        }
    }
}

/// POSTs `body` to infer as tritonclient does: no `Content-Type`, and the
/// header length when given.
async fn send(app: &TestApp, header_length: Option<String>, body: Vec<u8>) -> Answer {
    let mut request = app.client.post(format!("{}{INFER}", app.address));
    if let Some(length) = header_length {
        request = request.insert_header((HEADER, length));
    }
    let mut response = request.send_body(body).await.expect("infer is answered");
    let header_length = (response.headers().get(HEADER))
        .map(|v| v.to_str().unwrap().parse().expect("a byte count"));
    let body = response.body().limit(1 << 24).await.expect("a body");
    Answer {
        status: response.status().as_u16(),
        header_length,
        body: body.to_vec(),
    }
}

/// The records as binary tensors: numbers FP64 (missing: NaN), labels
/// BYTES (missing: empty), `Id` INT64; JSON header and raw bytes.
pub fn binary_request(records: &[HouseRecord], binary_output: bool) -> (Vec<u8>, usize) {
    let rows = as_json(records);
    let rows = rows.as_array().unwrap();
    let mut inputs = Vec::new();
    let mut raw = Vec::new();
    for name in rows[0].as_object().unwrap().keys() {
        let values = rows.iter().map(|r| &r[name]);
        let start = raw.len();
        let datatype = match Column::from_name(name).map(Column::kind) {
            _ if name == "Id" => {
                raw.extend(values.flat_map(|v| v.as_i64().unwrap().to_le_bytes()));
                "INT64"
            }
            Some(ColumnKind::Numeric) => {
                raw.extend(values.flat_map(|v| v.as_f64().unwrap_or(f64::NAN).to_le_bytes()));
                "FP64"
            }
            _ => {
                for value in values {
                    let text = match value {
                        Value::String(s) => s.clone(),
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    raw.extend((text.len() as u32).to_le_bytes());
                    raw.extend(text.as_bytes());
                }
                "BYTES"
            }
        };
        inputs.push(json!({
            "name": name, "datatype": datatype, "shape": [records.len(), 1],
            "parameters": { "binary_data_size": raw.len() - start },
        }));
    }
    let header = json!({
        "id": "bin-1",
        "inputs": inputs,
        "parameters": { "binary_data_output": binary_output },
    });
    let mut body = header.to_string().into_bytes();
    let length = body.len();
    body.extend(raw);
    (body, length)
}

/// The records as JSON tensors (one per field).
fn json_request(records: &[HouseRecord]) -> Value {
    let rows = as_json(records);
    let rows = rows.as_array().unwrap();
    let inputs: Vec<Value> = (rows[0].as_object().unwrap().keys())
        .map(|name| {
            let data: Vec<Value> = rows.iter().map(|r| r[name].clone()).collect();
            json!({ "name": name, "shape": [records.len()], "datatype": "BYTES", "data": data })
        })
        .collect();
    json!({ "inputs": inputs })
}

fn expected_prices(records: &[HouseRecord]) -> Vec<f64> {
    let outcome = regression_model::predict(records).unwrap();
    assert!(outcome.row_errors.rejected.is_empty());
    outcome.predictions.iter().map(|p| p.price).collect()
}

#[actix_web::test]
async fn server_metadata_announces_the_binary_extension() {
    let app = spawn_app().await;
    let body = app.get("/v2").await.json();
    assert_eq!(body["extensions"], json!(["binary_tensor_data"]));
}

#[actix_web::test]
async fn an_infer_body_without_a_content_type_is_read_as_json() {
    let app = spawn_app().await;
    let records = valid_records()[..4].to_vec();

    let reply = app
        .post(INFER, None, json_request(&records).to_string())
        .await;

    assert_eq!(reply.status, 200, "{}", reply.text());
    let answer = Answer {
        status: reply.status,
        header_length: None,
        body: reply.body,
    };
    assert_eq!(answer.prices(), expected_prices(&records));
    // The v1 route keeps asking for a content type.
    let v1 = app
        .post(
            "/v1/predict/regression",
            None,
            as_json(&records).to_string(),
        )
        .await;
    assert_eq!(v1.status, 415);
}

#[actix_web::test]
async fn binary_tensors_give_the_prices_of_json_tensors_in_either_answer_form() {
    let app = spawn_app().await;
    let records = valid_records()[..6].to_vec();
    let expected = expected_prices(&records);

    for binary_output in [true, false] {
        let (body, length) = binary_request(&records, binary_output);
        let answer = send(&app, Some(length.to_string()), body).await;

        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        assert_eq!(answer.header_length.is_some(), binary_output);
        let header = answer.json_part();
        assert_eq!(header["id"], "bin-1");
        assert_eq!(header["outputs"][0]["shape"], json!([6]));
        assert_eq!(answer.prices(), expected, "binary output: {binary_output}");
    }
}

#[actix_web::test]
async fn an_output_asked_in_binary_by_name_is_answered_in_binary() {
    let app = spawn_app().await;
    let records = valid_records()[..2].to_vec();
    let mut request = json_request(&records);
    request["outputs"] = json!([{ "name": "price", "parameters": { "binary_data": true } }]);

    let answer = send(&app, None, request.to_string().into_bytes()).await;

    assert_eq!(answer.status, 200);
    assert!(answer.header_length.is_some());
    assert_eq!(answer.prices(), expected_prices(&records));

    request["outputs"] = json!([{ "name": "SENTINEL_OUTPUT" }]);
    let unknown = send(&app, None, request.to_string().into_bytes()).await;
    assert_eq!(unknown.status, 400);
    let error = unknown.json_part()["error"].as_str().unwrap().to_owned();
    assert!(error.contains("`price`"), "{error}");
}

/// One FP64 tensor `LotArea` of `shape` giving `size` bytes, followed by
/// `raw` bytes of binary data.
fn one_tensor(shape: &str, size: &str, raw: usize) -> (Vec<u8>, usize) {
    let header = format!(
        r#"{{"inputs":[{{"name":"LotArea","datatype":"FP64","shape":{shape},"parameters":{{"binary_data_size":{size}}}}}]}}"#
    );
    let length = header.len();
    let mut body = header.into_bytes();
    body.resize(length + raw, 0x53);
    (body, length)
}

/// An `Inference-Header-Content-Length` (if any) and a body.
type Request = (Option<String>, Vec<u8>);

#[actix_web::test]
async fn malformed_binary_requests_get_a_quick_400_in_the_oip_error_shape() {
    let app = spawn_app().await;
    let eight_mib = 8 * 1024 * 1024 - 4096;
    let (valid, _) = one_tensor("[1]", "8", 8);
    let own = |(body, length): (Vec<u8>, usize)| (Some(length.to_string()), body);
    let cases: Vec<(&str, Request, &str)> = vec![
        (
            "header length past the body",
            (Some((valid.len() + 1).to_string()), valid.clone()),
            "past the end of the body",
        ),
        (
            "header length not a number",
            (Some("SENTINEL".into()), valid.clone()),
            "must be a byte count",
        ),
        (
            "size past the body",
            own(one_tensor("[1000000]", "8000000", 8)),
            "runs past the end",
        ),
        (
            "wrong byte count for the shape",
            own(one_tensor("[3]", "16", 16)),
            "times 8 (bytes per FP64 value)",
        ),
        (
            "huge shape",
            own(one_tensor("[4294967296,4294967296]", "8", 8)),
            "`LotArea`",
        ),
        (
            "a shape of a million rows in 8 MiB",
            own(one_tensor("[1000000]", &eight_mib.to_string(), eight_mib)),
            "times 8 (bytes per FP64 value)",
        ),
        (
            "sizes that do not add up",
            own(one_tensor("[1]", "8", 16)),
            "16 bytes of binary data",
        ),
        (
            "binary data without the header",
            (None, one_tensor("[1]", "8", 0).0),
            "no Inference-Header-Content-Length",
        ),
    ];
    for (name, (header_length, body), expected) in cases {
        let started = Instant::now();
        let answer = send(&app, header_length, body).await;
        let elapsed = started.elapsed();

        assert_eq!(answer.status, 400, "{name}");
        assert!(answer.header_length.is_none(), "{name}");
        let error: Value = serde_json::from_slice(&answer.body).unwrap();
        let message = error["error"].as_str().unwrap();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(
            !message.contains("SENTINEL") && !message.contains("SSSS"),
            "{name}: {message}"
        );
        assert!(elapsed < Duration::from_secs(2), "{name}: {elapsed:?}");
    }
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn the_openapi_document_describes_the_oip_routes_and_the_binary_extension() {
    let app = spawn_app().await;
    let document = app.get("/openapi.json").await.json();
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/v2",
        "/v2/health/live",
        "/v2/models/{name}",
        "/v2/models/{name}/infer",
        "/v2/models/{name}/versions/{version}/infer",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    let infer = &paths["/v2/models/{name}/infer"]["post"];
    let by_version = &paths["/v2/models/{name}/versions/{version}/infer"]["post"];
    assert_eq!(infer["description"], by_version["description"]);
    assert!(
        infer["description"]
            .as_str()
            .unwrap()
            .contains("Inference-Header-Content-Length")
    );
    assert!(infer["responses"]["200"]["content"]["application/octet-stream"].is_object());
    let schemas = document["components"]["schemas"].as_object().unwrap();
    let refs = document.to_string();
    for name in refs.split("#/components/schemas/").skip(1) {
        let name = name.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "{name} is defined");
    }
}

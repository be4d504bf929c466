//! The binary tensor data extension in the OpenAPI document: added to every
//! documented `/v2/.../infer` path (unversioned or by version) and to the
//! infer request and response schemas, wherever those are written.

use serde_json::{Value, json};

const DESCRIPTION: &str = " Binary tensor data extension (`binary_tensor_data` in GET /v2; tritonclient's default): the body is a JSON header of `Inference-Header-Content-Length` bytes followed by the raw little-endian values of each tensor whose `parameters.binary_data_size` is given, in `inputs` order (FP64, FP32, INT8–64, UINT8–64, BOOL; BYTES as a 4-byte length then UTF-8 text). Such a tensor needs a `datatype` and a fixed `shape`; every size is checked against them and against the bytes sent before any value is read (400 otherwise). Binary data has no null: a NaN and an empty BYTES element are missing values. The answer is binary when the request sets `parameters.binary_data_output` or the `price` output's `parameters.binary_data`: `application/octet-stream`, a JSON header whose `price` tensor gives `parameters.binary_data_size` instead of `data`, then the prices as little-endian FP64, the header's length in the response's `Inference-Header-Content-Length`. An output other than `price` is a 400.";

/// Adds the extension to `document`'s infer paths and OIP schemas.
pub fn amend(document: &mut Value) {
    if let Some(paths) = document["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            if path.starts_with("/v2/") && path.ends_with("/infer") {
                amend_infer(&mut item["post"]);
            }
        }
    }
    let schemas = &mut document["components"]["schemas"];
    if schemas["OipInferRequest"].is_object() {
        let request = &mut schemas["OipInferRequest"]["properties"];
        request["inputs"]["items"]["properties"]["parameters"] = json!({
            "type": "object",
            "properties": { "binary_data_size": { "type": "integer", "minimum": 0, "description": "The tensor's values are this many bytes of the binary data (then `data` is absent)" } }
        });
        request["outputs"] = json!({ "type": "array", "items": { "type": "object", "required": ["name"], "properties": {
            "name": { "const": "price" },
            "parameters": { "type": "object", "properties": { "binary_data": { "type": "boolean" } } }
        } } });
        request["parameters"] = json!({ "type": "object", "properties": { "binary_data_output": { "type": "boolean" } } });
    }
    if schemas["OipInferResponse"].is_object() {
        schemas["OipInferResponse"]["properties"]["outputs"]["items"]["properties"]["parameters"] = json!({
            "type": "object", "properties": { "binary_data_size": { "type": "integer", "minimum": 0 } }
        });
    }
}

fn amend_infer(operation: &mut Value) {
    if !operation.is_object() {
        return;
    }
    let description = operation["description"].as_str().unwrap_or_default();
    operation["description"] = Value::String(format!("{description}{DESCRIPTION}").trim().into());
    let header = json!({ "name": "Inference-Header-Content-Length", "in": "header", "required": false, "schema": { "type": "integer", "minimum": 0 }, "description": "Length of the JSON header when binary tensor data follows it" });
    match operation["parameters"].as_array_mut() {
        Some(parameters) => parameters.push(header),
        None => operation["parameters"] = json!([header]),
    }
    let binary = json!({ "schema": { "type": "string", "format": "binary" }, "description": "A JSON header, then binary tensor data" });
    operation["requestBody"]["content"]["application/octet-stream"] = binary.clone();
    operation["responses"]["200"]["content"]["application/octet-stream"] = binary;
}

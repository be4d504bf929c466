//! The Open Inference Protocol (v2) routes' part of the OpenAPI document.
//! Their errors have the protocol's shape, `{"error": "<message>"}`, not
//! the v1 `Error` object.

use serde_json::{Value, json};

/// The OIP paths, by path.
pub fn paths() -> [(&'static str, Value); 6] {
    [
        (
            "/v2",
            get(
                "Server metadata: name, version, and the protocol extensions supported (`binary_tensor_data`)",
                "OipServerMetadata",
                &[],
            ),
        ),
        (
            "/v2/health/live",
            get("Liveness (`{\"live\": true}`)", "OipLive", &[]),
        ),
        (
            "/v2/health/ready",
            get(
                "Readiness: a verified model is loaded (`{\"ready\": true}`)",
                "OipReady",
                &[("503", "No model is loaded")],
            ),
        ),
        (
            "/v2/models/regression-model",
            get(
                "Model metadata: one input tensor per feature the model reads (FP64 for numbers, BYTES for labels), one output `price` (FP64)",
                "OipModelMetadata",
                &[("404", "Another model name"), ("503", "No model is loaded")],
            ),
        ),
        (
            "/v2/models/regression-model/ready",
            get(
                "Model readiness",
                "OipReady",
                &[("404", "Another model name"), ("503", "No model is loaded")],
            ),
        ),
        ("/v2/models/regression-model/infer", infer()),
    ]
}

fn get(summary: &str, schema: &str, errors: &[(&str, &str)]) -> Value {
    let mut responses = json!({ "200": { "description": "OK", "content": json_of(schema) } });
    for (status, description) in errors {
        responses[*status] = error(description);
    }
    json!({ "get": { "summary": summary, "responses": responses } })
}

fn infer() -> Value {
    json!({ "post": {
        "summary": "Predict sale prices (OIP v2 infer): one tensor per input column in, one `price` tensor out",
        "description": "Each input tensor is a column (`name` = Kaggle column name, one value per row, `null` for missing; `Id` is accepted); every tensor has the same length, and `shape`, when given, must multiply out to it. The body is JSON; a request with no Content-Type is JSON too (the protocol requires none, and tritonclient sends none). A batch with any rejected row is answered 400, naming the rows and fields, never with partial output.",
        "requestBody": { "required": true, "content": {
            "application/json": { "schema": { "$ref": "#/components/schemas/OipInferRequest" } }
        }},
        "responses": {
            "200": { "description": "One price per row", "content": json_of("OipInferResponse") },
            "400": error("Malformed JSON, not an infer request, tensors that disagree in length or shape, an unknown tensor or output, or a rejected row"),
            "404": error("Another model name"),
            "413": error("Body larger than MAX_BODY_BYTES, or more rows than MAX_ROWS"),
            "415": error("A Content-Type other than JSON"),
            "422": error("No rows"),
            "503": error("No model is loaded")
        }
    }})
}

/// The schemas the OIP paths use.
pub fn schemas() -> [(&'static str, Value); 8] {
    let tensor = json!({
        "type": "object", "required": ["name"],
        "properties": {
            "name": { "type": "string" },
            "datatype": { "type": "string", "examples": ["FP64", "BYTES", "INT64"] },
            "shape": { "type": "array", "items": { "type": "integer" } },
            "data": { "type": "array", "description": "One value per row (null: missing)" }
        }
    });
    [
        (
            "OipError",
            json!({ "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } }),
        ),
        (
            "OipLive",
            json!({ "type": "object", "properties": { "live": { "type": "boolean" } } }),
        ),
        (
            "OipReady",
            json!({ "type": "object", "properties": { "ready": { "type": "boolean" }, "name": { "type": "string" } } }),
        ),
        (
            "OipServerMetadata",
            json!({ "type": "object", "required": ["name", "version", "extensions"], "properties": {
            "name": { "type": "string" }, "version": { "type": "string" },
            "extensions": { "type": "array", "items": { "type": "string" } }
        } }),
        ),
        (
            "OipModelMetadata",
            json!({ "type": "object", "required": ["name", "versions", "platform", "inputs", "outputs"], "properties": {
            "name": { "type": "string" }, "platform": { "type": "string" },
            "versions": { "type": "array", "items": { "type": "string" } },
            "inputs": { "type": "array", "items": { "$ref": "#/components/schemas/OipTensorMetadata" } },
            "outputs": { "type": "array", "items": { "$ref": "#/components/schemas/OipTensorMetadata" } }
        } }),
        ),
        (
            "OipTensorMetadata",
            json!({ "type": "object", "properties": {
            "name": { "type": "string" }, "datatype": { "type": "string" },
            "shape": { "type": "array", "items": { "type": "integer" } }
        } }),
        ),
        (
            "OipInferRequest",
            json!({ "type": "object", "required": ["inputs"], "properties": {
            "id": { "type": "string" },
            "inputs": { "type": "array", "items": tensor },
            "outputs": { "type": "array", "items": { "type": "object", "required": ["name"], "properties": {
                "name": { "type": "string", "const": "price" },
                "parameters": { "type": "object", "properties": { "binary_data": { "type": "boolean" } } }
            } } },
            "parameters": { "type": "object", "properties": { "binary_data_output": { "type": "boolean" } } }
        } }),
        ),
        (
            "OipInferResponse",
            json!({ "type": "object", "required": ["model_name", "model_version", "outputs"], "properties": {
            "model_name": { "type": "string" }, "model_version": { "type": "string" }, "id": { "type": "string" },
            "outputs": { "type": "array", "items": { "type": "object", "properties": {
                "name": { "type": "string", "const": "price" }, "datatype": { "type": "string", "const": "FP64" },
                "shape": { "type": "array", "items": { "type": "integer" } },
                "data": { "type": "array", "items": { "type": "number" } }
            } } }
        } }),
        ),
    ]
}

fn json_of(name: &str) -> Value {
    json!({ "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}") } } })
}

fn error(description: &str) -> Value {
    json!({ "description": description, "content": json_of("OipError") })
}

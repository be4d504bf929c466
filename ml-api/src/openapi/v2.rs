//! The OpenAPI paths of the Open Inference Protocol (KServe v2) routes,
//! unversioned (the champion) and by version. Their errors use the
//! protocol's `{"error": "..."}` body.

use serde_json::{Value, json};

use super::serving::version_parameter;
use crate::oip::MAX_ID_BYTES;

fn oip_error(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OipError" } } } })
}

fn ok(description: &str, schema: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

fn name_parameter() -> Value {
    json!({ "name": "name", "in": "path", "required": true, "schema": { "const": "regression-model" }, "description": "The only model name served; another is a 404" })
}

fn infer(summary: &str, versioned: bool) -> Value {
    let mut parameters = vec![name_parameter()];
    if versioned {
        parameters.push(version_parameter());
    }
    json!({ "post": {
        "summary": summary,
        "description": "One tensor per input column (`name` a Kaggle column name, `data` one value per row, `null` for missing), all of one length; the answer is one FP64 tensor `price`. A batch with any rejected row is a 400 naming the rows and fields.",
        "parameters": parameters,
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OipInferRequest" } } } },
        "responses": {
            "200": ok("Prices, one per row", "OipInferResponse"),
            "400": oip_error("Malformed request, or rejected rows"),
            "404": oip_error("Another model name, or an unknown version"),
            "413": oip_error("Body larger than MAX_BODY_BYTES or more rows than MAX_ROWS"),
            "415": oip_error("A content type other than JSON"),
            "503": oip_error("No model is loaded")
        }
    }})
}

fn metadata(versioned: bool) -> Value {
    let mut parameters = vec![name_parameter()];
    if versioned {
        parameters.push(version_parameter());
    }
    json!({ "get": {
        "summary": if versioned { "Metadata of one model version (its `versions` is the name it is served under)" } else { "Metadata of the champion" },
        "parameters": parameters,
        "responses": { "200": ok("Model metadata", "OipModelMetadata"), "404": oip_error("Another model name, or an unknown version") }
    }})
}

fn ready(versioned: bool) -> Value {
    let mut parameters = vec![name_parameter()];
    if versioned {
        parameters.push(version_parameter());
    }
    json!({ "get": {
        "summary": "The model is ready",
        "parameters": parameters,
        "responses": {
            "200": { "description": "Ready", "content": { "application/json": { "schema": { "type": "object", "properties": { "name": { "type": "string" }, "version": { "type": "string" }, "ready": { "const": true } } } } } },
            "404": oip_error("Another model name, or an unknown version"),
            "503": oip_error("No model is loaded")
        }
    }})
}

pub fn paths() -> Vec<(&'static str, Value)> {
    let health = |summary: &str, field: &str| {
        json!({ "get": { "summary": summary, "responses": {
            "200": { "description": "Yes", "content": { "application/json": { "schema": { "type": "object", "properties": { field: { "const": true } } } } } },
            "503": oip_error("No model is loaded")
        }}})
    };
    vec![
        (
            "/v2",
            json!({ "get": {
                "summary": "Server metadata (name, version, extensions)",
                "responses": { "200": ok("Server metadata", "OipServerMetadata") }
            }}),
        ),
        ("/v2/health/live", health("Liveness", "live")),
        (
            "/v2/health/ready",
            health("Readiness: a model is loaded", "ready"),
        ),
        ("/v2/models/{name}", metadata(false)),
        ("/v2/models/{name}/ready", ready(false)),
        (
            "/v2/models/{name}/infer",
            infer("Infer with the champion", false),
        ),
        ("/v2/models/{name}/versions/{version}", metadata(true)),
        ("/v2/models/{name}/versions/{version}/ready", ready(true)),
        (
            "/v2/models/{name}/versions/{version}/infer",
            infer("Infer with one model version, by name or alias", true),
        ),
    ]
}

pub fn schemas() -> Vec<(&'static str, Value)> {
    let tensor = json!({
        "type": "object", "required": ["name", "shape", "datatype", "data"],
        "properties": {
            "name": { "type": "string" },
            "shape": { "type": "array", "items": { "type": "integer" } },
            "datatype": { "type": "string" },
            "data": { "type": "array" }
        }
    });
    vec![
        (
            "OipError",
            json!({ "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } }),
        ),
        (
            "OipServerMetadata",
            json!({ "type": "object", "properties": {
                "name": { "type": "string" }, "version": { "type": "string" },
                "extensions": { "type": "array", "items": { "type": "string" } }
            }}),
        ),
        (
            "OipModelMetadata",
            json!({ "type": "object", "properties": {
                "name": { "const": "regression-model" },
                "versions": { "type": "array", "items": { "type": "string" } },
                "platform": { "type": "string" },
                "inputs": { "type": "array", "items": { "type": "object" } },
                "outputs": { "type": "array", "items": { "type": "object" } }
            }}),
        ),
        (
            "OipInferRequest",
            json!({ "type": "object", "required": ["inputs"], "properties": {
                "id": { "type": "string", "maxLength": MAX_ID_BYTES, "description": format!("Echoed in the answer; at most {MAX_ID_BYTES} bytes (a longer one is a 400 naming `id`)") },
                "inputs": { "type": "array", "items": tensor.clone() }
            }}),
        ),
        (
            "OipInferResponse",
            json!({ "type": "object", "properties": {
                "model_name": { "type": "string" }, "model_version": { "type": "string" },
                "id": { "type": "string" },
                "outputs": { "type": "array", "items": tensor }
            }}),
        ),
    ]
}

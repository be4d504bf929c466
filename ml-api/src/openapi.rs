//! The OpenAPI 3.1 document of every route (v1, the model versions
//! (`serving`), the Open Inference Protocol (`v2`, with the binary
//! tensor extension: `binary`), metrics, this document and the admin
//! routes), written by hand as JSON; the record schema is generated from the model crate's
//! column list so it cannot drift from what the parser accepts. A test
//! checks that every documented path is routed.

use regression_model::Column;
use regression_model::ColumnKind;
use serde_json::{Map, Value, json};

mod binary;
mod drift;
mod explain;
mod serving;
mod v2;

/// The document served at `/openapi.json`.
pub fn document() -> Value {
    let mut document = base();
    document["paths"]["/v1/explain/regression"] = explain::path();
    for (path, item) in serving::paths().into_iter().chain(v2::paths()) {
        document["paths"][path] = item;
    }
    for (name, schema) in explain::schemas()
        .into_iter()
        .chain(serving::schemas())
        .chain(v2::schemas())
    {
        document["components"]["schemas"][name] = schema;
    }
    document["components"]["requestBodies"]["Records"] = serving::records_body();
    document["components"]["securitySchemes"]["adminToken"] = json!({
        "type": "http", "scheme": "bearer",
        "description": "ADMIN_TOKEN; without it the admin routes do not exist (404)"
    });
    document["paths"]["/v1/monitoring/drift"] = drift::path();
    let (name, schema) = drift::schema();
    document["components"]["schemas"][name] = schema;
    binary::amend(&mut document);
    document
}

fn base() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "ml-api: house-price regression",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Predicts Ames house sale prices. The API version is the contract's version; the model version is reported by /version and with every prediction."
        },
        "paths": {
            "/": { "get": {
                "summary": "The page for people: model card, try-it form with explanations, this reference",
                "description": "One self-contained HTML document (inline style, script and SVG; no request outside its origin; a strict Content-Security-Policy). Its links are relative, or under `X-Forwarded-Prefix` when an ingress sends a plain path there.",
                "parameters": [{ "name": "X-Forwarded-Prefix", "in": "header", "required": false, "schema": { "type": "string" }, "description": "Path prefix the page is served under behind an ingress (e.g. `/ml`)" }],
                "responses": { "200": { "description": "The HTML page", "content": { "text/html": { "schema": { "type": "string" } } } } }
            }},
            "/health": { "get": {
                "summary": "Liveness: the process answers",
                "responses": { "200": { "description": "Always `ok`", "content": { "text/plain": { "schema": { "type": "string", "const": "ok" } } } } }
            }},
            "/ready": { "get": {
                "summary": "Readiness: a verified model is loaded",
                "responses": {
                    "200": { "description": "Ready", "content": json_of("Ready") },
                    "503": error_response("No model is loaded")
                }
            }},
            "/version": { "get": {
                "summary": "Model and API versions",
                "responses": { "200": { "description": "Versions", "content": json_of("Version") } }
            }},
            "/v1/model": { "get": {
                "summary": "Metadata of the served model (no data rows)",
                "responses": { "200": { "description": "The model card", "content": json_of("ModelInfo") } }
            }},
            "/v1/predict/regression": { "post": {
                "summary": "Predict sale prices for house records",
                "description": "Rows with problems are reported in `errors` (by row index and field) and left out of `predictions`; the other rows are still predicted. A value past its plausibility bound (no house has 1e7 sq ft) is a problem; the message names the field and the rule, never the value. A price that rests on a fallback for a missing input, or on an input beyond the training data, lists those inputs in `imputed` and `extrapolated`. Kaggle names and the course's aliases (FirstFlrSF, SecondFlrSF, ThreeSsnPortch) are accepted. A CSV body has a header line and uses `NA` for missing values.",
                "requestBody": { "$ref": "#/components/requestBodies/Records" },
                "responses": {
                    "200": { "description": "At least one row was predicted", "content": json_of("PredictionResponse") },
                    "400": error_response("Malformed JSON, wrong top-level shape, or broken CSV"),
                    "413": error_response("Body larger than MAX_BODY_BYTES or more records than MAX_ROWS"),
                    "415": error_response("Content type other than application/json or text/csv"),
                    "422": error_response("No records, or no record could be predicted (`details` lists the row errors)"),
                    "503": error_response("No model is loaded")
                }
            }}
        },
        "components": { "schemas": {
            "HouseRecord": house_record(),
            "Prediction": {
                "type": "object", "required": ["row", "price"],
                "properties": {
                    "row": { "type": "integer", "minimum": 0, "description": "Zero-based index of the record in the request" },
                    "id": { "type": "integer", "description": "The record's Id, when it had one" },
                    "price": { "type": "number", "description": "Predicted sale price in dollars" },
                    "imputed": flag_list("Inputs that were missing and were given the model's fallback (a model trained with `on_missing = \"impute\"`: the training median for numbers; for labels `Missing` where the model encodes it, else the most frequent label). Absent when empty. A record missing more than the model's `max_imputed` such inputs is rejected instead."),
                    "extrapolated": flag_list("Inputs beyond what the model was trained on: a number outside the training range (but within its plausibility bound; past it the record is rejected), or a label never seen in training (priced as `Rare`, or as no category of a one-hot encoding). Absent when empty.")
                }
            },
            "FieldError": {
                "type": "object", "required": ["row", "field", "message"],
                "properties": {
                    "row": { "type": "integer", "minimum": 0 },
                    "field": { "type": "string", "description": "Column name, or `record` for the row as a whole" },
                    "message": { "type": "string", "description": "The rule broken; never the value sent" }
                }
            },
            "PredictionResponse": {
                "type": "object", "required": ["predictions", "version", "errors", "error_count", "errors_truncated"],
                "properties": {
                    "predictions": { "type": "array", "items": schema_ref("Prediction") },
                    "version": { "type": "string", "description": "Model version" },
                    "errors": { "type": "array", "items": schema_ref("FieldError"), "description": "The first `MAX_ERRORS` (default 100) errors of the rejected rows" },
                    "error_count": { "type": "integer", "minimum": 0, "description": "Every error found, listed in `errors` or not" },
                    "errors_truncated": { "type": "boolean", "description": "`error_count` is larger than the list" },
                    "unknown_fields": { "type": "array", "items": { "type": "string", "maxLength": 65 }, "description": "Field names that are not inputs, once each, escaped and clipped to 64 characters (absent with `ERROR_DETAIL=redacted`); they reject no row" },
                    "unknown_field_count": { "type": "integer", "minimum": 1, "description": "How many distinct unknown field names the request held" }
                }
            },
            "Error": {
                "type": "object", "required": ["error"],
                "properties": { "error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {
                        "code": { "type": "string", "enum": ["malformed_json", "malformed_csv", "unreadable_body", "invalid_query", "body_too_large", "too_many_rows", "not_explainable", "unsupported_media_type", "unsupported_content_encoding", "no_rows", "no_valid_rows", "not_found", "method_not_allowed", "model_not_ready", "overloaded", "request_timeout", "headers_too_large", "unknown_version", "unauthorized", "no_challenger", "nothing_to_reload", "reload_in_progress", "artifact_rejected", "internal"] },
                        "message": { "type": "string" },
                        "details": { "type": "array", "items": schema_ref("FieldError"), "description": "`no_valid_rows`: the first `MAX_ERRORS` row errors (a body is never over 64 KiB)" },
                        "error_count": { "type": "integer", "minimum": 0, "description": "`no_valid_rows`: every error found" },
                        "errors_truncated": { "type": "boolean", "description": "`no_valid_rows`: `error_count` is larger than `details`" },
                        "unknown_fields": { "type": "array", "items": { "type": "string", "maxLength": 65 } },
                        "unknown_field_count": { "type": "integer", "minimum": 1 }
                    }
                }}
            },
            "Version": {
                "type": "object", "required": ["model_version", "api_version"],
                "properties": { "model_version": { "type": "string" }, "api_version": { "type": "string" } }
            },
            "Ready": {
                "type": "object", "required": ["status", "model_version", "model_source"],
                "properties": { "status": { "const": "ready" }, "model_version": { "type": "string" }, "model_source": { "enum": ["shipped with regression-model", "file at MODEL_PATH", "file in MODELS", "file in MODELS_DIR"] } }
            },
            "ModelInfo": model_info()
        }}
    })
}

/// A list of input names, in schema order (a closed set: the schema's columns).
fn flag_list(description: &str) -> Value {
    let names: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
    json!({
        "type": "array",
        "items": { "type": "string", "enum": names },
        "uniqueItems": true,
        "description": description
    })
}

pub(crate) fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(crate) fn json_of(name: &str) -> Value {
    json!({ "application/json": { "schema": schema_ref(name) } })
}

pub(crate) fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": json_of("Error") })
}

/// The 79 inputs plus `Id`; every field is optional and nullable.
fn house_record() -> Value {
    let mut properties = Map::new();
    properties.insert("Id".into(), json!({ "type": ["integer", "null"] }));
    for column in Column::ALL {
        let schema = match column.kind() {
            ColumnKind::Numeric => json!({ "type": ["number", "null"] }),
            // Codes such as MSSubClass may be sent as numbers.
            ColumnKind::Categorical => json!({ "type": ["string", "number", "null"] }),
        };
        properties.insert(column.name().into(), schema.clone());
        if let Some(alias) = column.alias() {
            properties.insert(alias.into(), schema);
        }
    }
    json!({
        "type": "object",
        "description": "One house, Kaggle column names (or the course's aliases). `null` or \"NA\" is missing. Unknown fields reject the row.",
        "properties": properties,
        "additionalProperties": false
    })
}

fn model_info() -> Value {
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    json!({
        "type": "object",
        "properties": {
            "model_version": { "type": "string" },
            "config_name": { "type": "string" },
            "estimator": { "type": "string" },
            "input_features": strings,
            "output_features": strings,
            "pipeline_steps": strings,
            "on_missing": { "enum": ["reject", "impute"], "description": "`reject`: a record missing an input the model has no imputer for is rejected; `impute`: it is given the model's fallback and listed in the prediction's `imputed`" },
            "max_imputed": { "type": "integer", "minimum": 1, "description": "With `impute`, the most fallbacks one record may use" },
            "holdout_metrics": { "type": ["object", "null"], "properties": {
                "rows": { "type": "integer" }, "rmse": { "type": "number" },
                "r2": { "type": "number" }, "rmsle": { "type": "number" }
            }},
            "training_data_sha256": { "type": "string" },
            "rows": { "type": "object", "properties": {
                "total": { "type": "integer" }, "train": { "type": "integer" }, "holdout": { "type": "integer" }
            }},
            "seed": { "type": "integer" },
            "holdout_fraction": { "type": "number" },
            "crate_version": { "type": "string" },
            "rustc_version": { "type": "string" },
            "source": { "enum": ["shipped with regression-model", "file at MODEL_PATH", "file in MODELS", "file in MODELS_DIR"] },
            "artifact_sha256": { "type": "string" }
        }
    })
}

//! The OpenAPI paths of serving several models (`/v1/models...`), the
//! operations routes (`/metrics`, `/openapi.json`) and the admin routes
//! (`/admin/reload`, `/admin/promote`, present only with `ADMIN_TOKEN`),
//! with their schemas.

use serde_json::{Value, json};

use super::{error_response, json_of, schema_ref};

/// The `{version}` path parameter: a name from `GET /v1/models` or an alias.
pub fn version_parameter() -> Value {
    json!({
        "name": "version", "in": "path", "required": true,
        "schema": { "type": "string", "maxLength": 64 },
        "description": "A model name from `GET /v1/models` (a `MODELS` name, else the artifact's model version) or an alias: `champion`, `challenger`"
    })
}

pub fn paths() -> Vec<(&'static str, Value)> {
    let unknown = error_response("No model is called so (`unknown_version`)");
    let admin = |summary: &str, description: &str, ok: Value, extra: Value| {
        let mut responses = json!({
            "200": ok,
            "401": error_response("No or wrong `Authorization: Bearer <ADMIN_TOKEN>` (`unauthorized`)"),
            "404": error_response("ADMIN_TOKEN is unset: the admin routes do not exist (`not_found`)")
        });
        for (status, response) in extra.as_object().into_iter().flatten() {
            responses[status] = response.clone();
        }
        json!({ "post": {
            "summary": summary, "description": description,
            "security": [{ "adminToken": [] }],
            "responses": responses
        }})
    };
    vec![
        (
            "/v1/models",
            json!({ "get": {
                "summary": "Every loaded model, and which are champion and challenger",
                "responses": {
                    "200": { "description": "The models", "content": json_of("ModelList") },
                    "503": error_response("No model is loaded")
                }
            }}),
        ),
        (
            "/v1/models/compare",
            json!({ "get": {
                "summary": "What the shadow found: the challenger's prices against the champion's",
                "description": "`SHADOW_SAMPLE` of the champion's requests (unversioned routes and the alias `champion`) are scored again by the challenger, off the request path, through a queue of `SHADOW_QUEUE` requests and `SHADOW_QUEUE_BYTES` bytes (requests past it are dropped and counted). Each (champion, challenger) pair keeps its own figures: a promotion starts a new pair.",
                "responses": {
                    "200": { "description": "Shadow settings, queue counts and comparisons", "content": json_of("Compare") },
                    "503": error_response("No model is loaded")
                }
            }}),
        ),
        (
            "/v1/models/{version}",
            json!({ "get": {
                "summary": "The card of one model (as /v1/model)",
                "parameters": [version_parameter()],
                "responses": {
                    "200": { "description": "The model card", "content": json_of("ModelInfo") },
                    "404": unknown.clone()
                }
            }}),
        ),
        (
            "/v1/models/{version}/predict/regression",
            json!({ "post": {
                "summary": "Predict with one model, by name or alias",
                "description": "As `POST /v1/predict/regression` (which uses the champion), on the model named. Requests here are not shadowed unless `{version}` is `champion`.",
                "parameters": [version_parameter()],
                "requestBody": { "$ref": "#/components/requestBodies/Records" },
                "responses": {
                    "200": { "description": "At least one row was predicted", "content": json_of("PredictionResponse") },
                    "400": error_response("Malformed JSON, wrong top-level shape, or broken CSV"),
                    "404": unknown,
                    "413": error_response("Body larger than MAX_BODY_BYTES or more records than MAX_ROWS"),
                    "415": error_response("Content type other than application/json or text/csv"),
                    "422": error_response("No records, or no record could be predicted"),
                    "503": error_response("No model is loaded")
                }
            }}),
        ),
        (
            "/metrics",
            json!({ "get": {
                "summary": "Prometheus metrics (text format 0.0.4)",
                "description": "Request, latency, row and error series carry `model_version` (the name of the model that served them; at most 32 values, later ones are `other`); `ml_api_stage_duration_seconds{model_version,stage}` times validate, parse, predict and serialise; `ml_api_shadow_*` the shadow. The table of series is in the README.",
                "responses": { "200": { "description": "The metrics", "content": { "text/plain": { "schema": { "type": "string" } } } } }
            }}),
        ),
        (
            "/openapi.json",
            json!({ "get": {
                "summary": "This document",
                "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } } }
            }}),
        ),
        (
            "/admin/reload",
            admin(
                "Read MODEL_PATH (or every file in MODELS, or MODELS_DIR's models.toml and its files) again and swap the models in",
                "Every artifact is verified (magic, format, checksum, pipeline, smoke prediction) before any is swapped in: one bad file refuses the reload and every model keeps serving. With MODELS_DIR the listing is read again too: models may be added or removed and champion and challenger are the listing's; a bad listing refuses the reload. Requests in flight finish on the model they started with. SIGHUP does the same.",
                json!({ "description": "Reloaded", "content": json_of("Reloaded") }),
                json!({
                    "409": error_response("The service runs only on the shipped model (`nothing_to_reload`), or another reload runs (`reload_in_progress`)"),
                    "422": error_response("An artifact or MODELS_DIR's models.toml was rejected (`artifact_rejected`); the message names its setting or listing entry, never its path")
                }),
            ),
        ),
        (
            "/admin/promote",
            admin(
                "Swap champion and challenger",
                "One atomic swap: the next requests use the new champion, requests in flight finish on the model they started with. The old champion stays loaded as the challenger, so promoting again rolls back. Each swap is logged with both versions and checksums.",
                json!({ "description": "Promoted", "content": json_of("Promoted") }),
                json!({ "409": error_response("No CHALLENGER is set (`no_challenger`)") }),
            ),
        ),
    ]
}

pub fn schemas() -> Vec<(&'static str, Value)> {
    let described = json!({
        "type": "object", "required": ["name", "model_version", "artifact_sha256"],
        "properties": {
            "name": { "type": "string", "description": "What routes and metric labels call it" },
            "model_version": { "type": "string", "description": "The version the artifact carries" },
            "artifact_sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$" }
        }
    });
    vec![
        (
            "ModelList",
            json!({
                "type": "object", "required": ["champion", "challenger", "shadow_sample", "models"],
                "properties": {
                    "champion": { "type": "string" },
                    "challenger": { "type": ["string", "null"] },
                    "shadow_sample": { "type": "number", "minimum": 0, "maximum": 1 },
                    "models": { "type": "array", "items": { "allOf": [described.clone(), {
                        "type": "object",
                        "properties": {
                            "aliases": { "type": "array", "items": { "enum": ["champion", "challenger"] } },
                            "config_name": { "type": "string" },
                            "estimator": { "type": "string" },
                            "source": { "enum": ["shipped with regression-model", "file at MODEL_PATH", "file in MODELS", "file in MODELS_DIR"] }
                        }
                    }] } }
                }
            }),
        ),
        (
            "Compare",
            json!({
                "type": "object",
                "properties": {
                    "champion": { "type": "string" },
                    "challenger": { "type": ["string", "null"] },
                    "shadow_sample": { "type": "number" },
                    "queue_capacity": count(), "queue_capacity_bytes": count(),
                    "requests_queued": count(), "requests_dropped": count(),
                    "pairs": { "type": "array", "items": {
                        "type": "object",
                        "properties": {
                            "champion": { "type": "string" }, "challenger": { "type": "string" },
                            "requests": count(), "rows_compared": count(),
                            "rows_refused_by_champion_only": count(),
                            "rows_refused_by_challenger_only": count(),
                            "rows_refused_by_both": count(),
                            "abs_log_diff": { "type": "object", "description": "|ln(price_champion) - ln(price_challenger)| over the rows compared (0.01 is about 1%)", "properties": {
                                "mean": { "type": ["number", "null"] },
                                "max": { "type": ["number", "null"] },
                                "buckets": { "type": "array", "items": { "type": "object", "properties": { "le": { "type": "number" }, "rows": count() } } }
                            }}
                        }
                    }}
                }
            }),
        ),
        (
            "Promoted",
            json!({
                "type": "object", "required": ["status", "champion", "challenger"],
                "properties": { "status": { "const": "promoted" }, "champion": described.clone(), "challenger": described.clone() }
            }),
        ),
        (
            "Reloaded",
            json!({
                "type": "object",
                "properties": {
                    "status": { "const": "reloaded" },
                    "previous_version": { "type": ["string", "null"], "description": "The champion's version before" },
                    "model_version": { "type": "string", "description": "The champion's version now" },
                    "config_name": { "type": "string" }, "estimator": { "type": "string" },
                    "artifact_sha256": { "type": "string" },
                    "smoke_rows_predicted": count(),
                    "models": { "type": "array", "items": described }
                }
            }),
        ),
    ]
}

fn count() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}

/// The record bodies of both predict routes.
pub fn records_body() -> Value {
    json!({ "required": true, "content": {
        "application/json": { "schema": { "oneOf": [
            { "type": "array", "items": schema_ref("HouseRecord") },
            schema_ref("HouseRecord")
        ] } },
        "text/csv": { "schema": { "type": "string" } }
    }})
}

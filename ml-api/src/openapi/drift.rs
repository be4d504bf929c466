//! The drift route's part of the OpenAPI document.

use serde_json::{Value, json};

use super::{error_response, json_of};

/// `GET /v1/monitoring/drift`.
pub fn path() -> Value {
    json!({ "get": {
        "summary": "Input drift: each input's population stability index over a window of served rows, and labels never seen in training",
        "description": "Every row sent to the model (predict, explain, OIP infer) is counted into bins fixed at training time (a number's training deciles plus a missing bin; a label's training labels plus `other` and missing). Each row is counted with probability DRIFT_SAMPLE (default 0.1). `psi` compares the last DRIFT_WINDOW counted rows (default 10000; the window slides by a tenth) with the training rows: under 0.1 no shift, 0.1 to 0.2 moderate, over 0.2 significant; null while no row was served. `unseen_labels` counts labels training never saw since the model was loaded. A reload starts a new window; `?model=` names a model other than the champion. A model whose artifact has no training summary (formats 1 and 2, such as the 0.2.0 artifact) answers 200 with `available: false` and the reason.",
        "parameters": [{
            "name": "model", "in": "query", "required": false,
            "description": "A loaded model's name (`GET /v1/models`) or an alias (`champion`, `challenger`); the champion when absent",
            "schema": { "type": "string" }
        }],
        "responses": {
            "200": { "description": "The drift of every input the model reads, or `available: false`", "content": json_of("DriftReport") },
            "404": error_response("`model` names no loaded model (`unknown_version`)"),
            "503": error_response("No model is loaded")
        }
    }})
}

/// The schema of the answer.
pub fn schema() -> (&'static str, Value) {
    (
        "DriftReport",
        json!({
            "type": "object", "required": ["available", "model_version", "rows_skipped"],
            "properties": {
                "available": { "type": "boolean", "description": "Whether the model's artifact has a training summary to compare with" },
                "reason": { "type": "string", "description": "Why not, when `available` is false" },
                "model_version": { "type": "string" },
                "sample": { "type": "number", "description": "DRIFT_SAMPLE: the share of served rows counted, each drawn at random" },
                "rows_skipped": { "type": "integer", "description": "Rows not counted because another request was counting at that moment" },
                "window": { "type": "integer", "description": "The window's capacity in rows" },
                "rows_in_window": { "type": "integer" },
                "rows_observed": { "type": "integer", "description": "Rows counted since the model was loaded" },
                "training_rows": { "type": "integer", "description": "Rows the training summary was made from" },
                "fields": { "type": "array", "items": {
                    "type": "object", "required": ["field", "kind", "psi", "unseen_labels"],
                    "properties": {
                        "field": { "type": "string", "description": "Input column (Kaggle name)" },
                        "kind": { "type": "string", "enum": ["numeric", "categorical"] },
                        "psi": { "type": ["number", "null"], "description": "Population stability index of the window against training" },
                        "unseen_labels": { "type": "integer", "description": "Labels never seen in training, since the model was loaded" }
                    }
                }}
            }
        }),
    )
}

//! The explanation route's part of the OpenAPI document.

use serde_json::{Value, json};

use super::{error_response, json_of, schema_ref};

/// `POST /v1/explain/regression`.
pub fn path() -> Value {
    json!({ "post": {
        "summary": "Explain predicted sale prices: a base value and each input column's contribution",
        "description": "Takes the bodies of /v1/predict/regression (same parsing, limits and row errors), at most MAX_EXPLAIN_ROWS (default 100) records. Every row that prediction prices gets the same price, the model's base value and one contribution per raw input column, largest first; base_value plus the contributions' values is the model's output (log price for the shipped model: price = exp(base_value + Σ value), factor = exp(value)). For a linear model the split is exact: coefficient × transformed value per feature, handed to the input columns it was computed from (a one-hot variable is one contribution, a derived column is shared equally among its inputs); gradient-boosted trees are explained by exact TreeSHAP on the same features, handed on by the same rule (base value: the trees' expected output over the training rows); a blend or stack is the weighted sum of its members. A random forest, or boosted trees from an artifact older than format 3 (no node cover stored), answers 501.",
        "requestBody": { "required": true, "content": {
            "application/json": { "schema": { "oneOf": [
                { "type": "array", "items": schema_ref("HouseRecord") },
                schema_ref("HouseRecord")
            ] } },
            "text/csv": { "schema": { "type": "string" } }
        }},
        "responses": {
            "200": { "description": "At least one row was explained", "content": json_of("ExplanationResponse") },
            "400": error_response("Malformed JSON, wrong top-level shape, or broken CSV"),
            "413": error_response("Body larger than MAX_BODY_BYTES, or more records than MAX_EXPLAIN_ROWS or MAX_ROWS"),
            "415": error_response("Content type other than application/json or text/csv"),
            "422": error_response("No records, or no record could be predicted (`details` lists the row errors)"),
            "501": error_response("The served model is a random forest or has boosted trees without node cover (an artifact older than format 3), which are not explained (`not_explainable`)"),
            "503": error_response("No model is loaded")
        }
    }})
}

/// The schemas the route's answer uses.
pub fn schemas() -> [(&'static str, Value); 3] {
    [
        (
            "Contribution",
            json!({
                "type": "object", "required": ["column", "value"],
                "properties": {
                    "column": { "type": "string", "description": "Input column (Kaggle name)" },
                    "value": { "type": "number", "description": "What the column adds to the model's output, in output units (log price for a log target, dollars otherwise)" },
                    "factor": { "type": "number", "exclusiveMinimum": 0, "description": "Log target only: exp(value), what the column multiplies the price by" }
                }
            }),
        ),
        (
            "Explanation",
            json!({
                "type": "object", "required": ["row", "price", "base_value", "base_price", "contributions"],
                "properties": {
                    "row": { "type": "integer", "minimum": 0, "description": "Zero-based index of the record in the request" },
                    "id": { "type": "integer", "description": "The record's Id, when it had one" },
                    "price": { "type": "number", "description": "Predicted sale price in dollars, as /v1/predict/regression gives it" },
                    "base_value": { "type": "number", "description": "The model's output before any column contributes (the intercept), in output units" },
                    "base_price": { "type": "number", "description": "The price of the base value alone" },
                    "contributions": { "type": "array", "items": schema_ref("Contribution"), "description": "One per input column that adds anything, largest |value| first" }
                }
            }),
        ),
        (
            "ExplanationResponse",
            json!({
                "type": "object", "required": ["explanations", "version", "errors", "error_count", "errors_truncated"],
                "properties": {
                    "explanations": { "type": "array", "items": schema_ref("Explanation") },
                    "version": { "type": "string", "description": "Model version" },
                    "errors": { "type": "array", "items": schema_ref("FieldError"), "description": "As in PredictionResponse" },
                    "error_count": { "type": "integer", "minimum": 0 },
                    "errors_truncated": { "type": "boolean" },
                    "unknown_fields": { "type": "array", "items": { "type": "string", "maxLength": 65 } },
                    "unknown_field_count": { "type": "integer", "minimum": 1 }
                }
            }),
        ),
    ]
}

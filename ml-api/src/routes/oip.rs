//! Open Inference Protocol v2 routes: health, model metadata and `infer`.
//! Errors use the protocol's `{"error": "..."}` body.

use actix_web::{HttpResponse, web};
use regression_model::InputRows;
use serde_json::json;

use crate::body::Body;
use crate::configuration::Limits;
use crate::error::{ApiError, Error};
use crate::metrics::Stage;
use crate::middleware::RequestId;
use crate::models::Target;
use crate::oip::{
    EXTENSIONS, InferBody, InferRequest, InferResponse, MODEL_NAME, check_name, model_metadata,
    reply,
};
use crate::prediction;
use crate::state::AppState;

/// `GET /v2`: server metadata.
pub async fn server_metadata() -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "name": "ml-api",
        "version": env!("CARGO_PKG_VERSION"),
        "extensions": EXTENSIONS,
    }))
}

/// `GET /v2/health/live`
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "live": true }))
}

/// `GET /v2/health/ready`
///
/// # Errors
/// 503 with an empty model slot.
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.model.current().map_err(ApiError::oip)?;
    Ok(HttpResponse::Ok().json(json!({ "ready": true })))
}

/// `GET /v2/models/{name}`
///
/// # Errors
/// 404 for another model name, 503 with an empty model slot.
pub async fn metadata(
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_name(&name).map_err(ApiError::oip)?;
    let loaded = state.model.current().map_err(ApiError::oip)?;
    Ok(HttpResponse::Ok().json(model_metadata(&loaded)))
}

/// `GET /v2/models/{name}/ready`
///
/// # Errors
/// 404 for another model name, 503 with an empty model slot.
pub async fn model_ready(
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_name(&name).map_err(ApiError::oip)?;
    state.model.current().map_err(ApiError::oip)?;
    Ok(HttpResponse::Ok().json(json!({ "name": MODEL_NAME, "ready": true })))
}

/// `POST /v2/models/{name}/infer`: 200 with a `price` tensor (JSON, or
/// binary when asked), or 400 naming the rejected rows and fields (see
/// [`crate::oip`]). A body with no `Content-Type` is JSON.
///
/// # Errors
/// 400, 404, 413, 415, 422 and 503, in the OIP error body.
pub async fn infer(
    state: web::Data<AppState>,
    name: web::Path<String>,
    request_id: RequestId,
    body: Result<InferBody, ApiError>,
) -> Result<HttpResponse, ApiError> {
    check_name(&name).map_err(ApiError::oip)?;
    let target = state.model.champion_target().map_err(ApiError::oip)?;
    infer_on(&state, target, request_id, body).await
}

/// [`infer`] on a resolved model (the champion, or a version from
/// `/v2/models/{name}/versions/{version}/infer`).
///
/// # Errors
/// As [`infer`].
pub(super) async fn infer_on(
    state: &AppState,
    target: Target,
    request_id: RequestId,
    body: Result<InferBody, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let InferBody(body) = body.map_err(|e| ApiError::oip(e.error))?;
    let served = prediction::serve_on(state, target, request_id, body, tensors)
        .await
        .map_err(ApiError::oip)?;
    let model = served.model.clone();
    let (id, binary) = served.extra;
    let response = InferResponse::new(id, served.rows, served.response).map_err(ApiError::oip)?;
    let started = std::time::Instant::now();
    let answer = reply(&response, binary);
    (state.metrics).observe_stages(&model.name, &[(Stage::Serialise, started.elapsed())]);
    Ok(answer)
}

/// The OIP parser: column tensors in (JSON or binary), rows, the request's
/// `id` and whether to answer in binary out (tensors are named columns
/// already: every one is read).
fn tensors(
    body: Body,
    limits: &Limits,
    _: &[regression_model::Column],
) -> Result<(InputRows, (Option<String>, bool)), Error> {
    let request =
        InferRequest::parse_parts(&body.bytes, body.json_header_length, limits.max_json_depth)?;
    let extra = (request.id.clone(), request.binary_output);
    Ok((request.into_rows(limits.max_rows)?, extra))
}

//! `POST /v1/predict/regression` (the champion) and
//! `POST /v1/models/{version}/predict/regression` (a model by name or
//! alias): JSON records or CSV in, prices and per-row errors out.

use actix_web::{HttpResponse, web};

use crate::body::Body;
use crate::error::{ApiError, Error};
use crate::middleware::RequestId;
use crate::models::Target;
use crate::prediction;
use crate::state::AppState;

/// 200 with `{predictions, version, errors}` when at least one row got a
/// price; 422 with the row errors as `details` when none did.
///
/// # Errors
/// See [`crate::error::Error`]: 400, 413, 415, 422, 503.
pub async fn predict(
    state: web::Data<AppState>,
    request_id: RequestId,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let target = state.model.champion_target()?;
    predict_on(&state, target, request_id, body).await
}

/// [`predict`] on the model called `version` (a name or an alias).
///
/// # Errors
/// As [`predict`], and 404 `unknown_version`.
pub async fn predict_version(
    state: web::Data<AppState>,
    version: web::Path<String>,
    request_id: RequestId,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let target = state.model.resolve(&version)?;
    predict_on(&state, target, request_id, body).await
}

async fn predict_on(
    state: &AppState,
    target: Target,
    request_id: RequestId,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let served = prediction::serve_on(state, target, request_id, body, prediction::records).await?;
    if served.response.predictions.is_empty() {
        return Err(Error::NoValidRows {
            rows: served.rows,
            response: Box::new(served.response),
        }
        .into());
    }
    Ok(prediction::respond_json(
        state,
        &served.model,
        &served.response,
    )?)
}

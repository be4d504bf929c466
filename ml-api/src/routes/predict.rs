//! `POST /v1/predict/regression`: JSON records or CSV in, prices and
//! per-row errors out.

use actix_web::{HttpResponse, web};

use crate::body::Body;
use crate::error::{ApiError, Error};
use crate::middleware::RequestId;
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
    let served = prediction::serve(&state, request_id, body, prediction::records).await?;
    if served.response.predictions.is_empty() {
        return Err(Error::NoValidRows {
            rows: served.rows,
            response: Box::new(served.response),
        }
        .into());
    }
    Ok(HttpResponse::Ok().json(served.response))
}

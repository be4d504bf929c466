//! `GET /v1/monitoring/drift`: the served model's input drift.

use actix_web::{HttpResponse, web};

use crate::error::ApiError;
use crate::state::AppState;

/// 200 with each input's PSI over the window and its unseen labels, or
/// 200 with `available: false` and the reason when the model's artifact
/// has no training summary (the service works; there is nothing to
/// compare with). 503 without a model.
///
/// # Errors
/// [`crate::error::Error::ModelNotReady`] (503).
pub async fn drift(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let loaded = state.model.current()?;
    let answer = loaded.drift.answer(&loaded.model, state.drift);
    Ok(HttpResponse::Ok().json(answer))
}

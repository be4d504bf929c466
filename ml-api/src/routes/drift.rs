//! `GET /v1/monitoring/drift[?model=name-or-alias]`: a served model's
//! input drift (the champion's by default).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::error::ApiError;
use crate::state::AppState;

/// Which model: a `MODELS` name or an alias; the champion when absent.
#[derive(Debug, Deserialize)]
pub struct Which {
    model: Option<String>,
}

/// 200 with each input's PSI over the window and its unseen labels, or
/// 200 with `available: false` and the reason when the model's artifact
/// has no training summary (the service works; there is nothing to
/// compare with). 503 without a model.
///
/// # Errors
/// [`crate::error::Error::ModelNotReady`] (503), `UnknownVersion` (404)
/// for a `model` that is not loaded.
pub async fn drift(
    state: web::Data<AppState>,
    which: web::Query<Which>,
) -> Result<HttpResponse, ApiError> {
    let loaded = match &which.model {
        Some(key) => state.model.resolve(key)?.model,
        None => state.model.current()?,
    };
    let answer = loaded
        .drift
        .answer(&loaded.model, state.drift, state.drift_sample);
    Ok(HttpResponse::Ok().json(answer))
}

//! `POST /admin/reload`: reload `MODEL_PATH` without a restart. Registered
//! only when `ADMIN_TOKEN` is set; the request must carry
//! `Authorization: Bearer <ADMIN_TOKEN>`.

use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::configuration::AdminToken;
use crate::error::{ApiError, Error};
use crate::reload::{Trigger, reload};
use crate::state::AppState;

/// 200 with what is served now (see [`crate::reload::Reloaded`]).
///
/// # Errors
/// 401 without the right token; 409 on the shipped model or while another
/// reload runs; 422 when the artifact is rejected (the old model keeps
/// serving).
pub async fn reload_model(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Data<AdminToken>,
) -> Result<HttpResponse, ApiError> {
    let presented = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.as_bytes().strip_prefix(b"Bearer "))
        .unwrap_or_default();
    if !token.matches(presented) {
        return Err(Error::Unauthorized.into());
    }
    // Reading and decoding a file blocks: not on the worker's event loop.
    let reloaded = web::block(move || reload(&state, Trigger::Http))
        .await
        .map_err(|e| Error::Internal(format!("blocking pool: {e}")))??;
    Ok(HttpResponse::Ok().json(reloaded))
}

//! `POST /admin/reload` (read `MODEL_PATH` or the `MODELS` files again
//! without a restart) and `POST /admin/promote` (swap champion and
//! challenger). Registered only when `ADMIN_TOKEN` is set; the request must
//! carry `Authorization: Bearer <ADMIN_TOKEN>`.

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
    authorize(&req, &token)?;
    // Reading and decoding a file blocks: not on the worker's event loop.
    let reloaded = web::block(move || reload(&state, Trigger::Http))
        .await
        .map_err(|e| Error::Internal(format!("blocking pool: {e}")))??;
    Ok(HttpResponse::Ok().json(reloaded))
}

/// `POST /admin/promote`: 200 with the new champion and challenger (see
/// [`crate::models::Promoted`]); both stay loaded, so promoting again
/// rolls back. Each swap is logged with both versions and checksums.
///
/// # Errors
/// 401 without the right token; 409 `no_challenger` when none is set.
pub async fn promote(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Data<AdminToken>,
) -> Result<HttpResponse, ApiError> {
    authorize(&req, &token)?;
    let promoted = state.model.promote().inspect_err(|e| {
        log::warn!("promote refused: {e}");
    })?;
    state.metrics.count_promotion();
    let (new, old) = (&promoted.champion, &promoted.challenger);
    log::info!(
        "promote: champion is now {} (model {}, sha256 {}); challenger is now {} (model {}, sha256 {})",
        new.name,
        new.model_version,
        new.artifact_sha256,
        old.name,
        old.model_version,
        old.artifact_sha256
    );
    Ok(HttpResponse::Ok().json(promoted))
}

/// # Errors
/// [`Error::Unauthorized`] unless the request carries the admin token.
fn authorize(req: &HttpRequest, token: &AdminToken) -> Result<(), Error> {
    let presented = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| bearer_token(v.as_bytes()))
        .unwrap_or_default();
    if token.matches(presented) {
        Ok(())
    } else {
        Err(Error::Unauthorized)
    }
}

/// The token of `Bearer <token>`. The scheme is case-insensitive (RFC 7235
/// §2.1: `bearer` and `BEARER` are the same scheme), and one or more spaces
/// may follow it; the token itself is compared exactly.
fn bearer_token(value: &[u8]) -> Option<&[u8]> {
    let space = value.iter().position(|b| *b == b' ')?;
    let (scheme, rest) = value.split_at(space);
    let start = rest.iter().position(|b| *b != b' ')?;
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then_some(&rest[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_is_case_insensitive_and_the_token_is_kept_exactly() {
        for value in ["Bearer AbC", "bearer AbC", "BEARER  AbC"] {
            assert_eq!(bearer_token(value.as_bytes()), Some(&b"AbC"[..]), "{value}");
        }
        for value in ["Basic AbC", "BearerAbC", "Bearer", "Bearer ", "Bearers AbC"] {
            assert_eq!(bearer_token(value.as_bytes()), None, "{value}");
        }
    }
}

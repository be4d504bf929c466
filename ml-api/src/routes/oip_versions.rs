//! The Open Inference Protocol's versioned model routes:
//! `GET /v2/models/{name}/versions/{version}`, `.../ready` and
//! `POST .../infer`. `{version}` is a model name from `GET /v1/models` or
//! an alias (`champion`, `challenger`); an unknown one is a 404 in the
//! protocol's `{"error": "..."}` body. Everything after resolving the model
//! is the unversioned route's ([`super::oip`]).

use actix_web::{HttpResponse, web};
use serde_json::{Value, json};

use crate::error::ApiError;
use crate::middleware::RequestId;
use crate::models::Target;
use crate::oip::InferBody;
use crate::oip::{MODEL_NAME, check_name, model_metadata};
use crate::state::AppState;

fn resolve(state: &AppState, path: &(String, String)) -> Result<Target, ApiError> {
    check_name(&path.0).map_err(ApiError::oip)?;
    state.model.resolve(&path.1).map_err(ApiError::oip)
}

/// `GET /v2/models/{name}/versions/{version}`: that model's metadata, its
/// `versions` the name it is served under.
///
/// # Errors
/// 404 for another model name or an unknown version, 503 with no model.
pub async fn metadata(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let target = resolve(&state, &path)?;
    let mut metadata = model_metadata(&target.model);
    metadata["versions"] = Value::from(vec![target.model.name.to_string()]);
    Ok(HttpResponse::Ok().json(metadata))
}

/// `GET /v2/models/{name}/versions/{version}/ready`
///
/// # Errors
/// 404 for another model name or an unknown version, 503 with no model.
pub async fn ready(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let target = resolve(&state, &path)?;
    Ok(HttpResponse::Ok().json(json!({
        "name": MODEL_NAME,
        "version": &*target.model.name,
        "ready": true,
    })))
}

/// `POST /v2/models/{name}/versions/{version}/infer`
///
/// # Errors
/// As the unversioned `infer`, and 404 for an unknown version.
pub async fn infer(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    request_id: RequestId,
    body: Result<InferBody, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let target = resolve(&state, &path)?;
    super::oip::infer_on(&state, target, request_id, body).await
}

//! `POST /v1/explain/regression`: the bodies of predict in, each predicted
//! row's price with its base value and per-column contributions out.

use actix_web::{HttpResponse, web};
use regression_model::ExplanationResponse;

use crate::body::Body;
use crate::error::{ApiError, Error};
use crate::explanation;
use crate::middleware::RequestId;
use crate::prediction::{self, Served};
use crate::state::AppState;

/// 200 with `{explanations, version, errors, error_count,
/// errors_truncated}` when at least one row was explained; 422 with the
/// row errors as `details` when none was.
///
/// # Errors
/// See [`crate::error::Error`]: 400, 413 (also past `MAX_EXPLAIN_ROWS`),
/// 415, 422, 501 (a model with trees), 503.
pub async fn explain(
    state: web::Data<AppState>,
    request_id: RequestId,
    body: Body,
) -> Result<HttpResponse, ApiError> {
    let served: Served<(), ExplanationResponse> =
        prediction::serve_with(&state, request_id, body, explanation::records).await?;
    if served.response.explanations.is_empty() {
        return Err(Error::NoValidRows {
            rows: served.rows,
            response: Box::new(explanation::as_rejection(served.response)),
        }
        .into());
    }
    Ok(HttpResponse::Ok().json(served.response))
}

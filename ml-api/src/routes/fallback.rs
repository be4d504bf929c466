//! Answers for unknown paths (404) and unsupported methods (405), in the
//! error body of the protocol the path belongs to.

use actix_web::HttpRequest;

use crate::error::{ApiError, Error, Protocol, clip};

fn protocol(req: &HttpRequest) -> Protocol {
    if req.path().starts_with("/v2/") || req.path() == "/v2" {
        Protocol::Oip
    } else {
        Protocol::V1
    }
}

/// # Errors
/// Always: 404 naming the path.
pub async fn not_found(req: HttpRequest) -> Result<&'static str, ApiError> {
    Err(ApiError {
        error: Error::NotFound(format!("{} {}", req.method(), clip(req.path(), 100))),
        protocol: protocol(&req),
    })
}

/// # Errors
/// Always: 405 naming the method.
pub async fn method_not_allowed(req: HttpRequest) -> Result<&'static str, ApiError> {
    Err(ApiError {
        error: Error::MethodNotAllowed(req.method().to_string()),
        protocol: protocol(&req),
    })
}

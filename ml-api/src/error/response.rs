//! How an [`Error`] reaches a client: the body style of its route
//! ([`Protocol`]), the status, the headers that go with some errors, and a
//! rejected batch's details cut to [`MAX_ERROR_BODY_BYTES`]. What each
//! error is, its status and its code are the parent module's.

use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT_ENCODING, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};
use regression_model::PredictionResponse;
use serde_json::{Value, json};

use super::{Error, MAX_ERROR_BODY_BYTES, clip};
use crate::configuration::ErrorDetail;

/// Which error body a route speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `{"error": {"code", "message", "details"?}}`
    V1,
    /// Open Inference Protocol v2: `{"error": "message"}`
    Oip,
}

/// An [`Error`] on its way to a client, with the body style of its route.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct ApiError {
    pub error: Error,
    pub protocol: Protocol,
}

impl ApiError {
    /// The error as an Open Inference Protocol route reports it.
    pub fn oip(error: impl Into<Error>) -> ApiError {
        ApiError {
            error: error.into(),
            protocol: Protocol::Oip,
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        ApiError {
            error,
            protocol: Protocol::V1,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.error.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.render(ErrorDetail::Full)
    }
}

impl ApiError {
    /// The response, quoting request bytes only with [`ErrorDetail::Full`].
    pub fn render(&self, detail: ErrorDetail) -> HttpResponse {
        let redacted = detail == ErrorDetail::Redacted;
        let status = self.status_code();
        // Our own faults are logged in full and reported without internals.
        // 503 and 501 (a model that cannot be explained) are not faults.
        let fault =
            ![StatusCode::SERVICE_UNAVAILABLE, StatusCode::NOT_IMPLEMENTED].contains(&status);
        let message = if status.is_server_error() && fault {
            log::error!("{}", self.error);
            "internal error; the server log has the details".to_owned()
        } else if redacted && let Some(generic) = self.error.generic_message() {
            generic.to_owned()
        } else {
            clip(&self.error.to_string(), 1000)
        };
        let body = match (self.protocol, &self.error) {
            (Protocol::Oip, _) => json!({ "error": message }),
            (Protocol::V1, Error::NoValidRows { response, .. }) => {
                let mut error = json!({ "code": self.error.code(), "message": message });
                add_details(&mut error, response, redacted);
                json!({ "error": error })
            }
            (Protocol::V1, _) => {
                json!({ "error": { "code": self.error.code(), "message": message } })
            }
        };
        let mut response = HttpResponse::build(status);
        match self.error {
            Error::Unauthorized => {
                response.insert_header((WWW_AUTHENTICATE, "Bearer realm=\"ml-api admin\""));
            }
            // RFC 7694: a 415 for a content coding lists the ones taken.
            Error::UnsupportedContentEncoding(_) => {
                response.insert_header((ACCEPT_ENCODING, "identity"));
            }
            // A client that is too slow to send its body does not get to
            // keep the connection (and a worker's connection slot) either.
            Error::BodyTimeout { .. } => {
                response.force_close();
            }
            // The body was not read: closing is cheaper than draining it.
            Error::Overloaded {
                retry_after_secs, ..
            } => {
                response.insert_header((RETRY_AFTER, retry_after_secs.to_string()));
                response.force_close();
            }
            _ => {}
        }
        response.json(body)
    }
}

/// Adds a rejected batch's errors to an error object: as many as fit in
/// [`MAX_ERROR_BODY_BYTES`] (never more than the limit kept), the count of
/// all, and the unknown field names unless they are redacted.
fn add_details(error: &mut Value, response: &PredictionResponse, redacted: bool) {
    // Room for the code, the message and the counts.
    let mut room = MAX_ERROR_BODY_BYTES - 2048;
    let mut details = Vec::with_capacity(response.row_errors.errors.len());
    let mut unknown = Vec::new();
    if !redacted {
        for name in &response.row_errors.unknown_fields {
            room = room.saturating_sub(name.len() * 2 + 4);
            unknown.push(name);
        }
    }
    for e in &response.row_errors.errors {
        let value = json!(e);
        let size = value.to_string().len() + 1;
        if size > room {
            break;
        }
        room -= size;
        details.push(value);
    }
    error["errors_truncated"] = json!(response.row_errors.error_count > details.len());
    error["error_count"] = json!(response.row_errors.error_count);
    error["details"] = Value::Array(details);
    if response.row_errors.unknown_field_count > 0 {
        error["unknown_field_count"] = json!(response.row_errors.unknown_field_count);
        if !unknown.is_empty() {
            error["unknown_fields"] = json!(unknown);
        }
    }
}

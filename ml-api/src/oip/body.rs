//! The infer route's body: what content types it takes, and the binary
//! extension's header. The OIP spec requires no `Content-Type`, and
//! `tritonclient` sends none: a body without one is read as JSON (the
//! v1 routes still refuse it, with 415). `application/octet-stream` is
//! taken when `Inference-Header-Content-Length` says where the JSON ends.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, dev};

use super::binary::HEADER;
use crate::body::{self, Body, Format};
use crate::error::{ApiError, Error, clip};

/// A body for `POST /v2/models/{name}/infer`, with the length of its JSON
/// header when the binary tensor data extension is used.
#[derive(Debug, Clone)]
pub struct InferBody(pub Body);

impl FromRequest for InferBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<InferBody, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        let (format, header) = match json_header_length(req) {
            Ok(length) => (format_of(req, length.is_some()), length),
            Err(e) => (Err(e), None),
        };
        let read = body::read(req, payload, format.map_err(ApiError::from));
        Box::pin(async move {
            let mut body = read.await?;
            body.json_header_length = header;
            Ok(InferBody(body))
        })
    }
}

/// The `Inference-Header-Content-Length`, if sent.
fn json_header_length(req: &HttpRequest) -> Result<Option<usize>, Error> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    (value.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .map(Some)
        .ok_or_else(|| {
            Error::InvalidInferRequest(
                "the Inference-Header-Content-Length header must be a byte count".into(),
            )
        })
}

/// JSON, `+json`, none, or octet-stream with the binary extension's header.
fn format_of(req: &HttpRequest, binary: bool) -> Result<Format, Error> {
    let Some(raw) = req.headers().get(CONTENT_TYPE) else {
        return Ok(Format::Json);
    };
    let raw = String::from_utf8_lossy(raw.as_bytes());
    let essence = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if json || (binary && essence == "application/octet-stream") {
        Ok(Format::Json)
    } else {
        Err(Error::UnsupportedMediaType(
            clip(&raw, 60),
            "application/json, or no Content-Type (application/octet-stream with Inference-Header-Content-Length)",
        ))
    }
}

//! The request side of a connection's [`HeadClock`]: a middleware that
//! marks when a request reaches the app and when its response body is done
//! with, which is when the connection is idle again. The socket side is the
//! parent module's.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

use super::HeadClock;

/// Marks a request's start on its connection's clock, and its end when the
/// response body has been written and dropped; large requests are then
/// followed by a heap trim ([`crate::memory`]). Use with
/// `actix_web::middleware::from_fn`.
///
/// # Errors
/// Only the errors of the services it wraps, unchanged.
pub async fn track(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let clock = req.conn_data::<HeadClock>().cloned();
    if let Some(clock) = &clock {
        clock.request_started();
    }
    let body_bytes = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let response = next.call(req).await?;
    Ok(response.map_body(|_, body| {
        BoxBody::new(Finished {
            body,
            clock,
            body_bytes,
        })
    }))
}

/// A response body that reports the end of its request when dropped.
struct Finished {
    body: BoxBody,
    clock: Option<HeadClock>,
    body_bytes: usize,
}

impl MessageBody for Finished {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.body).poll_next(cx)
    }
}

impl Drop for Finished {
    fn drop(&mut self) {
        if let Some(clock) = &self.clock {
            clock.request_finished();
        }
        crate::memory::request_finished(self.body_bytes);
    }
}

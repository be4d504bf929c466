//! The one middleware: gives each request an id (echoed in `x-request-id`
//! and used in its log lines), refuses heads over `MAX_HEADER_BYTES` (431)
//! records each request's route, model, status and latency, and lets a worker
//! that has been busy too long give its CPU away ([`crate::scheduling`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, ResponseError, web};

use crate::configuration::ErrorDetail;
use crate::error::{ApiError, Error};
use crate::model::LoadedModel;
use crate::routes;
use crate::state::AppState;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A request's id: a per-process random prefix and a sequence number
/// (`3f9a06c1-2a`). Cheap to make and to copy; formatted only when logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestId {
    sequence: u64,
}

impl RequestId {
    fn next() -> RequestId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        RequestId {
            sequence: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// A number in `[0, 1)` spread evenly over requests, for sampling.
    pub fn uniform(self) -> f64 {
        (mix(self.sequence ^ prefix() as u64) >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:08x}-{:x}", prefix(), self.sequence)
    }
}

/// Differs between runs, so ids from two runs do not collide in the logs.
fn prefix() -> u32 {
    static PREFIX: OnceLock<u32> = OnceLock::new();
    *PREFIX.get_or_init(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        (mix(nanos ^ (u64::from(std::process::id()) << 32)) >> 32) as u32
    })
}

/// splitmix64's finaliser: a cheap, well-spread hash of a counter.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl FromRequest for RequestId {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<RequestId, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Outside the middleware (unit tests of single handlers) a fresh id will do.
        let id = req.extensions().get::<RequestId>().copied();
        std::future::ready(Ok(id.unwrap_or_else(RequestId::next)))
    }
}

/// Wraps every request (use with `actix_web::middleware::from_fn`).
///
/// # Errors
/// Only the errors of the services it wraps, unchanged.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = RequestId::next();
    req.extensions_mut().insert(id);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let Some(state) = &state
        && let Some(yielder) = state.yielder
        && yielder.yield_if_busy(started)
    {
        state.metrics.count_yield();
    }
    // The champion when the request starts: what an unversioned model
    // route will use (a promotion in between may make it the previous one).
    let champion = state.as_ref().and_then(|s| s.model.current().ok());
    let limit = state.as_ref().map(|s| s.limits.max_header_bytes);
    let mut response = match limit {
        Some(limit) if head_bytes(&req) > limit => {
            let error = ApiError::from(Error::HeadersTooLarge { limit });
            req.into_response(error.error_response())
        }
        _ => next.call(req).await?.map_into_boxed_body(),
    };
    if let Some(state) = &state
        && state.errors.detail == ErrorDetail::Redacted
        && let Some(error) = response.response().error()
        && let Some(error) = error.as_error::<ApiError>()
    {
        // Rendered again, without the request bytes the first rendering quoted.
        let redacted = error.render(ErrorDetail::Redacted);
        response = response.into_response(redacted);
    }
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    if let Some(state) = state {
        // Only registered routes have names (their patterns), so the label
        // set stays closed; anything else is `unmatched`.
        let route = response.request().match_name().unwrap_or("unmatched");
        let status = response.status();
        let model = model_label(&state, response.request(), route, champion.as_deref());
        state
            .metrics
            .observe_request(route, &model, status.as_u16(), started.elapsed());
        if status.is_client_error() {
            log::info!(
                "request_id={id} {} {route} -> {status}",
                response.request().method()
            );
        }
    }
    Ok(response)
}

/// The `model_version` label of a request: the model its `{version}`
/// names, the champion on an unversioned model route, else none.
fn model_label(
    state: &AppState,
    req: &HttpRequest,
    route: &str,
    champion: Option<&LoadedModel>,
) -> Arc<str> {
    let labels = &state.metrics.labels;
    if let Some(key) = req.match_info().get(routes::VERSION_PARAM) {
        return state
            .model
            .resolve(key)
            .map_or_else(|_| labels.none(), |t| labels.get(&t.model.name));
    }
    match champion {
        Some(model) if routes::CHAMPION_ROUTES.contains(&route) => labels.get(&model.name),
        _ => labels.none(),
    }
}

/// The request line and headers as sent: `METHOD URI HTTP/1.1`, then
/// `name: value` per header, each line with its CRLF.
fn head_bytes(req: &ServiceRequest) -> usize {
    let line = req.method().as_str().len() + req.uri().to_string().len() + 12;
    req.headers().iter().fold(line, |sum, (name, value)| {
        sum + name.as_str().len() + value.len() + 4
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_and_share_the_process_prefix() {
        let (a, b) = (RequestId::next(), RequestId::next());
        assert_ne!(a.to_string(), b.to_string());
        assert_eq!(a.to_string()[..9], b.to_string()[..9]);
    }

    #[test]
    fn the_sampling_number_is_spread_over_the_unit_interval() {
        let values: Vec<f64> = (0..1000).map(|_| RequestId::next().uniform()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let below_half = values.iter().filter(|v| **v < 0.5).count();
        assert!((400..600).contains(&below_half), "{below_half}");
    }
}

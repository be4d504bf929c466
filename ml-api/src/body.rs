//! Request bodies at the edge: [`Body`] checks the content encoding (only
//! `identity`) and the content type, and reads at
//! most `MAX_BODY_BYTES` (413 past that, without reading the rest) within
//! `BODY_TIMEOUT` (408 past that), reserving its bytes in the global
//! [`BodyBudget`] as they arrive (503 `overloaded` when they do not fit),
//! and [`Body::into_rows`] parses a
//! prediction body into the model crate's rows, enforcing `MAX_JSON_DEPTH`
//! and `MAX_ROWS` before parsing. actix's own payload errors never reach a
//! client.

use std::future::Future;
use std::pin::Pin;

use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{FromRequest, HttpRequest, dev, web};
use futures_core::Stream;
use regression_model::Column;
use regression_model::{InputRows, parse_json_batch_columns, read_csv_columns};

use crate::budget::{BodyBudget, BodyPermit};
use crate::configuration::Limits;
use crate::error::{ApiError, Error, clip};
use crate::scan;
use crate::state::AppState;

mod encoding;
mod log_line;

pub use log_line::LogLine;

/// Longest parse message passed on to a client.
const MESSAGE_CHARS: usize = 200;

/// The formats a prediction body may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/json` (or any `+json` type): a list of records, or one record.
    Json,
    /// `text/csv`: a header line, then one record per line; `NA` is missing.
    Csv,
}

/// A request body of a supported type, read in full within the size limit.
#[derive(Debug, Clone)]
pub struct Body {
    pub format: Format,
    pub bytes: web::Bytes,
    /// The OIP binary tensor data extension's `Inference-Header-Content-Length`:
    /// the body is a JSON header of this many bytes, then raw tensor bytes.
    /// Only the infer route's extractor ([`crate::oip::InferBody`]) sets it.
    pub json_header_length: Option<usize>,
}

impl Body {
    /// Parses a prediction body into rows; row problems stay inside the rows.
    /// The records are counted before anything is parsed, so a body of many
    /// tiny records is refused before it costs memory.
    ///
    /// # Errors
    /// 400 for text that is not JSON of the right top-level shape (or
    /// nested deeper than `max_json_depth`) or not CSV, 422 for no records,
    /// 413 for more than `max_rows` records.
    ///
    /// Only the `wanted` input columns (the model's) are converted and kept;
    /// values of the others are skipped, and could not change a prediction.
    pub fn into_rows(self, limits: &Limits, wanted: &[Column]) -> Result<InputRows, Error> {
        let max_rows = limits.max_rows;
        let rows = match self.format {
            Format::Json => {
                let shape = scan::json(&self.bytes, limits.max_json_depth)?;
                if let Some(elements) = shape.top_level_elements {
                    check_row_count(elements.max(1), max_rows)?;
                }
                crate::metrics::stages::mark_validated();
                parse_json_batch_columns(&self.bytes, wanted)
            }
            Format::Csv => {
                let records = scan::csv_records(&self.bytes).saturating_sub(1);
                check_row_count(records.max(1), max_rows)?;
                crate::metrics::stages::mark_validated();
                read_csv_columns(&self.bytes[..], Some(wanted))
            }
        }
        .map_err(|e| match e {
            regression_model::Error::Json(message) => {
                Error::MalformedJson(clip(&message, MESSAGE_CHARS))
            }
            regression_model::Error::Csv { line, message } => {
                Error::MalformedCsv(clip(&format!("line {line}: {message}"), MESSAGE_CHARS))
            }
            other => Error::Internal(other.to_string()),
        })?;
        check_row_count(rows.rows.len(), max_rows)?;
        crate::memory::rows_parsed(rows.rows.len());
        Ok(rows)
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The body as one log line: line breaks escaped, bytes that are not
    /// UTF-8 written as `\xff`; the raw tensor bytes of the OIP binary extension are
    /// counted, not logged. Formatted as the line is written, never copied
    /// whole ([`LogLine`]).
    pub fn as_log_line(&self) -> LogLine<'_> {
        let (text, binary) = match self.json_header_length {
            Some(n) if n <= self.bytes.len() => (&self.bytes[..n], self.bytes.len() - n),
            _ => (&self.bytes[..], 0),
        };
        LogLine { text, binary }
    }
}

/// # Errors
/// 422 for no rows, 413 for more than `max_rows`.
pub fn check_row_count(rows: usize, max_rows: usize) -> Result<(), Error> {
    match rows {
        0 => Err(Error::NoRows),
        n if n > max_rows => Err(Error::TooManyRows {
            rows: n,
            limit: max_rows,
        }),
        _ => Ok(()),
    }
}

impl FromRequest for Body {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Body, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut dev::Payload) -> Self::Future {
        read(req, payload, format_of(req))
    }
}

/// Reads a body of `format` (or answers the content-type error `format`
/// holds) under the limits and the budget: what every body extractor shares.
pub fn read(
    req: &HttpRequest,
    payload: &mut dev::Payload,
    format: Result<Format, ApiError>,
) -> Pin<Box<dyn Future<Output = Result<Body, ApiError>>>> {
    let encoding = encoding::check(req);
    let length = content_length(req);
    let limits = req.app_data::<Limits>().copied();
    let budget = req.app_data::<BodyBudget>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let payload = payload.take();
    Box::pin(async move {
        encoding?;
        let format = format?;
        let limits = limits.ok_or_else(|| Error::Internal("no limits registered".into()))?;
        // An App built without `startup::run` (a handler's unit test)
        // shares no budget: one the size of one body keeps the
        // per-connection bound.
        let budget = budget.unwrap_or_else(|| BodyBudget::new(limits.max_body_bytes));
        let read = read_payload(payload, length, limits.max_body_bytes, &budget);
        let bytes = actix_web::rt::time::timeout(limits.body_timeout, read)
            .await
            .map_err(|_| Error::BodyTimeout {
                seconds: limits.body_timeout.as_secs_f64(),
            })?
            .inspect_err(|e| {
                if let (Error::Overloaded { .. }, Some(state)) = (e, &state) {
                    state.metrics.count_overloaded();
                }
            })?;
        Ok(Body {
            format,
            bytes,
            json_header_length: None,
        })
    })
}

/// The request's `Content-Length` (actix has already refused a malformed one).
fn content_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// Reads the whole payload, refusing more than `limit` bytes: at once when
/// `Content-Length` says so, else as soon as the bytes read pass it.
///
/// The buffer grows only as bytes arrive, and each step is reserved in the
/// global `budget` before it is allocated (503 `overloaded` when it is
/// spent). Reserving a body's whole `Content-Length` up front let eight
/// idle connections, each announcing 8 MiB and sending one byte, spend the
/// default 64 MiB and refuse every other body for `BODY_TIMEOUT`; now a
/// connection holds at most twice what it has sent. The buffer doubles (at
/// least to what has arrived) and stops at the announced length, so it is
/// never larger than the body; a body that arrives in one chunk, as small
/// ones do, is allocated once at its size. Past 1 MiB each step is a
/// mapping of its own that grows without a copy (`crate::memory`); the
/// steps below it come from glibc's heap, which keeps what they free until
/// the next trim: about half a MiB per upload under way (measured in
/// `tests/api/budget.rs`), the price of not reserving ahead of the bytes.
/// The reservation is given back when the returned bytes (and every clone
/// of them) are dropped.
async fn read_payload(
    mut payload: dev::Payload,
    length: Option<usize>,
    limit: usize,
    budget: &BodyBudget,
) -> Result<web::Bytes, Error> {
    let too_large = || Error::BodyTooLarge { limit };
    if length.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let most = length.unwrap_or(limit);
    let mut permit = budget.reserve(0)?;
    let mut buffer = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut payload).poll_next(cx)).await {
        let chunk = chunk.map_err(|e: PayloadError| {
            Error::UnreadableBody(clip(&e.to_string(), MESSAGE_CHARS))
        })?;
        let needed = buffer.len() + chunk.len();
        if needed > limit {
            return Err(too_large());
        }
        if needed > buffer.capacity() {
            let grown = needed.max(buffer.capacity() * 2).min(most.max(needed));
            permit.grow_to(grown)?;
            buffer.reserve_exact(grown - buffer.len());
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(web::Bytes::from_owner(Buffered {
        bytes: buffer,
        _permit: permit,
    }))
}

/// A body's buffer with the budget reservation that pays for it.
struct Buffered {
    bytes: Vec<u8>,
    _permit: BodyPermit,
}

impl AsRef<[u8]> for Buffered {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

fn format_of(req: &HttpRequest) -> Result<Format, ApiError> {
    let raw = req
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let essence = raw
        .as_deref()
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some("application/json") => Ok(Format::Json),
        Some(json) if json.starts_with("application/") && json.ends_with("+json") => {
            Ok(Format::Json)
        }
        Some("text/csv" | "application/csv") => Ok(Format::Csv),
        _ => Err(Error::UnsupportedMediaType(
            clip(raw.as_deref().unwrap_or("(none)"), 60),
            "application/json or text/csv",
        )
        .into()),
    }
}

#[cfg(test)]
mod tests;

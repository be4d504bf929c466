//! Request bodies at the edge: [`Body`] checks the content type and reads at
//! most `MAX_BODY_BYTES` (413 past that, without reading the rest), and
//! [`Body::into_rows`] parses a prediction body into the model crate's rows,
//! enforcing `MAX_ROWS`. actix's own payload errors never reach a client.

use std::future::Future;
use std::pin::Pin;

use actix_web::error::PayloadError;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, HttpRequest, dev, web};
use regression_model::input::{ParsedRow, parse_json_batch, read_csv};

use crate::error::{ApiError, Error, clip};

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
}

impl Body {
    /// Parses a prediction body into rows; row problems stay inside the rows.
    ///
    /// # Errors
    /// 400 for text that is not JSON of the right top-level shape or not
    /// CSV, 422 for no records, 413 for more than `max_rows` records.
    pub fn into_rows(self, max_rows: usize) -> Result<Vec<ParsedRow>, Error> {
        let rows = match self.format {
            Format::Json => {
                check_json_depth(&self.bytes)?;
                parse_json_batch(&self.bytes)
            }
            Format::Csv => read_csv(&self.bytes[..]).map(|input| input.rows),
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
        check_row_count(rows.len(), max_rows)?;
        Ok(rows)
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The body as one log line: line breaks escaped, invalid UTF-8 replaced.
    pub fn as_log_line(&self) -> String {
        String::from_utf8_lossy(&self.bytes)
            .replace('\r', "\\r")
            .replace('\n', "\\n")
    }
}

/// JSON nested deeper than this is refused: a list of records needs 2
/// levels, an inference request 4.
pub const MAX_JSON_DEPTH: usize = 32;

/// Refuses deeply nested JSON before parsing it. serde_json limits the depth
/// of what it builds, but skips ignored values without a limit, so a list
/// of 100 000 nested lists would otherwise pass as one odd row.
///
/// # Errors
/// [`Error::MalformedJson`] past [`MAX_JSON_DEPTH`] levels.
pub fn check_json_depth(bytes: &[u8]) -> Result<(), Error> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(Error::MalformedJson(format!(
                        "nested deeper than {MAX_JSON_DEPTH} levels"
                    )));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
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
        let format = format_of(req);
        // Reads under the app's `PayloadConfig` limit, which rejects an
        // oversized `Content-Length` before reading anything.
        let read = web::Bytes::from_request(req, payload);
        let limit = body_limit(req);
        Box::pin(async move {
            let format = format?;
            let bytes = read.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => Error::BodyTooLarge { limit },
                _ => Error::UnreadableBody(clip(&e.to_string(), MESSAGE_CHARS)),
            })?;
            Ok(Body { format, bytes })
        })
    }
}

/// The limit the `Bytes` extractor applies (the app registers both), for the message.
fn body_limit(req: &HttpRequest) -> usize {
    req.app_data::<crate::configuration::Limits>()
        .map_or(262_144, |l| l.max_body_bytes)
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
mod tests {
    use super::*;

    fn body(format: Format, text: &str) -> Body {
        Body {
            format,
            bytes: web::Bytes::copy_from_slice(text.as_bytes()),
        }
    }

    #[test]
    fn an_empty_list_is_no_rows_and_a_broken_list_is_malformed() {
        assert!(matches!(
            body(Format::Json, "[]").into_rows(10),
            Err(Error::NoRows)
        ));
        assert!(matches!(
            body(Format::Json, "[{").into_rows(10),
            Err(Error::MalformedJson(_))
        ));
    }

    #[test]
    fn more_rows_than_the_limit_is_too_many() {
        let error = body(Format::Json, "[{}, {}, {}]").into_rows(2).unwrap_err();
        assert!(matches!(error, Error::TooManyRows { rows: 3, limit: 2 }));
    }

    #[test]
    fn a_csv_body_gives_one_row_per_line() {
        let rows = body(Format::Csv, "Id,GrLivArea\n1,1500\n2,NA\n")
            .into_rows(10)
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].record.id, Some(1));
    }

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(matches!(
            check_json_depth(deep.as_bytes()),
            Err(Error::MalformedJson(_))
        ));
        let brackets_in_text = format!(r#"[{{"a": "{}\\\"["}}]"#, "[".repeat(40));
        assert!(check_json_depth(brackets_in_text.as_bytes()).is_ok());
    }

    #[test]
    fn log_lines_keep_line_breaks_escaped() {
        assert_eq!(body(Format::Csv, "a\nb\r\n").as_log_line(), "a\\nb\\r\\n");
    }
}

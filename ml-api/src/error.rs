//! The crate's one error type, [`Error`], and [`ApiError`], which carries it
//! to the client: this file's `ResponseError` impl is the only place that
//! maps problems to status codes and bodies.
//!
//! v1 routes (and everything outside `/v2`) answer with
//! `{"error": {"code", "message", "details"?}}`; Open Inference Protocol
//! routes answer with the protocol's `{"error": "message"}`. Messages name
//! rows, fields and the rule broken, never a value sent; no error body is
//! over [`MAX_ERROR_BODY_BYTES`]; with `ERROR_DETAIL=redacted`
//! ([`ApiError::render`], called by [`crate::middleware::observe`]) no
//! request bytes at all (paths, content types, unknown names) appear in one.

/// The most bytes an error body takes, whatever the request held.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

use std::path::PathBuf;

use actix_web::http::StatusCode;
use regression_model::PredictionResponse;

mod response;

pub use response::{ApiError, Protocol};

/// Everything that can go wrong, at start-up or in a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("setting {setting}: {problem}")]
    Setting { setting: String, problem: String },
    #[error("config file {path}: {message}")]
    ConfigFile { path: PathBuf, message: String },
    // The inner errors are part of the message (not `source`s), so an
    // error chain does not print them twice.
    #[error("cannot load the model: {0}")]
    Model(regression_model::Error),
    /// A `MODELS` (or `models.toml`) entry that does not load: start-up
    /// stops, naming it; `list` is `MODELS` or the listing's path.
    #[error("{list} entry `{name}`: {problem}")]
    ModelEntry {
        list: String,
        name: String,
        problem: Box<Error>,
    },
    #[error("cannot listen on {address}: {problem}")]
    Bind {
        address: String,
        problem: std::io::Error,
    },
    #[error("cannot start logging in {dir}: {message}")]
    Logging { dir: PathBuf, message: String },

    #[error("the body is not JSON of the expected shape: {0}")]
    MalformedJson(String),
    #[error("the CSV body cannot be read: {0}")]
    MalformedCsv(String),
    #[error("the request body could not be read: {0}")]
    UnreadableBody(String),
    #[error("the body is larger than the limit of {limit} bytes")]
    BodyTooLarge { limit: usize },
    #[error("the request holds {rows} records, more than the limit of {limit}")]
    TooManyRows { rows: usize, limit: usize },
    #[error(
        "the request holds {rows} records; an explanation request may hold at most {limit} (MAX_EXPLAIN_ROWS)"
    )]
    TooManyExplainRows { rows: usize, limit: usize },
    /// The served model cannot be explained (trees); the message is the
    /// model crate's, which quotes nothing from the request.
    #[error("{0}")]
    NotExplainable(String),
    #[error("the request line and headers take more than the limit of {limit} bytes")]
    HeadersTooLarge { limit: usize },
    #[error("the request body did not arrive within {seconds} s")]
    BodyTimeout { seconds: f64 },
    #[error("content type `{0}` is not supported here; send {1}")]
    UnsupportedMediaType(String, &'static str),
    /// The value is the request's `Content-Encoding`, clipped.
    #[error(
        "Content-Encoding `{0}` is not supported: send the body uncompressed, without a Content-Encoding header (or with `identity`)"
    )]
    UnsupportedContentEncoding(String),
    #[error("the request holds no records")]
    NoRows,
    #[error("none of the {rows} records could be predicted; see details")]
    NoValidRows {
        rows: usize,
        response: Box<PredictionResponse>,
    },
    #[error("invalid inference request: {0}")]
    InvalidInferRequest(String),
    /// The query string does not fit the route (a parameter given twice,
    /// of the wrong type); the message is serde's, clipped.
    #[error("the query string cannot be read: {0}")]
    InvalidQuery(String),
    #[error("{} of {rows} rows were rejected: {}", .response.row_errors.rejected.len(), summary(.response))]
    RejectedRows {
        rows: usize,
        response: Box<PredictionResponse>,
    },
    #[error("no route for {0}")]
    NotFound(String),
    #[error("method {0} is not allowed on this route")]
    MethodNotAllowed(String),
    #[error("model `{0}` is not served here; the model is `regression-model`")]
    UnknownModel(String),
    #[error("no model is loaded")]
    ModelNotReady,
    /// The key is clipped request bytes (a path segment).
    #[error(
        "no model is called `{0}` here; GET /v1/models lists the names and the aliases champion and challenger"
    )]
    UnknownVersion(String),
    #[error("there is no challenger to promote: start the service with CHALLENGER set")]
    NoChallenger,
    #[error(
        "the server is buffering its limit of {limit} bytes of request bodies; retry in {retry_after_secs} s"
    )]
    Overloaded { limit: usize, retry_after_secs: u64 },
    #[error("this route needs `Authorization: Bearer <ADMIN_TOKEN>`")]
    Unauthorized,
    #[error(
        "there is nothing to reload: the service runs on the model shipped in regression-model; start it with MODEL_PATH set to reload from that file"
    )]
    NothingToReload,
    #[error("another reload is in progress; try again when it has finished")]
    ReloadInProgress,
    /// The message names the artifact by its setting (`MODEL_PATH`, or a
    /// `MODELS` entry), never by its path: clients are not told where the
    /// server keeps its files. `serving` says what keeps serving (``the
    /// model `0.3.0` keeps serving``, or every model by name).
    #[error(
        "the artifact at {artifact} was rejected and nothing was swapped in: {serving}; {problem}"
    )]
    ArtifactRejected {
        artifact: String,
        serving: String,
        problem: String,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<regression_model::Error> for Error {
    fn from(error: regression_model::Error) -> Error {
        Error::Model(error)
    }
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::MalformedJson(_)
            | Error::MalformedCsv(_)
            | Error::UnreadableBody(_)
            | Error::InvalidInferRequest(_)
            | Error::InvalidQuery(_)
            | Error::RejectedRows { .. } => StatusCode::BAD_REQUEST,
            Error::BodyTooLarge { .. }
            | Error::TooManyRows { .. }
            | Error::TooManyExplainRows { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::NotExplainable(_) => StatusCode::NOT_IMPLEMENTED,
            Error::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Error::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::NothingToReload | Error::ReloadInProgress | Error::NoChallenger => {
                StatusCode::CONFLICT
            }
            Error::ArtifactRejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::UnsupportedMediaType(..) | Error::UnsupportedContentEncoding(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Error::NoRows | Error::NoValidRows { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::NotFound(_) | Error::UnknownModel(_) | Error::UnknownVersion(_) => {
                StatusCode::NOT_FOUND
            }
            Error::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Error::ModelNotReady | Error::Overloaded { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable, machine-readable name for the problem.
    pub fn code(&self) -> &'static str {
        match self {
            Error::MalformedJson(_) => "malformed_json",
            Error::MalformedCsv(_) => "malformed_csv",
            Error::UnreadableBody(_) => "unreadable_body",
            Error::BodyTooLarge { .. } => "body_too_large",
            Error::TooManyRows { .. } | Error::TooManyExplainRows { .. } => "too_many_rows",
            Error::NotExplainable(_) => "not_explainable",
            Error::HeadersTooLarge { .. } => "headers_too_large",
            Error::BodyTimeout { .. } => "request_timeout",
            Error::Unauthorized => "unauthorized",
            Error::NothingToReload => "nothing_to_reload",
            Error::ReloadInProgress => "reload_in_progress",
            Error::NoChallenger => "no_challenger",
            Error::UnknownVersion(_) => "unknown_version",
            Error::ArtifactRejected { .. } => "artifact_rejected",
            Error::UnsupportedMediaType(..) => "unsupported_media_type",
            Error::UnsupportedContentEncoding(_) => "unsupported_content_encoding",
            Error::NoRows => "no_rows",
            Error::NoValidRows { .. } => "no_valid_rows",
            Error::InvalidInferRequest(_) => "invalid_request",
            Error::InvalidQuery(_) => "invalid_query",
            Error::RejectedRows { .. } => "rows_rejected",
            Error::NotFound(_) => "not_found",
            Error::MethodNotAllowed(_) => "method_not_allowed",
            Error::UnknownModel(_) => "unknown_model",
            Error::ModelNotReady => "model_not_ready",
            Error::Overloaded { .. } => "overloaded",
            _ => "internal",
        }
    }
}

impl Error {
    /// For `ERROR_DETAIL=redacted`: the message of a problem whose usual
    /// message quotes the request (a path, a content type, a name).
    fn generic_message(&self) -> Option<&'static str> {
        Some(match self {
            Error::NotFound(_) => "no route for this method and path",
            Error::MethodNotAllowed(_) => "this method is not allowed on this route",
            Error::UnsupportedMediaType(..) => "this content type is not supported here",
            Error::UnsupportedContentEncoding(_) => {
                "this Content-Encoding is not supported: send the body uncompressed"
            }
            Error::UnknownModel(_) => "this model is not served here",
            Error::UnknownVersion(_) => "no model is called so here; GET /v1/models lists them",
            Error::InvalidInferRequest(_) => "invalid inference request",
            Error::InvalidQuery(_) => "the query string cannot be read",
            Error::RejectedRows { .. } => "rows were rejected; see the v1 route for details",
            _ => return None,
        })
    }
}

/// Cuts `text` to at most `max` characters, marking the cut.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `row 3 GrLivArea: must not be negative; ...`, the first few problems.
fn summary(response: &PredictionResponse) -> String {
    const SHOWN: usize = 10;
    let errors = &response.row_errors.errors;
    let mut text: Vec<String> = errors.iter().take(SHOWN).map(|e| e.to_string()).collect();
    let shown = text.len();
    if response.row_errors.error_count > shown {
        text.push(format!(
            "and {} more",
            response.row_errors.error_count - shown
        ));
    }
    text.join("; ")
}

#[cfg(test)]
mod tests;

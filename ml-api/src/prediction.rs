//! One prediction request, whatever its protocol: log the input (sampled),
//! parse it, run the current model, count the rows, log the output. Input
//! and output go to separate log lines (targets `ml_api::input` and
//! `ml_api::output`), each with the request id and the model version, so a
//! request that fails while parsing still leaves its input in the log.
//!
//! Bodies up to [`INLINE_BODY_BYTES`] are parsed and predicted right on the
//! worker: a one-record prediction takes microseconds, and a hand-off to
//! another thread would cost more than the work. Larger bodies (up to
//! `MAX_ROWS` records) run on actix's blocking pool, so one big batch does
//! not stall the small requests that share its worker; `BATCH_THREADS`
//! bounds that pool (batches are CPU work: extra threads only cost memory).
//! An answer that costs far more than a prediction (explaining trees)
//! always runs there.

use actix_web::web;
use regression_model::{
    Column, ErrorLimit, FieldError, InputRows, Prediction, PredictionResponse, TrainedModel,
};

use crate::body::Body;
use crate::configuration::{ErrorDetail, Limits};
use crate::error::Error;
use crate::middleware::RequestId;
use crate::state::AppState;

/// Bodies larger than this are handled on the blocking pool.
pub const INLINE_BODY_BYTES: usize = 64 * 1024;

/// Turns a body into rows (and anything else the protocol needs back,
/// such as the OIP request id), under the request limits; the columns are
/// the ones the model reads (a parser may skip the others).
pub type Parser<T> = fn(Body, &Limits, &[Column]) -> Result<(InputRows, T), Error>;

/// The model's answer for one request.
#[derive(Debug)]
pub struct Served<T, R = PredictionResponse> {
    /// How many rows the request held.
    pub rows: usize,
    pub response: R,
    /// What the parser passed through.
    pub extra: T,
}

/// What the model answers a request with: prices, or explanations of them.
pub trait Answer: Sized + Send + 'static {
    /// Runs the model on parsed rows, keeping at most `limit`'s errors.
    ///
    /// # Errors
    /// The model's refusal to answer at all (an explanation of trees).
    fn answer(model: &TrainedModel, input: &InputRows, limit: ErrorLimit) -> Result<Self, Error>;
    /// Drops the request bytes the answer quotes (unknown field names).
    fn redact(&mut self);
    fn version(&self) -> &str;
    /// Rows answered.
    fn answered(&self) -> usize;
    /// Rows rejected.
    fn rejected(&self) -> usize;
    /// The errors kept, and how many there were in all.
    fn errors(&self) -> (&[FieldError], usize);
    fn unknown_field_count(&self) -> usize;
    /// Whether a small body may be answered right on the worker; `false`
    /// when answering costs far more than a prediction (see
    /// [`INLINE_BODY_BYTES`]).
    fn inline(_model: &TrainedModel) -> bool {
        true
    }
    /// The prices with their flags (`imputed`, `extrapolated`), for the
    /// metrics; an explanation carries none.
    fn predictions(&self) -> &[Prediction] {
        &[]
    }
}

impl Answer for PredictionResponse {
    fn predictions(&self) -> &[Prediction] {
        &self.predictions
    }
    fn answer(model: &TrainedModel, input: &InputRows, limit: ErrorLimit) -> Result<Self, Error> {
        Ok(model.predict_input(input, limit))
    }
    fn redact(&mut self) {
        self.unknown_fields.clear();
    }
    fn version(&self) -> &str {
        &self.version
    }
    fn answered(&self) -> usize {
        self.predictions.len()
    }
    fn rejected(&self) -> usize {
        self.rejected.len()
    }
    fn errors(&self) -> (&[FieldError], usize) {
        (&self.errors, self.error_count)
    }
    fn unknown_field_count(&self) -> usize {
        self.unknown_field_count
    }
}

/// Predicts the rows in `body` with the model current at the start of the
/// request.
///
/// # Errors
/// [`Error::ModelNotReady`] with an empty model slot, the parser's errors,
/// and [`Error::Internal`] if the blocking pool fails.
pub async fn serve<T: Send + 'static>(
    state: &AppState,
    request_id: RequestId,
    body: Body,
    parse: Parser<T>,
) -> Result<Served<T>, Error> {
    serve_with(state, request_id, body, parse).await
}

/// [`serve`] for any [`Answer`]: the same logging, parsing, limits and
/// metrics (answered rows count as predicted ones).
///
/// # Errors
/// As [`serve`], and the answer's own refusal.
pub async fn serve_with<T: Send + 'static, R: Answer>(
    state: &AppState,
    request_id: RequestId,
    body: Body,
    parse: Parser<T>,
) -> Result<Served<T, R>, Error> {
    let loaded = state.model.current()?;
    let sampled = request_id.uniform() < state.input_sample.share();
    if sampled && log::log_enabled!(target: "ml_api::input", log::Level::Info) {
        log::info!(
            target: "ml_api::input",
            "request_id={request_id} model_version={} format={:?} bytes={} input={}",
            loaded.model.metadata.model_version,
            body.format,
            body.len(),
            body.as_log_line()
        );
    }
    let limits = state.limits;
    let errors = state.errors;
    let drift = state.drift;
    let inline = body.len() <= INLINE_BODY_BYTES && R::inline(&loaded.model);
    let work = move || -> Result<Served<T, R>, Error> {
        let (input, extra) = parse(body, &limits, &loaded.features)?;
        loaded.drift.observe(&loaded.model, drift, &input.rows);
        let limit = ErrorLimit::Total(errors.max_errors);
        let mut response = R::answer(&loaded.model, &input, limit)?;
        if errors.detail == ErrorDetail::Redacted {
            // Unknown names are request bytes: only their count is told.
            response.redact();
        }
        Ok(Served {
            rows: input.rows.len(),
            response,
            extra,
        })
    };
    let served = if inline {
        work()?
    } else {
        web::block(work)
            .await
            .map_err(|e| Error::Internal(format!("blocking pool: {e}")))??
    };
    let response = &served.response;
    state
        .metrics
        .observe_prediction(response.answered(), response.errors().0);
    state.metrics.observe_flags(response.predictions());
    // One short line of counts: the prices go back to the client, not into
    // the log (a 10,000-row answer would make a 300 KB line).
    if log::log_enabled!(target: "ml_api::output", log::Level::Info) {
        log::info!(
            target: "ml_api::output",
            "request_id={request_id} model_version={} rows={} predicted={} rejected={} errors={} unknown_fields={}",
            response.version(),
            served.rows,
            response.answered(),
            response.rejected(),
            response.errors().1,
            response.unknown_field_count(),
        );
    }
    Ok(served)
}

/// The v1 parser: JSON or CSV records, nothing passed through.
///
/// # Errors
/// See [`Body::into_rows`].
pub fn records(body: Body, limits: &Limits, wanted: &[Column]) -> Result<(InputRows, ()), Error> {
    Ok((body.into_rows(limits, wanted)?, ()))
}

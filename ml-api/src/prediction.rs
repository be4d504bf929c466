//! One prediction request, whatever its protocol: log the input (sampled),
//! parse it, run the model the request resolved (the champion, or a
//! version), count the rows and time the stages under that model's name,
//! log the output, and hand a sampled share of the champion's requests to
//! the shadow. Input
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

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, web};
use regression_model::{
    Column, ErrorLimit, InputRows, Prediction, PredictionResponse, RowErrors, TrainedModel,
};

use crate::body::Body;
use crate::configuration::{ErrorDetail, Limits};
use crate::error::Error;
use crate::metrics::{Stage, stages};
use crate::middleware::RequestId;
use crate::model::LoadedModel;
use crate::models::Target;
use crate::shadow::Reparse;
use crate::state::AppState;

/// Bodies larger than this are handled on the blocking pool.
pub const INLINE_BODY_BYTES: usize = 64 * 1024;

/// Turns a body into rows (and anything else the protocol needs back,
/// such as the OIP request id), under the request limits; the columns are
/// the ones the model reads (a parser may skip the others).
pub type Parser<T> = fn(Body, &Limits, &[Column]) -> Result<(InputRows, T), Error>;

/// The stages timed inside a prediction (`serialise` is the handler's).
type StageTimes = [(Stage, Duration); 3];

/// The model's answer for one request.
#[derive(Debug)]
pub struct Served<T, R = PredictionResponse> {
    /// How many rows the request held.
    pub rows: usize,
    pub response: R,
    /// What the parser passed through.
    pub extra: T,
    /// The model that answered (its name labels the metrics).
    pub model: Arc<LoadedModel>,
}

/// What the model answers a request with: prices, or explanations of them.
pub trait Answer: Sized + Send + 'static {
    /// Runs the model on parsed rows, keeping at most `limit`'s errors.
    ///
    /// # Errors
    /// The model's refusal to answer at all (an explanation of trees).
    fn answer(model: &TrainedModel, input: &InputRows, limit: ErrorLimit) -> Result<Self, Error>;
    fn version(&self) -> &str;
    /// Rows answered.
    fn answered(&self) -> usize;
    /// Why rows were rejected, and the unknown fields.
    fn row_errors(&self) -> &RowErrors;
    fn row_errors_mut(&mut self) -> &mut RowErrors;
    /// Drops the request bytes the answer quotes (unknown field names).
    fn redact(&mut self) {
        self.row_errors_mut().unknown_fields.clear();
    }
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
    fn version(&self) -> &str {
        &self.version
    }
    fn answered(&self) -> usize {
        self.predictions.len()
    }
    fn row_errors(&self) -> &RowErrors {
        &self.row_errors
    }
    fn row_errors_mut(&mut self) -> &mut RowErrors {
        &mut self.row_errors
    }
}

/// Predicts the rows in `body` with the champion current at the start of
/// the request (and hands a share to the shadow).
///
/// # Errors
/// [`Error::ModelNotReady`] with no model, the parser's errors,
/// and [`Error::Internal`] if the blocking pool fails.
pub async fn serve<T: Send + 'static>(
    state: &AppState,
    request_id: RequestId,
    body: Body,
    parse: Parser<T>,
) -> Result<Served<T>, Error> {
    let target = state.model.champion_target()?;
    serve_on(state, target, request_id, body, parse).await
}

/// [`serve`] on a chosen model (a version route). When the target is the
/// champion and the request is sampled, the challenger scores a copy of
/// the body later, on the shadow's thread ([`crate::shadow`]); nothing
/// here waits for it.
///
/// # Errors
/// As [`serve`].
pub async fn serve_on<T: Send + 'static>(
    state: &AppState,
    target: Target,
    request_id: RequestId,
    body: Body,
    parse: Parser<T>,
) -> Result<Served<T>, Error> {
    let challenger = state.shadow.challenger_for(&target, request_id.uniform());
    // `Bytes` is reference-counted: the shadow's copy shares the buffer.
    let copy = challenger.as_ref().map(|_| body.clone());
    let served: Served<T> = run(state, target.model, request_id, body, parse).await?;
    if let (Some(challenger), Some(copy)) = (challenger, copy) {
        let limits = state.limits;
        let bytes = copy.len();
        let reparse: Reparse =
            Box::new(move |columns| parse(copy, &limits, columns).map(|(input, _)| input));
        let response = &served.response;
        state.shadow.submit(
            &served.model,
            challenger,
            bytes,
            reparse,
            response,
            served.rows,
        );
    }
    Ok(served)
}

/// [`serve`] for any [`Answer`] on the champion: the same logging,
/// parsing, limits and metrics (answered rows count as predicted ones),
/// never shadowed.
///
/// # Errors
/// As [`serve`], and the answer's own refusal.
pub async fn serve_with<T: Send + 'static, R: Answer>(
    state: &AppState,
    request_id: RequestId,
    body: Body,
    parse: Parser<T>,
) -> Result<Served<T, R>, Error> {
    run(state, state.model.current()?, request_id, body, parse).await
}

/// The one path every prediction takes: log the input (sampled), parse,
/// answer, count by model and stage, log the output.
async fn run<T: Send + 'static, R: Answer>(
    state: &AppState,
    loaded: Arc<LoadedModel>,
    request_id: RequestId,
    body: Body,
    parse: Parser<T>,
) -> Result<Served<T, R>, Error> {
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
    let drift_sample = crate::drift::Sample::new(state.drift_sample, request_id.uniform());
    let inline = body.len() <= INLINE_BODY_BYTES && R::inline(&loaded.model);
    let model = loaded.clone();
    let work = move || -> Result<(Served<T, R>, StageTimes), Error> {
        stages::take_validated();
        let started = Instant::now();
        let (input, extra) = parse(body, &limits, &model.features)?;
        // Counting the rows into the drift window (bin increments) is part
        // of taking the input in.
        model
            .drift
            .observe(&model.model, drift, drift_sample, &input.rows);
        let parsed = Instant::now();
        // The v1 parser marks where its checks ended; other parsers check
        // as they parse, and their whole time counts as `parse`.
        let validated = stages::take_validated().unwrap_or(started);
        let limit = ErrorLimit::Total(errors.max_errors);
        let mut response = R::answer(&model.model, &input, limit)?;
        if errors.detail == ErrorDetail::Redacted {
            // Unknown names are request bytes: only their count is told.
            response.redact();
        }
        let times = [
            (Stage::Validate, validated - started),
            (Stage::Parse, parsed - validated),
            (Stage::Predict, parsed.elapsed()),
        ];
        let served = Served {
            rows: input.rows.len(),
            response,
            extra,
            model,
        };
        Ok((served, times))
    };
    let (served, times) = if inline {
        work()?
    } else {
        web::block(work)
            .await
            .map_err(|e| Error::Internal(format!("blocking pool: {e}")))??
    };
    let response = &served.response;
    let row_errors = response.row_errors();
    let name = &loaded.name;
    let metrics = &state.metrics;
    metrics.observe_stages(name, &times);
    metrics.observe_prediction(name, response.answered(), &row_errors.errors);
    metrics.observe_flags(name, response.predictions());
    // One short line of counts: the prices go back to the client, not into
    // the log (a 10,000-row answer would make a 300 KB line).
    if log::log_enabled!(target: "ml_api::output", log::Level::Info) {
        log::info!(
            target: "ml_api::output",
            "request_id={request_id} model_version={} rows={} predicted={} rejected={} errors={} unknown_fields={}",
            response.version(),
            served.rows,
            response.answered(),
            row_errors.rejected.len(),
            row_errors.error_count,
            row_errors.unknown_field_count,
        );
    }
    Ok(served)
}

/// A 200 JSON response, its encoding timed as the `serialise` stage of
/// `model`.
///
/// # Errors
/// [`Error::Internal`] if the value cannot be encoded (a bug of ours).
pub fn respond_json<V: serde::Serialize>(
    state: &AppState,
    model: &LoadedModel,
    value: &V,
) -> Result<HttpResponse, Error> {
    let started = Instant::now();
    let bytes = serde_json::to_vec(value).map_err(|e| Error::Internal(format!("encoding: {e}")))?;
    state
        .metrics
        .observe_stages(&model.name, &[(Stage::Serialise, started.elapsed())]);
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(bytes))
}

/// The v1 parser: JSON or CSV records, nothing passed through.
///
/// # Errors
/// See [`Body::into_rows`].
pub fn records(body: Body, limits: &Limits, wanted: &[Column]) -> Result<(InputRows, ()), Error> {
    Ok((body.into_rows(limits, wanted)?, ()))
}

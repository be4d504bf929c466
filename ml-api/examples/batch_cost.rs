//! What a prediction body costs in process, stage by stage, as the service
//! runs it for `POST /v1/predict/regression`: the checks before parsing and
//! the parse ([`Body::into_rows`]), counting rows for drift, predicting
//! with the service's error limit, and encoding the answer. Run under
//! callgrind to count instructions per body (the per-stage functions below
//! are kept out of line so `callgrind_annotate --inclusive=yes` names them);
//! `bench/scripts/http-batch-cost.sh` does that and compares with the
//! server.
//!
//!     cargo run --release -p ml-api --example batch_cost -- body.json 100 [model.postcard]
//!
//! Bodies are parsed `count` times; the shipped model unless an artifact is
//! given; limits, `MAX_ERRORS` and `DRIFT_SAMPLE` from the environment, as
//! the server reads them. Prints the predicted and rejected rows of the
//! last body.

use std::hint::black_box;
use std::path::Path;

use actix_web::web::Bytes;
use anyhow::{Context, bail};
use ml_api::body::{Body, Format};
use ml_api::configuration::{Limits, Settings};
use ml_api::model::LoadedModel;
use regression_model::{DriftSettings, ErrorLimit, InputRows, PredictionResponse};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (body, count, model) = match args.as_slice() {
        [body, count] => (body, count, None),
        [body, count, model] => (body, count, Some(Path::new(model))),
        _ => bail!("usage: batch_cost <body.json> <count> [model.postcard]"),
    };
    let count: usize = count.parse().context("count")?;
    let bytes = Bytes::from(std::fs::read(body).with_context(|| format!("reading {body}"))?);
    let loaded = LoadedModel::load(model)?;
    let settings = Settings::from_env(None)?;
    let limits = settings.limits;
    let errors = ErrorLimit::Total(settings.errors.max_errors);
    let drift = (settings.drift, settings.drift_sample);
    let mut last = None;
    for i in 0..count {
        let body = Body {
            format: Format::Json,
            bytes: bytes.clone(),
            json_header_length: None,
        };
        let input = parse(body, &limits, &loaded)?;
        observe(&loaded, &input, drift, i);
        let response = predict(&loaded, &input, errors);
        black_box(serialise(&response)?);
        last = Some(response);
    }
    if let Some(response) = last {
        println!(
            "{count} bodies of {} bytes: {} rows predicted, {} rejected",
            bytes.len(),
            response.predictions.len(),
            response.row_errors.rejected.len()
        );
    }
    Ok(())
}

#[inline(never)]
fn parse(body: Body, limits: &Limits, loaded: &LoadedModel) -> anyhow::Result<InputRows> {
    Ok(body.into_rows(limits, &loaded.features)?)
}

#[inline(never)]
fn observe(loaded: &LoadedModel, input: &InputRows, drift: (DriftSettings, f64), i: usize) {
    // The server draws from the request id; any spread of numbers will do.
    let sample = ml_api::drift::Sample::new(drift.1, (i as f64 * 0.618_034).fract());
    (loaded.drift).observe(&loaded.model, drift.0, sample, &input.rows);
}

#[inline(never)]
fn predict(loaded: &LoadedModel, input: &InputRows, errors: ErrorLimit) -> PredictionResponse {
    loaded.model.predict_input(input, errors)
}

#[inline(never)]
fn serialise(response: &PredictionResponse) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec(response)?)
}

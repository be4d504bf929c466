//! `GET /v1/model`: what the served model is, without any data rows.

use actix_web::{HttpResponse, web};
use regression_model::Metrics;
use serde::Serialize;

use crate::error::ApiError;
use crate::model::LoadedModel;
use crate::state::AppState;

/// The model card: everything the artifact says about itself.
#[derive(Debug, Serialize)]
pub struct ModelInfo<'a> {
    pub model_version: &'a str,
    pub config_name: &'a str,
    pub estimator: &'a str,
    pub input_features: &'a [String],
    pub output_features: &'a [String],
    pub pipeline_steps: Vec<&'static str>,
    pub holdout_metrics: Option<Metrics>,
    pub training_data_sha256: &'a str,
    pub rows: Rows,
    pub seed: u64,
    pub holdout_fraction: f64,
    pub crate_version: &'a str,
    pub rustc_version: &'a str,
    pub source: &'static str,
    pub artifact_sha256: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Rows {
    pub total: usize,
    pub train: usize,
    pub holdout: usize,
}

impl<'a> From<&'a LoadedModel> for ModelInfo<'a> {
    fn from(loaded: &'a LoadedModel) -> ModelInfo<'a> {
        let m = &loaded.model.metadata;
        ModelInfo {
            model_version: &m.model_version,
            config_name: &m.config_name,
            estimator: &m.estimator,
            input_features: &m.input_features,
            output_features: &m.output_features,
            pipeline_steps: loaded.model.pipeline.step_kinds().collect(),
            holdout_metrics: m.holdout_metrics,
            training_data_sha256: &m.training_data_sha256,
            rows: Rows {
                total: m.rows_total,
                train: m.rows_train,
                holdout: m.rows_holdout,
            },
            seed: m.seed,
            holdout_fraction: m.holdout_fraction,
            crate_version: &m.crate_version,
            rustc_version: &m.rustc_version,
            source: loaded.source.public_name(),
            artifact_sha256: &loaded.artifact_sha256,
        }
    }
}

/// # Errors
/// 503 `model_not_ready` with an empty model slot.
pub async fn model(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let loaded = state.model.current()?;
    Ok(HttpResponse::Ok().json(ModelInfo::from(&*loaded)))
}

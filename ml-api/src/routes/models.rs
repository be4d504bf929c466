//! `GET /v1/models` (every loaded model and the aliases),
//! `GET /v1/models/compare` (what the shadow found) and
//! `GET /v1/models/{version}` (one model's card).

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::model::ModelInfo;
use crate::error::ApiError;
use crate::models::Described;
use crate::shadow::PairSummary;
use crate::state::AppState;

#[derive(Debug, Serialize)]
struct Listed {
    #[serde(flatten)]
    model: Described,
    aliases: Vec<&'static str>,
    config_name: String,
    estimator: String,
    source: &'static str,
}

/// 200 with `{champion, challenger, shadow_sample, models: [...]}`.
///
/// # Errors
/// 503 `model_not_ready` with no model.
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let roster = state.model.roster()?;
    let models: Vec<Listed> = roster
        .models()
        .iter()
        .map(|m| Listed {
            model: Described::from(&**m),
            aliases: roster.aliases(m),
            config_name: m.model.metadata.config_name.clone(),
            estimator: m.model.metadata.estimator.clone(),
            source: m.source.public_name(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "champion": &*roster.champion().name,
        "challenger": roster.challenger().map(|c| &*c.name),
        "shadow_sample": state.shadow.sample(),
        "models": models,
    })))
}

#[derive(Debug, Serialize)]
struct Compare {
    champion: String,
    challenger: Option<String>,
    shadow_sample: f64,
    queue_capacity: usize,
    queue_capacity_bytes: usize,
    requests_queued: u64,
    requests_dropped: u64,
    /// Every (champion, challenger) pair compared so far; a promotion
    /// starts a new pair, so the figures of each pair stay its own.
    pairs: Vec<PairSummary>,
}

/// 200 with the shadow's settings, queue counts and comparisons.
///
/// # Errors
/// 503 `model_not_ready` with no model.
pub async fn compare(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let roster = state.model.roster()?;
    let (queued, dropped, capacity, capacity_bytes) = state.shadow.queue_counts();
    Ok(HttpResponse::Ok().json(Compare {
        champion: roster.champion().name.to_string(),
        challenger: roster.challenger().map(|c| c.name.to_string()),
        shadow_sample: state.shadow.sample(),
        queue_capacity: capacity,
        queue_capacity_bytes: capacity_bytes,
        requests_queued: queued,
        requests_dropped: dropped,
        pairs: state.shadow.comparisons().summaries(),
    }))
}

/// 200 with the card of the model called `version`, as `GET /v1/model`.
///
/// # Errors
/// 404 `unknown_version`, 503 `model_not_ready`.
pub async fn card(
    state: web::Data<AppState>,
    version: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let target = state.model.resolve(&version)?;
    Ok(HttpResponse::Ok().json(ModelInfo::from(&*target.model)))
}

//! `GET /metrics`: Prometheus text exposition.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let roster = state.model.roster().ok();
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(roster.as_deref(), &state.shadow))
}

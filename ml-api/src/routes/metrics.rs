//! `GET /metrics`: Prometheus text exposition.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let roster = state.model.roster().ok();
    let mut body = state.metrics.render(roster.as_deref(), &state.shadow);
    let models = roster.as_ref().map_or(&[][..], |r| r.models());
    let drift: Vec<(&str, _)> = (models.iter())
        .filter_map(|m| Some((&*m.name, m.drift.report(&m.model, state.drift)?)))
        .collect();
    crate::drift::render_metrics(&mut body, &drift);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}

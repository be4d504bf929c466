//! `GET /metrics`: Prometheus text exposition.

use actix_web::{HttpResponse, web};

use crate::state::AppState;

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let model = state.model.current().ok();
    let mut body = state.metrics.render(model.as_deref());
    let drift = model
        .as_ref()
        .and_then(|m| m.drift.report(&m.model, state.drift));
    crate::drift::render_metrics(&mut body, drift.as_ref());
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}

//! `GET /`: the HTML page for people (see [`crate::page`]).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::page::{PageInput, content_security_policy, render};
use crate::state::AppState;

/// 200 with the page; with no model loaded the card says so.
pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let model = state.model.current().ok();
    let forwarded_prefix = req
        .headers()
        .get("x-forwarded-prefix")
        .and_then(|v| v.to_str().ok());
    let html = render(&PageInput {
        model: model.as_deref(),
        limits: &state.limits,
        errors: &state.errors,
        forwarded_prefix,
    });
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, content_security_policy()))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        // The card follows the model in the slot: never a stale copy after a reload.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html)
}

//! The routes, one module per resource, and [`configure`], which registers
//! them all. Each resource is named after its pattern (the metrics label)
//! and answers other methods with the common 405 body.

mod admin;
mod drift;
mod explain;
mod fallback;
mod health;
mod metrics;
mod model;
mod oip;
mod openapi;
mod page;
mod predict;

use actix_web::{Route, web};

use crate::configuration::AdminToken;

pub use fallback::not_found;

/// Registers every route and the 404 fallback. Without an admin token the
/// admin routes do not exist (404), rather than answering 401.
pub fn configure(cfg: &mut web::ServiceConfig) {
    configure_with(cfg, None);
}

/// [`configure`], plus `POST /admin/reload` when `admin_token` is set.
pub fn configure_with(cfg: &mut web::ServiceConfig, admin_token: Option<&AdminToken>) {
    if let Some(token) = admin_token {
        let pattern = "/admin/reload";
        cfg.service(
            web::resource(pattern)
                .name(pattern)
                .app_data(web::Data::new(token.clone()))
                .route(web::post().to(admin::reload_model))
                .default_service(web::to(fallback::method_not_allowed)),
        );
    }
    let routes: [(&str, Route); 16] = [
        ("/", web::get().to(page::page)),
        ("/health", web::get().to(health::health)),
        ("/ready", web::get().to(health::ready)),
        ("/version", web::get().to(health::version)),
        ("/metrics", web::get().to(metrics::metrics)),
        ("/openapi.json", web::get().to(openapi::openapi)),
        ("/v1/model", web::get().to(model::model)),
        ("/v1/predict/regression", web::post().to(predict::predict)),
        ("/v1/explain/regression", web::post().to(explain::explain)),
        ("/v1/monitoring/drift", web::get().to(drift::drift)),
        ("/v2/health/live", web::get().to(oip::live)),
        ("/v2/health/ready", web::get().to(oip::ready)),
        ("/v2/models/{name}", web::get().to(oip::metadata)),
        ("/v2/models/{name}/ready", web::get().to(oip::model_ready)),
        ("/v2/models/{name}/infer", web::post().to(oip::infer)),
        ("/v2", web::get().to(oip::server_metadata)),
    ];
    for (pattern, route) in routes {
        cfg.service(
            web::resource(pattern)
                .name(pattern)
                .route(route)
                .default_service(web::to(fallback::method_not_allowed)),
        );
    }
    cfg.default_service(web::to(fallback::not_found));
}

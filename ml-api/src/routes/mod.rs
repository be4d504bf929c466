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
mod models;
mod oip;
mod oip_versions;
mod openapi;
mod page;
mod predict;

use actix_web::{Route, guard, web};

use crate::configuration::AdminToken;

pub use fallback::not_found;

/// Registers every route and the 404 fallback. Without an admin token the
/// admin routes do not exist (404), rather than answering 401.
pub fn configure(cfg: &mut web::ServiceConfig) {
    configure_with(cfg, None);
}

/// Route patterns whose `{version}` names the model that serves them (the
/// middleware labels their metrics by it).
pub const VERSION_PARAM: &str = "version";

/// Route patterns served by the champion (the middleware labels their
/// metrics with its name).
pub const CHAMPION_ROUTES: [&str; 6] = [
    "/v1/predict/regression",
    "/v1/explain/regression",
    "/v1/model",
    "/v2/models/{name}",
    "/v2/models/{name}/ready",
    "/v2/models/{name}/infer",
];

/// A GET route that answers HEAD too: the same status and headers, no
/// body (actix-http leaves the body out of an answer to HEAD). RFC 9110
/// §9.3.2 asks a server that answers GET to answer HEAD; with `web::get()`
/// alone, `curl -I /health` got 405.
fn get_or_head() -> Route {
    web::route().guard(guard::Any(guard::Get()).or(guard::Head()))
}

/// [`configure`], plus `POST /admin/reload` and `POST /admin/promote` when
/// `admin_token` is set.
pub fn configure_with(cfg: &mut web::ServiceConfig, admin_token: Option<&AdminToken>) {
    // For every route: extractor errors in the common error body.
    cfg.app_data(fallback::path_config())
        .app_data(fallback::query_config());
    if let Some(token) = admin_token {
        let admin: [(&str, Route); 2] = [
            ("/admin/reload", web::post().to(admin::reload_model)),
            ("/admin/promote", web::post().to(admin::promote)),
        ];
        for (pattern, route) in admin {
            cfg.service(
                web::resource(pattern)
                    .name(pattern)
                    .app_data(web::Data::new(token.clone()))
                    .route(route)
                    .default_service(web::to(fallback::method_not_allowed)),
            );
        }
    }
    // `/v1/models/compare` before `/v1/models/{version}`: resources match
    // in this order (and `compare` is not a model name).
    let routes: [(&str, Route); 23] = [
        ("/", get_or_head().to(page::page)),
        ("/health", get_or_head().to(health::health)),
        ("/ready", get_or_head().to(health::ready)),
        ("/version", get_or_head().to(health::version)),
        ("/metrics", get_or_head().to(metrics::metrics)),
        ("/openapi.json", get_or_head().to(openapi::openapi)),
        ("/v1/model", get_or_head().to(model::model)),
        ("/v1/predict/regression", web::post().to(predict::predict)),
        ("/v1/explain/regression", web::post().to(explain::explain)),
        ("/v1/models", get_or_head().to(models::list)),
        ("/v1/models/compare", get_or_head().to(models::compare)),
        ("/v1/models/{version}", get_or_head().to(models::card)),
        (
            "/v1/models/{version}/predict/regression",
            web::post().to(predict::predict_version),
        ),
        ("/v1/monitoring/drift", get_or_head().to(drift::drift)),
        ("/v2/health/live", get_or_head().to(oip::live)),
        ("/v2/health/ready", get_or_head().to(oip::ready)),
        ("/v2/models/{name}", get_or_head().to(oip::metadata)),
        (
            "/v2/models/{name}/ready",
            get_or_head().to(oip::model_ready),
        ),
        ("/v2/models/{name}/infer", web::post().to(oip::infer)),
        (
            "/v2/models/{name}/versions/{version}",
            get_or_head().to(oip_versions::metadata),
        ),
        (
            "/v2/models/{name}/versions/{version}/ready",
            get_or_head().to(oip_versions::ready),
        ),
        (
            "/v2/models/{name}/versions/{version}/infer",
            web::post().to(oip_versions::infer),
        ),
        ("/v2", get_or_head().to(oip::server_metadata)),
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

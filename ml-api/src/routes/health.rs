//! Liveness, readiness and version.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;

/// `GET /health`: the process answers. Always `200 ok`.
pub async fn health() -> &'static str {
    "ok"
}

/// `GET /ready`: 200 once a verified model is in the slot, 503 while it is empty.
///
/// # Errors
/// 503 `model_not_ready` with an empty model slot.
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let loaded = state.model.current()?;
    Ok(HttpResponse::Ok().json(json!({
        "status": "ready",
        "model_version": loaded.model.metadata.model_version,
        "model_source": loaded.source.public_name(),
    })))
}

/// `GET /version`: the served model's version and this API's (contract) version.
///
/// # Errors
/// 503 `model_not_ready` with an empty model slot.
pub async fn version(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let loaded = state.model.current()?;
    Ok(HttpResponse::Ok().json(json!({
        "model_version": loaded.model.metadata.model_version,
        "api_version": env!("CARGO_PKG_VERSION"),
    })))
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test};

    use crate::configuration::{InputSample, Limits};
    use crate::models::Models;
    use crate::state::AppState;

    #[actix_web::test]
    async fn ready_is_503_with_the_common_error_body_while_the_model_slot_is_empty() {
        let limits = Limits {
            max_body_bytes: 1024,
            max_rows: 1,
            max_explain_rows: 1,
            max_json_depth: 32,
            max_header_bytes: 1 << 14,
            body_timeout: std::time::Duration::from_secs(1),
        };
        let state = AppState::new(Models::empty(), limits, InputSample::EVERY);
        let app = test::init_service(
            App::new()
                .app_data(actix_web::web::Data::new(state))
                .app_data(limits)
                .configure(crate::routes::configure),
        )
        .await;
        for path in ["/ready", "/v1/predict/regression"] {
            let method = if path == "/ready" { "GET" } else { "POST" };
            let request = test::TestRequest::default()
                .method(method.parse().unwrap())
                .uri(path)
                .insert_header(("content-type", "application/json"))
                .set_payload("[{}]")
                .to_request();
            let response = test::call_service(&app, request).await;
            assert_eq!(response.status(), 503, "{path}");
            let body: serde_json::Value = test::read_body_json(response).await;
            assert_eq!(body["error"]["code"], "model_not_ready", "{path}");
        }
        let request = test::TestRequest::get()
            .uri("/v2/health/ready")
            .to_request();
        assert_eq!(test::call_service(&app, request).await.status(), 503);
        let request = test::TestRequest::get().uri("/health").to_request();
        assert_eq!(test::call_service(&app, request).await.status(), 200);
    }
}

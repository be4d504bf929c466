//! Answers for unknown paths (404), unsupported methods (405) and URLs
//! whose path or query a route's extractor cannot read (404, 400), in the
//! error body of the protocol the path belongs to.

use actix_web::error::QueryPayloadError;
use actix_web::{HttpRequest, web};

use crate::error::{ApiError, Error, Protocol, clip};

/// Longest extractor message passed on to a client.
const MESSAGE_CHARS: usize = 200;

fn protocol(req: &HttpRequest) -> Protocol {
    if req.path().starts_with("/v2/") || req.path() == "/v2" {
        Protocol::Oip
    } else {
        Protocol::V1
    }
}

/// # Errors
/// Always: 404 naming the path.
pub async fn not_found(req: HttpRequest) -> Result<&'static str, ApiError> {
    Err(ApiError {
        error: Error::NotFound(format!("{} {}", req.method(), clip(req.path(), 100))),
        protocol: protocol(&req),
    })
}

/// # Errors
/// Always: 405 naming the method.
pub async fn method_not_allowed(req: HttpRequest) -> Result<&'static str, ApiError> {
    Err(ApiError {
        error: Error::MethodNotAllowed(req.method().to_string()),
        protocol: protocol(&req),
    })
}

/// Path segments that do not fit a route's parameters: 404, as for a path
/// no route has. actix's default is a `text/plain` body.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|error, req| {
        ApiError {
            error: Error::NotFound(clip(&error.to_string(), MESSAGE_CHARS)),
            protocol: protocol(req),
        }
        .into()
    })
}

/// A query string a route cannot read (`?model=a&model=b`): 400
/// `invalid_query` in the route's error body, where actix answered
/// `text/plain` ("Query deserialize error: ...").
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|error, req| {
        let problem = match &error {
            QueryPayloadError::Deserialize(e) => e.to_string(),
            other => other.to_string(),
        };
        ApiError {
            error: Error::InvalidQuery(clip(&problem, MESSAGE_CHARS)),
            protocol: protocol(req),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test};

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Which {
        model: Option<String>,
    }

    #[actix_web::test]
    async fn a_query_error_is_answered_in_the_error_body_of_the_paths_protocol() {
        let app = test::init_service(App::new().app_data(query_config()).service(
            web::resource(["/v1/q", "/v2/q"]).to(|which: web::Query<Which>| async move {
                which.into_inner().model.unwrap_or_default()
            }),
        ))
        .await;
        for (path, code) in [
            ("/v1/q", serde_json::json!("invalid_query")),
            ("/v2/q", serde_json::Value::Null),
        ] {
            let request = test::TestRequest::get()
                .uri(&format!("{path}?model=a&model=b"))
                .to_request();
            let response = test::call_service(&app, request).await;
            assert_eq!(response.status(), 400, "{path}");
            let body: serde_json::Value = test::read_body_json(response).await;
            assert!(body["error"].is_object() == code.is_string(), "{body}");
            assert_eq!(body["error"]["code"], code, "{body}");
        }
    }
}

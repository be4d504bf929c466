//! `GET /openapi.json`: the OpenAPI 3 description of the v1 routes.

use actix_web::HttpResponse;

pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(crate::openapi::document())
}

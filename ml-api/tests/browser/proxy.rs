//! A reverse proxy like an ingress that serves the API under a path prefix:
//! `/ml/x` goes to the backend's `/x`, the prefix stripped and no
//! `X-Forwarded-Prefix` sent, so the page must get by on relative URLs.

use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer};

#[derive(Clone, Copy)]
struct Backend {
    prefix: &'static str,
    port: u16,
}

/// Starts the proxy on a free port (in the current actix system) and
/// returns the port.
pub fn start(prefix: &'static str, backend_port: u16) -> u16 {
    let backend = Backend {
        prefix,
        port: backend_port,
    };
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(backend))
            .default_service(web::to(forward))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .expect("the proxy binds");
    let port = server.addrs()[0].port();
    actix_web::rt::spawn(server.run());
    port
}

async fn forward(req: HttpRequest, body: Bytes, backend: web::Data<Backend>) -> HttpResponse {
    let Some(rest) = req
        .path()
        .strip_prefix(backend.prefix)
        .filter(|r| r.starts_with('/'))
    else {
        return HttpResponse::NotFound().body("outside the proxied prefix");
    };
    let query = req.query_string();
    let url = format!(
        "http://127.0.0.1:{}{rest}{}{query}",
        backend.port,
        if query.is_empty() { "" } else { "?" }
    );
    let mut outgoing = awc::Client::default().request(req.method().clone(), url);
    for name in [header::CONTENT_TYPE, header::ACCEPT] {
        if let Some(value) = req.headers().get(&name) {
            outgoing = outgoing.insert_header((name, value.clone()));
        }
    }
    let Ok(mut response) = outgoing.send_body(body).await else {
        return HttpResponse::BadGateway().finish();
    };
    let body = response.body().limit(4 << 20).await.unwrap_or_default();
    let mut reply = HttpResponse::build(response.status());
    for (name, value) in response.headers() {
        if name != header::CONTENT_LENGTH && name != header::TRANSFER_ENCODING {
            reply.insert_header((name.clone(), value.clone()));
        }
    }
    reply.body(body)
}

//! Every configurable limit holds, and is answered with the common error
//! body where HTTP leaves room for one.

use std::time::Duration;

use crate::helpers::{spawn_app, spawn_app_with};
use crate::raw::exchange;

const PREDICT: &str = "/v1/predict/regression";

fn head(path: &str, extra: &str) -> Vec<u8> {
    format!("POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n{extra}")
        .into_bytes()
}

#[actix_web::test]
async fn headers_over_max_header_bytes_return_431_with_the_common_error_body() {
    let app = spawn_app_with(&[("MAX_HEADER_BYTES", "2048")]).await;

    let response = app
        .client
        .get(format!("{}/health", app.address))
        .insert_header(("x-padding", "p".repeat(4096)))
        .send()
        .await
        .expect("answered");
    let reply = crate::helpers::read(response).await;

    assert_eq!(reply.status, 431);
    assert_eq!(reply.error_code(), "headers_too_large");
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_head_over_actix_s_own_limit_returns_431_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let huge = format!("X-Padding: {}\r\n\r\n", "p".repeat(200 * 1024));

    let reply = exchange(
        &app.address,
        format!("GET /health HTTP/1.1\r\nHost: t\r\n{huge}").into_bytes(),
        Duration::ZERO,
        Vec::new(),
        Duration::from_secs(10),
    )
    .await;

    assert_eq!(reply.status(), Some(431), "{}", reply.text);
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn more_json_nesting_than_max_json_depth_returns_400() {
    let app = spawn_app_with(&[("MAX_JSON_DEPTH", "4")]).await;
    let five_levels = r#"[{"GrLivArea": [[[1]]]}]"#;

    let reply = app
        .post(PREDICT, Some("application/json"), five_levels)
        .await;

    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "malformed_json");
    assert!(
        reply.text().contains("deeper than 4 levels"),
        "{}",
        reply.text()
    );
}

#[actix_web::test]
async fn a_csv_body_with_more_records_than_max_rows_returns_413_before_parsing() {
    let app = spawn_app_with(&[("MAX_ROWS", "5")]).await;
    let body = format!("Id\n{}", "1\n".repeat(6));

    let reply = app.post(PREDICT, Some("text/csv"), body).await;

    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "too_many_rows");
}

#[actix_web::test]
async fn a_client_that_does_not_finish_its_head_gets_408_and_is_disconnected() {
    let app = spawn_app_with(&[("CLIENT_REQUEST_TIMEOUT", "1")]).await;

    let reply = exchange(
        &app.address,
        b"GET /health HTTP/1.1\r\nHost: t\r\n".to_vec(),
        Duration::ZERO,
        Vec::new(),
        Duration::from_secs(10),
    )
    .await;

    assert_eq!(reply.status(), Some(408), "{}", reply.text);
    assert!(
        reply.elapsed < Duration::from_secs(5),
        "{:?}",
        reply.elapsed
    );
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn a_client_that_does_not_finish_its_body_gets_408_with_the_common_error_body() {
    let app = spawn_app_with(&[("BODY_TIMEOUT", "0.3")]).await;

    let reply = exchange(
        &app.address,
        head(PREDICT, "Content-Length: 100\r\n\r\n[{\"Id\": 1"),
        Duration::ZERO,
        Vec::new(),
        Duration::from_secs(10),
    )
    .await;

    assert_eq!(reply.status(), Some(408), "{}", reply.text);
    assert!(reply.text.contains("\"request_timeout\""), "{}", reply.text);
    assert!(
        reply
            .text
            .to_ascii_lowercase()
            .contains("connection: close")
    );
    assert!(
        reply.elapsed < Duration::from_secs(5),
        "{:?}",
        reply.elapsed
    );
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn an_idle_keep_alive_connection_is_closed_after_keep_alive_seconds() {
    let app = spawn_app_with(&[("KEEP_ALIVE", "0.3")]).await;

    let reply = exchange(
        &app.address,
        b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n".to_vec(),
        Duration::ZERO,
        Vec::new(),
        Duration::from_secs(10),
    )
    .await;

    assert_eq!(reply.status(), Some(200), "{}", reply.text);
    assert!(
        reply.elapsed < Duration::from_secs(5),
        "closed after {:?}",
        reply.elapsed
    );
}

#[actix_web::test]
async fn slow_clients_cannot_hold_the_connections_of_a_worker() {
    let app = spawn_app_with(&[("MAX_CONNECTIONS", "2"), ("CLIENT_REQUEST_TIMEOUT", "1")]).await;
    let slow = || {
        exchange(
            &app.address,
            b"GET /health HTTP/1.1\r\n".to_vec(),
            Duration::ZERO,
            Vec::new(),
            Duration::from_secs(10),
        )
    };

    // Two slow clients take both connections of the only worker; a third
    // waits in the accept queue until the head timeout frees one.
    let (first, second, health) = futures_util::future::join3(slow(), slow(), async {
        // Long enough for both slow clients to hold their connections.
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
        let started = std::time::Instant::now();
        (app.get("/health").await.status, started.elapsed())
    })
    .await;

    assert_eq!(first.status(), Some(408));
    assert_eq!(second.status(), Some(408));
    assert_eq!(health.0, 200);
    assert!(
        health.1 >= Duration::from_millis(500),
        "waited {:?}: the connection limit did not hold",
        health.1
    );
    assert!(health.1 < Duration::from_secs(8), "waited {:?}", health.1);
}

//! Whether the server speaks HTTP/2 at all. It matters for RUSTSEC-2026-0258
//! (h2 0.3: unbounded empty DATA frames), which `deny.toml` ignores on the
//! grounds these tests check: the server binds plain TCP through
//! `HttpServer::listen`, which hands every connection to the HTTP/1
//! dispatcher, so neither an h2c prior-knowledge preface nor an
//! `Upgrade: h2c` request reaches h2. Test builds do compile h2 (the `awc`
//! test client turns on actix-http's `http2`), so these tests show the
//! server refuses HTTP/2 even where the code for it is present; the shipped
//! binary does not contain h2 at all (`.ci/run` checks that with
//! `cargo tree`).

use std::time::Duration;

use crate::helpers::spawn_app;
use crate::raw::exchange;

/// The client connection preface of RFC 9113 §3.4, as an h2c client with
/// prior knowledge sends it, followed by an empty SETTINGS frame
/// (length 0, type 0x4, no flags, stream 0).
fn h2c_prior_knowledge() -> Vec<u8> {
    let mut bytes = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec();
    bytes.extend_from_slice(&[0, 0, 0, 0x4, 0, 0, 0, 0, 0]);
    bytes
}

/// Would an HTTP/2 server's reply start with its SETTINGS frame? The
/// server's connection preface is a SETTINGS frame on stream 0: bytes 3
/// and 5..9 of its 9-byte header are fixed.
fn starts_with_an_h2_settings_frame(reply: &[u8]) -> bool {
    reply.len() >= 9 && reply[3] == 0x4 && reply[5..9] == [0, 0, 0, 0]
}

#[actix_web::test]
async fn an_h2c_prior_knowledge_preface_is_refused_with_an_http1_400_and_a_closed_connection() {
    let app = spawn_app().await;
    let give_up = Duration::from_secs(10);

    let reply = exchange(
        &app.address,
        h2c_prior_knowledge(),
        Duration::ZERO,
        Vec::new(),
        give_up,
    )
    .await;

    assert!(
        !starts_with_an_h2_settings_frame(reply.text.as_bytes()),
        "{:?}",
        reply.text
    );
    assert!(reply.text.starts_with("HTTP/1.1 "), "{:?}", reply.text);
    assert_eq!(reply.status(), Some(400), "{:?}", reply.text);
    // Closed by the server, not cut off by our read timeout.
    assert!(reply.elapsed < give_up, "{:?}", reply.elapsed);
    app.assert_still_serving().await;
}

#[actix_web::test]
async fn an_upgrade_to_h2c_is_not_taken_and_the_request_is_answered_over_http1() {
    let app = spawn_app().await;
    let request = "GET /health HTTP/1.1\r\nHost: test\r\n\
                   Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\
                   HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n";

    // The connection may stay open after the answer; three seconds is
    // ample to read it, and a 101 would come before the answer anyway.
    let reply = exchange(
        &app.address,
        request.as_bytes().to_vec(),
        Duration::ZERO,
        Vec::new(),
        Duration::from_secs(3),
    )
    .await;

    assert_eq!(reply.status(), Some(200), "{:?}", reply.text);
    assert!(!reply.text.contains(" 101 "), "{:?}", reply.text);
    assert!(reply.text.ends_with("\r\n\r\nok"), "{:?}", reply.text);
    app.assert_still_serving().await;
}

#[test]
fn the_h2_settings_frame_check_recognises_an_h2_servers_first_frame() {
    // A server preface: SETTINGS with one setting (MAX_CONCURRENT_STREAMS).
    let settings = [0, 0, 6, 0x4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100];

    assert!(starts_with_an_h2_settings_frame(&settings));
    assert!(!starts_with_an_h2_settings_frame(
        b"HTTP/1.1 400 Bad Request\r\n"
    ));
}

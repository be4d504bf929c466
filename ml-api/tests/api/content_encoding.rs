//! `Content-Encoding`: the service decompresses nothing, so a body in any
//! coding but `identity` is refused with 415 naming the header, on every
//! route that reads a body and in the error body of its protocol.

use std::time::Duration;

use crate::helpers::{spawn_app, valid_records};
use crate::raw::{RawReply, exchange};

/// POSTs `body` to `path` as JSON labelled with `encoding`, on its own
/// connection, and reads the whole answer (headers included).
async fn post_encoded(address: &str, path: &str, encoding: &str, body: &[u8]) -> RawReply {
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Encoding: {encoding}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    exchange(
        address,
        request,
        Duration::ZERO,
        Vec::new(),
        Duration::from_secs(10),
    )
    .await
}

/// The body after the head of a raw answer.
fn body_of(reply: &RawReply) -> serde_json::Value {
    let (_, body) = reply
        .text
        .split_once("\r\n\r\n")
        .expect("a head and a body");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {}", reply.text))
}

#[actix_web::test]
async fn a_gzip_body_gets_415_naming_content_encoding_not_a_utf8_error() {
    let app = spawn_app().await;
    // The first bytes of a gzip stream: not UTF-8.
    let gzip = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff];

    let reply = post_encoded(&app.address, "/v1/predict/regression", "gzip", &gzip).await;

    assert_eq!(reply.status(), Some(415), "{}", reply.text);
    let error = &body_of(&reply)["error"];
    assert_eq!(error["code"], "unsupported_content_encoding", "{error}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("Content-Encoding `gzip`"), "{message}");
    let head = reply.text.to_ascii_lowercase();
    assert!(
        head.contains("\r\naccept-encoding: identity\r\n"),
        "{}",
        reply.text
    );
}

#[actix_web::test]
async fn a_plain_body_labelled_br_is_refused_and_one_labelled_identity_is_served() {
    let app = spawn_app().await;
    let records = crate::helpers::as_json(&valid_records()[..1]).to_string();
    let infer = crate::helpers::infer_body(&valid_records()[..1]).to_string();

    let br = post_encoded(
        &app.address,
        "/v1/predict/regression",
        "br",
        records.as_bytes(),
    )
    .await;
    let oip = post_encoded(
        &app.address,
        "/v2/models/regression-model/infer",
        "deflate",
        infer.as_bytes(),
    )
    .await;
    let identity = post_encoded(
        &app.address,
        "/v1/predict/regression",
        "identity",
        records.as_bytes(),
    )
    .await;

    assert_eq!(br.status(), Some(415), "{}", br.text);
    assert_eq!(
        body_of(&br)["error"]["code"],
        "unsupported_content_encoding"
    );
    assert_eq!(oip.status(), Some(415), "{}", oip.text);
    let message = body_of(&oip)["error"].as_str().unwrap().to_owned();
    assert!(message.contains("Content-Encoding `deflate`"), "{message}");
    assert_eq!(identity.status(), Some(200), "{}", identity.text);
}

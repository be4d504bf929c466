//! Fuzzed requests sent over HTTP to the running server (see
//! [`crate::fuzz`] for the mutations): never a 5xx, always an error body.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use crate::fuzz::{cases, config, mutated, seeds};
use crate::helpers::spawn_app;

/// Fuzz cases sent over HTTP to the running server.
const HTTP_CASES: u32 = 400;

#[actix_web::test]
async fn fuzzed_requests_over_http_are_never_answered_with_a_5xx() {
    let app = spawn_app().await;
    let bodies = [seeds("json"), seeds("csv"), seeds("oip")].concat();
    let request = (
        prop::sample::select(vec![
            "/v1/predict/regression",
            "/v2/models/regression-model/infer",
        ]),
        prop::sample::select(vec![
            Some("application/json"),
            Some("text/csv"),
            Some("application/vnd.api+json; charset=utf-8"),
            Some("text/plain"),
            None,
        ]),
        mutated(bodies),
    );
    let mut runner = TestRunner::new(config(HTTP_CASES));

    for _ in 0..cases(HTTP_CASES) {
        let (path, content_type, body) = request.new_tree(&mut runner).unwrap().current();
        let shown = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();

        let reply = app.post(path, content_type, body).await;

        assert!(
            reply.status < 500,
            "{path} {content_type:?} {shown:?}: {}",
            reply.text()
        );
        if reply.status >= 400 {
            assert!(reply.json().get("error").is_some(), "{}", reply.text());
        }
    }
    app.assert_still_serving().await;
}

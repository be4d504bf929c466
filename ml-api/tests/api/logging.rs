//! Prediction inputs and outputs in the log, and the log's bounds: line
//! size, escaping, input sampling. The sink and the byte budget are
//! process-wide, so their tests run the real binary ([`sink`]).

mod sink;

use crate::helpers::{as_json, log_lines, spawn_app, spawn_app_with, valid_records};

fn lines_of(request_id: &str) -> Vec<String> {
    let tag = format!("request_id={request_id} ");
    log_lines()
        .into_iter()
        .filter(|l| l.contains(&tag))
        .collect()
}

/// The input line of the request `id`, if it was logged.
fn input_line(id: &str) -> Option<String> {
    lines_of(id)
        .into_iter()
        .find(|l| l.contains("[ml_api::input]"))
}

/// The bytes of a log line, as written (it ends with a newline).
fn written_bytes(line: &str) -> usize {
    line.len() + 1
}

#[actix_web::test]
async fn a_prediction_logs_its_input_and_output_in_separate_lines_with_request_id_and_model_version()
 {
    let app = spawn_app_with(&[("LOG_INPUT_SAMPLE", "1")]).await;

    let reply = app.predict(&as_json(&valid_records()[..1])).await;

    let id = reply.request_id.expect("x-request-id");
    let lines = lines_of(&id);
    let version = format!("model_version={}", regression_model::MODEL_VERSION);
    let input = input_line(&id).expect("an input line");
    let output = lines
        .iter()
        .find(|l| l.contains("[ml_api::output]"))
        .expect("an output line");
    assert!(input.contains(&version) && output.contains(&version));
    assert!(input.contains("\"GrLivArea\""), "{input}");
    // The output line holds counts, not the prices it sent back.
    assert!(output.contains("predicted=1"), "{output}");
    assert!(!output.contains("\"price\""), "{output}");
}

#[actix_web::test]
async fn with_an_input_sample_of_zero_only_the_output_is_logged() {
    let app = spawn_app_with(&[("LOG_INPUT_SAMPLE", "0")]).await;

    let reply = app.predict(&as_json(&valid_records()[..1])).await;

    let lines = lines_of(&reply.request_id.expect("x-request-id"));
    assert!(!lines.iter().any(|l| l.contains("[ml_api::input]")));
    assert!(lines.iter().any(|l| l.contains("[ml_api::output]")));
}

#[actix_web::test]
async fn by_default_about_one_input_in_a_hundred_is_logged() {
    let app = spawn_app().await;
    let body = as_json(&valid_records()[..1]);
    let mut ids = Vec::new();

    for _ in 0..2000 {
        let reply = app.predict(&body).await;
        assert_eq!(reply.status, 200);
        ids.push(format!("request_id={} ", reply.request_id.unwrap()));
    }

    let sampled = log_lines()
        .iter()
        .filter(|l| l.contains("[ml_api::input]") && ids.iter().any(|id| l.contains(id)))
        .count();
    // 1% of 2000 is 20; 0 or more than 60 are each less likely than 1e-8.
    assert!(
        (1..=60).contains(&sampled),
        "{sampled} inputs of 2000 logged"
    );
}

#[actix_web::test]
async fn an_input_longer_than_the_line_limit_is_cut_and_marked_with_its_size() {
    let app = spawn_app_with(&[("LOG_INPUT_SAMPLE", "1")]).await;
    let body = as_json(&valid_records()[..60]).to_string();
    assert!(body.len() > 32 * 1024, "{}", body.len());

    let reply = app
        .post(
            "/v1/predict/regression",
            Some("application/json"),
            body.clone(),
        )
        .await;

    assert_eq!(reply.status, 200);
    let input = input_line(&reply.request_id.unwrap()).expect("an input line");
    assert!(written_bytes(&input) <= 16 * 1024, "{}", input.len());
    assert!(written_bytes(&input) > 15 * 1024, "{}", input.len());
    let (kept, marker) = input.rsplit_once(" … [cut: ").expect("a cut marker");
    let size: usize = marker
        .strip_suffix(" bytes]")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a size in {marker}"));
    assert!(size > body.len(), "{size} <= {}", body.len());
    let logged = &kept[kept.find(" input=").expect("input=") + 7..];
    assert!(logged.len() > 15 * 1024 && body.starts_with(logged));
}

#[actix_web::test]
async fn control_characters_sent_by_a_client_are_escaped_in_the_log() {
    let app = spawn_app_with(&[("LOG_INPUT_SAMPLE", "1")]).await;
    let body = "[{\"MSZoning\": \"RL\u{1b}[2J\u{7}\t\u{85}\u{202e}\u{0}\"},\r\n\u{8}]";

    let reply = app
        .post("/v1/predict/regression", Some("application/json"), body)
        .await;

    assert!((400..500).contains(&reply.status), "{}", reply.status);
    let input = input_line(&reply.request_id.unwrap()).expect("an input line");
    assert!(
        input.contains(r"RL\x1b[2J\x07\t\u{85}\u{202e}\x00"),
        "{input}"
    );
    assert!(input.contains(r"\r\n\x08]"), "{input}");
    let raw = log_lines().concat();
    assert!(
        !raw.chars().any(char::is_control),
        "a raw control character"
    );
    assert!(!raw.contains('\u{202e}'));
}

#[actix_web::test]
async fn bytes_that_are_not_utf8_are_logged_as_hex_escapes() {
    let app = spawn_app_with(&[("LOG_INPUT_SAMPLE", "1")]).await;
    let body = b"[{\"MSZoning\": \"R\xffL\xc3\"}]".to_vec();

    let reply = app
        .post("/v1/predict/regression", Some("application/json"), body)
        .await;

    assert_eq!(reply.status, 400, "{}", reply.text());
    let input = input_line(&reply.request_id.unwrap()).expect("an input line");
    assert!(input.contains(r#""R\xffL\xc3""#), "{input}");
    assert!(!input.contains('\u{fffd}'), "{input}");
}

#[actix_web::test]
async fn a_malformed_request_head_is_logged_as_a_warning_not_an_error() {
    let app = spawn_app().await;

    let reply = crate::raw::exchange(
        &app.address,
        b"GET /health HTTP/9.9\r\nHost: t\r\n\r\n".to_vec(),
        std::time::Duration::ZERO,
        Vec::new(),
        std::time::Duration::from_secs(5),
    )
    .await;

    assert_eq!(reply.status(), Some(400), "{}", reply.text);
    let actix = |level: &str| -> Vec<String> {
        let tag = format!(" {level} [actix_http::h1");
        log_lines()
            .into_iter()
            .filter(|l| l.contains(&tag))
            .collect()
    };
    let warned = crate::raw::eventually(std::time::Duration::from_secs(5), async || {
        actix("WARN").iter().any(|l| l.contains("parse error"))
    })
    .await;
    assert!(warned, "no warning: {:?}", actix("WARN"));
    assert_eq!(actix("ERROR"), Vec::<String>::new());
}

//! `GET /metrics` after a few requests.

use crate::helpers::{TestApp, as_json, spawn_app, spawn_app_with, valid_records};

#[actix_web::test]
async fn metrics_count_requests_latency_rows_and_name_the_model_version() {
    let app = spawn_app().await;
    let mut records = as_json(&valid_records()[..2]);
    records[1]["GrLivArea"] = serde_json::json!(-1);
    app.predict(&records).await;
    app.get("/health").await;
    app.get("/no-such-page").await;

    let reply = app.get("/metrics").await;

    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type.starts_with("text/plain"),
        "{}",
        reply.content_type
    );
    let text = reply.text();
    let v = regression_model::MODEL_VERSION;
    for expected in [
        format!(
            r#"ml_api_http_requests_total{{route="/v1/predict/regression",model_version="{v}",status="200"}} 1"#
        ),
        r#"ml_api_http_requests_total{route="/health",model_version="",status="200"} 1"#.into(),
        r#"ml_api_http_requests_total{route="unmatched",model_version="",status="404"} 1"#.into(),
        format!(
            r#"ml_api_http_request_duration_seconds_bucket{{route="/v1/predict/regression",model_version="{v}",status="200",le="+Inf"}} 1"#
        ),
        r#"ml_api_http_request_duration_seconds_count{route="/health",model_version="",status="200"} 1"#.into(),
        "# TYPE ml_api_http_request_duration_seconds histogram".into(),
        format!(r#"ml_api_rows_predicted_total{{model_version="{v}"}} 1"#),
        format!(r#"ml_api_rows_rejected_total{{model_version="{v}"}} 1"#),
        format!(r#"ml_api_field_errors_total{{model_version="{v}",field="GrLivArea"}} 1"#),
        format!(r#"ml_api_stage_duration_seconds_count{{model_version="{v}",stage="predict"}} 1"#),
        format!(r#"ml_api_stage_duration_seconds_count{{model_version="{v}",stage="validate"}} 1"#),
        format!(r#"ml_api_stage_duration_seconds_count{{model_version="{v}",stage="parse"}} 1"#),
        format!(r#"ml_api_stage_duration_seconds_count{{model_version="{v}",stage="serialise"}} 1"#),
    ] {
        assert!(text.contains(&expected), "missing `{expected}` in\n{text}");
    }
    let info = format!("model_version=\"{}\"", regression_model::MODEL_VERSION);
    assert!(
        text.lines()
            .any(|l| l.starts_with("ml_api_model_info{") && l.contains(&info) && l.ends_with(" 1"))
    );
}

/// A worker kept busy gives its CPU away and counts it; with
/// `YIELD_INTERVAL_US=0` it never does. An interval of 1 µs makes every
/// request that starts right after another's work a candidate. The requests
/// are pipelined on one connection, so the worker finds each next one
/// already buffered and never waits for the client in between: on a machine
/// busy with other tests, separate clients arrived too far apart for any
/// request to start right after another's work. Preemption can still break
/// a run, so the rounds repeat until one counts.
#[actix_web::test]
async fn a_busy_worker_yields_its_cpu_and_counts_it_unless_told_never_to() {
    let eager = spawn_app_with(&[("YIELD_INTERVAL_US", "1")]).await;
    let never = spawn_app_with(&[("YIELD_INTERVAL_US", "0")]).await;
    let records: Vec<_> = valid_records().into_iter().cycle().take(30).collect();
    let body = as_json(&records);
    let mut yields = 0;
    for _ in 0..50 {
        let statuses = eight_pipelined(&eager, &body).await;
        assert_eq!(statuses, [200; 8]);
        eight_pipelined(&never, &body).await;
        yields = worker_yields(&eager).await;
        if yields > 0 {
            break;
        }
    }

    assert!(
        yields > 0,
        "no yield in 50 rounds of four concurrent batches"
    );
    assert_eq!(worker_yields(&never).await, 0);
}

/// Eight prediction requests written at once on one connection; returns
/// their status codes.
async fn eight_pipelined(app: &TestApp, body: &serde_json::Value) -> Vec<u16> {
    use std::io::{Read, Write};
    let address = app.address.trim_start_matches("http://").to_owned();
    let body = body.to_string();
    actix_web::rt::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        let one = format!(
            "POST /v1/predict/regression HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let last = one.replacen("Host: x\r\n", "Host: x\r\nConnection: close\r\n", 1);
        stream
            .write_all((one.repeat(7) + &last).as_bytes())
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
            .match_indices("HTTP/1.1 ")
            .map(|(at, _)| answer[at + 9..at + 12].parse().unwrap())
            .collect()
    })
    .await
    .unwrap()
}

async fn worker_yields(app: &TestApp) -> u64 {
    let text = app.get("/metrics").await.text();
    text.lines()
        .find_map(|line| line.strip_prefix("ml_api_worker_yields_total "))
        .unwrap_or_else(|| panic!("no ml_api_worker_yields_total in\n{text}"))
        .parse()
        .unwrap()
}

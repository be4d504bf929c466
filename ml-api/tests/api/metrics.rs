//! `GET /metrics` after a few requests.

use crate::helpers::{Reply, TestApp, as_json, spawn_app, spawn_app_with, valid_records};

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
    for expected in [
        r#"ml_api_http_requests_total{route="/v1/predict/regression",status="200"} 1"#,
        r#"ml_api_http_requests_total{route="/health",status="200"} 1"#,
        r#"ml_api_http_requests_total{route="unmatched",status="404"} 1"#,
        r#"ml_api_http_request_duration_seconds_bucket{route="/v1/predict/regression",status="200",le="+Inf"} 1"#,
        r#"ml_api_http_request_duration_seconds_count{route="/health",status="200"} 1"#,
        "# TYPE ml_api_http_request_duration_seconds histogram",
        "ml_api_rows_predicted_total 1",
        "ml_api_rows_rejected_total 1",
        r#"ml_api_field_errors_total{field="GrLivArea"} 1"#,
    ] {
        assert!(text.contains(expected), "missing `{expected}` in\n{text}");
    }
    let info = format!("model_version=\"{}\"", regression_model::MODEL_VERSION);
    assert!(
        text.lines()
            .any(|l| l.starts_with("ml_api_model_info{") && l.contains(&info) && l.ends_with(" 1"))
    );
}

/// A worker kept busy gives its CPU away and counts it; with
/// `YIELD_INTERVAL_US=0` it never does. An interval of 1 µs makes every
/// request that starts right after another's work (four at once on one
/// worker) a candidate; a machine busy with other tests may still keep the
/// worker off its CPU for a while, so the batches repeat until one counts.
#[actix_web::test]
async fn a_busy_worker_yields_its_cpu_and_counts_it_unless_told_never_to() {
    let eager = spawn_app_with(&[("YIELD_INTERVAL_US", "1")]).await;
    let never = spawn_app_with(&[("YIELD_INTERVAL_US", "0")]).await;
    let records: Vec<_> = valid_records().into_iter().cycle().take(30).collect();
    let body = as_json(&records);
    let mut yields = 0;
    for _ in 0..50 {
        for reply in four_at_once(&eager, &body).await {
            assert_eq!(reply.status, 200);
        }
        four_at_once(&never, &body).await;
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

async fn four_at_once(app: &TestApp, body: &serde_json::Value) -> Vec<Reply> {
    futures_util::future::join_all((0..4).map(|_| app.predict(body))).await
}

async fn worker_yields(app: &TestApp) -> u64 {
    let text = app.get("/metrics").await.text();
    text.lines()
        .find_map(|line| line.strip_prefix("ml_api_worker_yields_total "))
        .unwrap_or_else(|| panic!("no ml_api_worker_yields_total in\n{text}"))
        .parse()
        .unwrap()
}

//! `GET /metrics` after a few requests.

use crate::helpers::{as_json, spawn_app, valid_records};

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

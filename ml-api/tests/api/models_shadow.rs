//! Shadow scoring: with `SHADOW_SAMPLE=1` the challenger (`b` of
//! [`crate::model_pair`]) scores every champion request in the background,
//! and `/v1/models/compare` and `/metrics` report how the two differ.

use std::time::Duration;

use regression_model::{Column, ColumnKind};
use serde_json::json;

use crate::helpers::as_json;
use crate::model_pair::{common_records, library_prices, model_b, spawn_two};
use crate::raw::eventually;

#[actix_web::test]
async fn with_shadow_sample_1_the_challenger_scores_every_champion_request() {
    let (app, _dir, _, _) = spawn_two(&[("SHADOW_SAMPLE", "1")]).await;
    let mut records = common_records(3);
    // A record only the champion refuses: a number it reads (and `b` does
    // not) that does not parse.
    let shipped = regression_model::shipped_model().unwrap();
    let only_a: Column = shipped
        .pipeline
        .features()
        .into_iter()
        .find(|c| c.kind() == ColumnKind::Numeric && !model_b().pipeline.features().contains(c))
        .expect("a numeric column only the shipped model reads");
    let mut body = as_json(&records);
    let mut odd = body[0].clone();
    odd[only_a.name()] = json!("not a number");
    body.as_array_mut().unwrap().push(odd);
    records.truncate(3);

    for _ in 0..4 {
        assert_eq!(app.predict(&body).await.status, 200);
    }
    // Versioned routes are not shadowed.
    app.post_json("/v1/models/b/predict/regression", &body)
        .await;

    let compared = eventually(Duration::from_secs(10), async || {
        app.get("/v1/models/compare").await.json()["pairs"][0]["requests"] == 4
    })
    .await;
    let compare = app.get("/v1/models/compare").await.json();
    assert!(compared, "{compare}");
    let pair = &compare["pairs"][0];
    assert_eq!(
        (pair["champion"].as_str(), pair["challenger"].as_str()),
        (Some("a"), Some("b"))
    );
    assert_eq!(pair["rows_compared"], 12);
    assert_eq!(pair["rows_refused_by_champion_only"], 4);
    assert_eq!(pair["rows_refused_by_challenger_only"], 0);
    let expected_max = library_prices(shipped, &records)
        .iter()
        .zip(library_prices(&model_b(), &records))
        .map(|(a, b)| (a.ln() - b.ln()).abs())
        .fold(0.0, f64::max);
    let max = pair["abs_log_diff"]["max"].as_f64().unwrap();
    assert!(
        (max - expected_max).abs() < 1e-12,
        "{max} vs {expected_max}"
    );
    assert_eq!(compare["requests_dropped"], 0);
    let metrics = app.get("/metrics").await.text();
    for expected in [
        r#"ml_api_shadow_rows_compared_total{champion="a",challenger="b"} 12"#,
        r#"ml_api_shadow_rows_refused_total{champion="a",challenger="b",refused_by="champion"} 4"#,
        r#"ml_api_shadow_abs_log_price_diff_count{champion="a",challenger="b"} 12"#,
        "ml_api_shadow_requests_dropped_total 0",
        r#"ml_api_rows_predicted_total{model_version="a"} 12"#,
        r#"ml_api_rows_predicted_total{model_version="b"} 4"#,
        r#"ml_api_http_requests_total{route="/v1/models/{version}/predict/regression",model_version="b",status="200"} 1"#,
        r#"ml_api_http_requests_total{route="/v1/predict/regression",model_version="a",status="200"} 4"#,
    ] {
        assert!(
            metrics.contains(expected),
            "missing `{expected}` in\n{metrics}"
        );
    }
}

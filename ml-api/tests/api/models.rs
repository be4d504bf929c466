//! Several models in one process (`a` and `b` of [`crate::model_pair`]):
//! `MODELS`, the aliases `champion` and `challenger`, the versioned routes
//! (v1 and OIP), promotion and rollback, and bad artifacts at start-up and
//! at reload.

use ml_api::startup::Application;
use regression_model::{TrainedModel, VersionPolicy};
use serde_json::json;

use crate::helpers::{as_json, infer_body, spawn_app_with, test_settings, valid_records};
use crate::model_pair::{
    TOKEN, admin, artifacts, common_records, library_prices, model_b, model_b_bytes, prices,
    spawn_two,
};

#[actix_web::test]
async fn two_models_are_listed_and_each_answers_on_its_own_routes() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = common_records(3);
    let body = as_json(&records);
    let shipped = regression_model::shipped_model().unwrap();

    let listed = app.get("/v1/models").await.json();
    let by_b = app
        .post_json("/v1/models/b/predict/regression", &body)
        .await;
    let by_challenger = app
        .post_json("/v1/models/challenger/predict/regression", &body)
        .await;
    let by_a = app
        .post_json("/v1/models/a/predict/regression", &body)
        .await;
    let unversioned = app.predict(&body).await;
    let oip_b = app
        .post_json(
            "/v2/models/regression-model/versions/b/infer",
            &infer_body(&records),
        )
        .await;
    let oip_meta = app
        .get("/v2/models/regression-model/versions/b")
        .await
        .json();
    let card = app.get("/v1/models/b").await.json();

    assert_eq!(listed["champion"], "a");
    assert_eq!(listed["challenger"], "b");
    assert_eq!(listed["models"][0]["aliases"], json!(["champion"]));
    assert_eq!(listed["models"][1]["aliases"], json!(["challenger"]));
    assert_eq!(listed["models"][1]["source"], "file in MODELS");
    assert!(
        !listed.to_string().contains("postcard"),
        "no server paths: {listed}"
    );
    let b_prices = library_prices(&model_b(), &records);
    assert_eq!(prices(&by_b), b_prices);
    assert_eq!(prices(&by_challenger), b_prices);
    assert_eq!(prices(&by_a), library_prices(shipped, &records));
    assert_eq!(prices(&unversioned), prices(&by_a));
    assert_ne!(prices(&by_a), b_prices);
    assert_eq!(oip_b.status, 200, "{}", oip_b.text());
    let oip_prices: Vec<f64> = oip_b.json()["outputs"][0]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(oip_prices, b_prices);
    assert_eq!(oip_meta["versions"], json!(["b"]));
    assert_eq!(
        card["model_version"],
        format!("{}-gen1", regression_model::MODEL_VERSION)
    );
}

#[actix_web::test]
async fn an_unknown_version_is_a_404_with_the_error_body_of_its_protocol() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = as_json(&valid_records()[..1]);

    let v1 = app
        .post_json("/v1/models/nope/predict/regression", &records)
        .await;
    let card = app.get("/v1/models/nope").await;
    let v2 = app
        .post_json(
            "/v2/models/regression-model/versions/nope/infer",
            &infer_body(&valid_records()[..1]),
        )
        .await;
    let v2_meta = app.get("/v2/models/regression-model/versions/nope").await;

    assert_eq!(v1.status, 404);
    assert_eq!(v1.error_code(), "unknown_version");
    assert_eq!(card.status, 404);
    assert_eq!(card.error_code(), "unknown_version");
    for reply in [v2, v2_meta] {
        assert_eq!(reply.status, 404);
        assert!(
            reply.json()["error"]
                .as_str()
                .is_some_and(|m| m.contains("nope")),
            "{}",
            reply.text()
        );
    }
}

#[actix_web::test]
async fn promote_swaps_champion_and_challenger_and_promoting_again_rolls_back() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = common_records(2);
    let body = as_json(&records);
    let a_prices = prices(&app.predict(&body).await);
    let b_prices = library_prices(&model_b(), &records);

    let refused = admin(&app, "/admin/promote", Some("wrong-token-wrong-token")).await;
    let promoted = admin(&app, "/admin/promote", Some(TOKEN)).await;
    let after_promote = prices(&app.predict(&body).await);
    let listed = app.get("/v1/models").await.json();
    let rolled_back = admin(&app, "/admin/promote", Some(TOKEN)).await;
    let after_rollback = prices(&app.predict(&body).await);

    assert_eq!(refused.status, 401);
    assert_eq!(promoted.status, 200, "{}", promoted.text());
    let swap = promoted.json();
    assert_eq!(swap["champion"]["name"], "b");
    assert_eq!(swap["challenger"]["name"], "a");
    assert_eq!(
        swap["champion"]["artifact_sha256"].as_str().unwrap().len(),
        64
    );
    assert_eq!(after_promote, b_prices);
    assert_eq!(
        (listed["champion"].as_str(), listed["challenger"].as_str()),
        (Some("b"), Some("a"))
    );
    assert_eq!(rolled_back.json()["champion"]["name"], "a");
    assert_eq!(after_rollback, a_prices);
    let metrics = app.get("/metrics").await.text();
    assert!(
        metrics.contains("ml_api_model_promotions_total 2"),
        "{metrics}"
    );
    let swaps = crate::helpers::log_lines()
        .into_iter()
        .filter(|l| l.contains("promote: champion is now b") && l.contains("sha256"))
        .count();
    assert!(
        swaps >= 1,
        "each swap is logged with versions and checksums"
    );
}

#[actix_web::test]
async fn promote_without_a_challenger_is_a_409() {
    let app = spawn_app_with(&[("MODELS", "a=shipped"), ("ADMIN_TOKEN", TOKEN)]).await;

    let reply = admin(&app, "/admin/promote", Some(TOKEN)).await;

    assert_eq!(reply.status, 409);
    assert_eq!(reply.error_code(), "no_challenger");
}

#[actix_web::test]
async fn requests_during_promotions_never_fail_and_each_is_priced_by_one_model_throughout() {
    let (app, _dir, _, _) = spawn_two(&[]).await;
    let records = common_records(4);
    let body = as_json(&records);
    let shipped = regression_model::shipped_model().unwrap();
    let by_version = [
        (
            shipped.metadata.model_version.clone(),
            library_prices(shipped, &records),
        ),
        (
            model_b().metadata.model_version.clone(),
            library_prices(&model_b(), &records),
        ),
    ];

    let promotions = async {
        for _ in 0..10 {
            assert_eq!(admin(&app, "/admin/promote", Some(TOKEN)).await.status, 200);
        }
    };
    let predictions = async {
        let mut replies = Vec::new();
        for _ in 0..60 {
            replies.push(app.predict(&body).await);
        }
        replies
    };
    let ((), replies) = futures_util::future::join(promotions, predictions).await;

    for reply in &replies {
        let version = reply.json()["version"].as_str().unwrap().to_owned();
        let expected = &by_version.iter().find(|(v, _)| *v == version).unwrap().1;
        assert_eq!(&prices(reply), expected, "all rows priced by {version}");
    }
}

#[actix_web::test]
async fn a_bad_artifact_in_models_stops_start_up_with_a_message_naming_the_entry() {
    let (dir, _, b) = artifacts();
    let bad = dir.path().join("bad.postcard");
    std::fs::write(&bad, b"not a model").unwrap();
    let models = format!("good={},bad={}", b.display(), bad.display());

    let error = Application::build(test_settings(&[("MODELS", &models)]))
        .err()
        .expect("start-up fails");

    let message = error.to_string();
    assert!(message.contains("MODELS entry `bad`"), "{message}");
    assert!(message.contains("bad.postcard"), "{message}");
}

#[actix_web::test]
async fn a_bad_artifact_at_reload_is_refused_and_every_model_keeps_serving() {
    let (app, dir, a, b) = spawn_two(&[]).await;
    let records = as_json(&common_records(2));
    let before = app.get("/v1/models").await.json();
    std::fs::write(&b, b"garbage").unwrap();
    let mut relabelled = TrainedModel::from_bytes(
        regression_model::shipped_bytes().unwrap(),
        "a",
        VersionPolicy::Any,
    )
    .unwrap();
    relabelled.metadata.model_version = "9.9.9".into();
    std::fs::write(&a, relabelled.to_bytes().unwrap()).unwrap();

    let refused = admin(&app, "/admin/reload", Some(TOKEN)).await;

    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.error_code(), "artifact_rejected");
    assert!(
        refused.text().contains("MODELS entry `b`"),
        "{}",
        refused.text()
    );
    // Not "the model a keeps serving", as if `a` had replaced `b`.
    assert!(
        refused
            .text()
            .contains("nothing was swapped in: every model (`a`, `b`) keeps serving as it was"),
        "{}",
        refused.text()
    );
    assert!(!refused.text().contains(dir.path().to_str().unwrap()));
    assert_eq!(
        app.get("/v1/models").await.json(),
        before,
        "nothing was swapped"
    );
    for path in [
        "/v1/models/a/predict/regression",
        "/v1/models/b/predict/regression",
    ] {
        assert_eq!(app.post_json(path, &records).await.status, 200, "{path}");
    }

    std::fs::write(&b, model_b_bytes()).unwrap();
    let reloaded = admin(&app, "/admin/reload", Some(TOKEN)).await;

    assert_eq!(reloaded.status, 200, "{}", reloaded.text());
    let listed = app.get("/v1/models").await.json();
    assert_eq!(listed["models"][0]["name"], "a", "a MODELS name stays");
    assert_eq!(listed["models"][0]["model_version"], "9.9.9");
    assert_eq!(app.predict(&records).await.json()["version"], "9.9.9");
}

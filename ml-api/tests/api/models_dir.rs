//! `MODELS_DIR`: a folder whose `models.toml` lists the models. A good
//! folder is served as listed; each kind of bad listing or artifact stops
//! start-up naming the file and the entry; a reload reads the changed
//! folder, and refuses a bad one while every model keeps serving.

use std::path::Path;

use ml_api::startup::Application;
use serde_json::json;
use tempfile::TempDir;

use crate::helpers::{TestApp, as_json, spawn_app_with, try_test_settings};
use crate::model_pair::{
    TOKEN, admin, common_records, library_prices, model_b, model_b_bytes, prices,
};

/// `a` and `b` side by side in one listing.
const A_AND_B: &str = "champion = \"b\"\nchallenger = \"a\"\n\
    [[model]]\nname = \"a\"\npath = \"a.postcard\"\n\
    [[model]]\nname = \"b\"\npath = \"models/b.postcard\"\n";

/// A folder with `a.postcard` (the shipped artifact), `models/b.postcard`
/// (model `b`), `bad.postcard` (not a model) and `listing` as `models.toml`.
fn folder(listing: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("models")).unwrap();
    std::fs::write(
        root.join("a.postcard"),
        regression_model::shipped_bytes().unwrap(),
    )
    .unwrap();
    std::fs::write(root.join("models/b.postcard"), model_b_bytes()).unwrap();
    std::fs::write(root.join("bad.postcard"), b"not a model").unwrap();
    list(root, listing);
    dir
}

fn list(dir: &Path, listing: &str) {
    std::fs::write(dir.join("models.toml"), listing).unwrap();
}

async fn spawn(dir: &TempDir) -> TestApp {
    let path = dir.path().to_str().unwrap();
    spawn_app_with(&[("MODELS_DIR", path), ("ADMIN_TOKEN", TOKEN)]).await
}

/// Why start-up fails with these settings (settings or models).
fn start_up_error(vars: &[(&str, &str)]) -> String {
    match try_test_settings(vars).and_then(Application::build) {
        Ok(_) => panic!("start-up succeeds with {vars:?}"),
        Err(error) => error.to_string(),
    }
}

#[actix_web::test]
async fn a_models_dir_folder_serves_the_listed_models_with_the_listed_aliases() {
    let dir = folder(A_AND_B);
    let app = spawn(&dir).await;
    let records = common_records(3);
    let body = as_json(&records);

    let listed = app.get("/v1/models").await.json();
    let unversioned = app.predict(&body).await;
    let by_a = app
        .post_json("/v1/models/a/predict/regression", &body)
        .await;

    assert_eq!(listed["champion"], "b");
    assert_eq!(listed["challenger"], "a");
    assert_eq!(listed["models"][0]["source"], "file in MODELS_DIR");
    assert!(
        !listed.to_string().contains("postcard"),
        "no server paths: {listed}"
    );
    assert_eq!(prices(&unversioned), library_prices(&model_b(), &records));
    assert_eq!(
        prices(&by_a),
        library_prices(regression_model::shipped_model().unwrap(), &records)
    );
}

#[actix_web::test]
async fn each_bad_folder_stops_start_up_naming_models_toml_and_the_entry() {
    let entry =
        |name: &str, path: &str| format!("[[model]]\nname = \"{name}\"\npath = \"{path}\"\n");
    let cases = [
        (
            format!("{}weight = 2\n", entry("a", "a.postcard")),
            vec!["unknown field `weight`"],
        ),
        (
            format!(
                "{}{}",
                entry("a", "a.postcard"),
                entry("a", "models/b.postcard")
            ),
            vec!["entry 2 (`a`)", "twice"],
        ),
        (
            entry("c", "c.postcard"),
            vec!["entry 1 (`c`)", "`c.postcard` is not a file"],
        ),
        (
            format!(
                "{}{}{}",
                entry("a", "a.postcard"),
                entry("b", "models/b.postcard"),
                entry("c", "a.postcard")
            ),
            vec!["entry 3 (`c`)", "MAX_MODELS (2)"],
        ),
        (
            format!("challenger = \"d\"\n{}", entry("a", "a.postcard")),
            vec!["challenger = `d` names no listed model"],
        ),
        (
            format!("{}{}", entry("a", "a.postcard"), entry("c", "bad.postcard")),
            vec!["models.toml entry `c`", "bad.postcard"],
        ),
    ];
    for (listing, words) in cases {
        let dir = folder(&listing);
        let path = dir.path().to_str().unwrap();

        let message = start_up_error(&[("MODELS_DIR", path), ("MAX_MODELS", "2")]);

        assert!(message.contains("models.toml"), "{listing}: {message}");
        for word in words {
            assert!(message.contains(word), "{listing}: {message}");
        }
    }
}

#[actix_web::test]
async fn models_dir_with_models_or_an_alias_setting_stops_start_up() {
    let dir = folder(A_AND_B);
    let path = dir.path().to_str().unwrap();

    for other in ["MODELS", "CHAMPION"] {
        let message = start_up_error(&[("MODELS_DIR", path), (other, "a=shipped")]);

        assert!(
            message.contains(&format!("MODELS_DIR and {other} cannot both be set")),
            "{message}"
        );
    }
}

#[actix_web::test]
async fn a_reload_reads_the_changed_folder_and_serves_what_it_now_lists() {
    let dir = folder("[[model]]\nname = \"a\"\npath = \"a.postcard\"\n");
    let app = spawn(&dir).await;
    let records = common_records(2);
    let body = as_json(&records);
    let before = app.get("/v1/models").await.json();
    list(dir.path(), A_AND_B);

    let added = admin(&app, "/admin/reload", Some(TOKEN)).await;
    let listed = app.get("/v1/models").await.json();
    let unversioned = app.predict(&body).await;

    assert_eq!(before["models"].as_array().unwrap().len(), 1);
    assert_eq!(added.status, 200, "{}", added.text());
    assert_eq!(added.json()["models"].as_array().unwrap().len(), 2);
    assert_eq!(
        (&listed["champion"], &listed["challenger"]),
        (&json!("b"), &json!("a"))
    );
    assert_eq!(prices(&unversioned), library_prices(&model_b(), &records));

    list(
        dir.path(),
        "[[model]]\nname = \"b\"\npath = \"models/b.postcard\"\n",
    );
    let removed = admin(&app, "/admin/reload", Some(TOKEN)).await;

    assert_eq!(removed.status, 200, "{}", removed.text());
    assert_eq!(
        app.post_json("/v1/models/a/predict/regression", &body)
            .await
            .status,
        404,
        "a is no longer listed"
    );
    assert_eq!(
        app.get("/v1/models").await.json()["challenger"],
        json!(null)
    );
}

#[actix_web::test]
async fn a_bad_folder_at_reload_is_refused_and_every_model_keeps_serving() {
    let dir = folder(A_AND_B);
    let app = spawn(&dir).await;
    let body = as_json(&common_records(2));
    let before = app.get("/v1/models").await.json();
    let three = format!("{A_AND_B}[[model]]\nname = \"c\"\npath = \"bad.postcard\"\n");
    let cases = [
        (format!("{A_AND_B}shadow = 1\n"), "unknown field `shadow`"),
        (three, "models.toml entry `c`"),
        (
            A_AND_B.replace("a.postcard", "gone.postcard"),
            "`gone.postcard` is not a file",
        ),
    ];

    for (listing, words) in cases {
        list(dir.path(), &listing);

        let refused = admin(&app, "/admin/reload", Some(TOKEN)).await;

        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.error_code(), "artifact_rejected");
        assert!(refused.text().contains(words), "{}", refused.text());
        assert!(
            !refused.text().contains(dir.path().to_str().unwrap()),
            "no server paths: {}",
            refused.text()
        );
        assert_eq!(
            app.get("/v1/models").await.json(),
            before,
            "nothing swapped"
        );
        for path in [
            "/v1/predict/regression",
            "/v1/models/a/predict/regression",
            "/v1/models/b/predict/regression",
        ] {
            assert_eq!(app.post_json(path, &body).await.status, 200, "{path}");
        }
    }
}

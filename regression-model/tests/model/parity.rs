//! Parity with the Python reference (scikit-learn + feature-engine) on the
//! real data: every test prediction within 1e-6 (relative), same rejections.

use std::collections::BTreeMap;

use regression_model::TrainOptions;

use crate::helpers::{config, fixture, real_data};

/// `Id -> Some(price)`, or `None` for a row the reference rejected.
fn reference(name: &str) -> BTreeMap<i64, Option<f64>> {
    let path = fixture(&format!("python-reference/{name}-test-predictions.csv"));
    let mut reader = csv::Reader::from_path(&path).expect("reference predictions");
    reader
        .records()
        .map(|r| {
            let r = r.expect("reference row");
            (r[0].parse().expect("Id"), r[1].parse().ok())
        })
        .collect()
}

fn check_parity(name: &str) {
    let Some(data) = real_data() else { return };
    let rows = regression_model::read_csv_file(&data.join("train.csv")).unwrap();
    let (model, _) = regression_model::train(
        &config(name),
        &rows,
        "real",
        TrainOptions {
            holdout: 0.0,
            seed: 0,
        },
    )
    .unwrap();
    let test = regression_model::read_csv_file(&data.join("test.csv")).unwrap();
    let response = model.predict_rows(&test.rows);
    let expected = reference(name);
    let ours: BTreeMap<i64, f64> = response
        .predictions
        .iter()
        .map(|p| (p.id.unwrap(), p.price))
        .collect();
    assert_eq!(expected.len(), test.rows.len());
    let mut worst = 0.0f64;
    for (id, reference_price) in &expected {
        match (reference_price, ours.get(id)) {
            (Some(r), Some(o)) => worst = worst.max(((o - r) / r).abs()),
            (None, None) => {}
            (r, o) => panic!("{name}: Id {id}: reference {r:?}, ours {o:?} (rejections differ)"),
        }
    }
    assert!(worst <= 1e-6, "{name}: worst relative difference {worst:e}");
    eprintln!(
        "{name}: {} predictions, worst relative difference {worst:e}",
        ours.len()
    );
}

#[test]
fn generation_2_matches_the_python_reference_on_every_test_row() {
    check_parity("generation-2");
}

#[test]
fn generation_1_matches_the_python_reference_on_every_test_row() {
    check_parity("generation-1");
}

#[test]
fn the_default_model_on_the_project_split_matches_the_reference_hold_out_metrics() {
    let Some(data) = real_data() else { return };
    let rows = regression_model::read_csv_file(&data.join("train.csv")).unwrap();
    let (_, report) = regression_model::train(
        &config("generation-2"),
        &rows,
        "real",
        TrainOptions {
            holdout: 0.1,
            seed: 0,
        },
    )
    .unwrap();
    let text = std::fs::read_to_string(fixture("python-reference/holdout-metrics.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let reference_rmse = json["configs"]["generation-2"]["project_split"]["rmse"]
        .as_f64()
        .expect("reference RMSE");
    let ours = report.holdout_metrics.unwrap().rmse;
    assert!(
        ((ours - reference_rmse) / reference_rmse).abs() < 1e-6,
        "ours {ours}, reference {reference_rmse}"
    );
}

//! Kernel ridge (`generation-4-krr.toml`), trained on the synthetic
//! fixture: the artifact is reproducible and thread-independent, and the
//! stored model predicts what the fitted one does.

use regression_model::{TrainedModel, VersionPolicy};

use crate::helpers::{config, synthetic_test, train_on_threads};

fn train_on(threads: usize) -> (Vec<u8>, Vec<u64>) {
    let (bytes, prices, report) = train_on_threads(&config("generation-4-krr"), threads);
    let holdout = report.holdout_metrics.unwrap();
    assert!(holdout.rmsle < 0.3, "{holdout}");
    (bytes, prices)
}

#[test]
fn kernel_ridge_retrains_byte_identically_and_predicts_the_same_on_one_and_two_threads() {
    let (one, prices_one) = train_on(1);
    let (two, prices_two) = train_on(2);
    assert!(one == two, "the artifacts of 1 and 2 threads differ");
    assert_eq!(prices_one, prices_two);
    assert!(prices_one.len() > 100, "{} rows priced", prices_one.len());

    let loaded = TrainedModel::from_bytes(&one, "krr", VersionPolicy::Exact).unwrap();
    let reloaded: Vec<u64> = loaded
        .predict_rows(&synthetic_test().rows)
        .predictions
        .iter()
        .map(|p| p.price.to_bits())
        .collect();
    assert_eq!(
        reloaded, prices_one,
        "the stored model predicts differently"
    );
    assert_eq!(loaded.metadata.estimator, "kernel_ridge");
    assert!(!loaded.pipeline.has_trees());
}

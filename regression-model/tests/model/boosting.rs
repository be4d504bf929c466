//! Generation 4's estimators: gradient-boosted trees and the stacked blend,
//! trained on the synthetic fixture; determinism across thread counts and
//! what a stack records.

use regression_model::VersionPolicy;
use regression_model::tune::{self, GridParam};
use regression_model::{CheckedConfig, PipelineConfig, TrainedModel};

use crate::helpers::{config, quick_stack, train_on_threads};

/// `name` with fewer trees (a debug build fits 1000 slowly; the number of
/// trees changes nothing that these tests check).
fn small(name: &str, trees_at: &str) -> CheckedConfig {
    let grid: GridParam = format!("{trees_at}=80").parse().unwrap();
    tune::expand(&config(name), &[grid])
        .unwrap()
        .remove(0)
        .config
}

#[test]
fn boosted_trees_retrain_byte_identically_and_predict_the_same_on_one_and_two_threads() {
    let gbm = small("generation-4-gbm", "estimator.n_trees");
    let (one, prices_one, _) = train_on_threads(&gbm, 1);
    let (two, prices_two, report) = train_on_threads(&gbm, 2);
    assert!(one == two, "the artifacts of 1 and 2 threads differ");
    assert_eq!(prices_one, prices_two);
    assert!(
        prices_one.len() > 100,
        "{} test rows priced",
        prices_one.len()
    );
    assert_eq!(train_on_threads(&gbm, 2).0, one, "a retraining differs");
    let holdout = report.holdout_metrics.unwrap();
    assert!(holdout.rmsle < 0.3, "{holdout}");
}

#[test]
fn a_stack_learns_weights_summing_to_one_and_records_its_out_of_fold_score() {
    let stack = quick_stack(80);
    let (one, prices_one, report) = train_on_threads(&stack, 1);
    let (two, prices_two, _) = train_on_threads(&stack, 2);
    assert!(one == two, "the stacks of 1 and 2 threads differ");
    assert_eq!(prices_one, prices_two);

    let model = TrainedModel::from_bytes(&one, "stack", VersionPolicy::Exact).unwrap();
    let members = model.pipeline.members().expect("generation-4 is a stack");
    let weights: Vec<f64> = members.iter().map(|m| m.weight).collect();
    assert!(weights.iter().all(|w| *w >= 0.0), "{weights:?}");
    assert!(
        (weights.iter().sum::<f64>() - 1.0).abs() < 1e-9,
        "{weights:?}"
    );
    let recorded = report.stacking.expect("the report records the stack");
    let oof = &recorded.out_of_fold;
    assert_eq!((oof.folds, oof.member_rmsle.len()), (3, 3));
    // The learnt average is never worse out of fold than its best member
    // (that member alone is one of the candidate weightings).
    let best_member = oof
        .member_rmsle
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    assert!(oof.rmsle <= best_member + 1e-12, "{oof:?}");
    assert_eq!(
        recorded.weights.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        weights
    );
    assert_eq!(recorded.weights[1].0, "generation-4-gbm");
    assert_eq!(recorded.weights[2].0, "generation-4-svr");
}

#[test]
fn stacking_and_fixed_weights_do_not_mix() {
    let member = r#"{ name = "m", features = ["GrLivArea"], estimator = { model = "lasso", alpha = 0.001 } }"#;
    let blend = |stacking: &str, weight: &str| {
        format!(
            "name = \"b\"\n{stacking}\n[estimator]\nmodel = \"blend\"\nmembers = [{{ {weight} config = {member} }}]\n"
        )
    };
    let error = |text: String| {
        PipelineConfig::from_toml(&text, "b.toml")
            .unwrap_err()
            .to_string()
    };
    let stacked_with_weight = blend("", "weight = 1.0,").replace(
        "model = \"blend\"",
        "model = \"blend\"\nstacking = { folds = 5 }",
    );
    assert!(error(stacked_with_weight).contains("stacking learns the weights"));
    assert!(error(blend("", "")).contains("has no weight"));
    let one_fold = blend("", "").replace(
        "model = \"blend\"",
        "model = \"blend\"\nstacking = { folds = 1 }",
    );
    assert!(error(one_fold).contains("stacking.folds"));
}

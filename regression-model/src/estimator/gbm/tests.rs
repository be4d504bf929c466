use ndarray::Array2;

use super::fit::clip_at_quantile;
use super::tree::Node;
use super::*;

/// y = a step in column 0 plus a product of columns 1 and 2: something no
/// linear model fits, on 300 rows.
pub(super) fn data() -> (Array2<f64>, Vec<f64>) {
    let x = Array2::from_shape_fn((300, 4), |(i, j)| ((i * (2 * j + 3) + j * 7) % 41) as f64);
    let y = x
        .outer_iter()
        .map(|r| if r[0] > 20.0 { 10.0 } else { 0.0 } + 0.05 * r[1] * r[2])
        .collect();
    (x, y)
}

fn mse(p: &[f64], y: &[f64]) -> f64 {
    p.iter().zip(y).map(|(p, y)| (p - y).powi(2)).sum::<f64>() / y.len() as f64
}

#[test]
fn boosting_fits_a_step_and_an_interaction_far_better_than_the_mean() {
    let (x, y) = data();
    let model = GradientBoosting {
        n_trees: 200,
        learning_rate: 0.1,
        min_samples_leaf: 3,
        ..GradientBoosting::default()
    }
    .fit(&x, &y)
    .unwrap();
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let baseline = mse(&vec![mean; y.len()], &y);
    let fitted = mse(&model.predict(&x).unwrap(), &y);
    assert!(fitted < baseline / 50.0, "mse {fitted} vs {baseline}");
    assert_eq!(model.trees.len(), 200);
}

#[test]
fn one_and_two_threads_give_the_same_bytes_and_predictions() {
    let (x, y) = data();
    let params = GradientBoosting {
        n_trees: 60,
        subsample: 0.7,
        colsample: 0.75,
        seed: 3,
        ..GradientBoosting::default()
    };
    let fit_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let model = pool.install(|| params.fit(&x, &y)).unwrap();
        let predictions = pool.install(|| model.predict(&x)).unwrap();
        (postcard::to_stdvec(&model).unwrap(), predictions)
    };
    let (one, p1) = fit_on(1);
    let (two, p2) = fit_on(2);
    assert_eq!(one, two);
    assert_eq!(
        p1.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        p2.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
    );
    // Refitting gives the same bytes; another seed samples other rows.
    assert_eq!(fit_on(2).0, one);
    let other = GradientBoosting { seed: 4, ..params }.fit(&x, &y).unwrap();
    assert_ne!(postcard::to_stdvec(&other).unwrap(), one);
}

#[test]
fn a_postcard_round_trip_predicts_the_same() {
    let (x, y) = data();
    let model = GradientBoosting {
        n_trees: 20,
        ..GradientBoosting::default()
    }
    .fit(&x, &y)
    .unwrap();
    let back: BoostedTrees = postcard::from_bytes(&postcard::to_stdvec(&model).unwrap()).unwrap();
    assert_eq!(back, model);
    assert_eq!(back.predict(&x).unwrap(), model.predict(&x).unwrap());
}

#[test]
fn leaves_hold_at_least_min_samples_leaf_rows_and_depth_is_bounded() {
    let (x, y) = data();
    let params = GradientBoosting {
        n_trees: 5,
        max_depth: 3,
        min_samples_leaf: 40,
        ..GradientBoosting::default()
    };
    let model = params.fit(&x, &y).unwrap();
    for tree in &model.trees {
        // A depth-3 binary tree has at most 15 nodes; 300 rows in leaves
        // of >= 40 rows allow at most 7 leaves.
        let leaves = tree
            .nodes
            .iter()
            .filter(|n| matches!(n, Node::Leaf(_)))
            .count();
        assert!(tree.nodes.len() <= 15 && leaves <= 7, "{tree:?}");
        assert_eq!(tree.nodes.len(), 2 * leaves - 1);
    }
}

#[test]
fn bad_settings_and_values_are_refused_with_the_value_named() {
    let (x, y) = data();
    for (params, needle) in [
        (
            GradientBoosting {
                n_trees: 0,
                ..Default::default()
            },
            "n_trees",
        ),
        (
            GradientBoosting {
                learning_rate: 0.0,
                ..Default::default()
            },
            "learning_rate",
        ),
        (
            GradientBoosting {
                max_depth: 17,
                ..Default::default()
            },
            "max_depth",
        ),
        (
            GradientBoosting {
                max_bins: 257,
                ..Default::default()
            },
            "max_bins",
        ),
        (
            GradientBoosting {
                subsample: 1.5,
                ..Default::default()
            },
            "subsample",
        ),
        (
            GradientBoosting {
                colsample: f64::NAN,
                ..Default::default()
            },
            "colsample",
        ),
        (
            GradientBoosting {
                l2: -1.0,
                ..Default::default()
            },
            "l2",
        ),
    ] {
        let message = params.check().unwrap_err().to_string();
        assert!(message.contains(needle), "{message}");
    }
    let mut bad = x.clone();
    bad[(7, 2)] = f64::INFINITY;
    let message = GradientBoosting::default()
        .fit(&bad, &y)
        .unwrap_err()
        .to_string();
    assert!(message.contains("row 7, column 2"), "{message}");
    let model = GradientBoosting {
        n_trees: 2,
        ..Default::default()
    }
    .fit(&x, &y)
    .unwrap();
    assert!(model.predict(&Array2::zeros((1, 3))).is_err());
}

#[test]
fn a_constant_target_gives_leafless_stumps_that_predict_it() {
    let (x, _) = data();
    let y = vec![12.5; x.nrows()];
    let model = GradientBoosting {
        n_trees: 3,
        ..Default::default()
    }
    .fit(&x, &y)
    .unwrap();
    assert!(model.trees.iter().all(|t| t.nodes == vec![Node::Leaf(0.0)]));
    assert!(model.predict(&x).unwrap().iter().all(|p| *p == 12.5));
}

#[test]
fn huber_loss_lets_a_few_wild_targets_pull_the_trees_less() {
    let (x, mut y) = data();
    let clean = y.clone();
    // Every 25th row priced absurdly high.
    y.iter_mut().step_by(25).for_each(|v| *v += 500.0);
    let fit = |loss| {
        let model = GradientBoosting {
            n_trees: 150,
            learning_rate: 0.1,
            min_samples_leaf: 3,
            loss,
            ..GradientBoosting::default()
        }
        .fit(&x, &y)
        .unwrap();
        let p = model.predict(&x).unwrap();
        // Error on the rows that were not corrupted.
        let keep: Vec<usize> = (0..y.len()).filter(|i| i % 25 != 0).collect();
        let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
        mse(&pick(&p), &pick(&clean))
    };
    let (squared, huber) = (fit(Loss::Squared), fit(Loss::Huber));
    assert!(huber < squared / 2.0, "huber {huber}, squared {squared}");
}

#[test]
fn clipping_at_a_quantile_bounds_the_largest_residuals() {
    let mut values = vec![-100.0, 1.0, -2.0, 3.0, 50.0];
    clip_at_quantile(&mut values, 0.6, &mut Vec::new());
    assert_eq!(values, vec![-3.0, 1.0, -2.0, 3.0, 3.0]);
}

use ndarray::Array2;

use super::*;

/// 200 rows of 3 columns and a smooth target with a little noise.
fn data() -> (Array2<f64>, Vec<f64>) {
    let x = Array2::from_shape_fn((200, 3), |(i, j)| {
        (((i * 7919 + j * 104_729) % 1000) as f64 / 500.0) - 1.0
    });
    let y = x
        .outer_iter()
        .enumerate()
        .map(|(i, r)| (2.0 * r[0]).sin() + r[1] * r[1] - 0.5 * r[2] + 0.01 * ((i % 7) as f64 - 3.0))
        .collect();
    (x, y)
}

#[test]
fn it_fits_a_smooth_function_within_the_tube() {
    let (x, y) = data();
    let params = Svr {
        c: 10.0,
        epsilon: 0.05,
        gamma: Some(1.0),
        ..Svr::default()
    };
    let model = params.fit(&x, &y).unwrap();
    let predicted = model.predict(&x).unwrap();
    let worst = predicted
        .iter()
        .zip(&y)
        .map(|(p, t)| (p - t).abs())
        .fold(0.0, f64::max);
    assert!(worst < 0.15, "largest training error {worst}");
    assert!(model.iterations > 0 && model.iterations < params.max_iter);
    // Rows inside the tube are no support vectors.
    assert!(
        model.coefficients.len() < 200,
        "{}",
        model.coefficients.len()
    );
    assert!(
        model
            .coefficients
            .iter()
            .all(|c| c.abs() <= params.c + 1e-12)
    );
}

#[test]
fn bytes_and_predictions_are_the_same_for_any_thread_count() {
    let (x, y) = data();
    let fit = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let model = Svr::default().fit(&x, &y).unwrap();
            let predicted = model.predict(&x).unwrap();
            (postcard::to_allocvec(&model).unwrap(), predicted)
        })
    };
    let (one, two) = (fit(1), fit(2));
    assert_eq!(one.0, two.0);
    let bits = |v: &[f64]| v.iter().map(|p| p.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one.1), bits(&two.1));
    // And one row alone is priced as in the batch.
    let model: KernelModel = postcard::from_bytes(&one.0).unwrap();
    let row = x.slice(ndarray::s![17..18, ..]).to_owned();
    assert_eq!(
        model.predict(&row).unwrap()[0].to_bits(),
        one.1[17].to_bits()
    );
}

#[test]
fn bad_parameters_rows_and_values_are_refused() {
    let (x, y) = data();
    for bad in [
        Svr {
            c: 0.0,
            ..Svr::default()
        },
        Svr {
            epsilon: -1.0,
            ..Svr::default()
        },
        Svr {
            gamma: Some(f64::NAN),
            ..Svr::default()
        },
        Svr {
            max_iter: 0,
            ..Svr::default()
        },
    ] {
        assert!(bad.check().is_err(), "{bad:?}");
        assert!(bad.fit(&x, &y).is_err());
    }
    let mut infinite = x.clone();
    infinite[[3, 1]] = f64::INFINITY;
    assert!(Svr::default().fit(&infinite, &y).is_err());
    let many = Array2::zeros((MAX_TRAINING_ROWS + 1, 1));
    let message = Svr::default()
        .fit(&many, &vec![0.0; MAX_TRAINING_ROWS + 1])
        .unwrap_err()
        .to_string();
    assert!(message.contains("more than 10000"), "{message}");
}

#[test]
fn a_damaged_model_is_refused_not_read_past_its_vectors() {
    let (x, y) = data();
    let mut model = Svr::default().fit(&x, &y).unwrap();
    model.support.pop();
    assert!(model.check_shape().is_err());
    assert!(model.predict(&x).is_err());
}

/// scikit-learn 1.9.1's `SVR(kernel="rbf", tol=1e-3, shrinking=False)` on
/// [`data`]: intercept and predictions of rows 0, 1 and 50. libsvm keeps
/// the kernel in single precision, so the two solvers take slightly
/// different last steps: they agree to within the stopping tolerance.
#[test]
fn it_agrees_with_scikit_learn_to_within_the_solver_tolerance() {
    let (x, y) = data();
    let cases = [
        (
            10.0,
            0.05,
            Some(1.0),
            [0.308_955_149, -0.637_045_203, 1.196_573_678, 1.181_642_295],
        ),
        (
            3.0,
            0.01,
            Some(0.5),
            [0.474_393_946, -0.657_868_664, 1.205_067_704, 1.193_883_724],
        ),
        (
            1.0,
            0.1,
            None,
            [0.279_867_757, -0.588_799_276, 1.146_762_265, 1.131_610_688],
        ),
    ];
    for (c, epsilon, gamma, expected) in cases {
        let params = Svr {
            c,
            epsilon,
            gamma,
            ..Svr::default()
        };
        let model = params.fit(&x, &y).unwrap();
        let predicted = model.predict(&x).unwrap();
        let ours = [model.intercept, predicted[0], predicted[1], predicted[50]];
        for (a, b) in ours.iter().zip(expected) {
            assert!(
                (a - b).abs() < 2e-3,
                "{params:?}: {ours:?} against {expected:?}"
            );
        }
    }
}

/// [`data`] with six two-valued columns (as one-hot columns are once
/// standardised: two values, the rarer one at a quarter of the rows).
fn with_two_valued_columns() -> (Array2<f64>, Vec<f64>) {
    let (x, y) = data();
    let x = Array2::from_shape_fn((x.nrows(), 9), |(i, j)| match j {
        0..3 => x[[i, j]],
        _ if (i + 3 * j) % 4 == 0 => 1.7,
        _ => -0.6,
    });
    let y = y
        .iter()
        .enumerate()
        .map(|(i, t)| t + if x[[i, 4]] > 0.0 { 0.3 } else { 0.0 })
        .collect();
    (x, y)
}

#[test]
fn the_sparse_layout_predicts_what_the_dense_sum_does() {
    let (x, y) = with_two_valued_columns();
    let model = Svr {
        c: 3.0,
        epsilon: 0.01,
        gamma: Some(0.3),
        ..Svr::default()
    }
    .fit(&x, &y)
    .unwrap();
    let layout = KernelLayout::new(&model).expect("six columns take two values");
    let dense = model.predict(&x).unwrap();
    let sparse = model.predict_with(&layout, &x);
    for (d, s) in dense.iter().zip(&sparse) {
        assert!((d - s).abs() <= 1e-12 * d.abs().max(1.0), "{d} against {s}");
    }
    // One row alone is priced as in the batch.
    let row = x.slice(ndarray::s![7..8, ..]).to_owned();
    assert_eq!(
        model.predict_with(&layout, &row)[0].to_bits(),
        sparse[7].to_bits()
    );
    // A third value in a two-valued column takes the dense sum.
    let mut odd = row.clone();
    odd[[0, 4]] = 0.25;
    assert_eq!(
        model.predict_with(&layout, &odd)[0].to_bits(),
        model.predict(&odd).unwrap()[0].to_bits()
    );
    // Without a two-valued column there is no layout.
    let (x, y) = data();
    assert!(KernelLayout::new(&Svr::default().fit(&x, &y).unwrap()).is_none());
}

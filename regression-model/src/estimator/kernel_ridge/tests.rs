use ndarray::Array2;

use super::*;

/// 120 rows of 5 columns and a target with a product of two of them.
fn data() -> (Array2<f64>, Vec<f64>) {
    let x = Array2::from_shape_fn((120, 5), |(i, j)| {
        ((i * (2 * j + 3) + j * 5) % 17) as f64 / 4.0 - 2.0
    });
    let y = x
        .outer_iter()
        .enumerate()
        .map(|(i, r)| 1.5 * r[0] - r[1] + 0.7 * r[2] * r[3] + 12.0 + 0.01 * (i % 5) as f64)
        .collect();
    (x, y)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The dual form, solved by Gaussian elimination without the Cholesky
/// factor: `ȳ + Σᵢ aᵢ k(x, xᵢ)` with `(K + αI)a = y − ȳ`.
fn dual_predictions(params: &KernelRidge, x: &Array2<f64>, y: &[f64]) -> Vec<f64> {
    let rows: Vec<Vec<f64>> = x.outer_iter().map(|r| r.to_vec()).collect();
    let n = rows.len();
    let gamma = params.gamma.unwrap_or(1.0 / x.ncols() as f64);
    let k = |a: &[f64], b: &[f64]| (gamma * dot(a, b) + params.coef0).powi(params.degree as i32);
    let mean = y.iter().sum::<f64>() / n as f64;
    let mut a: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row: Vec<f64> = (0..n).map(|j| k(&rows[i], &rows[j])).collect();
            row[i] += params.alpha;
            row.push(y[i] - mean);
            row
        })
        .collect();
    for col in 0..n {
        let pivot = a[col].clone();
        for row in a.iter_mut().skip(col + 1) {
            let f = row[col] / pivot[col];
            row.iter_mut()
                .zip(&pivot)
                .skip(col)
                .for_each(|(c, p)| *c -= f * p);
        }
    }
    let mut dual = vec![0.0; n];
    for r in (0..n).rev() {
        let tail: f64 = (r + 1..n).map(|c| a[r][c] * dual[c]).sum();
        dual[r] = (a[r][n] - tail) / a[r][r];
    }
    rows.iter()
        .map(|x| {
            mean + rows
                .iter()
                .zip(&dual)
                .map(|(r, d)| d * k(x, r))
                .sum::<f64>()
        })
        .collect()
}

#[test]
fn the_expanded_model_predicts_what_the_dual_form_predicts() {
    let (x, y) = data();
    for params in [
        KernelRidge::default(),
        KernelRidge {
            alpha: 0.6,
            coef0: 2.5,
            ..KernelRidge::default()
        },
        KernelRidge {
            degree: 1,
            gamma: Some(0.3),
            ..KernelRidge::default()
        },
    ] {
        let model = params.fit(&x, &y).unwrap();
        let expected = dual_predictions(&params, &x, &y);
        for (got, want) in model.predict(&x).unwrap().iter().zip(&expected) {
            assert!((got - want).abs() < 1e-8, "{params:?}: {got} vs {want}");
        }
        assert_eq!(model.quadratic.is_empty(), params.degree == 1);
    }
}

#[test]
fn a_degree_2_kernel_fits_a_product_a_linear_one_cannot() {
    let (x, y) = data();
    let mse = |degree| {
        let params = KernelRidge {
            alpha: 0.01,
            degree,
            ..KernelRidge::default()
        };
        let p = params.fit(&x, &y).unwrap().predict(&x).unwrap();
        p.iter().zip(&y).map(|(p, y)| (p - y).powi(2)).sum::<f64>() / y.len() as f64
    };
    let (quadratic, linear) = (mse(2), mse(1));
    assert!(quadratic < 1e-3 && linear > 0.1, "{quadratic} vs {linear}");
}

#[test]
fn one_and_two_threads_give_the_same_bytes_and_a_row_the_same_price_in_any_batch() {
    let (x, y) = data();
    let fit_on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let model = pool.install(|| KernelRidge::default().fit(&x, &y)).unwrap();
        postcard::to_stdvec(&model).unwrap()
    };
    assert_eq!(fit_on(1), fit_on(2));
    let model = KernelRidge::default().fit(&x, &y).unwrap();
    let all = model.predict(&x).unwrap();
    let one = model
        .predict(&x.slice(ndarray::s![7..8, ..]).to_owned())
        .unwrap();
    assert_eq!(one[0].to_bits(), all[7].to_bits());
}

#[test]
fn parameters_and_shapes_are_checked() {
    for bad in [
        KernelRidge {
            alpha: 0.0,
            ..KernelRidge::default()
        },
        KernelRidge {
            degree: 3,
            ..KernelRidge::default()
        },
        KernelRidge {
            gamma: Some(-1.0),
            ..KernelRidge::default()
        },
        KernelRidge {
            coef0: f64::NAN,
            ..KernelRidge::default()
        },
    ] {
        assert!(bad.check().is_err(), "{bad:?}");
    }
    let (x, y) = data();
    let mut model = KernelRidge::default().fit(&x, &y).unwrap();
    assert!(model.check_shape().is_ok());
    assert!(model.predict(&Array2::zeros((1, 4))).is_err());
    model.quadratic.pop();
    assert!(model.check_shape().is_err());
    assert!(model.predict(&x).is_err());
}

#[test]
fn non_finite_features_are_refused_not_fitted() {
    let (mut x, y) = data();
    x[[3, 1]] = f64::NAN;
    assert!(KernelRidge::default().fit(&x, &y).is_err());
}

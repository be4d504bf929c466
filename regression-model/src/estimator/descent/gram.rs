//! Coordinate descent on the Gram matrix, scikit-learn's
//! `enet_coordinate_descent_gram`: for fits with many more rows than
//! columns (see [`GRAM_FROM_ROWS`](super::GRAM_FROM_ROWS)).

use super::{Penalty, Stop, dot_slices, gap_from};

/// `XᵀX`, `Xᵀy` and `y·y` of centred columns: all coordinate descent needs.
pub(super) struct Gram {
    p: usize,
    /// Row-major `p × p`, symmetric.
    h: Vec<f64>,
    q: Vec<f64>,
    y_norm2: f64,
}

impl Gram {
    pub(super) fn new(columns: &[Vec<f64>], y: &[f64]) -> Gram {
        use rayon::prelude::*;
        let p = columns.len();
        // Each row of the upper triangle on its own: rows are independent.
        let upper: Vec<Vec<f64>> = (0..p)
            .into_par_iter()
            .map(|j| {
                (j..p)
                    .map(|k| dot_slices(&columns[j], &columns[k]))
                    .collect()
            })
            .collect();
        let mut h = vec![0.0; p * p];
        for (j, row) in upper.iter().enumerate() {
            for (offset, value) in row.iter().enumerate() {
                let k = j + offset;
                h[j * p + k] = *value;
                h[k * p + j] = *value;
            }
        }
        Gram {
            p,
            h,
            q: columns.iter().map(|c| dot_slices(c, y)).collect(),
            y_norm2: dot_slices(y, y),
        }
    }

    fn row(&self, j: usize) -> &[f64] {
        &self.h[j * self.p..(j + 1) * self.p]
    }
}

/// [`coordinate_descent`] on the Gram matrix: it keeps `XᵀX·w` up to date
/// instead of the residual, and computes the duality gap from it.
pub(super) fn coordinate_descent_gram(
    gram: &Gram,
    penalty: Penalty,
    max_iter: usize,
    tol: f64,
    stop: Stop,
) -> (Vec<f64>, usize) {
    let Penalty { l1, l2 } = penalty;
    let p = gram.p;
    let mut w = vec![0.0; p];
    // XᵀX·w; the residual's correlations are q − hw.
    let mut hw = vec![0.0; p];
    let gap_tol = tol * gram.y_norm2;
    for iteration in 0..max_iter {
        let (mut w_max, mut d_w_max) = (0.0f64, 0.0f64);
        for j in 0..p {
            let h_jj = gram.h[j * p + j];
            if h_jj == 0.0 {
                continue;
            }
            let w_j = w[j];
            let rho = gram.q[j] - hw[j] + h_jj * w_j;
            w[j] = rho.signum() * (rho.abs() - l1).max(0.0) / (h_jj + l2);
            let delta = w[j] - w_j;
            if delta != 0.0 {
                hw.iter_mut()
                    .zip(gram.row(j))
                    .for_each(|(hw, h)| *hw += delta * h);
            }
            d_w_max = d_w_max.max(delta.abs());
            w_max = w_max.max(w[j].abs());
        }
        let last = iteration == max_iter - 1;
        let gap = || duality_gap_gram(gram, &hw, &w, penalty);
        if stop.after_epoch(tol, w_max, d_w_max, last, gap, gap_tol) {
            return (w, iteration + 1);
        }
    }
    (w, max_iter)
}

/// [`duality_gap`] from the Gram matrix, as scikit-learn's
/// `enet_coordinate_descent_gram` computes it.
fn duality_gap_gram(gram: &Gram, hw: &[f64], w: &[f64], penalty: Penalty) -> f64 {
    let q_dot_w = dot_slices(&gram.q, w);
    let r_norm2 = gram.y_norm2 + dot_slices(w, hw) - 2.0 * q_dot_w;
    let dual_norm = gram
        .q
        .iter()
        .zip(hw)
        .zip(w)
        .map(|((q, hw), w)| (q - hw - penalty.l2 * w).abs())
        .fold(0.0, f64::max);
    gap_from(dual_norm, r_norm2, gram.y_norm2 - q_dot_w, w, penalty)
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::super::{GRAM_FROM_ROWS, coordinate_descent, duality_gap};
    use super::*;
    use crate::estimator::Lasso;

    /// A design with correlated columns, a constant one and a target that
    /// depends on a few of them, from a fixed sequence (no RNG needed).
    fn problem(n: usize, p: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
        let value = |i: usize, j: usize| ((i * 31 + j * 17) as f64 * 0.618).sin();
        let mut columns: Vec<Vec<f64>> = (0..p)
            .map(|j| (0..n).map(|i| value(i, j) + 0.3 * value(i, 0)).collect())
            .collect();
        columns[p - 1] = vec![0.0; n];
        let y = (0..n)
            .map(|i| {
                3.0 * columns[0][i] - 2.0 * columns[2][i] + 0.5 * columns[3][i] + 0.1 * value(i, 99)
            })
            .collect();
        let centre = |v: &mut Vec<f64>| {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            v.iter_mut().for_each(|x| *x -= mean);
        };
        columns.iter_mut().for_each(centre);
        let mut y: Vec<f64> = y;
        centre(&mut y);
        (columns, y)
    }

    #[test]
    fn the_gram_path_reaches_the_residual_paths_optimum() {
        let (columns, y) = problem(400, 12);
        for (l1, l2, stop) in [
            (5.0, 0.0, Stop::DualityGap),
            (40.0, 0.0, Stop::DualityGap),
            (5.0, 20.0, Stop::DualityGap),
            (0.0, 30.0, Stop::Update),
        ] {
            let penalty = Penalty { l1, l2 };
            let (residual, _) = coordinate_descent(&columns, &y, penalty, 100_000, 1e-13, stop);
            let (gram, _) =
                coordinate_descent_gram(&Gram::new(&columns, &y), penalty, 100_000, 1e-13, stop);
            for (a, b) in residual.iter().zip(&gram) {
                assert!(
                    (a - b).abs() <= 1e-9 * (1.0 + a.abs()),
                    "{l1} {l2}: {a} vs {b}"
                );
            }
            assert!(residual.iter().any(|w| *w != 0.0));
        }
    }

    #[test]
    fn both_paths_compute_the_same_duality_gap() {
        let (columns, y) = problem(300, 6);
        let penalty = Penalty { l1: 8.0, l2: 2.0 };
        let w = vec![0.5, 0.0, -0.25, 0.1, 0.0, 0.0];
        let residual: Vec<f64> = (0..y.len())
            .map(|i| y[i] - columns.iter().zip(&w).map(|(c, w)| c[i] * w).sum::<f64>())
            .collect();
        let gram = Gram::new(&columns, &y);
        let hw: Vec<f64> = (0..w.len()).map(|j| dot_slices(gram.row(j), &w)).collect();
        let a = duality_gap(&columns, &y, &residual, &w, penalty);
        let b = duality_gap_gram(&gram, &hw, &w, penalty);
        assert!((a - b).abs() <= 1e-9 * a.abs(), "{a} vs {b}");
    }

    #[test]
    fn large_fits_take_the_gram_path_to_the_same_model() {
        let n = GRAM_FROM_ROWS;
        let (columns, y) = problem(n, 5);
        let x = Array2::from_shape_fn((n, columns.len()), |(i, j)| columns[j][i] + 1.0);
        let lasso = Lasso {
            alpha: 0.01,
            max_iter: 100_000,
            tol: 1e-10,
        };
        let model = lasso.fit(&x, &y).unwrap();
        let penalty = Penalty {
            l1: lasso.alpha * n as f64,
            l2: 0.0,
        };
        let (residual, _) =
            coordinate_descent(&columns, &y, penalty, 100_000, 1e-10, Stop::DualityGap);
        for (a, b) in residual.iter().zip(&model.coefficients) {
            assert!((a - b).abs() <= 1e-7 * (1.0 + a.abs()), "{a} vs {b}");
        }
        // The columns were shifted by one: the intercept takes it back.
        let shift: f64 = model.coefficients.iter().sum();
        assert!(
            (model.intercept + shift).abs() < 1e-7,
            "{}",
            model.intercept
        );
    }
}

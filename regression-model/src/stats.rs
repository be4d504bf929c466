//! Small descriptive statistics shared by the transformers (robust scaling,
//! outlier fences) and the data analysis: quantiles as numpy computes them,
//! skewness as pandas does, Pearson correlation.

/// The median (the mean of the two middle values for an even count), as
/// pandas and `impute_numeric`'s `median` compute it; `None` for no values.
/// Sorts `values`.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// The `q`-quantile (`0 ≤ q ≤ 1`) of sorted, non-`NaN` values, with linear
/// interpolation between the two nearest ranks (numpy's default method);
/// `None` for no values.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = q.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * fraction)
}

/// The non-`NaN` values, sorted.
pub fn sorted_present(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// First and third quartiles of the non-`NaN` values.
pub fn quartiles(values: &[f64]) -> Option<(f64, f64)> {
    let sorted = sorted_present(values);
    Some((
        quantile_sorted(&sorted, 0.25)?,
        quantile_sorted(&sorted, 0.75)?,
    ))
}

/// The adjusted Fisher–Pearson skewness of the non-`NaN` values (pandas'
/// `Series.skew()`); `None` below three values, `0` for a constant.
pub fn skewness(values: &[f64]) -> Option<f64> {
    let present: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let n = present.len() as f64;
    if present.len() < 3 {
        return None;
    }
    let mean = present.iter().sum::<f64>() / n;
    let m2 = present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let m3 = present.iter().map(|v| (v - mean).powi(3)).sum::<f64>() / n;
    if m2 == 0.0 {
        return Some(0.0);
    }
    let g1 = m3 / m2.powf(1.5);
    Some(g1 * (n * (n - 1.0)).sqrt() / (n - 2.0))
}

/// Pearson correlation over the rows where both values are present; `None`
/// when fewer than two such rows exist or either side is constant there.
#[cfg(feature = "research")]
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| !x.is_nan() && !y.is_nan())
        .map(|(x, y)| (*x, *y))
        .collect();
    if pairs.len() < 2 {
        return None;
    }
    let n = pairs.len() as f64;
    let mean_a = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_b = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut cov, mut var_a, mut var_b) = (0.0, 0.0, 0.0);
    for (x, y) in &pairs {
        cov += (x - mean_a) * (y - mean_b);
        var_a += (x - mean_a).powi(2);
        var_b += (y - mean_b).powi(2);
    }
    if var_a == 0.0 || var_b == 0.0 {
        return None;
    }
    Some(cov / (var_a * var_b).sqrt())
}

/// Mean and population standard deviation (`ddof = 0`, as scikit-learn's
/// `cv_results_` reports it); `(NaN, NaN)` for no values.
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_linearly_like_numpy() {
        let sorted = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&sorted, 0.25), Some(1.75));
        assert_eq!(quantile_sorted(&sorted, 0.5), Some(2.5));
        assert_eq!(quantile_sorted(&sorted, 1.0), Some(4.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
        assert_eq!(
            quartiles(&[4.0, f64::NAN, 1.0, 3.0, 2.0]),
            Some((1.75, 3.25))
        );
    }

    #[test]
    fn skewness_matches_pandas_on_a_small_sample() {
        // pandas.Series([1, 2, 3, 10]).skew() == 1.76363...
        let skew = skewness(&[1.0, 2.0, 3.0, 10.0]).unwrap();
        assert!((skew - 1.763_632_6).abs() < 1e-6, "{skew}");
        assert_eq!(skewness(&[5.0, 5.0, 5.0]), Some(0.0));
        assert_eq!(skewness(&[1.0, 2.0]), None);
    }

    #[test]
    fn pearson_uses_rows_where_both_values_are_present() {
        let r = pearson(&[1.0, 2.0, 3.0, f64::NAN], &[2.0, 4.0, 6.0, 1.0]).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 1.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn mean_and_population_sd() {
        assert_eq!(mean_sd(&[1.0, 3.0]), (2.0, 1.0));
    }
}

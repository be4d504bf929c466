//! Box-Cox with learnt exponents: of the listed columns, those whose
//! training values are skewed get `((1 + x)^λ − 1) / λ` with the `λ` that
//! makes their training values most normal (maximum likelihood, as
//! scipy's `boxcox_normmax`), where `log1p` applies one fixed squeeze to
//! a hand-made list. The public Kaggle kernels choose columns and
//! exponents this way (on all the data; here on the training rows only).

use serde::{Deserialize, Serialize};

use super::numeric::of_one_plus;
use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;
use crate::stats::skewness;

const STEP: (&str, &str) = ("unskew", "the Box-Cox transform of 1 + x");

/// The exponents searched: a wider range only fits noise.
const LAMBDAS: (f64, f64) = (-3.0, 3.0);

/// Of `variables`, transforms those whose training skewness is above
/// `min_skewness` (default 0.5), that have no value below 0 and more than
/// two distinct values (a 0/1 column is not skewed, only unbalanced).
///
/// ```toml
/// [[steps]]
/// step = "unskew"
/// variables = ["LotArea", "GrLivArea", "OverallQual"]
/// min_skewness = 0.5
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unskew {
    pub variables: Vec<String>,
    #[serde(default = "half")]
    pub min_skewness: f64,
}

fn half() -> f64 {
    0.5
}

/// The columns transformed and each one's exponent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedUnskew {
    pub columns: Vec<(String, f64)>,
}

impl Unskew {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if !self.min_skewness.is_finite() {
            return Err(format!(
                "has min_skewness {}; it must be a finite number",
                self.min_skewness
            ));
        }
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedUnskew> {
        let mut columns = Vec::new();
        for name in &self.variables {
            let values: Vec<f64> = (frame.numeric(STEP.0, name)?.iter())
                .copied()
                .filter(|v| !v.is_nan())
                .collect();
            let skewed = skewness(&values).is_some_and(|s| s > self.min_skewness);
            if skewed && values.iter().all(|v| *v >= 0.0) && more_than_two_values(&values) {
                let lambda = most_normal_lambda(&values).ok_or_else(|| {
                    Error::TrainingData(format!("unskew: {name}: no exponent fits its values"))
                })?;
                columns.push((name.clone(), lambda));
            }
        }
        Ok(FittedUnskew { columns })
    }
}

impl FittedUnskew {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for (name, lambda) in &self.columns {
            let lambda = *lambda;
            let variables = std::slice::from_ref(name);
            if lambda == 0.0 {
                of_one_plus(frame, STEP, variables, f64::ln_1p)?;
            } else {
                of_one_plus(frame, STEP, variables, |x| {
                    (lambda * x.ln_1p()).exp_m1() / lambda
                })?;
            }
        }
        Ok(())
    }
}

fn more_than_two_values(values: &[f64]) -> bool {
    let mut seen: Vec<f64> = Vec::with_capacity(3);
    for &v in values {
        if !seen.contains(&v) {
            seen.push(v);
            if seen.len() > 2 {
                return true;
            }
        }
    }
    false
}

/// The `λ` in [`LAMBDAS`] that maximises the Box-Cox log-likelihood of
/// `1 + values`, `(λ − 1)·Σ ln x − n/2 · ln var(x⁽λ⁾)`, by golden-section
/// search (the likelihood has one peak); `None` for fewer than two values
/// or no spread.
fn most_normal_lambda(values: &[f64]) -> Option<f64> {
    let logs: Vec<f64> = values.iter().map(|v| v.ln_1p()).collect();
    let n = logs.len() as f64;
    let sum_logs: f64 = logs.iter().sum();
    let likelihood = |lambda: f64| {
        let transformed = logs.iter().map(|l| {
            if lambda == 0.0 {
                *l
            } else {
                (lambda * l).exp_m1() / lambda
            }
        });
        let mean = transformed.clone().sum::<f64>() / n;
        let variance = transformed.map(|t| (t - mean) * (t - mean)).sum::<f64>() / n;
        (lambda - 1.0) * sum_logs - n / 2.0 * variance.ln()
    };
    if logs.len() < 2 || !likelihood(1.0).is_finite() {
        return None;
    }
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let (mut low, mut high) = LAMBDAS;
    let mut a = high - ratio * (high - low);
    let mut b = low + ratio * (high - low);
    let (mut fa, mut fb) = (likelihood(a), likelihood(b));
    while high - low > 1e-9 {
        if fa >= fb {
            high = b;
            (b, fb) = (a, fa);
            a = high - ratio * (high - low);
            fa = likelihood(a);
        } else {
            low = a;
            (a, fa) = (b, fb);
            b = low + ratio * (high - low);
            fb = likelihood(b);
        }
    }
    let lambda = (low + high) / 2.0;
    lambda.is_finite().then_some(lambda)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::ColumnData;

    #[test]
    fn the_exponent_of_lognormal_values_is_near_zero() {
        // exp of evenly spread normal quantiles, minus one: 1 + x is lognormal.
        let values: Vec<f64> = (1..400)
            .map(|i| {
                let p = f64::from(i) / 400.0;
                // A rough normal quantile (logit scaled): enough for the test.
                let z = (p / (1.0 - p)).ln() / 1.7;
                z.exp() - 1.0
            })
            .collect();
        let lambda = most_normal_lambda(&values).unwrap();
        assert!(lambda.abs() < 0.15, "{lambda}");
    }

    #[test]
    fn the_exponent_is_scipys_boxcox_normmax() {
        // scipy 1.x: boxcox_normmax(v + 1, method="mle") = 0.345995148080084
        let values: Vec<f64> = (0..60u32)
            .map(|i| f64::from((i * 37) % 101).powi(2) / 10.0)
            .collect();
        let lambda = most_normal_lambda(&values).unwrap();
        assert!((lambda - 0.345_995_148).abs() < 1e-6, "{lambda}");
    }

    #[test]
    fn only_skewed_columns_with_several_values_are_transformed() {
        let skewed = smallvec::smallvec![0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 5.0, 9.0, 40.0, 200.0];
        let flags = smallvec::smallvec![0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0];
        let even = smallvec::smallvec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        let mut frame = Frame::from_columns(vec![
            ("S", ColumnData::Numeric(skewed)),
            ("F", ColumnData::Numeric(flags)),
            ("E", ColumnData::Numeric(even)),
        ]);
        let step = Unskew {
            variables: vec!["S".into(), "F".into(), "E".into()],
            min_skewness: 0.5,
        };
        let fitted = step.fit(&frame).unwrap();
        assert_eq!(fitted.columns.len(), 1);
        let (name, lambda) = &fitted.columns[0];
        assert_eq!(name, "S");
        assert!(*lambda < 0.5, "{lambda}");
        fitted.transform(&mut frame).unwrap();
        let s = frame.numeric("t", "S").unwrap();
        assert_eq!(s[0], 0.0, "0 stays 0");
        assert!(s[9] < 20.0, "200 is squeezed: {}", s[9]);
        assert_eq!(frame.numeric("t", "E").unwrap()[9], 10.0);
    }

    #[test]
    fn a_value_of_minus_one_or_below_rejects_its_row() {
        let fitted = FittedUnskew {
            columns: vec![("S".into(), 0.2)],
        };
        let mut frame = Frame::from_columns(vec![(
            "S",
            ColumnData::Numeric(smallvec::smallvec![3.0, -1.0]),
        )]);
        fitted.transform(&mut frame).unwrap();
        assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0]);
    }
}

//! A training-row filter: rows with a value outside learnt (IQR fences) or
//! fixed bounds are left out of training, so a few extreme houses do not
//! bend a linear model. It never acts on predictions: its `transform` is
//! the identity, and [`crate::pipeline::FittedPipeline::fit`] applies
//! [`FittedDropOutliers::keep_rows`] to the training frame and target right
//! after fitting it. Steps before it are fitted on every training row; put it
//! first to fit everything on the filtered rows.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;
use crate::stats::quartiles;

const DROP_OUTLIERS: &str = "drop_outliers";

/// How the bounds are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlierMethod {
    /// Tukey's fences from the training rows: `[Q1 − fold·IQR, Q3 + fold·IQR]`.
    Iqr,
    /// Fixed `min` and/or `max`.
    Range,
}

/// Drops training rows with an outlying value in any of `variables`.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `method` | — | `iqr` or `range` |
/// | `fold` | 1.5 | `iqr`: fence distance in IQRs (> 0) |
/// | `min`, `max` | none | `range`: inclusive bounds (at least one) |
///
/// ```toml
/// [[steps]]
/// step = "drop_outliers"
/// variables = ["GrLivArea"]
/// method = "range"
/// max = 4000
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropOutliers {
    pub variables: Vec<String>,
    pub method: OutlierMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fold: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// Inclusive bounds per variable; rows outside any of them were not trained on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedDropOutliers {
    pub bounds: Vec<(String, f64, f64)>,
}

impl DropOutliers {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        match self.method {
            OutlierMethod::Iqr => {
                if self.min.is_some() || self.max.is_some() {
                    return Err("sets min/max, which only method = \"range\" uses".into());
                }
                if let Some(fold) = self.fold.filter(|f| !(f.is_finite() && *f > 0.0)) {
                    return Err(format!("has fold {fold}; it must be a finite number > 0"));
                }
            }
            OutlierMethod::Range => {
                if self.fold.is_some() {
                    return Err("sets fold, which only method = \"iqr\" uses".into());
                }
                let (lo, hi) = (
                    self.min.unwrap_or(f64::NEG_INFINITY),
                    self.max.unwrap_or(f64::INFINITY),
                );
                if (self.min.is_none() && self.max.is_none())
                    || lo.is_nan()
                    || hi.is_nan()
                    || lo > hi
                {
                    return Err(format!(
                        "needs `min` and/or `max` with min <= max, got min {:?} max {:?}",
                        self.min, self.max
                    ));
                }
            }
        }
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    /// Learns the bounds (fixed ones are copied).
    ///
    /// # Errors
    /// [`Error::TrainingData`] for an `iqr` variable with no training value.
    pub fn fit(&self, frame: &Frame) -> Result<FittedDropOutliers> {
        let mut bounds = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let values = frame.numeric(DROP_OUTLIERS, name)?;
            let (lo, hi) = match self.method {
                OutlierMethod::Range => (
                    self.min.unwrap_or(f64::NEG_INFINITY),
                    self.max.unwrap_or(f64::INFINITY),
                ),
                OutlierMethod::Iqr => {
                    let (q1, q3) = quartiles(values).ok_or_else(|| {
                        Error::TrainingData(format!("{name}: no value to compute quartiles of"))
                    })?;
                    let fold = self.fold.unwrap_or(1.5);
                    (q1 - fold * (q3 - q1), q3 + fold * (q3 - q1))
                }
            };
            bounds.push((name.clone(), lo, hi));
        }
        Ok(FittedDropOutliers { bounds })
    }
}

impl FittedDropOutliers {
    /// Prediction: every row passes unchanged.
    pub fn transform(&self, _frame: &mut Frame) -> Result<()> {
        Ok(())
    }

    /// Training: `true` for the rows to keep (missing values never count
    /// as outliers).
    pub fn keep_rows(&self, frame: &Frame) -> Result<Vec<bool>> {
        let mut keep = vec![true; frame.rows()];
        for (name, lo, hi) in &self.bounds {
            for (flag, value) in keep.iter_mut().zip(frame.numeric(DROP_OUTLIERS, name)?) {
                if value < lo || value > hi {
                    *flag = false;
                }
            }
        }
        Ok(keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::ColumnData;
    use crate::schema::Column;

    fn areas() -> Frame<'static> {
        let mut values: Vec<f64> = (1..=9).map(|v| v as f64 * 100.0).collect();
        values.extend([5000.0, f64::NAN]);
        Frame::from_columns(vec![("GrLivArea", ColumnData::Numeric(values.into()))])
    }

    fn step(method: OutlierMethod, fold: Option<f64>, max: Option<f64>) -> DropOutliers {
        DropOutliers {
            variables: vec!["GrLivArea".into()],
            method,
            fold,
            min: None,
            max,
        }
    }

    #[test]
    fn iqr_fences_are_learnt_from_the_training_quartiles() {
        let fitted = step(OutlierMethod::Iqr, None, None).fit(&areas()).unwrap();
        // Q1 = 325, Q3 = 775 over the ten values: fences 325 − 675 and 775 + 675.
        let (_, lo, hi) = fitted.bounds[0];
        assert_eq!((lo, hi), (-350.0, 1450.0));
        let keep = fitted.keep_rows(&areas()).unwrap();
        assert_eq!(keep.iter().filter(|k| !**k).count(), 1);
        assert!(
            !keep[9] && keep[10],
            "the outlier goes, the missing value stays"
        );
    }

    #[test]
    fn a_range_filter_keeps_values_up_to_the_bound_inclusive() {
        let fitted = step(OutlierMethod::Range, None, Some(900.0))
            .fit(&areas())
            .unwrap();
        let keep = fitted.keep_rows(&areas()).unwrap();
        assert!(keep[8] && !keep[9]);
    }

    #[test]
    fn the_filter_never_changes_rows_at_prediction_time() {
        let fitted = step(OutlierMethod::Range, None, Some(900.0))
            .fit(&areas())
            .unwrap();
        let mut frame = areas();
        fitted.transform(&mut frame).unwrap();
        let bits = |f: &Frame| -> Vec<u64> {
            f.numeric("t", "GrLivArea")
                .unwrap()
                .iter()
                .map(|v| v.to_bits())
                .collect()
        };
        assert_eq!(bits(&frame), bits(&areas()));
        assert_eq!(frame.accepted_rows().count(), 11);
    }

    #[test]
    fn bad_filter_settings_are_refused_by_the_plan() {
        let mut plan = ColumnPlan::from_features(&[Column::GrLivArea]);
        let bad = [
            step(OutlierMethod::Range, None, None),
            step(OutlierMethod::Range, Some(2.0), Some(1.0)),
            step(OutlierMethod::Iqr, Some(-1.0), None),
            step(OutlierMethod::Iqr, None, Some(1.0)),
        ];
        for config in bad {
            assert!(config.plan(&mut plan).is_err(), "{config:?}");
        }
        step(OutlierMethod::Iqr, Some(3.0), None)
            .plan(&mut plan)
            .unwrap();
    }
}

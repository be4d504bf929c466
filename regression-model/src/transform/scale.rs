//! Scaling with training statistics: min-max to [0, 1], computed as
//! scikit-learn's `MinMaxScaler` does (`x · scale + min`), so results agree
//! with it to the last bits; and robust scaling, `(x − median) / IQR`, as
//! scikit-learn's `RobustScaler`, which outliers cannot stretch.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;
use crate::stats::{quantile_sorted, sorted_present};

/// Scales the listed columns, or every column when `variables` is omitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MinMaxScale {
    #[serde(default)]
    pub variables: Option<Vec<String>>,
}

/// Per column: `scaled = x · scale + offset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedMinMaxScale {
    pub columns: Vec<(String, f64, f64)>,
}

/// Checks a scaler's variables, or that every column is numeric when it
/// scales them all.
pub(super) fn plan_scaler(
    variables: Option<&[String]>,
    columns: &ColumnPlan,
) -> Result<(), String> {
    match variables {
        Some(variables) => columns.require(variables, ColumnKind::Numeric),
        None => match columns
            .present()
            .iter()
            .find(|(_, k)| *k != ColumnKind::Numeric)
        {
            Some((name, _)) => Err(format!(
                "scales every column, but `{name}` is still categorical at this point"
            )),
            None => Ok(()),
        },
    }
}

/// The columns a scaler fits: the listed ones, or every column of the frame.
pub(super) fn scaled_columns(variables: Option<&[String]>, frame: &Frame) -> Vec<String> {
    match variables {
        Some(variables) => variables.to_vec(),
        None => frame.names().iter().map(|n| n.to_string()).collect(),
    }
}

impl MinMaxScale {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        plan_scaler(self.variables.as_deref(), columns)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedMinMaxScale> {
        let names = scaled_columns(self.variables.as_deref(), frame);
        let mut columns = Vec::with_capacity(names.len());
        for name in names {
            let values = frame.numeric("min_max_scale", &name)?;
            let (lo, hi) = values
                .iter()
                .filter(|v| !v.is_nan())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            if !lo.is_finite() {
                return Err(Error::TrainingData(format!("{name}: no value to scale")));
            }
            // A constant column has range 0; scikit-learn then uses scale 1.
            let range = if hi - lo == 0.0 { 1.0 } else { hi - lo };
            let scale = 1.0 / range;
            columns.push((name, scale, -lo * scale));
        }
        Ok(FittedMinMaxScale { columns })
    }
}

impl FittedMinMaxScale {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for (name, scale, offset) in &self.columns {
            for value in frame.numeric_mut("min_max_scale", name)?.iter_mut() {
                *value = *value * scale + offset;
            }
        }
        Ok(())
    }
}

/// Robust scaling of the listed columns, or of every column when
/// `variables` is omitted: `(x − median) / (Q3 − Q1)` with training
/// quartiles (numpy's linear interpolation); a column with no spread is only
/// centred, as scikit-learn does.
///
/// ```toml
/// [[steps]]
/// step = "robust_scale"
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RobustScale {
    #[serde(default)]
    pub variables: Option<Vec<String>>,
}

/// Per column: `scaled = (x − centre) / scale`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedRobustScale {
    pub columns: Vec<(String, f64, f64)>,
}

impl RobustScale {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        plan_scaler(self.variables.as_deref(), columns)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedRobustScale> {
        let names = scaled_columns(self.variables.as_deref(), frame);
        let mut columns = Vec::with_capacity(names.len());
        for name in names {
            let sorted = sorted_present(frame.numeric("robust_scale", &name)?);
            let quantile = |q| quantile_sorted(&sorted, q);
            let (Some(q1), Some(median), Some(q3)) =
                (quantile(0.25), quantile(0.5), quantile(0.75))
            else {
                return Err(Error::TrainingData(format!("{name}: no value to scale")));
            };
            let spread = if q3 - q1 == 0.0 { 1.0 } else { q3 - q1 };
            columns.push((name, median, spread));
        }
        Ok(FittedRobustScale { columns })
    }
}

impl FittedRobustScale {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for (name, centre, scale) in &self.columns {
            for value in frame.numeric_mut("robust_scale", name)?.iter_mut() {
                *value = (*value - centre) / scale;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::ColumnData;

    #[test]
    fn min_max_scale_maps_the_training_range_to_unit_interval() {
        let mut frame = Frame::from_columns(vec![
            ("X", ColumnData::Numeric(smallvec::smallvec![2.0, 4.0, 6.0])),
            ("C", ColumnData::Numeric(smallvec::smallvec![7.0, 7.0, 7.0])),
        ]);
        let fitted = MinMaxScale::default().fit(&frame).unwrap();
        fitted.transform(&mut frame).unwrap();
        assert_eq!(frame.numeric("t", "X").unwrap(), &[0.0, 0.5, 1.0]);
        assert_eq!(frame.numeric("t", "C").unwrap(), &[0.0, 0.0, 0.0]);
    }

    #[test]
    fn min_max_scale_lets_new_values_fall_outside_the_unit_interval() {
        let train = Frame::from_columns(vec![(
            "X",
            ColumnData::Numeric(smallvec::smallvec![0.0, 10.0]),
        )]);
        let fitted = MinMaxScale::default().fit(&train).unwrap();
        let mut frame =
            Frame::from_columns(vec![("X", ColumnData::Numeric(smallvec::smallvec![20.0]))]);
        fitted.transform(&mut frame).unwrap();
        assert_eq!(frame.numeric("t", "X").unwrap(), &[2.0]);
    }

    #[test]
    fn min_max_scale_refuses_a_categorical_column() {
        let frame = Frame::from_columns(vec![(
            "X",
            ColumnData::Categorical(smallvec::smallvec![None]),
        )]);
        assert!(MinMaxScale::default().fit(&frame).is_err());
    }

    #[test]
    fn robust_scale_centres_on_the_median_and_divides_by_the_iqr() {
        let mut frame = Frame::from_columns(vec![
            (
                "X",
                ColumnData::Numeric(smallvec::smallvec![1.0, 2.0, 3.0, 4.0, 100.0]),
            ),
            ("C", ColumnData::Numeric(smallvec::smallvec![7.0; 5])),
        ]);
        let fitted = RobustScale::default().fit(&frame).unwrap();
        assert_eq!(
            fitted.columns,
            vec![("X".into(), 3.0, 2.0), ("C".into(), 7.0, 1.0)]
        );
        fitted.transform(&mut frame).unwrap();
        assert_eq!(
            frame.numeric("t", "X").unwrap(),
            &[-1.0, -0.5, 0.0, 0.5, 48.5]
        );
        assert_eq!(frame.numeric("t", "C").unwrap(), &[0.0; 5]);
    }

    #[test]
    fn robust_scale_refuses_a_column_without_values_or_with_labels() {
        let empty = Frame::from_columns(vec![(
            "X",
            ColumnData::Numeric(smallvec::smallvec![f64::NAN]),
        )]);
        assert!(matches!(
            RobustScale::default().fit(&empty),
            Err(Error::TrainingData(_))
        ));
        let labels = Frame::from_columns(vec![(
            "X",
            ColumnData::Categorical(smallvec::smallvec![None]),
        )]);
        assert!(RobustScale::default().fit(&labels).is_err());
    }
}

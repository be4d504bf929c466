//! Standardising, `(x − mean) / standard deviation` with training
//! statistics, as scikit-learn's `StandardScaler` (population deviation;
//! missing values left out of both and left missing). A kernel on
//! distances (`svr`) weighs every column alike only once each has unit
//! spread, one-hot columns included.

use serde::{Deserialize, Serialize};

use super::scale::{plan_scaler, scaled_columns};
use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::plan::ColumnPlan;

const STEP: &str = "standard_scale";

/// Standardises the listed columns, or every column when `variables` is
/// omitted; a column with no spread is only centred.
///
/// ```toml
/// [[steps]]
/// step = "standard_scale"
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StandardScale {
    #[serde(default)]
    pub variables: Option<Vec<String>>,
}

/// Per column: `scaled = (x − mean) / deviation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedStandardScale {
    pub columns: Vec<(String, f64, f64)>,
}

impl StandardScale {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        plan_scaler(self.variables.as_deref(), columns)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedStandardScale> {
        let names = scaled_columns(self.variables.as_deref(), frame);
        let mut columns = Vec::with_capacity(names.len());
        for name in names {
            let values = frame.numeric(STEP, &name)?;
            let present = || values.iter().filter(|v| !v.is_nan());
            let count = present().count();
            if count == 0 {
                return Err(Error::TrainingData(format!("{name}: no value to scale")));
            }
            let mean = present().sum::<f64>() / count as f64;
            let variance = present().map(|v| (v - mean) * (v - mean)).sum::<f64>() / count as f64;
            let deviation = if variance > 0.0 { variance.sqrt() } else { 1.0 };
            columns.push((name, mean, deviation));
        }
        Ok(FittedStandardScale { columns })
    }
}

impl FittedStandardScale {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for (name, mean, deviation) in &self.columns {
            for value in frame.numeric_mut(STEP, name)?.iter_mut() {
                *value = (*value - mean) / deviation;
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
    fn it_gives_each_column_mean_0_and_deviation_1_and_only_centres_a_constant() {
        let mut frame = Frame::from_columns(vec![
            (
                "X",
                ColumnData::Numeric(smallvec::smallvec![1.0, 3.0, f64::NAN, 5.0, 7.0]),
            ),
            (
                "C",
                ColumnData::Numeric(smallvec::smallvec![2.0, 2.0, 2.0, 2.0, 2.0]),
            ),
        ]);
        let fitted = StandardScale::default().fit(&frame).unwrap();
        fitted.transform(&mut frame).unwrap();
        let x = frame.numeric("t", "X").unwrap();
        let deviation = 5.0f64.sqrt();
        assert_eq!(x[0], -3.0 / deviation);
        assert_eq!(x[3], 1.0 / deviation);
        assert!(x[2].is_nan(), "a missing value stays missing");
        assert_eq!(frame.numeric("t", "C").unwrap(), &[0.0; 5]);
    }

    #[test]
    fn it_refuses_a_column_without_values_or_with_labels() {
        let empty = Frame::from_columns(vec![(
            "X",
            ColumnData::Numeric(smallvec::smallvec![f64::NAN]),
        )]);
        assert!(StandardScale::default().fit(&empty).is_err());
        let labels = Frame::from_columns(vec![(
            "X",
            ColumnData::Categorical(smallvec::smallvec![None]),
        )]);
        assert!(StandardScale::default().fit(&labels).is_err());
    }
}

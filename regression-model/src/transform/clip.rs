//! Capping (feature-engine's `Winsorizer`): values beyond bounds learnt on
//! the training rows are set to the bound, in training and at prediction.
//! Unlike the training-row filter it changes rows being predicted: a house
//! larger than any in training is priced as the largest one, instead of a
//! linear model extrapolating far beyond its data.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;
use crate::stats::quartiles;

const CLIP: &str = "clip";

/// How the bounds are learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClipMethod {
    /// The training minimum and maximum.
    TrainingRange,
    /// Tukey's fences `[Q1 − fold·IQR, Q3 + fold·IQR]`.
    Iqr,
}

/// Caps the listed columns at bounds learnt in training.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `method` | — | `training_range` or `iqr` |
/// | `fold` | 1.5 | `iqr` only: fence distance in IQRs (> 0) |
///
/// ```toml
/// [[steps]]
/// step = "clip"
/// variables = ["GrLivArea", "TotalBsmtSF"]
/// method = "training_range"
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clip {
    pub variables: Vec<String>,
    pub method: ClipMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fold: Option<f64>,
}

/// Inclusive bounds per column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedClip {
    pub bounds: Vec<(String, f64, f64)>,
}

impl Clip {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        match (self.method, self.fold) {
            (ClipMethod::TrainingRange, Some(_)) => {
                return Err("sets fold, which only method = \"iqr\" uses".into());
            }
            (ClipMethod::Iqr, Some(fold)) if !(fold.is_finite() && fold > 0.0) => {
                return Err(format!("has fold {fold}; it must be a finite number > 0"));
            }
            _ => {}
        }
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    /// # Errors
    /// [`Error::TrainingData`] for a column with no training value.
    pub fn fit(&self, frame: &Frame) -> Result<FittedClip> {
        let mut bounds = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let values = frame.numeric(CLIP, name)?;
            let none = || Error::TrainingData(format!("{name}: no value to learn bounds from"));
            let (lo, hi) = match self.method {
                ClipMethod::TrainingRange => {
                    let present = values.iter().copied().filter(|v| !v.is_nan());
                    let lo = present.clone().fold(f64::INFINITY, f64::min);
                    let hi = present.fold(f64::NEG_INFINITY, f64::max);
                    if lo > hi {
                        return Err(none());
                    }
                    (lo, hi)
                }
                ClipMethod::Iqr => {
                    let (q1, q3) = quartiles(values).ok_or_else(none)?;
                    let fold = self.fold.unwrap_or(1.5);
                    (q1 - fold * (q3 - q1), q3 + fold * (q3 - q1))
                }
            };
            bounds.push((name.clone(), lo, hi));
        }
        Ok(FittedClip { bounds })
    }
}

impl FittedClip {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for (name, lo, hi) in &self.bounds {
            for value in frame.numeric_mut(CLIP, name)?.iter_mut() {
                if !value.is_nan() {
                    *value = value.clamp(*lo, *hi);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::ColumnData;
    use crate::schema::Column;

    fn frame(values: &[f64]) -> Frame<'static> {
        Frame::from_columns(vec![("GrLivArea", ColumnData::Numeric(values.into()))])
    }

    #[test]
    fn training_range_clipping_caps_new_values_at_the_training_extremes() {
        let fitted = Clip {
            variables: vec!["GrLivArea".into()],
            method: ClipMethod::TrainingRange,
            fold: None,
        }
        .fit(&frame(&[800.0, 1200.0, f64::NAN, 3000.0]))
        .unwrap();
        assert_eq!(fitted.bounds, vec![("GrLivArea".into(), 800.0, 3000.0)]);
        let mut new = frame(&[5642.0, 400.0, 1500.0, f64::NAN]);
        fitted.transform(&mut new).unwrap();
        let values = new.numeric("t", "GrLivArea").unwrap();
        assert_eq!(&values[..3], &[3000.0, 800.0, 1500.0]);
        assert!(values[3].is_nan());
        assert!(new.errors().is_empty());
    }

    #[test]
    fn iqr_clipping_learns_tukey_fences() {
        let values: Vec<f64> = (1..=9).map(|v| v as f64 * 100.0).chain([5000.0]).collect();
        let fitted = Clip {
            variables: vec!["GrLivArea".into()],
            method: ClipMethod::Iqr,
            fold: None,
        }
        .fit(&frame(&values))
        .unwrap();
        assert_eq!(fitted.bounds[0], ("GrLivArea".into(), -350.0, 1450.0));
    }

    #[test]
    fn clipping_refuses_bad_settings_and_empty_columns() {
        let mut plan = ColumnPlan::from_features(&[Column::GrLivArea]);
        let clip = |method, fold| Clip {
            variables: vec!["GrLivArea".into()],
            method,
            fold,
        };
        assert!(
            clip(ClipMethod::TrainingRange, Some(1.0))
                .plan(&mut plan)
                .is_err()
        );
        assert!(clip(ClipMethod::Iqr, Some(0.0)).plan(&mut plan).is_err());
        assert!(matches!(
            clip(ClipMethod::TrainingRange, None).fit(&frame(&[f64::NAN])),
            Err(Error::TrainingData(_))
        ));
    }
}

//! Stateless numeric steps: reading a code as a number, elapsed years, log
//! and binarisation. Their configuration is all they need, so each is its own
//! fitted form.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::frame::{ColumnData, Frame};
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;

/// Reads categorical codes (e.g. `MSSubClass` "20") as numbers; a label that
/// is not a number rejects the row. Missing stays missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsNumber {
    pub variables: Vec<String>,
}

impl AsNumber {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Categorical)?;
        self.variables
            .iter()
            .for_each(|v| columns.set_kind(v, ColumnKind::Numeric));
        Ok(())
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for name in &self.variables {
            let mut rejects = Vec::new();
            let numbers = frame
                .labels("as_number", name)?
                .iter()
                .enumerate()
                .map(|(row, label)| match label {
                    None => f64::NAN,
                    Some(text) => text
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .unwrap_or_else(|| {
                            rejects.push(row);
                            f64::NAN
                        }),
                })
                .collect();
            frame.replace("as_number", name, ColumnData::Numeric(numbers))?;
            for row in rejects {
                frame.reject(
                    row,
                    name,
                    "this model reads it as a number, and it is not one".into(),
                );
            }
        }
        Ok(())
    }
}

/// Replaces a year with the years elapsed until a reference year:
/// `variable := reference − variable` (e.g. years from remodelling to sale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElapsedYears {
    pub variables: Vec<String>,
    pub reference: String,
}

impl ElapsedYears {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Numeric)?;
        columns.require(std::slice::from_ref(&self.reference), ColumnKind::Numeric)?;
        for name in &self.variables {
            columns.depends(name, &self.reference);
        }
        Ok(())
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        let reference = frame.numeric("elapsed_years", &self.reference)?.to_vec();
        for name in &self.variables {
            for (value, reference) in frame
                .numeric_mut("elapsed_years", name)?
                .iter_mut()
                .zip(&reference)
            {
                *value = reference - *value;
            }
        }
        Ok(())
    }
}

/// Natural log. Values that are not positive reject their row (the
/// reference pipeline would produce `NaN`/`-inf` there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    pub variables: Vec<String>,
}

impl Log {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for name in &self.variables {
            let mut rejects = Vec::new();
            for (row, value) in frame.numeric_mut("log", name)?.iter_mut().enumerate() {
                if *value > 0.0 {
                    *value = value.ln();
                } else {
                    if !value.is_nan() {
                        rejects.push((row, *value));
                    }
                    *value = f64::NAN;
                }
            }
            for (row, _) in rejects {
                frame.reject(
                    row,
                    name,
                    "must be greater than 0 (this model takes its log)".into(),
                );
            }
        }
        Ok(())
    }
}

/// `ln(1 + x)`, for skewed counts and areas that can be 0 (porches, basement
/// areas). Values `≤ −1` reject their row.
///
/// ```toml
/// [[steps]]
/// step = "log1p"
/// variables = ["LotArea", "MasVnrArea", "WoodDeckSF"]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log1p {
    pub variables: Vec<String>,
}

impl Log1p {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for name in &self.variables {
            let mut rejects = Vec::new();
            for (row, value) in frame.numeric_mut("log1p", name)?.iter_mut().enumerate() {
                if *value > -1.0 {
                    *value = value.ln_1p();
                } else if !value.is_nan() {
                    rejects.push((row, *value));
                    *value = f64::NAN;
                }
            }
            for (row, _) in rejects {
                frame.reject(
                    row,
                    name,
                    "must be greater than -1 (this model takes log(1 + x))".into(),
                );
            }
        }
        Ok(())
    }
}

/// `1` when the value is above `threshold`, else `0` (scikit-learn's `Binarizer`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Binarize {
    pub variables: Vec<String>,
    #[serde(default)]
    pub threshold: f64,
}

impl Binarize {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if !self.threshold.is_finite() {
            return Err(format!(
                "has a threshold that is not a finite number: {}",
                self.threshold
            ));
        }
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for name in &self.variables {
            for value in frame.numeric_mut("binarize", name)?.iter_mut() {
                if !value.is_nan() {
                    *value = if *value > self.threshold { 1.0 } else { 0.0 };
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(name: &str, values: &[f64]) -> Frame<'static> {
        Frame::from_columns(vec![(name, ColumnData::Numeric(values.into()))])
    }

    #[test]
    fn as_number_reads_codes_and_rejects_labels_that_are_not_numbers() {
        let mut frame = Frame::from_columns(vec![(
            "MSSubClass",
            ColumnData::Categorical(smallvec::smallvec![
                Some("20".into()),
                Some("abc".into()),
                None
            ]),
        )]);
        AsNumber {
            variables: vec!["MSSubClass".into()],
        }
        .transform(&mut frame)
        .unwrap();
        let values = frame.numeric("t", "MSSubClass").unwrap();
        assert_eq!(values[0], 20.0);
        assert!(values[2].is_nan());
        assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(frame.errors()[0].field, "MSSubClass");
    }

    #[test]
    fn elapsed_years_subtracts_the_year_from_the_reference() {
        let mut frame = Frame::from_columns(vec![
            (
                "YearRemodAdd",
                ColumnData::Numeric(smallvec::smallvec![2000.0, 2010.0]),
            ),
            (
                "YrSold",
                ColumnData::Numeric(smallvec::smallvec![2008.0, 2010.0]),
            ),
        ]);
        ElapsedYears {
            variables: vec!["YearRemodAdd".into()],
            reference: "YrSold".into(),
        }
        .transform(&mut frame)
        .unwrap();
        assert_eq!(frame.numeric("t", "YearRemodAdd").unwrap(), &[8.0, 0.0]);
    }

    #[test]
    fn log_takes_natural_logs_and_rejects_rows_that_are_not_positive() {
        let mut frame = numbers("GrLivArea", &[std::f64::consts::E, 0.0, -3.0]);
        Log {
            variables: vec!["GrLivArea".into()],
        }
        .transform(&mut frame)
        .unwrap();
        assert_eq!(frame.numeric("t", "GrLivArea").unwrap()[0], 1.0);
        assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0]);
        assert!(frame.errors()[0].message.contains("greater than 0"));
    }

    #[test]
    fn binarize_maps_values_above_the_threshold_to_one() {
        let mut frame = numbers("ScreenPorch", &[0.0, 120.0, 0.5]);
        Binarize {
            variables: vec!["ScreenPorch".into()],
            threshold: 0.0,
        }
        .transform(&mut frame)
        .unwrap();
        assert_eq!(frame.numeric("t", "ScreenPorch").unwrap(), &[0.0, 1.0, 1.0]);
    }

    #[test]
    fn log1p_keeps_zero_at_zero_and_rejects_values_at_or_below_minus_one() {
        let mut frame = numbers("WoodDeckSF", &[0.0, std::f64::consts::E - 1.0, -1.0]);
        Log1p {
            variables: vec!["WoodDeckSF".into()],
        }
        .transform(&mut frame)
        .unwrap();
        let values = frame.numeric("t", "WoodDeckSF").unwrap();
        assert_eq!(values[0], 0.0);
        assert!((values[1] - 1.0).abs() < 1e-15);
        assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0, 1]);
        assert!(frame.errors()[0].message.contains("greater than -1"));
    }

    #[test]
    fn numeric_steps_refuse_a_categorical_column() {
        let mut frame = Frame::from_columns(vec![(
            "X",
            ColumnData::Categorical(smallvec::smallvec![None]),
        )]);
        assert!(
            Log {
                variables: vec!["X".into()]
            }
            .transform(&mut frame)
            .is_err()
        );
    }
}

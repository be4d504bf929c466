//! Stateless numeric steps: reading a code as a number, elapsed years, log,
//! Box-Cox and binarisation. Their configuration is all they need, so each is its own
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
        of_one_plus(frame, ("log1p", "log(1 + x)"), &self.variables, f64::ln_1p)
    }
}

/// The Box-Cox transform of `1 + x` with a fixed `lambda`:
/// `((1 + x)^λ − 1) / λ`, and `ln(1 + x)` at `λ = 0` (the `log1p` step).
/// The public Kaggle kernels use λ = 0.15 on skewed numbers, a milder
/// squeeze than the log. Values `≤ −1` reject their row.
///
/// ```toml
/// [[steps]]
/// step = "box_cox1p"
/// variables = ["LotArea", "GrLivArea"]
/// lambda = 0.15
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoxCox1p {
    pub variables: Vec<String>,
    pub lambda: f64,
}

impl BoxCox1p {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if !(-2.0..=2.0).contains(&self.lambda) {
            return Err(format!(
                "has lambda {}; it must be a number in [-2, 2]",
                self.lambda
            ));
        }
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        let (lambda, step) = (self.lambda, ("box_cox1p", "the Box-Cox transform of 1 + x"));
        if lambda == 0.0 {
            return of_one_plus(frame, step, &self.variables, f64::ln_1p);
        }
        of_one_plus(frame, step, &self.variables, |x| {
            ((1.0 + x).powf(lambda) - 1.0) / lambda
        })
    }
}

/// Replaces each value `x > −1` of `variables` with `f(x)`; any other
/// value that is not missing rejects its row (and becomes missing).
/// `step` is the step's name and what it takes, for the error.
pub(super) fn of_one_plus(
    frame: &mut Frame,
    (step, takes): (&str, &str),
    variables: &[String],
    f: impl Fn(f64) -> f64,
) -> Result<()> {
    for name in variables {
        let mut rejects = Vec::new();
        for (row, value) in frame.numeric_mut(step, name)?.iter_mut().enumerate() {
            if *value > -1.0 {
                *value = f(*value);
            } else if !value.is_nan() {
                rejects.push(row);
                *value = f64::NAN;
            }
        }
        for row in rejects {
            frame.reject(
                row,
                name,
                format!("must be greater than -1 (this model takes {takes})"),
            );
        }
    }
    Ok(())
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
mod tests;

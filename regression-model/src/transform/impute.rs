//! Imputers: fill missing labels (a constant such as `Missing`, or the most
//! frequent training label) and missing numbers (training mean, median or mode).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;

const IMPUTE_CATEGORICAL: &str = "impute_categorical";
const IMPUTE_NUMERIC: &str = "impute_numeric";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoricalMethod {
    /// Fill with the `fill` label (default `Missing`).
    Constant,
    /// Fill with the most frequent training label; ties go to the smallest
    /// label, as pandas' `mode()[0]` does.
    MostFrequent,
}

/// Fills missing labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImputeCategorical {
    pub variables: Vec<String>,
    pub method: CategoricalMethod,
    #[serde(default = "missing_label")]
    pub fill: String,
}

fn missing_label() -> String {
    "Missing".into()
}

/// The label each variable's missing values become.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedImputeCategorical {
    pub fills: Vec<(String, String)>,
}

impl ImputeCategorical {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Categorical)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedImputeCategorical> {
        let mut fills = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let fill = match self.method {
                CategoricalMethod::Constant => self.fill.clone(),
                CategoricalMethod::MostFrequent => {
                    let labels = frame.labels(IMPUTE_CATEGORICAL, name)?;
                    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
                    for label in labels.iter().flatten() {
                        *counts.entry(label.as_ref()).or_default() += 1;
                    }
                    // BTreeMap iterates in label order, and max_by_key keeps the
                    // last maximum, so reverse to keep the smallest label on ties.
                    counts
                        .iter()
                        .rev()
                        .max_by_key(|(_, n)| **n)
                        .map(|(label, _)| (*label).to_owned())
                        .ok_or_else(|| {
                            Error::TrainingData(format!(
                                "{name}: no label to learn the most frequent from"
                            ))
                        })?
                }
            };
            fills.push((name.clone(), fill));
        }
        Ok(FittedImputeCategorical { fills })
    }
}

impl FittedImputeCategorical {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for (name, fill) in &self.fills {
            for label in frame.labels_mut(IMPUTE_CATEGORICAL, name)?.iter_mut() {
                if label.is_none() {
                    *label = Some(fill.clone().into());
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumericMethod {
    Mean,
    Median,
    /// Most frequent value; ties go to the smallest.
    Mode,
}

/// Fills missing numbers with a statistic of the training values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImputeNumeric {
    pub variables: Vec<String>,
    pub method: NumericMethod,
}

/// The value each variable's missing values become.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedImputeNumeric {
    pub fills: Vec<(String, f64)>,
}

impl ImputeNumeric {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Numeric)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedImputeNumeric> {
        let mut fills = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let mut values: Vec<f64> = frame
                .numeric(IMPUTE_NUMERIC, name)?
                .iter()
                .copied()
                .filter(|v| !v.is_nan())
                .collect();
            if values.is_empty() {
                return Err(Error::TrainingData(format!(
                    "{name}: every training value is missing"
                )));
            }
            let fill = match self.method {
                NumericMethod::Mean => values.iter().sum::<f64>() / values.len() as f64,
                NumericMethod::Median => {
                    values.sort_by(f64::total_cmp);
                    let mid = values.len() / 2;
                    if values.len().is_multiple_of(2) {
                        (values[mid - 1] + values[mid]) / 2.0
                    } else {
                        values[mid]
                    }
                }
                NumericMethod::Mode => {
                    values.sort_by(f64::total_cmp);
                    let (mut best, mut best_count) = (values[0], 0);
                    for run in values.chunk_by(|a, b| a == b) {
                        if run.len() > best_count {
                            (best, best_count) = (run[0], run.len());
                        }
                    }
                    best
                }
            };
            fills.push((name.clone(), fill));
        }
        Ok(FittedImputeNumeric { fills })
    }
}

impl FittedImputeNumeric {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for (name, fill) in &self.fills {
            for value in frame.numeric_mut(IMPUTE_NUMERIC, name)?.iter_mut() {
                if value.is_nan() {
                    *value = *fill;
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

    fn labels(values: &[Option<&'static str>]) -> ColumnData<'static> {
        ColumnData::Categorical(values.iter().map(|v| v.map(Into::into)).collect())
    }

    #[test]
    fn constant_imputer_fills_missing_labels_with_the_configured_label() {
        let mut frame = Frame::from_columns(vec![("FireplaceQu", labels(&[Some("Gd"), None]))]);
        let config = ImputeCategorical {
            variables: vec!["FireplaceQu".into()],
            method: CategoricalMethod::Constant,
            fill: "Missing".into(),
        };
        let fitted = config.fit(&frame).unwrap();
        fitted.transform(&mut frame).unwrap();
        assert_eq!(
            frame.labels("t", "FireplaceQu").unwrap(),
            &[Some("Gd".into()), Some("Missing".into())]
        );
    }

    #[test]
    fn most_frequent_imputer_learns_the_mode_and_breaks_ties_by_smallest_label() {
        let frame = Frame::from_columns(vec![
            ("A", labels(&[Some("TA"), Some("Gd"), Some("TA"), None])),
            ("B", labels(&[Some("b"), Some("a"), None, None])),
        ]);
        let config = ImputeCategorical {
            variables: vec!["A".into(), "B".into()],
            method: CategoricalMethod::MostFrequent,
            fill: missing_label(),
        };
        let fitted = config.fit(&frame).unwrap();
        assert_eq!(
            fitted.fills,
            vec![("A".into(), "TA".into()), ("B".into(), "a".into())]
        );
    }

    #[test]
    fn most_frequent_imputer_refuses_a_column_without_any_label() {
        let frame = Frame::from_columns(vec![("A", labels(&[None, None]))]);
        let config = ImputeCategorical {
            variables: vec!["A".into()],
            method: CategoricalMethod::MostFrequent,
            fill: missing_label(),
        };
        assert!(matches!(config.fit(&frame), Err(Error::TrainingData(_))));
    }

    #[test]
    fn numeric_imputer_learns_mean_median_and_mode() {
        let frame = Frame::from_columns(vec![(
            "X",
            ColumnData::Numeric(smallvec::smallvec![1.0, 3.0, 3.0, 9.0, f64::NAN]),
        )]);
        let fill = |method| {
            ImputeNumeric {
                variables: vec!["X".into()],
                method,
            }
            .fit(&frame)
            .unwrap()
            .fills[0]
                .1
        };
        assert_eq!(fill(NumericMethod::Mean), 4.0);
        assert_eq!(fill(NumericMethod::Median), 3.0);
        assert_eq!(fill(NumericMethod::Mode), 3.0);
    }

    #[test]
    fn numeric_imputer_fills_only_missing_values() {
        let mut frame = Frame::from_columns(vec![(
            "X",
            ColumnData::Numeric(smallvec::smallvec![2.0, f64::NAN]),
        )]);
        let fitted = ImputeNumeric {
            variables: vec!["X".into()],
            method: NumericMethod::Mean,
        }
        .fit(&frame)
        .unwrap();
        fitted.transform(&mut frame).unwrap();
        assert_eq!(frame.numeric("t", "X").unwrap(), &[2.0, 2.0]);
    }

    #[test]
    fn imputers_report_a_column_the_frame_lacks() {
        let mut frame =
            Frame::from_columns(vec![("X", ColumnData::Numeric(smallvec::smallvec![2.0]))]);
        let fitted = FittedImputeNumeric {
            fills: vec![("Y".into(), 1.0)],
        };
        assert!(matches!(
            fitted.transform(&mut frame),
            Err(Error::MissingColumn { .. })
        ));
    }
}

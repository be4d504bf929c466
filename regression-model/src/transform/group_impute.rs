//! `impute_by_group`: missing numbers filled with the training median of
//! their group, e.g. a house's `LotFrontage` from the houses of its
//! `Neighborhood` (lots on one street tend to be alike), falling back to the
//! overall median for a group training never saw or saw no value in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::Frame;
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;

const STEP: &str = "impute_by_group";

/// Fills missing `variables` with the median of their `by` group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImputeByGroup {
    pub variables: Vec<String>,
    /// A categorical column (read, not changed).
    pub by: String,
}

/// Per variable: the median of each group with a value, and the overall one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedImputeByGroup {
    pub by: String,
    pub fills: Vec<GroupFills>,
}

/// One variable's fills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFills {
    pub variable: String,
    pub by_group: BTreeMap<String, f64>,
    pub overall: f64,
}

impl ImputeByGroup {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Numeric)?;
        columns.require(std::slice::from_ref(&self.by), ColumnKind::Categorical)
    }

    pub fn fit(&self, frame: &Frame) -> Result<FittedImputeByGroup> {
        let groups = frame.labels(STEP, &self.by)?;
        let mut fills = Vec::with_capacity(self.variables.len());
        for name in &self.variables {
            let values = frame.numeric(STEP, name)?;
            let mut grouped: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
            let mut all = Vec::with_capacity(values.len());
            for (value, group) in values.iter().zip(groups.iter()) {
                if value.is_nan() {
                    continue;
                }
                all.push(*value);
                if let Some(group) = group {
                    grouped.entry(group.as_ref()).or_default().push(*value);
                }
            }
            let overall = crate::stats::median(&mut all).ok_or_else(|| {
                Error::TrainingData(format!("{name}: every training value is missing"))
            })?;
            let by_group = grouped
                .into_iter()
                .filter_map(|(g, mut v)| crate::stats::median(&mut v).map(|m| (g.to_owned(), m)))
                .collect();
            fills.push(GroupFills {
                variable: name.clone(),
                by_group,
                overall,
            });
        }
        Ok(FittedImputeByGroup {
            by: self.by.clone(),
            fills,
        })
    }
}

impl FittedImputeByGroup {
    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for fill in &self.fills {
            let wanted: Vec<f64> = frame
                .labels(STEP, &self.by)?
                .iter()
                .map(|g| {
                    g.as_ref()
                        .and_then(|g| fill.by_group.get(g.as_ref()).copied())
                        .unwrap_or(fill.overall)
                })
                .collect();
            for (value, want) in frame
                .numeric_mut(STEP, &fill.variable)?
                .iter_mut()
                .zip(wanted)
            {
                if value.is_nan() {
                    *value = want;
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

    #[test]
    fn missing_values_take_their_group_median_or_the_overall_one() {
        let labels = |v: &[Option<&'static str>]| {
            ColumnData::Categorical(v.iter().map(|l| l.map(Into::into)).collect())
        };
        let train = Frame::from_columns(vec![
            (
                "LotFrontage",
                ColumnData::Numeric(smallvec::smallvec![60.0, 80.0, 100.0, 30.0, f64::NAN]),
            ),
            (
                "Neighborhood",
                labels(&[Some("A"), Some("A"), Some("A"), Some("B"), Some("C")]),
            ),
        ]);
        let fitted = ImputeByGroup {
            variables: vec!["LotFrontage".into()],
            by: "Neighborhood".into(),
        }
        .fit(&train)
        .unwrap();
        let mut frame = Frame::from_columns(vec![
            (
                "LotFrontage",
                ColumnData::Numeric(smallvec::smallvec![
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                    f64::NAN,
                    5.0
                ]),
            ),
            (
                "Neighborhood",
                labels(&[Some("A"), Some("B"), Some("C"), None, Some("A")]),
            ),
        ]);
        fitted.transform(&mut frame).unwrap();
        // A: median 80; B: 30; C had no value and a missing group: overall
        // median of 30, 60, 80, 100 = 70; a given value is kept.
        assert_eq!(
            frame.numeric("t", "LotFrontage").unwrap(),
            &[80.0, 30.0, 70.0, 70.0, 5.0]
        );
    }
}

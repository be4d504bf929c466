//! Steps that add or remove whole columns: missing-value indicators and the
//! feature dropper.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::frame::{ColumnData, Frame};
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;

/// Adds `<variable>_na` (1 when the value is missing, else 0) after the
/// existing columns, for every listed variable, whether or not training had
/// missing values there (feature-engine's `missing_only=False`), so a
/// model's feature list depends on its config only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingIndicator {
    pub variables: Vec<String>,
}

const MISSING_INDICATOR: &str = "missing_indicator";

impl MissingIndicator {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        for name in &self.variables {
            columns.kind_of(name)?;
        }
        for name in &self.variables {
            columns.add_derived(format!("{name}_na"), ColumnKind::Numeric, &[name])?;
        }
        Ok(())
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for name in &self.variables {
            let column = frame.column(MISSING_INDICATOR, name)?;
            let flags = (0..frame.rows())
                .map(|row| {
                    if is_missing(Some(column), row) {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect();
            frame.push(format!("{name}_na"), ColumnData::Numeric(flags));
        }
        Ok(())
    }
}

fn is_missing(column: Option<&ColumnData>, row: usize) -> bool {
    match column {
        Some(ColumnData::Numeric(v)) => v[row].is_nan(),
        Some(ColumnData::Categorical(v)) => v[row].is_none(),
        None => false,
    }
}

/// Removes columns that were only needed to compute others (e.g. `YrSold`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drop {
    pub variables: Vec<String>,
}

impl Drop {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        for name in &self.variables {
            columns.kind_of(name)?;
            columns.remove(name);
        }
        Ok(())
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for name in &self.variables {
            frame.remove("drop", name)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_indicator_appends_a_flag_column_per_variable_after_the_others() {
        let mut frame = Frame::from_columns(vec![
            (
                "LotFrontage",
                ColumnData::Numeric(smallvec::smallvec![60.0, f64::NAN]),
            ),
            (
                "Alley",
                ColumnData::Categorical(smallvec::smallvec![None, Some("Pave".into())]),
            ),
        ]);
        let step = MissingIndicator {
            variables: vec!["LotFrontage".into(), "Alley".into()],
        };
        step.transform(&mut frame).unwrap();
        assert_eq!(
            frame.names(),
            &["LotFrontage", "Alley", "LotFrontage_na", "Alley_na"]
        );
        assert_eq!(frame.numeric("t", "LotFrontage_na").unwrap(), &[0.0, 1.0]);
        assert_eq!(frame.numeric("t", "Alley_na").unwrap(), &[1.0, 0.0]);
    }

    #[test]
    fn drop_removes_the_column_and_reports_one_that_is_absent() {
        let mut frame = Frame::from_columns(vec![
            ("YrSold", ColumnData::Numeric(smallvec::smallvec![2008.0])),
            ("X", ColumnData::Numeric(smallvec::smallvec![1.0])),
        ]);
        let drop = Drop {
            variables: vec!["YrSold".into()],
        };
        drop.transform(&mut frame).unwrap();
        assert_eq!(frame.names(), &["X".to_owned()]);
        assert!(drop.transform(&mut frame).is_err());
    }
}

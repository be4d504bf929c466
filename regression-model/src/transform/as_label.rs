//! `as_label`: numbers read as labels, for numeric codes whose order or
//! spacing means nothing to a linear model (month sold, year sold, an
//! overall-condition score whose middle value is the most common), so that
//! a later `one_hot` gives each value a coefficient of its own.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::frame::{ColumnData, Frame, Labels};
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;

/// Turns numeric columns into labels: `5.0` becomes `"5"`, `2.5` `"2.5"`;
/// a missing number stays missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsLabel {
    pub variables: Vec<String>,
}

impl AsLabel {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        columns.require(&self.variables, ColumnKind::Numeric)?;
        self.variables
            .iter()
            .for_each(|v| columns.set_kind(v, ColumnKind::Categorical));
        Ok(())
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        for name in &self.variables {
            let labels: Labels = frame
                .numeric("as_label", name)?
                .iter()
                .map(|v| (!v.is_nan()).then(|| label_of(*v).into()))
                .collect();
            frame.replace("as_label", name, ColumnData::Categorical(labels))?;
        }
        Ok(())
    }
}

/// Whole numbers without a decimal point (`2008`, not `2008.0`), as the
/// CSV writes them, so labels read like the data.
fn label_of(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_labels_and_missing_stays_missing() {
        let mut frame = Frame::from_columns(vec![(
            "MoSold",
            ColumnData::Numeric(smallvec::smallvec![5.0, f64::NAN, 2.5, -3.0]),
        )]);
        AsLabel {
            variables: vec!["MoSold".into()],
        }
        .transform(&mut frame)
        .unwrap();
        let labels: Vec<Option<&str>> = frame
            .labels("t", "MoSold")
            .unwrap()
            .iter()
            .map(|l| l.as_deref())
            .collect();
        assert_eq!(labels, [Some("5"), None, Some("2.5"), Some("-3")]);
    }
}

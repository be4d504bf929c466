//! New features computed from existing ones: a sum of some columns minus a
//! sum of others (total floor area, house age at sale, bathrooms). The new
//! column is appended after the existing ones; its inputs stay.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::frame::{ColumnData, Frame, Numbers};
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;

const COMBINE: &str = "combine";

/// `name := Σ add − Σ subtract`, row by row. A missing input rejects the row
/// (impute before combining).
///
/// ```toml
/// [[steps]]
/// step = "combine"
/// name = "HouseAge"
/// add = ["YrSold"]
/// subtract = ["YearBuilt"]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Combine {
    /// The new column's name; must not exist yet.
    pub name: String,
    #[serde(default)]
    pub add: Vec<String>,
    #[serde(default)]
    pub subtract: Vec<String>,
}

impl Combine {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if self.add.is_empty() && self.subtract.is_empty() {
            return Err(format!("`{}` has nothing to add or subtract", self.name));
        }
        if self.name.is_empty() {
            return Err("has an empty `name`".into());
        }
        let inputs: Vec<String> = self.add.iter().chain(&self.subtract).cloned().collect();
        columns.require(&inputs, ColumnKind::Numeric)?;
        let from: Vec<&str> = inputs.iter().map(String::as_str).collect();
        columns.add_derived(self.name.clone(), ColumnKind::Numeric, &from)
    }

    /// The input columns, added ones first.
    pub fn inputs(&self) -> impl Iterator<Item = &String> + Clone {
        self.add.iter().chain(&self.subtract)
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        let mut values = Numbers::from_elem(0.0, frame.rows());
        for (names, sign) in [(&self.add, 1.0), (&self.subtract, -1.0)] {
            for name in names {
                for (total, value) in values.iter_mut().zip(frame.numeric(COMBINE, name)?) {
                    *total += sign * value;
                }
            }
        }
        push_derived(frame, COMBINE, &self.name, self.inputs(), values)
    }
}

/// Appends the derived column `name` (`values`, computed by `step` from
/// `inputs`), first rejecting each row where it is missing, naming the
/// input that was.
pub(super) fn push_derived<'n>(
    frame: &mut Frame,
    step: &str,
    name: &str,
    inputs: impl Iterator<Item = &'n String> + Clone,
    values: Numbers,
) -> Result<()> {
    let mut rejects = Vec::new();
    for (row, value) in values.iter().enumerate() {
        if value.is_nan() {
            let missing = (inputs.clone())
                .find(|n| frame.numeric(step, n).is_ok_and(|v| v[row].is_nan()))
                .cloned()
                .unwrap_or_default();
            rejects.push((row, missing));
        }
    }
    for (row, missing) in rejects {
        frame.reject(
            row,
            &missing,
            format!("is missing, and `{name}` is computed from it (impute it before `{step}`)"),
        );
    }
    frame.push(name.to_owned(), ColumnData::Numeric(values));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Column;

    fn frame() -> Frame<'static> {
        Frame::from_columns(vec![
            (
                "YrSold",
                ColumnData::Numeric(smallvec::smallvec![2008.0, 2010.0, 2009.0]),
            ),
            (
                "YearBuilt",
                ColumnData::Numeric(smallvec::smallvec![2000.0, 1950.0, f64::NAN]),
            ),
        ])
    }

    #[test]
    fn combine_appends_the_sum_of_added_minus_subtracted_columns() {
        let mut frame = frame();
        Combine {
            name: "HouseAge".into(),
            add: vec!["YrSold".into()],
            subtract: vec!["YearBuilt".into()],
        }
        .transform(&mut frame)
        .unwrap();
        assert_eq!(frame.names().last().unwrap(), "HouseAge");
        assert_eq!(&frame.numeric("t", "HouseAge").unwrap()[..2], &[8.0, 60.0]);
        assert_eq!(frame.numeric("t", "YrSold").unwrap()[0], 2008.0);
    }

    #[test]
    fn combine_rejects_a_row_with_a_missing_input_and_names_it() {
        let mut frame = frame();
        Combine {
            name: "Total".into(),
            add: vec!["YrSold".into(), "YearBuilt".into()],
            subtract: vec![],
        }
        .transform(&mut frame)
        .unwrap();
        assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(frame.errors()[0].field, "YearBuilt");
    }

    #[test]
    fn combine_plan_refuses_an_existing_name_an_empty_formula_and_labels() {
        let mut plan = ColumnPlan::from_features(&[Column::YrSold, Column::Street]);
        let step = |name: &str, add: &[&str]| Combine {
            name: name.into(),
            add: add.iter().map(|s| (*s).to_owned()).collect(),
            subtract: vec![],
        };
        assert!(step("YrSold", &["YrSold"]).plan(&mut plan).is_err());
        assert!(step("New", &[]).plan(&mut plan).is_err());
        assert!(step("New", &["Street"]).plan(&mut plan).is_err());
        step("New", &["YrSold"]).plan(&mut plan).unwrap();
        assert_eq!(plan.lineage("New"), ["YrSold".to_owned()].into());
    }
}

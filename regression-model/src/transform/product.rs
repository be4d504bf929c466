//! New features that are products of columns: a square (`GrLivArea`
//! twice) or an interaction (`OverallQual` × `GrLivArea`), which a model on
//! distances or a linear one cannot form itself. The new column is
//! appended; its inputs stay.

use serde::{Deserialize, Serialize};

use super::derive::push_derived;
use crate::error::Result;
use crate::frame::{Frame, Numbers};
use crate::plan::ColumnPlan;
use crate::schema::ColumnKind;

const MULTIPLY: &str = "multiply";

/// `name := Π of`, row by row. A missing input rejects the row (impute
/// before multiplying).
///
/// ```toml
/// [[steps]]
/// step = "multiply"
/// name = "QualityArea"
/// of = ["OverallQual", "GrLivArea"]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Multiply {
    /// The new column's name; must not exist yet.
    pub name: String,
    /// The factors, two or more; a column may repeat (a square).
    pub of: Vec<String>,
}

impl Multiply {
    pub(crate) fn plan(&self, columns: &mut ColumnPlan) -> Result<(), String> {
        if self.of.len() < 2 {
            return Err(format!(
                "`{}` needs at least two factors in `of`, got {}",
                self.name,
                self.of.len()
            ));
        }
        if self.name.is_empty() {
            return Err("has an empty `name`".into());
        }
        columns.require(&self.of, ColumnKind::Numeric)?;
        let from: Vec<&str> = self.of.iter().map(String::as_str).collect();
        columns.add_derived(self.name.clone(), ColumnKind::Numeric, &from)
    }

    pub fn transform(&self, frame: &mut Frame) -> Result<()> {
        let mut values = Numbers::from_elem(1.0, frame.rows());
        for name in &self.of {
            for (product, value) in values.iter_mut().zip(frame.numeric(MULTIPLY, name)?) {
                *product *= value;
            }
        }
        push_derived(frame, MULTIPLY, &self.name, self.of.iter(), values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::ColumnData;
    use crate::schema::Column;

    fn step(name: &str, of: &[&str]) -> Multiply {
        Multiply {
            name: name.into(),
            of: of.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn it_appends_the_product_and_rejects_a_row_missing_a_factor() {
        let mut frame = Frame::from_columns(vec![
            (
                "A",
                ColumnData::Numeric(smallvec::smallvec![2.0, 3.0, f64::NAN]),
            ),
            (
                "B",
                ColumnData::Numeric(smallvec::smallvec![5.0, -1.0, 4.0]),
            ),
        ]);
        step("AB", &["A", "B"]).transform(&mut frame).unwrap();
        step("AA", &["A", "A"]).transform(&mut frame).unwrap();
        assert_eq!(&frame.numeric("t", "AB").unwrap()[..2], &[10.0, -3.0]);
        assert_eq!(&frame.numeric("t", "AA").unwrap()[..2], &[4.0, 9.0]);
        assert_eq!(frame.accepted_rows().collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(frame.errors()[0].field, "A");
    }

    #[test]
    fn its_plan_refuses_one_factor_an_existing_name_and_labels() {
        let mut plan = ColumnPlan::from_features(&[Column::YrSold, Column::Street]);
        assert!(step("New", &["YrSold"]).plan(&mut plan).is_err());
        assert!(
            step("YrSold", &["YrSold", "YrSold"])
                .plan(&mut plan)
                .is_err()
        );
        assert!(step("New", &["YrSold", "Street"]).plan(&mut plan).is_err());
        step("New", &["YrSold", "YrSold"]).plan(&mut plan).unwrap();
        assert_eq!(plan.lineage("New"), ["YrSold".to_owned()].into());
    }
}

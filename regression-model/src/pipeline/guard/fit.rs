//! Learning an [`InputGuard`] from the rows the estimator was trained on
//! (after any training-row filter: the range of `GrLivArea` is that of the
//! houses the model learnt from).

use std::collections::BTreeMap;

use super::{Fallback, InputGuard, MISSING_LABEL};
use crate::config::OnMissing;
use crate::input::TrainingColumns;
use crate::schema::{CellRef, Column, ColumnKind};
use crate::transform::FittedStep;

impl InputGuard {
    /// `features` are the read inputs, `required` those no step imputes
    /// (fallbacks are learnt for them with `on_missing = "impute"`),
    /// `rows` the training rows of `data` and `steps` the fitted steps.
    pub(in crate::pipeline) fn fit(
        on_missing: OnMissing,
        features: &[Column],
        required: &[Column],
        (data, rows): (&TrainingColumns, &[usize]),
        steps: &[FittedStep],
    ) -> InputGuard {
        let records = Rows { data, rows };
        let mut guard = InputGuard::default();
        for &column in features {
            match column.kind() {
                ColumnKind::Numeric => {
                    let values = numbers(&records, column);
                    let min = values.iter().copied().reduce(f64::min);
                    let max = values.iter().copied().reduce(f64::max);
                    if let (Some(min), Some(max)) = (min, max) {
                        guard.ranges.push((column, min, max));
                    }
                }
                ColumnKind::Categorical => {
                    let counts = label_counts(&records, column);
                    if !counts.is_empty() {
                        let seen = counts.keys().map(|l| (*l).to_owned()).collect();
                        guard.labels.push((column, seen));
                    }
                }
            }
        }
        if on_missing == OnMissing::Impute {
            guard.fallbacks = required
                .iter()
                .filter_map(|&column| Some((column, fallback(column, &records, steps)?)))
                .collect();
        }
        guard
    }
}

/// The fallback of one column; `None` only when training had no value in
/// it (then fitting failed already: nothing imputed a required column).
fn fallback(column: Column, records: &Rows<'_>, steps: &[FittedStep]) -> Option<Fallback> {
    match column.kind() {
        ColumnKind::Numeric => {
            crate::stats::median(&mut numbers(records, column)).map(Fallback::Number)
        }
        ColumnKind::Categorical => {
            if encodes_missing(column, steps) {
                return Some(Fallback::Label(MISSING_LABEL.to_owned()));
            }
            // Most frequent; a tie goes to the first label in sorted order.
            let counts = label_counts(records, column);
            let best = counts.values().copied().max()?;
            let (label, _) = counts.into_iter().find(|(_, n)| *n == best)?;
            Some(Fallback::Label(label.to_owned()))
        }
    }
}

/// Whether an encoder of `column` already has a code for `Missing` (a
/// quality scale's `Missing = 0`): then "not given" is priced as that.
fn encodes_missing(column: Column, steps: &[FittedStep]) -> bool {
    let reads = |variables: &[String]| variables.iter().any(|v| v == column.name());
    steps.iter().any(|step| match step {
        FittedStep::MapLabels(m) => reads(&m.variables) && m.mapping.contains_key(MISSING_LABEL),
        FittedStep::OrdinalByTarget(o) => o
            .codes
            .iter()
            .any(|(name, codes)| name == column.name() && codes.contains_key(MISSING_LABEL)),
        _ => false,
    })
}

/// The training rows: `rows` of `data`.
struct Rows<'d> {
    data: &'d TrainingColumns,
    rows: &'d [usize],
}

impl<'d> Rows<'d> {
    fn cells(&self, column: Column) -> impl Iterator<Item = CellRef<'d>> + 'd {
        self.data.cells(column, self.rows.iter().copied())
    }
}

fn numbers(records: &Rows<'_>, column: Column) -> Vec<f64> {
    records
        .cells(column)
        .filter_map(|cell| match cell {
            CellRef::Number(Some(v)) if v.is_finite() => Some(v),
            _ => None,
        })
        .collect()
}

fn label_counts<'r>(records: &Rows<'r>, column: Column) -> BTreeMap<&'r str, usize> {
    let mut counts = BTreeMap::new();
    for cell in records.cells(column) {
        if let CellRef::Label(Some(label)) = cell {
            *counts.entry(label).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::HouseRecord;

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(crate::stats::median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(crate::stats::median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(crate::stats::median(&mut []), None);
    }

    #[test]
    fn a_label_fallback_is_missing_where_a_map_has_it_else_the_most_frequent() {
        let record = |quality: &str, functional: &str| HouseRecord {
            kitchen_qual: Some(quality.into()),
            functional: Some(functional.into()),
            ..HouseRecord::default()
        };
        let rows = [
            record("Gd", "Typ"),
            record("TA", "Min1"),
            record("TA", "Typ"),
        ];
        let records: Vec<&HouseRecord> = rows.iter().collect();
        let map: crate::transform::MapLabels = toml::from_str(
            "variables = [\"KitchenQual\"]\nmapping = { Missing = 0, TA = 3, Gd = 4 }",
        )
        .unwrap();
        let steps = [FittedStep::MapLabels(map)];
        let features = [Column::KitchenQual, Column::Functional];
        let data = TrainingColumns::from_records(&records, &features);
        let all = (&data, &[0, 1, 2][..]);
        let guard = InputGuard::fit(OnMissing::Impute, &features, &features, all, &steps);
        assert_eq!(
            guard.fallbacks,
            [
                (Column::KitchenQual, Fallback::Label("Missing".into())),
                (Column::Functional, Fallback::Label("Typ".into())),
            ]
        );
        let rejecting = InputGuard::fit(OnMissing::Reject, &features, &features, all, &steps);
        assert!(rejecting.fallbacks.is_empty() && rejecting.labels.len() == 2);
    }
}

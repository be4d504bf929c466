//! Redundant columns, the filter methods of feature selection: constant
//! (one value in every row, missing counting as a value), quasi-constant
//! (one value in at least a given share of rows), duplicated (identical to
//! an earlier column in every row) and correlated numeric pairs.

use serde::{Deserialize, Serialize};

use super::{AnalyzeOptions, RawColumn, value_counts};
use crate::schema::ColumnKind;
use crate::stats::pearson;

/// A quasi-constant column, its dominant value and that value's share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuasiConstant {
    /// The column.
    pub column: String,
    /// The dominant value (`NA` when it is the missing value).
    pub value: String,
    /// Share of rows holding `value`.
    pub share: f64,
}

/// A column equal to an earlier one in every row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duplicated {
    /// The later column, which adds nothing.
    pub copy: String,
    /// The earlier column it repeats.
    pub original: String,
}

/// Two numeric columns whose Pearson correlation is above the threshold
/// (in absolute value), over rows where both are present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlated {
    /// The earlier column.
    pub first: String,
    /// The later column.
    pub second: String,
    /// Their Pearson correlation.
    pub r: f64,
}

/// Every redundancy found, in column order (correlated pairs by falling |r|).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Redundancy {
    /// Columns holding one value (or none) in every row.
    pub constant: Vec<String>,
    /// Columns where one value covers at least the quasi-constant share.
    pub quasi_constant: Vec<QuasiConstant>,
    /// Columns equal to an earlier one.
    pub duplicated: Vec<Duplicated>,
    /// Numeric pairs above the correlation threshold.
    pub correlated: Vec<Correlated>,
}

impl Redundancy {
    /// Finds every redundancy among `columns` of a table of `rows` rows, with the thresholds of `options`.
    pub fn find(columns: &[&RawColumn], rows: usize, options: &AnalyzeOptions) -> Redundancy {
        let mut found = Redundancy::default();
        for column in columns {
            let (counts, missing) = value_counts(column);
            let (value, top) = counts
                .iter()
                .rev()
                .max_by_key(|(_, n)| **n)
                .map(|(v, n)| ((*v).to_owned(), *n))
                .unwrap_or_default();
            let (value, top) = if missing > top {
                ("NA".to_owned(), missing)
            } else {
                (value, top)
            };
            let share = if rows == 0 {
                1.0
            } else {
                top as f64 / rows as f64
            };
            if top == rows {
                found.constant.push(column.name.clone());
            } else if share >= options.quasi_constant_share {
                found.quasi_constant.push(QuasiConstant {
                    column: column.name.clone(),
                    value,
                    share,
                });
            }
        }
        for (at, column) in columns.iter().enumerate() {
            if let Some(original) = columns[..at]
                .iter()
                .find(|o| o.kind == column.kind && o.cells == column.cells)
            {
                found.duplicated.push(Duplicated {
                    copy: column.name.clone(),
                    original: original.name.clone(),
                });
            }
        }
        let numeric: Vec<&&RawColumn> = columns
            .iter()
            .filter(|c| c.kind == ColumnKind::Numeric)
            .collect();
        for (at, first) in numeric.iter().enumerate() {
            for second in &numeric[at + 1..] {
                if let Some(r) = pearson(&first.numbers, &second.numbers)
                    && r.abs() > options.correlation
                {
                    found.correlated.push(Correlated {
                        first: first.name.clone(),
                        second: second.name.clone(),
                        r,
                    });
                }
            }
        }
        found
            .correlated
            .sort_by(|a, b| b.r.abs().total_cmp(&a.r.abs()));
        found
    }

    /// Whether `column` is constant, quasi-constant or a duplicate copy.
    pub fn flags(&self, column: &str) -> bool {
        self.constant.iter().any(|c| c == column)
            || self.quasi_constant.iter().any(|q| q.column == column)
            || self.duplicated.iter().any(|d| d.copy == column)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{AnalyzeOptions, RawTable};
    use super::*;

    #[test]
    fn constant_quasi_constant_duplicated_and_correlated_columns_are_found() {
        let mut csv = String::from("A,B,C,D,E,F\n");
        for i in 0..200 {
            let b = if i == 0 { "x" } else { "y" };
            let f = 2.0 * i as f64 + if i % 2 == 0 { 1.0 } else { 0.0 };
            csv += &format!("k,{b},{i},{i},{},{f}\n", (i * 7919) % 200);
        }
        let table = RawTable::read(csv.as_bytes()).unwrap();
        let columns: Vec<&RawColumn> = table.columns.iter().collect();
        let found = Redundancy::find(&columns, table.rows, &AnalyzeOptions::default());
        assert_eq!(found.constant, ["A"]);
        assert_eq!(found.quasi_constant[0].column, "B");
        assert_eq!(found.quasi_constant[0].value, "y");
        assert_eq!(
            found.duplicated,
            [Duplicated {
                copy: "D".into(),
                original: "C".into()
            }]
        );
        let pairs: Vec<(&str, &str)> = found
            .correlated
            .iter()
            .map(|c| (c.first.as_str(), c.second.as_str()))
            .collect();
        assert_eq!(pairs, [("C", "D"), ("C", "F"), ("D", "F")]);
        assert!(found.flags("D") && !found.flags("C"));
    }
}

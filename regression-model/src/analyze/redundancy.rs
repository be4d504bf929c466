//! Redundant columns, the filter methods of feature selection: constant
//! (one value in every row, missing counting as a value), quasi-constant
//! (one value in at least a given share of rows), duplicated (identical to
//! an earlier column in every row) and correlated numeric pairs.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use serde::{Deserialize, Serialize};

use super::{AnalyzeOptions, RawColumn};
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

/// Numeric columns beyond which correlated pairs are not looked for: the
/// pairs grow with the square of the columns (1,000 columns are 499,500
/// pairs; 100,000 took most of a minute for one row), and a table of
/// thousands of pairs is not read by anyone.
pub const MAX_CORRELATED_COLUMNS: usize = 1_000;

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
    /// The numeric columns, when they were more than
    /// [`MAX_CORRELATED_COLUMNS`] and correlated pairs were not looked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_skipped: Option<usize>,
}

impl Redundancy {
    /// Finds every redundancy among `columns` of a table of `rows` rows,
    /// with the thresholds of `options`: in time linear in the cells, but
    /// for the correlated pairs among at most [`MAX_CORRELATED_COLUMNS`]
    /// numeric columns.
    pub fn find(columns: &[&RawColumn], rows: usize, options: &AnalyzeOptions) -> Redundancy {
        let mut found = Redundancy::default();
        for column in columns {
            let (value, top) = dominant_value(column);
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
        found.duplicated = duplicates(columns);
        let numeric: Vec<&RawColumn> = columns
            .iter()
            .copied()
            .filter(|c| c.kind == ColumnKind::Numeric)
            .collect();
        if numeric.len() > MAX_CORRELATED_COLUMNS {
            found.correlation_skipped = Some(numeric.len());
        } else {
            found.correlated = correlated_pairs(&numeric, options.correlation);
        }
        found
    }

    /// Whether `column` is constant, quasi-constant or a duplicate copy.
    pub fn flags(&self, column: &str) -> bool {
        self.constant.iter().any(|c| c == column)
            || self.quasi_constant.iter().any(|q| q.column == column)
            || self.duplicated.iter().any(|d| d.copy == column)
    }
}

/// The most frequent value (`NA` when missing cells are the most
/// frequent; among equally frequent values, the first in text order) and
/// its rows.
fn dominant_value(column: &RawColumn) -> (String, usize) {
    let counts = column.value_counts();
    let (value, top) = counts
        .values
        .iter()
        .copied()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(v, n)| (v.to_owned(), n))
        .unwrap_or_default();
    if counts.missing > top {
        ("NA".to_owned(), counts.missing)
    } else {
        (value, top)
    }
}

/// Each column equal to an earlier one, with the first column it repeats.
/// Columns are grouped by a hash of their cells, and only columns of one
/// hash are compared, so this is linear in the cells, not quadratic in the
/// columns.
fn duplicates(columns: &[&RawColumn]) -> Vec<Duplicated> {
    let state = RandomState::default();
    let mut originals: HashMap<u64, Vec<&RawColumn>> = HashMap::new();
    let mut found = Vec::new();
    for column in columns {
        let same_hash = originals.entry(column.cells_hash(&state)).or_default();
        match same_hash.iter().find(|o| o.same_cells(column)) {
            Some(original) => found.push(Duplicated {
                copy: column.name.clone(),
                original: original.name.clone(),
            }),
            None => same_hash.push(column),
        }
    }
    found
}

/// Pairs of `numeric` columns whose |r| is above `threshold`, strongest
/// first. Each column's numbers are built once as the first of its pairs
/// and once per pair as the second, so at most three columns of numbers
/// are held at a time.
fn correlated_pairs(numeric: &[&RawColumn], threshold: f64) -> Vec<Correlated> {
    let mut found = Vec::new();
    for (at, first) in numeric.iter().enumerate() {
        let a = first.numbers();
        for second in &numeric[at + 1..] {
            if let Some(r) = pearson(&a, &second.numbers())
                && r.abs() > threshold
            {
                found.push(Correlated {
                    first: first.name.clone(),
                    second: second.name.clone(),
                    r,
                });
            }
        }
    }
    found.sort_by(|a, b| b.r.abs().total_cmp(&a.r.abs()));
    found
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

    #[test]
    fn equal_columns_are_grouped_and_too_many_numeric_ones_are_not_paired() {
        // 100,000 columns of one row took 53 s, comparing every pair.
        let columns = MAX_CORRELATED_COLUMNS + 1;
        let header: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
        let csv = format!("{}\n{}\n", header.join(","), vec!["1"; columns].join(","));
        let table = RawTable::read(csv.as_bytes()).unwrap();
        let refs: Vec<&RawColumn> = table.columns.iter().collect();
        let found = Redundancy::find(&refs, table.rows, &AnalyzeOptions::default());
        assert_eq!(found.duplicated.len(), columns - 1);
        assert!(found.duplicated.iter().all(|d| d.original == "c0"));
        assert_eq!(found.correlation_skipped, Some(columns));
        assert!(found.correlated.is_empty());
    }
}

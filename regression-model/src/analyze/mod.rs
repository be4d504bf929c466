//! Data analysis for model development (the course's research notebook as a
//! command): per column its kind, missing share, cardinality, rare labels,
//! skewness and IQR outliers; and the redundancy that feature selection
//! removes: constant, quasi-constant, duplicated and correlated columns.
//!
//! The `Id` column is an identifier and is not analysed; the target is
//! described separately (and its log), and each numeric column's
//! correlation with the log target is reported.

mod column;
mod listing;
mod options;
mod redundancy;
mod table;
mod values;

pub use listing::{Counts, MAX_LISTED};
pub use options::AnalyzeOptions;
pub use redundancy::{Correlated, Duplicated, MAX_CORRELATED_COLUMNS, QuasiConstant, Redundancy};
pub use table::{RawColumn, RawTable};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::schema::ColumnKind;
use crate::stats::{pearson, quartiles, skewness};

/// What one column holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnReport {
    /// The column's name in the file.
    pub name: String,
    /// Numbers or labels, as the schema (or the values) say.
    pub kind: ColumnKind,
    /// Share of rows where the cell is missing (`NA` or empty).
    pub missing_share: f64,
    /// Distinct present values.
    pub cardinality: usize,
    /// Share of rows holding the most frequent value (missing counts as a value).
    pub top_share: f64,
    /// Categorical: labels under the rare share, and the share of rows they cover.
    pub rare_labels: usize,
    /// Share of rows holding one of those rare labels.
    pub rare_labels_share: f64,
    /// Numeric: skewness (pandas' definition), values outside Tukey's fences
    /// (1.5 IQR), and the Pearson correlation with the log target.
    pub skewness: Option<f64>,
    /// Numeric: values outside Tukey's fences.
    pub outliers: usize,
    /// Numeric: share of present values that are outliers.
    pub outlier_share: f64,
    /// Numeric: Pearson correlation with the log target (`None` without a target or for a constant column).
    pub target_correlation: Option<f64>,
}

/// The target and its log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetReport {
    /// The target column's name (`SalePrice`).
    pub name: String,
    /// Rows with a usable (present, positive) target.
    pub rows: usize,
    /// Smallest target (`None` without usable rows, as for `max` and `mean`).
    pub min: Option<f64>,
    /// Largest target.
    pub max: Option<f64>,
    /// Mean target.
    pub mean: Option<f64>,
    /// Skewness of the target (pandas' definition): prices are right-skewed.
    pub skewness: Option<f64>,
    /// Skewness of its log: near 0 is why the pipelines fit `ln(SalePrice)`.
    pub log_skewness: Option<f64>,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Data rows analysed.
    pub rows: usize,
    /// Lines of the rows left out for not being as wide as the header
    /// (at most [`crate::input::MAX_MISSHAPEN_ROWS`]).
    #[serde(default)]
    pub skipped_lines: Vec<u64>,
    /// The target's summary, when the file has one.
    pub target: Option<TargetReport>,
    /// One report per column, in file order.
    pub columns: Vec<ColumnReport>,
    /// Columns that add nothing: constant, duplicated or strongly correlated.
    pub redundancy: Redundancy,
    /// How long each list above is: exact, also once [`Report::listed`]
    /// cut the lists for printing.
    #[serde(default)]
    pub counts: Counts,
}

/// The identifier column, never analysed.
pub const ID_COLUMN: &str = "Id";

/// Analyses a table.
///
/// # Errors
/// [`Error::TrainingData`] when the named target is not a numeric column
/// with positive values.
pub fn analyze(table: &RawTable, options: &AnalyzeOptions) -> Result<Report> {
    options.check()?;
    let target = match &options.target {
        Some(name) => Some(target_values(table, name)?),
        None => None,
    };
    let log_target: Option<Vec<f64>> = target
        .as_ref()
        .map(|(_, y)| y.iter().map(|v| v.ln()).collect());
    let inputs: Vec<&RawColumn> = table
        .columns
        .iter()
        .filter(|c| c.name != ID_COLUMN && Some(&c.name) != options.target.as_ref())
        .collect();
    let columns: Vec<ColumnReport> = inputs
        .iter()
        .map(|c| column_report(c, table.rows, options, log_target.as_deref()))
        .collect();
    let target = target.map(|(name, y)| target_report(name, &y, log_target.as_deref()));
    let redundancy = Redundancy::find(&inputs, table.rows, options);
    Ok(Report {
        rows: table.rows,
        skipped_lines: table.skipped_lines.clone(),
        target,
        counts: Counts::of(&columns, &redundancy),
        columns,
        redundancy,
    })
}

/// The target's summary; `None` for min, max and mean when no row has a
/// usable target (rather than infinities and `NaN`).
fn target_report(name: String, y: &[f64], log_y: Option<&[f64]>) -> TargetReport {
    let present: Vec<f64> = y.iter().copied().filter(|v| !v.is_nan()).collect();
    let (min, max) = present
        .iter()
        .fold(None, |range: Option<(f64, f64)>, &v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
        .unzip();
    TargetReport {
        name,
        rows: present.len(),
        min,
        max,
        mean: (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64),
        skewness: skewness(y),
        log_skewness: log_y.and_then(skewness),
    }
}

fn target_values(table: &RawTable, name: &str) -> Result<(String, Vec<f64>)> {
    let column = table
        .column(name)
        .ok_or_else(|| Error::TrainingData(format!("the data has no target column `{name}`")))?;
    if column.kind != ColumnKind::Numeric {
        return Err(Error::TrainingData(format!(
            "target `{name}` is not numeric"
        )));
    }
    let numbers = column.numbers();
    if let Some(bad) = numbers.iter().find(|v| **v <= 0.0) {
        return Err(Error::TrainingData(format!(
            "target `{name}` has the value {bad}; its log needs positive values"
        )));
    }
    Ok((name.to_owned(), numbers))
}

fn column_report(
    column: &RawColumn,
    rows: usize,
    options: &AnalyzeOptions,
    log_target: Option<&[f64]>,
) -> ColumnReport {
    let share = |n: usize| {
        if rows == 0 {
            0.0
        } else {
            n as f64 / rows as f64
        }
    };
    let counts = column.value_counts();
    let missing = counts.missing;
    let top = counts
        .values
        .iter()
        .map(|v| v.1)
        .max()
        .unwrap_or(0)
        .max(missing);
    let mut report = ColumnReport {
        name: column.name.clone(),
        kind: column.kind,
        missing_share: share(missing),
        cardinality: counts.values.len(),
        top_share: share(top),
        rare_labels: 0,
        rare_labels_share: 0.0,
        skewness: None,
        outliers: 0,
        outlier_share: 0.0,
        target_correlation: None,
    };
    match column.kind {
        ColumnKind::Categorical => {
            let rare: Vec<usize> = counts
                .values
                .iter()
                .map(|v| v.1)
                .filter(|n| share(*n) < options.rare_share)
                .collect();
            report.rare_labels = rare.len();
            report.rare_labels_share = share(rare.iter().sum());
        }
        ColumnKind::Numeric => {
            let numbers = column.numbers();
            report.skewness = skewness(&numbers);
            if let Some((q1, q3)) = quartiles(&numbers) {
                let (lo, hi) = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1));
                report.outliers = numbers.iter().filter(|v| **v < lo || **v > hi).count();
                report.outlier_share = share(report.outliers);
            }
            report.target_correlation = log_target.and_then(|y| pearson(&numbers, y));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "Id,GrLivArea,Street,Note,SalePrice\n\
        1,1000,Pave,a,100000\n\
        2,2000,Pave,a,200000\n\
        3,1500,Pave,NA,150000\n\
        4,9000,Grvl,b,160000\n";

    #[test]
    fn the_report_describes_each_input_column_but_not_the_id_or_target() {
        let table = RawTable::read(CSV.as_bytes()).unwrap();
        let report = analyze(&table, &AnalyzeOptions::default()).unwrap();
        let names: Vec<&str> = report.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["GrLivArea", "Street", "Note"]);
        let note = &report.columns[2];
        assert_eq!((note.missing_share, note.cardinality), (0.25, 2));
        assert_eq!(note.top_share, 0.5);
        let area = &report.columns[0];
        assert_eq!(area.outliers, 1);
        assert!(area.target_correlation.unwrap() > 0.0);
        let target = report.target.unwrap();
        assert_eq!(
            (target.min, target.max, target.rows),
            (Some(100000.0), Some(200000.0), 4)
        );
    }

    #[test]
    fn a_missing_or_non_positive_target_is_an_error() {
        let table = RawTable::read(CSV.as_bytes()).unwrap();
        let options = AnalyzeOptions {
            target: Some("Price".into()),
            ..AnalyzeOptions::default()
        };
        assert!(analyze(&table, &options).is_err());
        let zero = RawTable::read("GrLivArea,SalePrice\n1,0\n".as_bytes()).unwrap();
        assert!(analyze(&zero, &AnalyzeOptions::default()).is_err());
    }

    #[test]
    fn a_target_without_usable_rows_has_no_min_max_or_mean() {
        let table = RawTable::read("Id,GrLivArea,SalePrice\n1,abc,NA\n".as_bytes()).unwrap();
        let target = analyze(&table, &AnalyzeOptions::default())
            .unwrap()
            .target
            .unwrap();
        assert_eq!(target.rows, 0);
        assert_eq!((target.min, target.max, target.mean), (None, None, None));
    }
}

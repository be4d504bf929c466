//! A report's lists cut for printing. A file of 100,000 columns has
//! 100,000 column reports and may have as many constant or duplicated
//! columns: printed whole, such a report was 13 MB with one line of 2 MB.
//! Whoever prints a report prints [`Report::listed`], whose lists are at
//! most [`MAX_LISTED`] long and whose [`Counts`] stay exact.

use serde::{Deserialize, Serialize};

use super::{ColumnReport, Redundancy, Report};

/// Items a printed list holds at most: more columns than any house
/// dataset has (79 inputs), few enough that a report stays readable.
pub const MAX_LISTED: usize = 1_000;

/// How many items each list of a [`Report`] had before it was cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Columns analysed.
    pub columns: usize,
    /// Constant columns.
    pub constant: usize,
    /// Quasi-constant columns.
    pub quasi_constant: usize,
    /// Duplicated columns.
    pub duplicated: usize,
    /// Correlated pairs.
    pub correlated: usize,
}

impl Counts {
    /// The lengths of the full lists.
    pub(super) fn of(columns: &[ColumnReport], redundancy: &Redundancy) -> Counts {
        Counts {
            columns: columns.len(),
            constant: redundancy.constant.len(),
            quasi_constant: redundancy.quasi_constant.len(),
            duplicated: redundancy.duplicated.len(),
            correlated: redundancy.correlated.len(),
        }
    }
}

impl Report {
    /// The report with each list cut to its first `max` items (the
    /// strongest correlated pairs); [`Report::counts`] stays exact.
    pub fn listed(&self, max: usize) -> Report {
        fn first<T: Clone>(items: &[T], max: usize) -> Vec<T> {
            items[..items.len().min(max)].to_vec()
        }
        let r = &self.redundancy;
        Report {
            rows: self.rows,
            skipped_lines: self.skipped_lines.clone(),
            target: self.target.clone(),
            columns: first(&self.columns, max),
            redundancy: Redundancy {
                constant: first(&r.constant, max),
                quasi_constant: first(&r.quasi_constant, max),
                duplicated: first(&r.duplicated, max),
                correlated: first(&r.correlated, max),
                correlation_skipped: r.correlation_skipped,
            },
            counts: self.counts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{AnalyzeOptions, RawTable, analyze};
    use super::*;

    #[test]
    fn a_listed_report_holds_at_most_max_items_a_list_and_the_exact_counts() {
        // A JSON report of 100,000 equal columns was 38 MB.
        let columns = 2 * MAX_LISTED;
        let header: Vec<String> = (0..columns).map(|i| format!("c{i}")).collect();
        let csv = format!("{}\n{}\n", header.join(","), vec!["1"; columns].join(","));
        let table = RawTable::read(csv.as_bytes()).unwrap();
        let options = AnalyzeOptions {
            target: None,
            ..AnalyzeOptions::default()
        };
        let listed = analyze(&table, &options).unwrap().listed(MAX_LISTED);
        assert_eq!(listed.columns.len(), MAX_LISTED);
        assert_eq!(listed.redundancy.constant.len(), MAX_LISTED);
        assert_eq!(listed.redundancy.duplicated.len(), MAX_LISTED);
        let counts = listed.counts;
        assert_eq!((counts.columns, counts.constant), (columns, columns));
        assert_eq!(counts.duplicated, columns - 1);
        let json = serde_json::to_string(&listed).unwrap();
        assert!(json.len() < 500 * MAX_LISTED, "{} bytes", json.len());
    }
}

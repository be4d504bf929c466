//! Summarising the training rows (`train` feature only).

use std::collections::BTreeMap;

use super::bins::numeric_bin;
use super::{LabelSummary, MAX_LABELS, NumericSummary, TrainingSummary};
use crate::input::TrainingColumns;
use crate::schema::{CellRef, Column, ColumnKind};

/// PSI bins per numeric input before ties are merged: deciles.
const QUANTILE_BINS: usize = 10;

impl TrainingSummary {
    /// Summarises `features` over the training rows, every row of `data`.
    pub(crate) fn fit(features: &[Column], data: &TrainingColumns) -> TrainingSummary {
        let mut summary = TrainingSummary {
            rows: data.rows() as u64,
            numeric: Vec::new(),
            categorical: Vec::new(),
        };
        for &column in features {
            match column.kind() {
                ColumnKind::Numeric => summary.numeric.push(numeric(column, data)),
                ColumnKind::Categorical => summary.categorical.push(labels(column, data)),
            }
        }
        summary
    }
}

fn numeric(column: Column, data: &TrainingColumns) -> NumericSummary {
    let value = |cell: CellRef<'_>| match cell {
        CellRef::Number(v) => v.filter(|v| !v.is_nan()),
        CellRef::Label(_) => None,
    };
    let cells = || data.cells(column, 0..data.rows());
    let mut values: Vec<f64> = cells().filter_map(value).collect();
    values.sort_unstable_by(f64::total_cmp);
    // The k-th decile is the smallest value with at least k/10 of the rows
    // at or below it; equal deciles are one edge.
    let mut edges: Vec<f64> = Vec::with_capacity(QUANTILE_BINS - 1);
    if !values.is_empty() {
        for k in 1..QUANTILE_BINS {
            let rank = (k * values.len()).div_ceil(QUANTILE_BINS).max(1);
            let edge = values[rank - 1];
            if edge.is_finite() && edges.last().is_none_or(|last| *last < edge) {
                edges.push(edge);
            }
        }
    }
    let mut counts = vec![0u64; edges.len() + 1];
    let mut missing = 0;
    for cell in cells() {
        match value(cell) {
            Some(v) => counts[numeric_bin(&edges, Some(v)).min(edges.len())] += 1,
            None => missing += 1,
        }
    }
    NumericSummary {
        column,
        edges,
        counts,
        missing,
    }
}

fn labels(column: Column, data: &TrainingColumns) -> LabelSummary {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    let mut missing = 0;
    for cell in data.cells(column, 0..data.rows()) {
        match cell {
            CellRef::Label(Some(label)) => *counts.entry(label).or_insert(0) += 1,
            _ => missing += 1,
        }
    }
    let mut labels: Vec<(String, u64)> = counts
        .into_iter()
        .map(|(label, n)| (label.to_owned(), n))
        .collect();
    labels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let other = labels.iter().skip(MAX_LABELS).map(|(_, n)| n).sum();
    labels.truncate(MAX_LABELS);
    LabelSummary {
        column,
        labels,
        other,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::HouseRecord;

    #[test]
    fn deciles_become_edges_with_ties_merged_and_counts_fill_the_bins() {
        let rows: Vec<HouseRecord> = (0..100)
            .map(|i| HouseRecord {
                // Half zeros (like a pool area), then 1..=50; two missing.
                pool_area: (i >= 2).then_some(if i < 50 { 0.0 } else { f64::from(i - 49) }),
                ..HouseRecord::default()
            })
            .collect();
        let records: Vec<&HouseRecord> = rows.iter().collect();
        let data = TrainingColumns::from_records(&records, &[Column::PoolArea]);
        let summary = TrainingSummary::fit(&[Column::PoolArea], &data);
        let pool = &summary.numeric[0];
        assert_eq!(pool.edges, [0.0, 1.0, 11.0, 21.0, 31.0, 41.0]);
        assert_eq!(pool.missing, 2);
        assert_eq!(pool.counts.iter().sum::<u64>(), 98);
        assert_eq!(pool.counts[0], 48, "every zero in the first bin");
        summary.check().unwrap();
    }

    #[test]
    fn labels_are_counted_most_frequent_first_and_missing_apart() {
        let rows: Vec<HouseRecord> = ["Pave", "Grvl", "Pave", "", "Pave"]
            .iter()
            .map(|l| HouseRecord {
                street: (!l.is_empty()).then(|| (*l).to_owned()),
                ..HouseRecord::default()
            })
            .collect();
        let records: Vec<&HouseRecord> = rows.iter().collect();
        let data = TrainingColumns::from_records(&records, &[Column::Street]);
        let summary = TrainingSummary::fit(&[Column::Street], &data);
        let street = &summary.categorical[0];
        assert_eq!(street.labels, [("Pave".into(), 3), ("Grvl".into(), 1)]);
        assert_eq!((street.other, street.missing), (0, 1));
        summary.check().unwrap();
    }
}

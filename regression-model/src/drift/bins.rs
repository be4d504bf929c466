//! Where a value falls among an input's bins, the same rule for training
//! (the summary's counts) and serving (the monitor's window).

use super::{LabelSummary, NumericSummary};
use crate::schema::{CellRef, Column, HouseRecord};

/// One input's bins: the value bins, then one for missing values.
#[derive(Debug, Clone)]
pub(super) enum Bins {
    /// `edges.len() + 1` value bins, then missing.
    Numeric { column: Column, edges: Vec<f64> },
    /// The listed labels in summary order, then "other", then missing.
    /// `sorted` holds `(label, bin)` by label for the look-up.
    Labels {
        column: Column,
        sorted: Vec<(String, usize)>,
        /// Whether the labels are every label training saw.
        complete: bool,
    },
}

/// Where one row's value of an input went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Placed {
    pub bin: usize,
    /// A label training never saw (only when the label list is complete).
    pub unseen: bool,
}

/// The bin of a number among increasing upper `edges`.
pub(super) fn numeric_bin(edges: &[f64], value: Option<f64>) -> usize {
    match value {
        Some(v) if !v.is_nan() => edges.partition_point(|e| *e < v),
        _ => edges.len() + 1,
    }
}

impl Bins {
    pub(super) fn numeric(summary: &NumericSummary) -> Bins {
        Bins::Numeric {
            column: summary.column,
            edges: summary.edges.clone(),
        }
    }

    pub(super) fn labels(summary: &LabelSummary) -> Bins {
        let mut sorted: Vec<(String, usize)> = summary
            .labels
            .iter()
            .enumerate()
            .map(|(bin, (label, _))| (label.clone(), bin))
            .collect();
        sorted.sort_unstable();
        Bins::Labels {
            column: summary.column,
            sorted,
            complete: summary.other == 0,
        }
    }

    pub(super) fn column(&self) -> Column {
        match self {
            Bins::Numeric { column, .. } | Bins::Labels { column, .. } => *column,
        }
    }

    /// Bins in all, the missing bin included.
    pub(super) fn len(&self) -> usize {
        match self {
            Bins::Numeric { edges, .. } => edges.len() + 2,
            Bins::Labels { sorted, .. } => sorted.len() + 2,
        }
    }

    /// Where `record`'s value of the input goes. A cell of the other kind
    /// (which the schema rules out) counts as missing.
    pub(super) fn place(&self, record: &HouseRecord) -> Placed {
        match (self, record.get(self.column())) {
            (Bins::Numeric { edges, .. }, CellRef::Number(value)) => Placed {
                bin: numeric_bin(edges, value),
                unseen: false,
            },
            (
                Bins::Labels {
                    sorted, complete, ..
                },
                CellRef::Label(Some(label)),
            ) => match sorted.binary_search_by(|(l, _)| l.as_str().cmp(label)) {
                Ok(at) => Placed {
                    bin: sorted[at].1,
                    unseen: false,
                },
                Err(_) => Placed {
                    bin: sorted.len(),
                    unseen: *complete,
                },
            },
            _ => Placed {
                bin: self.len() - 1,
                unseen: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_goes_to_the_first_bin_whose_edge_is_not_below_it_and_nan_to_missing() {
        let edges = [1.0, 2.0, 5.0];
        let bins: Vec<usize> = [0.5, 1.0, 1.5, 5.0, 7.0]
            .iter()
            .map(|v| numeric_bin(&edges, Some(*v)))
            .collect();
        assert_eq!(bins, [0, 0, 1, 2, 3]);
        assert_eq!(numeric_bin(&edges, None), 4);
        assert_eq!(numeric_bin(&edges, Some(f64::NAN)), 4);
    }

    #[test]
    fn a_label_outside_a_complete_list_is_unseen_and_goes_to_other() {
        let summary = LabelSummary {
            column: Column::Street,
            labels: vec![("Pave".into(), 9), ("Grvl".into(), 1)],
            other: 0,
            missing: 0,
        };
        let bins = Bins::labels(&summary);
        let record = |label: Option<&str>| HouseRecord {
            street: label.map(str::to_owned),
            ..HouseRecord::default()
        };
        assert_eq!(
            bins.place(&record(Some("Grvl"))),
            Placed {
                bin: 1,
                unseen: false
            }
        );
        assert_eq!(
            bins.place(&record(Some("Dirt"))),
            Placed {
                bin: 2,
                unseen: true
            }
        );
        assert_eq!(
            bins.place(&record(None)),
            Placed {
                bin: 3,
                unseen: false
            }
        );
        let partial = Bins::labels(&LabelSummary {
            other: 3,
            ..summary
        });
        assert!(!partial.place(&record(Some("Dirt"))).unseen);
    }
}

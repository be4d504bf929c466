//! Equal-frequency binning of the training matrix, done once before the
//! first tree: each feature becomes one byte per row, and its bin edges
//! (midpoints between neighbouring training values) are the only
//! thresholds a split can use.

use ndarray::Array2;

/// The training matrix as bin numbers, column by column.
#[derive(Debug)]
pub(super) struct Binned {
    /// `columns[f][row]`: the bin of the row's value of feature `f`.
    pub columns: Vec<Vec<u8>>,
    /// `edges[f][b]`: the largest value of bin `b` is ≤ it, the smallest of
    /// bin `b + 1` above it; strictly increasing.
    pub edges: Vec<Vec<f64>>,
}

impl Binned {
    /// Bins every column of `x` (finite values, checked by the caller) into
    /// at most `max_bins` (≤ 256) bins.
    pub fn new(x: &Array2<f64>, max_bins: usize) -> Binned {
        let (columns, edges) = x
            .columns()
            .into_iter()
            .map(|column| {
                let values: Vec<f64> = column.iter().copied().collect();
                let edges = edges(&values, max_bins);
                let bins = values
                    .iter()
                    .map(|v| edges.partition_point(|e| e < v) as u8)
                    .collect();
                (bins, edges)
            })
            .unzip();
        Binned { columns, edges }
    }

    /// Number of bins of feature `f`.
    pub fn bins(&self, f: usize) -> usize {
        self.edges[f].len() + 1
    }
}

/// Bin edges of one column: every distinct value its own bin when there are
/// at most `max_bins` of them, otherwise about equal-frequency bins (a
/// value never spans two bins).
fn edges(values: &[f64], max_bins: usize) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let mut distinct: Vec<(f64, usize)> = Vec::new();
    for v in sorted {
        match distinct.last_mut() {
            Some((last, count)) if *last == v => *count += 1,
            _ => distinct.push((v, 1)),
        }
    }
    let cut_after: Vec<usize> = if distinct.len() <= max_bins {
        (0..distinct.len().saturating_sub(1)).collect()
    } else {
        // Greedy equal frequency: a bin closes once it holds its share of
        // the rows still unassigned, so a heavy value (many zeros) takes one
        // bin and the rest share the others.
        let mut cuts = Vec::with_capacity(max_bins);
        let (mut in_bin, mut remaining, mut bins_left) = (0, values.len(), max_bins);
        for (i, (_, count)) in distinct.iter().enumerate() {
            in_bin += count;
            if bins_left > 1 && i + 1 < distinct.len() && in_bin * bins_left >= remaining {
                cuts.push(i);
                remaining -= in_bin;
                in_bin = 0;
                bins_left -= 1;
            }
        }
        cuts
    };
    cut_after
        .into_iter()
        .map(|i| {
            let (a, b) = (distinct[i].0, distinct[i + 1].0);
            a + (b - a) / 2.0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_get_a_bin_each_with_midpoint_edges() {
        assert_eq!(edges(&[3.0, 1.0, 2.0, 1.0], 8), vec![1.5, 2.5]);
        assert_eq!(edges(&[5.0, 5.0], 8), Vec::<f64>::new());
    }

    #[test]
    fn many_values_are_cut_at_quantiles_into_at_most_max_bins() {
        let values: Vec<f64> = (0..1000).map(|i| (i * 7 % 1000) as f64).collect();
        let e = edges(&values, 4);
        assert_eq!(e, vec![249.5, 499.5, 749.5]);
        let binned = Binned::new(&Array2::from_shape_vec((1000, 1), values).unwrap(), 4);
        let mut counts = [0; 4];
        binned.columns[0]
            .iter()
            .for_each(|b| counts[*b as usize] += 1);
        assert_eq!(counts, [250; 4]);
    }

    #[test]
    fn a_heavy_value_never_spans_two_bins() {
        let mut values = vec![0.0; 900];
        values.extend((1..=100).map(f64::from));
        let e = edges(&values, 10);
        assert!(e.len() == 9 && e[0] == 0.5, "{e:?}");
        assert!(e.windows(2).all(|w| w[0] < w[1]));
    }
}

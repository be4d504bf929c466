//! Growing one regression tree depth-first on the binned training rows from
//! per-feature histograms of the residuals (`train` feature only).

use rayon::prelude::*;

use super::GradientBoosting;
use super::bins::Binned;
use super::tree::{Node, Tree};

/// What a tree is grown from.
pub(super) struct Grower<'a> {
    pub binned: &'a Binned,
    pub residual: &'a [f64],
    pub params: &'a GradientBoosting,
    /// The features this tree may split on, ascending.
    pub features: &'a [u32],
}

/// The best split of one node.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    gain: f64,
    feature: usize,
    /// Rows in bins `0..=bin` go left.
    bin: usize,
}

impl Grower<'_> {
    /// Grows a tree on `rows` (ascending indices into the training rows).
    pub fn grow(&self, rows: Vec<u32>) -> Tree {
        let mut tree = Tree {
            nodes: Vec::new(),
            cover: Vec::new(),
        };
        self.node(rows, 0, &mut tree);
        tree
    }

    fn node(&self, rows: Vec<u32>, depth: usize, tree: &mut Tree) -> u32 {
        let nodes = &mut tree.nodes;
        let at = nodes.len();
        // A sample is at most the training rows, which fit in u32 (row indices are u32).
        tree.cover.push(rows.len() as u32);
        let sum: f64 = rows.iter().map(|&r| self.residual[r as usize]).sum();
        let p = self.params;
        nodes.push(Node::Leaf(
            p.learning_rate * sum / (rows.len() as f64 + p.l2),
        ));
        if depth >= p.max_depth || rows.len() < 2 * p.min_samples_leaf {
            return at as u32;
        }
        let Some(best) = self.best_split(&rows, sum) else {
            return at as u32;
        };
        let column = &self.binned.columns[best.feature];
        // Stable partition: both children keep their rows ascending.
        let (left_rows, right_rows): (Vec<u32>, Vec<u32>) = rows
            .into_iter()
            .partition(|&r| column[r as usize] as usize <= best.bin);
        let left = self.node(left_rows, depth + 1, tree);
        let right = self.node(right_rows, depth + 1, tree);
        tree.nodes[at] = Node::Split {
            feature: best.feature as u32,
            threshold: self.binned.edges[best.feature][best.bin],
            left,
            right,
        };
        at as u32
    }

    /// The split with the largest gain, first in feature and bin order on
    /// ties; `None` when no split gains more than `min_gain`. Each feature's
    /// search is independent and sums in row order, so running them in
    /// parallel changes nothing.
    fn best_split(&self, rows: &[u32], sum: f64) -> Option<Candidate> {
        let per_feature: Vec<Option<Candidate>> = self
            .features
            .par_iter()
            .with_min_len(4)
            .map(|&f| self.best_for_feature(f as usize, rows, sum))
            .collect();
        per_feature
            .into_iter()
            .flatten()
            .fold(None, |best: Option<Candidate>, c| match best {
                Some(b) if b.gain >= c.gain => Some(b),
                _ => Some(c),
            })
    }

    fn best_for_feature(&self, feature: usize, rows: &[u32], sum: f64) -> Option<Candidate> {
        let n_bins = self.binned.bins(feature);
        if n_bins < 2 {
            return None;
        }
        let mut histogram = [(0.0f64, 0usize); 256];
        let column = &self.binned.columns[feature];
        for &r in rows {
            let slot = &mut histogram[column[r as usize] as usize];
            slot.0 += self.residual[r as usize];
            slot.1 += 1;
        }
        let p = self.params;
        let n = rows.len();
        let score = |g: f64, count: usize| g * g / (count as f64 + p.l2);
        let parent = score(sum, n);
        let (mut left_sum, mut left_n) = (0.0, 0);
        let mut best: Option<Candidate> = None;
        for (bin, &(g, count)) in histogram[..n_bins - 1].iter().enumerate() {
            left_sum += g;
            left_n += count;
            if left_n < p.min_samples_leaf {
                continue;
            }
            if n - left_n < p.min_samples_leaf {
                break;
            }
            let gain = score(left_sum, left_n) + score(sum - left_sum, n - left_n) - parent;
            if gain > p.min_gain && best.is_none_or(|b| gain > b.gain) {
                best = Some(Candidate { gain, feature, bin });
            }
        }
        best
    }
}
